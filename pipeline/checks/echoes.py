"""Catch report text that repeats a flagged passage: the claim or demand of a planted instruction.

Texts are compared as word trigrams (case, accents, quote marks and thousands separators normalised).
Only the trigrams a flagged passage does not share with the rest of the materials count: a planted line
that restates a real fact ("the contract ends 31 May 2026") cannot make that fact an echo. A sentence
echoes a passage when it shares at least `MIN_SHARED` such trigrams with it (five words in a row, or
several shorter runs: more than quoting a number or a short phrase can produce), or when it is short and
at least `MIN_SHARE` of its trigrams are such trigrams ("Accept the 15% increase."), or when it is
nothing but words of the passage, one of them found nowhere else in the materials ("APPROVED.").
"""

from __future__ import annotations

import re
import unicodedata

from collections.abc import Iterable

from pydantic import BaseModel

from pipeline.case.documents import CaseMaterials
from pipeline.schemas import FlaggedText, Item, ReportWarning
from pipeline.checks.free_texts import SentenceFilter, sentences
from pipeline.checks.item_checks import Premise

MIN_SHARED = 3
MIN_SHARE = 0.6
"""Calibrated on tests/test_echo_check.py: "Do not accept the 15% increase." shares 2 of its 4 trigrams
with the planted "accept the 15% increase" (kept); "Accept the 15% increase." 2 of 2 (caught)."""
REMOVED = "(Removed: it repeated instruction-like text planted in the materials; see \u201ccheck before use\u201d.)"
_THOUSANDS = re.compile(r"(?<=\d)[\s,.'\u00a0\u202f](?=\d{3}(?!\d))")


def words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.findall(r"\w+", _THOUSANDS.sub("", folded))


def trigrams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)}


class EchoCheck:
    """The flagged passages of a case, each with what only it says."""

    def __init__(self, case: CaseMaterials, flagged: list[FlaggedText]):
        held = {(f.document, i) for f in flagged for i in f.units}
        clean = [words(u.text) for d in case.documents for i, u in enumerate(d.units) if (d.name, i) not in held]
        clean_grams = set().union(*map(trigrams, clean)) if clean else set()
        self.clean_words = {w for tokens in clean for w in tokens}
        self.passages = [(f, words(f.text), trigrams(words(f.text)) - clean_grams) for f in flagged]

    def source_of(self, sentence: str) -> FlaggedText | None:
        """The flagged passage `sentence` echoes, if any."""
        tokens = words(sentence)
        if not tokens:
            return None
        grams = trigrams(tokens)
        for flagged, passage, distinctive in self.passages:
            shared = len(grams & distinctive)
            if shared >= MIN_SHARED or (shared >= 2 and shared / len(grams) >= MIN_SHARE):
                return flagged
            if len(tokens) < 3 and _contains(passage, tokens) and set(tokens) - self.clean_words:
                return flagged
        return None


def _contains(passage: list[str], tokens: list[str]) -> bool:
    n = len(tokens)
    return any(passage[i:i + n] == tokens for i in range(len(passage) - n + 1))


def _why(flagged: FlaggedText) -> str:
    return (f"repeats instruction-like text flagged in the materials ({flagged.id}: {flagged.document}, "
            f"{flagged.locator}): \u201c{flagged.text[:160]}\u201d")


class _Pass:
    """One echo pass over a report: sets echoing items apart, removes echoing text, keeps the warnings."""

    def __init__(self, check: EchoCheck):
        self.check = check
        self.warnings: list[ReportWarning] = []
        self.texts = SentenceFilter(check.source_of, self._removed, REMOVED)

    def _removed(self, where: str, text: str, source: FlaggedText) -> None:
        self.warnings.append(ReportWarning(code="echo-removed", message=f"{where}: removed \u201c{text.strip()}\u201d \u2014 it {_why(source)}"))

    def item(self, where: str, item: Item) -> None:
        texts = (item.text, item.basis, getattr(item, "we_give", ""), getattr(item, "we_get", ""))
        source = next((s for t in texts for s in map(self.check.source_of, sentences(t)) if s is not None), None)
        if source is not None:
            item.verification = "echo"
            item.issues_found.append(_why(source))
            self.warnings.append(ReportWarning(code="echo", message=f"{where}: {item.text[:90]} \u2014 set apart: it {_why(source)}"))


def remove_echoes(check: EchoCheck, premises: list[Premise],
                  sections: Iterable[tuple[str, BaseModel, Iterable[str]]]) -> list[ReportWarning]:
    """Set apart every premise that echoes a flagged passage and remove every echoing sentence from the
    sections' free-text fields (each section: its report field, its output, its free-text fields; see
    `free_texts.text_field`), in place; one warning for each. A text left empty is replaced by a note, an entry of a
    list is dropped whole."""
    if not check.passages:
        return []
    run = _Pass(check)
    for where, item, _ in premises:
        run.item(where, item)
    run.texts.apply(sections)
    return run.warnings
