"""The report's free texts (a summary, plan steps, next moves, questions, guidance) sentence by sentence: a check
that refuses a sentence takes it out of the brief, in place."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import reduce
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

V = TypeVar("V")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def text_field(output: BaseModel, spec: str) -> tuple[Any, str, tuple[str, ...]]:
    """Where a free-text field (`summary`, `plan.process`, `next_moves[move,why]`) sits in `output`: its owner,
    its name and, for a list of entries, the text fields of each."""
    path, _, parts = spec.rstrip("]").partition("[")
    *owners, name = path.split(".")
    return reduce(getattr, owners, output), name, tuple(filter(None, parts.split(",")))


def field_path(spec: str) -> str:
    return spec.partition("[")[0]


class SentenceFilter(Generic[V]):
    """Takes out of free texts the sentences `judge` finds a fault with (its verdict, else None), calling
    `removed(where, text, verdict)` for each sentence or entry taken out; a required text left empty becomes
    `note`, an entry of a list with a faulty sentence in any of its parts is dropped whole."""

    def __init__(self, judge: Callable[[str], V | None], removed: Callable[[str, str, V], None], note: str):
        self.judge, self.removed, self.note = judge, removed, note

    def text(self, where: str, text: str) -> str:
        """`text` without its faulty sentences."""
        kept, dropped = [], False
        for sentence in sentences(text):
            verdict = self.judge(sentence)
            if verdict is None:
                kept.append(sentence.strip())
            else:
                self.removed(where, sentence, verdict)
                dropped = True
        return " ".join(kept) if dropped else text

    def required(self, where: str, text: str) -> str:
        return self.text(where, text) or self.note

    def entries(self, where: str, texts: list[str]) -> list[str]:
        return [kept for kept in (self.text(where, t) for t in texts) if kept]

    def keeps(self, where: str, *parts: str) -> bool:
        """False (and the entry reported removed) when any sentence of the entry's parts is faulty."""
        verdict = next((v for p in parts for v in map(self.judge, sentences(p)) if v is not None), None)
        if verdict is not None:
            self.removed(where, " \u2014 ".join(parts), verdict)
        return verdict is None

    def apply(self, sections: Iterable[tuple[str, BaseModel, Iterable[str]]]) -> None:
        """Every free-text field of the sections (each: its report field, its output, its free-text fields; see
        `text_field`) filtered in place."""
        for field, output, specs in sections:
            for spec in specs:
                owner, name, parts = text_field(output, spec)
                where, value = f"{field}.{field_path(spec)}", getattr(owner, name)
                if parts:
                    value = [e for e in value if self.keeps(where, *(getattr(e, part) for part in parts))]
                elif isinstance(value, str):
                    value = self.required(where, value)
                else:
                    value = self.entries(where, value)
                setattr(owner, name, value)
