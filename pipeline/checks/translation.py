"""Whether a model's rewording of a text in the brief's language can replace the text: the same facts,
the same placeholders, and the asked language."""

from __future__ import annotations

import re

from pipeline.case.language import language_name
from pipeline.case.pseudonymize import PLACEHOLDER
from pipeline.checks.language_mix import TRANSLATED_MIN_WORDS, foreign_in
from pipeline.checks.quantities import same_quantities


def rejection(original: str, translated: str, language: str) -> str:
    """Why `translated` cannot replace `original` in a brief written in `language` ("" when it can)."""
    if not translated.strip():
        return "empty"
    if translated.strip() == original.strip():
        return "unchanged"
    if not same_quantities(original, translated):
        return "a number or date differs"
    if sorted(re.findall(rf"\b{PLACEHOLDER}\b", original)) != sorted(re.findall(rf"\b{PLACEHOLDER}\b", translated)):
        return "a placeholder differs"
    if found := foreign_in(translated, language, TRANSLATED_MIN_WORDS):
        return f"still in {language_name(found)}"
    return ""
