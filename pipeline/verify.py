"""Check every quote and number the agents produced against the source materials.

A quote is matched against normalised source text (case, whitespace, quote marks,
dashes, hyphenation), exactly first and then fuzzily; a verified quote is replaced
by the exact source span it matched, with its locator.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.documents import CaseMaterials, Document
from pipeline.schemas import Evidence, Item, Warning

FUZZY_THRESHOLD = 88.0
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ",
})
_NUMBER = re.compile(r"\d[\d\s.,:/'\u00a0]*\d|\d")


@dataclass
class NormalisedText:
    """Normalised text plus, for each of its characters, the offset in the original."""

    text: str
    offsets: list[int]


_ASCII_SELF = r"[A-Za-z0-9!\"$%&'()+,./:;<=?@\[\]^{}~\\]+"  # ASCII that folds to itself, lowercased
_PLAIN = re.compile(f"{_ASCII_SELF}(?: {_ASCII_SELF})*")  # ... with single spaces between
_FOLDED: dict[str, tuple[bool, str]] = {}


def _fold(ch: str) -> tuple[bool, str]:
    """(is a combining mark, the character folded: NFKC, quotes/dashes unified, lowercase)."""
    folded = _FOLDED.get(ch)
    if folded is None:
        folded = _FOLDED[ch] = (
            bool(unicodedata.combining(ch)), unicodedata.normalize("NFKC", ch).translate(_TRANSLATE).lower(),
        )
    return folded


def normalise(text: str) -> NormalisedText:
    """Lowercase, unify quotes/dashes, join hyphenated line breaks, collapse whitespace."""
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        plain = _PLAIN.match(text, i)
        if plain:
            out.extend(plain.group().lower())
            offsets.extend(range(i, plain.end()))
            i = plain.end()
            continue
        combining, ch = _fold(text[i])
        if combining and out:
            # decomposed (NFD) letter, e.g. "a" + U+030A: compose it so it matches "å"
            composed = unicodedata.normalize("NFC", out[-1] + text[i])
            if len(composed) == 1:
                out[-1] = composed
                i += 1
                continue
        if ch == "-" and i + 1 < n and text[i + 1] == "\n" and out and out[-1].isalpha():
            i += 2
            while i < n and text[i] in " \t":
                i += 1
            continue
        if ch.isspace() or ch in "*_#>|":
            if out and out[-1] != " ":
                out.append(" ")
                offsets.append(i)
            i += 1
            continue
        out.extend(ch)
        offsets.extend([i] * len(ch))
        i += 1
    return NormalisedText("".join(out), offsets)


class SourceIndex:
    """The case's documents, normalised once, for quote and number lookups."""

    def __init__(self, case: CaseMaterials):
        self.docs = [(doc, doc.text, normalise(doc.text)) for doc in case.documents]
        self.digits = {re.sub(r"\D", "", m.group()) for _, text, _ in self.docs for m in _NUMBER.finditer(text)}

    def find(self, quote: str, document: str = "") -> tuple[Document, str, int, float] | None:
        """The best match of `quote`: (document, exact source span, offset, score), or None."""
        needle = normalise(quote).text.strip(" .,;:\"'")
        if len(needle) < 4:
            return None
        ordered = sorted(self.docs, key=lambda d: d[0].name != document)
        for doc, text, norm in ordered:
            pos = norm.text.find(needle)
            if pos != -1:
                return doc, *self._span(text, norm, pos, pos + len(needle)), 100.0
        best = None
        for doc, text, norm in ordered:
            alignment = fuzz.partial_ratio_alignment(needle, norm.text, score_cutoff=FUZZY_THRESHOLD)
            if alignment and (best is None or alignment.score > best[3]):
                span, start = self._span(text, norm, alignment.dest_start, alignment.dest_end)
                best = (doc, span, start, round(alignment.score, 1))
        return best

    @staticmethod
    def _span(text: str, norm: NormalisedText, start: int, end: int) -> tuple[str, int]:
        a = norm.offsets[start]
        b = norm.offsets[max(start, end - 1)] + 1
        while b < len(text) and (unicodedata.combining(text[b]) or text[b].isalnum()):
            b += 1
        while a > 0 and text[a - 1].isalnum():
            a -= 1
        while a < b and text[a].isspace():
            a += 1
        return text[a:b].strip(), a

    def unknown_numbers(self, text: str) -> list[str]:
        """Numbers in `text` (amounts, dates, percentages) that appear nowhere in the sources."""
        found = []
        for match in _NUMBER.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if len(digits) >= 2 and digits not in self.digits and not any(digits in d for d in self.digits):
                found.append(match.group().strip())
        return found


_INDEXES: OrderedDict[tuple, SourceIndex] = OrderedDict()


def source_index(case: CaseMaterials) -> SourceIndex:
    """The index of the case's documents, built once for the several verification passes of a run
    (a few recent cases are kept, keyed by their content)."""
    key = tuple((d.name, d.kind, tuple((u.locator, u.text) for u in d.units)) for d in case.documents)
    if key not in _INDEXES:
        _INDEXES[key] = SourceIndex(case)
        while len(_INDEXES) > 8:
            _INDEXES.popitem(last=False)
    _INDEXES.move_to_end(key)
    return _INDEXES[key]


def verify_item(item: Item, index: SourceIndex, where: str) -> list[Warning]:
    """Verify one item in place; the warnings it raises."""
    warnings: list[Warning] = []
    checked: list[Evidence] = []
    item.issues_found = []
    for ev in item.evidence:
        hit = index.find(ev.quote, ev.document)
        if hit is None:
            checked.append(ev.model_copy(update={"match_score": 0.0}))
            item.issues_found.append(f"quote not found in the materials: \u201c{ev.quote[:80]}\u201d")
            continue
        doc, span, offset, score = hit
        checked.append(Evidence(document=doc.name, quote=span, locator=doc.locator_at(offset), match_score=score))
    item.evidence = checked
    for number in index.unknown_numbers(f"{item.text} {getattr(item, 'date', '')}"):
        item.issues_found.append(f"number not found in the materials: {number}")
    all_found = bool(checked) and all(ev.match_score for ev in checked)
    if item.kind == "inference" and not checked:
        item.verification = "inference"
    elif all_found and not item.issues_found:
        item.verification = "verified"
    else:
        item.verification = "unverified"
    if item.issues_found:
        warnings.append(Warning(code="unverified", message=f"{where}: {item.text[:90]} \u2014 {'; '.join(item.issues_found)}"))
    elif item.verification == "unverified":
        warnings.append(Warning(code="unverified", message=f"{where}: {item.text[:90]} \u2014 stated as fact without evidence"))
    return warnings


def support(items: list[Item]) -> float | None:
    """Share of factual items that were verified (None when there are none)."""
    factual = [i for i in items if i.verification in ("verified", "unverified")]
    if not factual:
        return None
    return round(sum(i.verification == "verified" for i in factual) / len(factual), 3)
