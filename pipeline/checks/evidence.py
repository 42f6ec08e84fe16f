"""Check every item the agents produced against the source materials.

A quote is matched against normalised source text (case, whitespace, quote marks,
dashes, hyphenation), exactly first and then fuzzily, and replaced by the exact source
span it matched, with its locator. Finding the quote is not enough: the item is
`verified` only when the cited unit (the line, paragraph or page holding the quote)
supports it: every number and date in the item appears there, and the item shares
enough of its content words with it. A found quote that does not support the item
makes it `weak`; an item that states numbers, dates or a party's words is a fact,
whatever its label, and needs evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.case.documents import CaseMaterials, Document
from pipeline.checks.quantities import (SCALES, dates_in, missing_quantities, number_readings, numbers_in, same_number,
                                        strip_dates)
from pipeline.schemas import PASSAGE_JOIN, Evidence, Item, ReportWarning

FUZZY_THRESHOLD = 88.0
SUPPORT_THRESHOLD = 0.3
"""Share of an item's content words that its cited unit must contain (calibrated in
benchmarks/support_calibration.py on hand-written pairs: see its output in benchmarks/results)."""
NO_PASSAGE = "no passage of the materials holds its numbers and dates and enough of its words"
PAIR_CANDIDATES = 8
"""Passages (those sharing most of an item's words) tried in pairs when no single one supports the item."""
PAIR_PASSAGE_CHARS = 400
"""Only line-sized passages pair up (a PDF page or a long paragraph holds too much to vouch for half an item)."""
PAIR_THRESHOLD = 0.5
"""The share of the item's words two passages must hold together (one passage needs SUPPORT_THRESHOLD)."""
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ",
})
_NUMBER = re.compile(r"\d[\d\s.,:/'\u00a0]*\d|\d")
_BLOCK_START = re.compile(r"([-*+>|#]|\d+[.)]\s|[A-Z][\w-]*:\s)")  # list item, quote, table row, heading, header


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
        self.values = {round(v, 4) for _, text, _ in self.docs for v in numbers_in(text)}
        self.dates = [d for _, text, _ in self.docs for d in dates_in(text)]
        self.common = self._common_words()
        self._passages: list[tuple[Document, int, str]] | None = None

    def _common_words(self) -> frozenset[str]:
        """Content words found in more than a fifth of the units (party names, the thing traded): a shared
        one says little about whether a citation supports an item."""
        units = [u.text for doc, _, _ in self.docs for u in doc.units if u.text.strip()]
        counts: dict[str, int] = {}
        for text in units:
            for word in content_words(text):
                counts[word] = counts.get(word, 0) + 1
        return frozenset(w for w, n in counts.items() if n > max(2, len(units) / 5))

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

    def passages(self) -> list[tuple[Document, int, str]]:
        """Every non-blank unit as the passage a citation of it covers: (document, offset, text)."""
        if self._passages is None:
            self._passages = []
            for doc, _, _ in self.docs:
                pos = 0
                for unit in doc.units:
                    if unit.text.strip():
                        self._passages.append((doc, pos, self.cited_text(doc, pos, pos + len(unit.text))))
                    pos += len(unit.text) + 1
        return self._passages

    def supporting_passage(self, text: str) -> list[tuple[Document, int, str]]:
        """The passage of the materials that best supports `text` (the rule of `unsupported`); failing one,
        two passages of one document that support it together, each holding a number or date of the item
        that the other lacks (an item that sets an offer beside a counter-offer states two lines). Empty if
        neither."""
        best, best_share, ranked = None, 0.0, []
        for doc, offset, passage in self.passages():
            share = shared_share(text, passage, self.common) or 0.0
            ranked.append((share, doc, offset, passage))
            if unsupported(text, passage, self.common):
                continue
            if best is None or share > best_share:
                best, best_share = (doc, offset, passage), share
        if best is not None:
            return [best]
        top = [r for r in sorted(ranked, key=lambda r: -r[0]) if r[0] > 0 and len(r[3]) <= PAIR_PASSAGE_CHARS]
        top = top[:PAIR_CANDIDATES]
        held = {id(r): figures_held(text, r[3]) for r in top}
        for i, first in enumerate(top):
            for second in top[i + 1:]:
                a, b = held[id(first)], held[id(second)]
                both = f"{first[3]}\n{second[3]}"
                if (first[1] is second[1] and a - b and b - a and not unsupported(text, both, self.common)
                        and (shared_share(text, both, self.common) or 0.0) >= PAIR_THRESHOLD):
                    return sorted([first[1:], second[1:]], key=lambda p: p[1])
        return []

    @staticmethod
    def cited_text(doc: Document, start: int, end: int) -> str:
        """The units of `doc` that hold characters `start` to `end` of its text; for line units, widened to
        the sentence that runs across them (a hard-wrapped e-mail sentence spans several lines; a list item,
        table row or heading stands alone)."""
        spans, pos = [], 0
        for unit in doc.units:
            spans.append((pos, pos + len(unit.text)))
            pos += len(unit.text) + 1
        hit = [i for i, (a, b) in enumerate(spans) if b >= start and a <= max(start, end - 1)]
        if not hit:
            return ""
        first, last = hit[0], hit[-1]
        if doc.units[first].locator.startswith("line "):
            def joins(i: int) -> bool:
                text = doc.units[i].text.strip()
                return bool(text) and not _BLOCK_START.match(text)

            def ends_sentence(i: int) -> bool:
                return doc.units[i].text.rstrip().endswith((".", "!", "?", ":", ";", "\u201d", '"', "\u00bb"))

            while first > 0 and joins(first) and joins(first - 1) and not ends_sentence(first - 1):
                first -= 1
            while last + 1 < len(doc.units) and joins(last + 1) and not ends_sentence(last):
                last += 1
        return "\n".join(u.text for u in doc.units[first:last + 1])

    def unknown_numbers(self, text: str) -> list[str]:
        """Numbers in `text` (amounts, dates, percentages) that appear nowhere in the sources."""
        found = []
        text = strip_dates(text, keep=lambda d: not any(d.same_day(known) for known in self.dates))
        for match in _NUMBER.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if len(digits) < 2 or digits in self.digits or any(digits in d for d in self.digits):
                continue
            if not any(round(v, 4) in self.values for v in numbers_in(match.group().strip())):
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


_WORD = re.compile(r"[^\W\d_]{4,}")
STOPWORDS = frozenset("""
about above after again against also among because been before being below between both could does doing
down during each from further have having here into itself just more most much must only other over same
shall should some such than that their theirs them then there these they this those through under until
upon very were what when where which while will with within would your yours ours ourselves
alle andre at blir denne deres dette disse eller etter fordi fra hvis ikke kunne mellom men noen også
seg skal slik som til under vært være våre ville vil
aber auch dass dem den der des die durch eine einem einen einer eines für haben hat nicht noch oder
sein sich sind über unter vom von wird werden wurde zum zur
alla andra att bara eller efter från inte kan mellan också ska skulle som till under vara
avec cette dans elle leur mais nous pour sans sont sous vous
""".split())


def content_words(text: str) -> set[str]:
    """The item's meaning-bearing words, cut to five letters so word forms match (offer/offered, pris/prisen)."""
    return {w[:5] for w in (m.group().casefold() for m in _WORD.finditer(text)) if w not in STOPWORDS and w not in SCALES}


_QUOTED_SPEECH = re.compile(r"[\"\u201c\u201e\u00ab\u2018'][^\"\u201d\u201c\u00bb\u2019']{12,}[\"\u201d\u201c\u00bb\u2019']")


def states_facts(text: str) -> bool:
    """The text states a number, an amount, a date or a party's quoted words: a fact whatever its label."""
    return bool(re.search(r"\d", text) or _QUOTED_SPEECH.search(text))


def unsupported(text: str, cited: str, common: frozenset[str] = frozenset()) -> list[str]:
    """Why `cited` does not support `text` (empty when it does): a number or date of the text that
    the cited unit lacks, or too few shared content words (`common` words of the materials left out,
    unless nothing else is left)."""
    missing_dates, missing = missing_quantities(text, cited)
    problems = [f"the date {date.day:02d}-{date.month:02d} is not in the cited text" for date in missing_dates]
    numbers = number_readings(strip_dates(text))
    if missing:
        problems.append(f"the number {missing[0][0]:g} is not in the cited text")
    share = shared_share(text, cited, common, len(numbers) - len(missing), len(numbers))
    if share is not None and share < SUPPORT_THRESHOLD:
        problems.append(f"the cited text shares {share:.0%} of the item's words")
    return problems


def shared_share(text: str, cited: str, common: frozenset[str], numbers_found: int = 0,
                 numbers: int = 0) -> float | None:
    """Share of the text's content words (and numbers) found in `cited`; None for a text without content
    words. Numbers found count as shared words: `NOK 41,2 mill.` = `NOK 41 200 000`."""
    words = content_words(text)
    words = (words - common) or words
    if not words:
        return None
    return (len(words & content_words(cited)) + numbers_found) / (len(words) + numbers)


def _by_quote(ev: Evidence, index: SourceIndex) -> tuple[Evidence, str] | str:
    """The evidence found in the sources (exactly or fuzzily) with the text it cites, or why not."""
    hit = index.find(ev.quote, ev.document)
    if hit is None:
        return f"quote not found in the materials: \u201c{ev.quote[:80]}\u201d"
    doc, span, offset, score = hit
    filled = Evidence(document=doc.name, quote=span, locator=doc.locator_at(offset), match_score=score)
    return filled, index.cited_text(doc, offset, offset + len(span))


def figures_held(text: str, passage: str) -> set[str]:
    """The numbers and dates of `text` that `passage` holds (as `n<i>` / `d<i>` by position in the text)."""
    passage_dates = dates_in(passage)
    passage_numbers = numbers_in(strip_dates(passage)) + [d.day for d in passage_dates]
    held = {f"d{i}" for i, date in enumerate(dates_in(text)) if any(date.same_day(o) for o in passage_dates)}
    held |= {f"n{i}" for i, reading in enumerate(number_readings(strip_dates(text)))
             if any(same_number(v, o) for v in reading for o in passage_numbers)}
    return held


def statement(item: Item) -> str:
    """What an item claims: its text, with a party's name and a deadline's date."""
    return " ".join(filter(None, (item.text, getattr(item, "name", ""), getattr(item, "date", "")))).strip()


def _escapes_as_inference(item: Item, stated: str, as_fact: bool) -> bool:
    """An item left unchecked as an inference: labelled one, stating no number, date or quote, and not in
    a section that holds facts by definition (`as_fact`: the deal profile says what the materials say)."""
    return not as_fact and item.kind == "inference" and not states_facts(stated)


def verify_item(item: Item, index: SourceIndex, where: str, *, as_fact: bool = False) -> list[ReportWarning]:
    """Verify one item in place; the warnings it raises."""
    warnings: list[ReportWarning] = []
    checked: list[Evidence] = []
    cited: list[str] = []
    item.issues_found = []
    for ev in item.evidence:
        result = _by_quote(ev, index)
        if isinstance(result, str):
            checked.append(ev.model_copy(update={"match_score": 0.0}))
            item.issues_found.append(result)
            continue
        checked.append(result[0])
        cited.append(result[1])
    item.evidence = checked
    stated = statement(item)
    for number in index.unknown_numbers(stated):
        item.issues_found.append(f"number not found in the materials: {number}")
    all_found = bool(checked) and all(ev.match_score for ev in checked)
    if not checked and _escapes_as_inference(item, stated, as_fact):
        item.verification = "inference"
    elif all_found and not item.issues_found:
        reasons = unsupported(stated, "\n".join(cited), index.common)
        item.verification = "weak" if reasons else "verified"
        if reasons:
            warnings.append(ReportWarning(code="weak", message=f"{where}: {item.text[:90]} \u2014 cited in the materials, but "
                                                         f"the citation does not support it: {'; '.join(reasons)}"))
            item.issues_found.extend(reasons)
    else:
        item.verification = "unverified"
    if item.verification == "unverified":
        why = "; ".join(item.issues_found) or NO_PASSAGE
        warnings.append(ReportWarning(code="unverified", message=f"{where}: {item.text[:90]} \u2014 {why}"))
    return warnings


def recite(item: Item, index: SourceIndex, *, as_fact: bool = False) -> bool:
    """Give a set-apart fact the passage of the materials that supports it, when the model's own
    citation failed but the materials do say it (the evidence is marked `located`). A number found
    nowhere in the materials, or a plain inference, is left as it is. True if the item was re-cited."""
    stated = statement(item)
    if not item.set_apart or _escapes_as_inference(item, stated, as_fact) or index.unknown_numbers(stated):
        return False
    found = index.supporting_passage(stated)
    if not found:
        return False
    doc = found[0][0]
    item.evidence = [Evidence(document=doc.name, quote=PASSAGE_JOIN.join(p.strip()[:290] for _, _, p in found),
                              locator=" and ".join(doc.locator_at(offset) for _, offset, _ in found),
                              match_score=100.0, located=True)]
    item.verification, item.issues_found = "verified", []
    return True


def support(items: list[Item]) -> float | None:
    """Share of factual items whose citation supports them (None when there are none); `weak` and
    `unverified` items count against it."""
    factual = [i for i in items if i.verification == "verified" or i.set_apart]
    if not factual:
        return None
    return round(sum(i.verification == "verified" for i in factual) / len(factual), 3)


def inference_share(items: list[Item]) -> float | None:
    """Share of checked items that are inferences (a high share hides facts from verification)."""
    checked = [i for i in items if i.verification != "pending"]
    if not checked:
        return None
    return round(sum(i.verification == "inference" for i in checked) / len(checked), 3)
