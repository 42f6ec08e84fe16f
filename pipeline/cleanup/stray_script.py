"""Drop what a small multilingual model slips into a brief from a script the brief is not written in
(Qwen models drift into Chinese mid-sentence: "... building a mutually beneficial relationship, and确保")."""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
CJK_LANGUAGES = {"zh", "ja", "ko"}
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")


def _clean(text: str) -> str:
    """`text` without its runs of the stray script; a text written wholly in it (a name, or all of an item)
    is no slip mid-sentence and stays as written, so no text is left empty."""
    cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", CJK.sub(" ", text))).strip()
    return cleaned if any(c.isalnum() for c in cleaned) else text


def _without(value):
    if isinstance(value, str):
        return _clean(value) if CJK.search(value) else value
    if isinstance(value, list):
        return [_without(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_copy(update={k: _without(v) for k, v in value.__dict__.items()})
    return value


def without_stray_script(model: M, language: str) -> M:
    """`model` with Chinese, Japanese and Korean characters removed from its texts, unless the brief is
    written in one of those languages (or its language is unknown)."""
    code = (language or "").strip().lower()[:2]
    if not code or code in CJK_LANGUAGES:
        return model
    return _without(model)
