"""Check every item the agents produced against the source materials.

A quote is matched against normalised source text (case, whitespace, quote marks,
dashes, hyphenation), exactly first and then fuzzily, and replaced by the exact source
span it matched, with its locator. Finding the quote is not enough: the item is
`verified` only when the cited unit (the line, paragraph or page holding the quote)
supports it: every number and date in the item appears there, and the item shares
enough of its content words with it. A found quote that does not support the item
makes it `weak`; an item that states numbers, dates or a party's words is a fact,
whatever its label, and needs evidence.

The source index serves every check. The report's items are checked by the claim checker
(`pipeline.checks.item_checks`); `verify_item` and `recite` are the word-overlap checks of before, kept as the
baseline of benchmarks/claims_report.py and `benchmarks.claims_eval --old`.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.case.documents import CaseMaterials, Document
from pipeline.checks.quantities import (SCALES, FigureIndex, Held, Stated, dates_in, missing_figures, number_readings, numbers_in,
                                        same_number, strip_dates)
from pipeline.schemas import CHECKED, PASSAGE_JOIN, Evidence, Item, ReportWarning

FUZZY_THRESHOLD = 88.0
SUPPORT_THRESHOLD = 0.3
"""Share of an item's content words that its cited unit must contain (calibrated in
benchmarks/support_calibration.py on hand-written pairs: see its output in benchmarks/results)."""
WARNING_QUOTE = 300
"""Characters of a contradicting passage a warning quotes."""
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


def _unit_spans(doc: Document) -> list[tuple[int, int]]:
    """Where each unit of `doc` starts and ends in its text (units are joined by one newline)."""
    spans, pos = [], 0
    for unit in doc.units:
        spans.append((pos, pos + len(unit.text)))
        pos += len(unit.text) + 1
    return spans


@dataclass(frozen=True)
class Passage:
    """A unit of the materials as a citation of it covers it, with its words and figures read once."""

    document: Document
    offset: int
    text: str
    words: frozenset[str]
    held: Held


@dataclass(frozen=True)
class Claim:
    """What a text states, read once: its content words, dates and numbers."""

    words: frozenset[str]
    stated: Stated

    @classmethod
    def of(cls, text: str) -> Claim:
        return cls(frozenset(content_words(text)), Stated.of(text))


class SourceIndex:
    """The case's documents, normalised once, for quote and number lookups; each passage's words, dates and
    numbers read once, and an inverted index over them to find the passages a statement may rest on."""

    def __init__(self, case: CaseMaterials):
        self.docs = [(doc, doc.text, normalise(doc.text)) for doc in case.documents]
        self.digits = {re.sub(r"\D", "", m.group()) for _, text, _ in self.docs for m in _NUMBER.finditer(text)}
        self.values = {round(v, 4) for _, text, _ in self.docs for v in numbers_in(text)}
        self.dates = [d for _, text, _ in self.docs for d in dates_in(text)]
        self._spans = {id(doc): _unit_spans(doc) for doc, _, _ in self.docs}
        read: dict[str, frozenset[str]] = {}

        def words_of(text: str) -> frozenset[str]:
            """A text's content words, read once for the common words and the passages (most passages are a unit)."""
            if text not in read:
                read[text] = frozenset(content_words(text))
            return read[text]

        self.common = self._common_words(words_of)
        self._passages = self._read_passages(words_of)
        self._lines: dict[str, Passage] | None = None
        self._held: dict[str, Held] | None = None
        self._by_word: dict[str, list[int]] = {}
        for i, passage in enumerate(self._passages):
            for word in passage.words:
                self._by_word.setdefault(word, []).append(i)
        self._figures = FigureIndex([p.held for p in self._passages])

    def _common_words(self, words_of: Callable[[str], frozenset[str]]) -> frozenset[str]:
        """Content words found in more than a fifth of the units (party names, the thing traded): a shared
        one says little about whether a citation supports an item."""
        units = [u.text for doc, _, _ in self.docs for u in doc.units if u.text.strip()]
        counts: dict[str, int] = {}
        for text in units:
            for word in words_of(text):
                counts[word] = counts.get(word, 0) + 1
        return frozenset(w for w, n in counts.items() if n > max(2, len(units) / 5))

    def _read_passages(self, words_of: Callable[[str], frozenset[str]]) -> list[Passage]:
        found = []
        for doc, _, _ in self.docs:
            pos = 0
            for unit in doc.units:
                if unit.text.strip():
                    text = self.cited_text(doc, pos, pos + len(unit.text))
                    found.append(Passage(doc, pos, text, words_of(text), Held.of(text)))
                pos += len(unit.text) + 1
        return found

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

    def whole_line(self, text: str) -> tuple[Document, int, str] | None:
        """The passage (a line, a paragraph) of the materials that `text` copies whole, as (document, offset,
        text): case, spacing, quote marks, list and emphasis marks and end punctuation aside; None for a text of
        fewer than `MIN_LINE_WORDS` words or one no passage equals."""
        key = _line_key(text)
        if len(key.split()) < MIN_LINE_WORDS:
            return None
        if self._lines is None:
            self._lines = {}
            for passage in self._passages:
                self._lines.setdefault(_line_key(passage.text), passage)
        found = self._lines.get(key)
        return (found.document, found.offset, found.text) if found else None

    def passages(self) -> list[tuple[Document, int, str]]:
        """Every non-blank unit as the passage a citation of it covers: (document, offset, text)."""
        return [(p.document, p.offset, p.text) for p in self._passages]

    def held(self, text: str) -> Held:
        """What `text` holds (`Held.of`): a passage's, as the index read it."""
        if self._held is None:
            self._held = {p.text: p.held for p in self._passages}
        found = self._held.get(text)
        return found if found is not None else Held.of(text)

    def _sharing(self, words: frozenset[str]) -> set[int]:
        """The passages that share a content word with `words` (the materials' common words left out,
        unless nothing else is left, as `shared_share` counts them)."""
        return {i for word in ((words - self.common) or words) for i in self._by_word.get(word, ())}

    def _may_support(self, claim: Claim) -> list[int]:
        """The passages that can pass `unsupported` for the claim, in the materials' order: each holds its first
        date, else a reading of its first number, else (the claim having content words) one of them."""
        if claim.stated.dates:
            date = claim.stated.dates[0]
            return self._figures.with_day(date)
        if claim.stated.numbers:
            return sorted(set().union(*(self._figures.holding(v) for v in claim.stated.numbers[0])))
        if (claim.words - self.common) or claim.words:
            return sorted(self._sharing(claim.words))
        return list(range(len(self._passages)))

    def candidates(self, text: str, limit: int | None = None) -> list[tuple[Document, int, str]]:
        """The passages that share a rare content word, a number or a date with `text`, most shared first
        (by how many of its dates and numbers they hold, then the share of its words), as (document, offset,
        text); at most `limit`. None for a text without content words, numbers or dates."""
        claim = Claim.of(text)
        found = self._sharing(claim.words) | self._figures.sharing(claim.stated)

        def rank(i: int) -> tuple[int, float]:
            passage = self._passages[i]
            dates, numbers = missing_figures(claim.stated, passage.held)
            held = len(claim.stated.dates) + len(claim.stated.numbers) - len(dates) - len(numbers)
            return -held, -(_share(claim.words, passage.words, self.common) or 0.0)

        ranked = sorted(sorted(found), key=rank)[:limit]
        return [(p.document, p.offset, p.text) for p in (self._passages[i] for i in ranked)]

    def supporting_passage(self, text: str) -> list[tuple[Document, int, str]]:
        """The passage of the materials that best supports `text` (the rule of `unsupported`); failing one,
        two passages of one document that support it together, each holding a number or date of the item
        that the other lacks (an item that sets an offer beside a counter-offer states two lines). Empty if
        neither. Only the passages the inverted index offers are read: no other can pass the rule."""
        claim = Claim.of(text)
        best, best_share = None, 0.0
        for i in self._may_support(claim):
            passage = self._passages[i]
            share = _share(claim.words, passage.words, self.common) or 0.0
            if _problems(claim, passage.words, passage.held, self.common):
                continue
            if best is None or share > best_share:
                best, best_share = passage, share
        if best is not None:
            return [(best.document, best.offset, best.text)]
        ranked = [(_share(claim.words, self._passages[i].words, self.common) or 0.0, self._passages[i])
                  for i in sorted(self._sharing(claim.words))]
        top = [r for r in sorted(ranked, key=lambda r: -r[0]) if r[0] > 0 and len(r[1].text) <= PAIR_PASSAGE_CHARS]
        top = top[:PAIR_CANDIDATES]
        held = {id(passage): figures_held(text, passage.text) for _, passage in top}
        for i, (_, first) in enumerate(top):
            for _, second in top[i + 1:]:
                a, b = held[id(first)], held[id(second)]
                both = f"{first.text}\n{second.text}"
                if (first.document is second.document and a - b and b - a and not unsupported(text, both, self.common)
                        and (shared_share(text, both, self.common) or 0.0) >= PAIR_THRESHOLD):
                    return [(p.document, p.offset, p.text) for p in sorted([first, second], key=lambda p: p.offset)]
        return []

    def cited_text(self, doc: Document, start: int, end: int) -> str:
        """The units of `doc` that hold characters `start` to `end` of its text; for line units, widened to
        the sentence that runs across them (a hard-wrapped e-mail sentence spans several lines; a list item,
        table row or heading stands alone)."""
        spans = self._spans.get(id(doc)) or _unit_spans(doc)
        hit = list(itertools.takewhile(lambda i: spans[i][0] <= max(start, end - 1),
                                       range(bisect.bisect_left(spans, start, key=lambda s: s[1]), len(spans))))
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


MIN_LINE_WORDS = 4
_LIST_MARK = re.compile(r"^(?:[-+\u2022]|\d{1,2}[.)])\s+")


def _line_key(text: str) -> str:
    """`text` as `whole_line` compares it."""
    return _LIST_MARK.sub("", normalise(text).text.strip()).strip(" .,;:!?\"'")


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
    return {w[:5] for w in map(str.casefold, _WORD.findall(text)) if w not in STOPWORDS and w not in SCALES}


_QUOTED_SPEECH = re.compile(r"[\"\u201c\u201e\u00ab\u2018'][^\"\u201d\u201c\u00bb\u2019']{12,}[\"\u201d\u201c\u00bb\u2019']")


def states_facts(text: str) -> bool:
    """The text states a number, an amount, a date or a party's quoted words: a fact whatever its label."""
    return bool(re.search(r"\d", text) or _QUOTED_SPEECH.search(text))


def unsupported(text: str, cited: str, common: frozenset[str] = frozenset()) -> list[str]:
    """Why `cited` does not support `text` (empty when it does): a number or date of the text that
    the cited unit lacks, or too few shared content words (`common` words of the materials left out,
    unless nothing else is left)."""
    return _problems(Claim.of(text), frozenset(content_words(cited)), Held.of(cited), common)


def _problems(claim: Claim, words: frozenset[str], held: Held, common: frozenset[str]) -> list[str]:
    """`unsupported` over what the text states and what the cited text holds, each read once."""
    missing_dates, missing = missing_figures(claim.stated, held)
    problems = [f"the date {date.day:02d}-{date.month:02d} is not in the cited text" for date in missing_dates]
    numbers = claim.stated.numbers
    if missing:
        problems.append(f"the number {missing[0][0]:g} is not in the cited text")
    share = _share(claim.words, words, common, len(numbers) - len(missing), len(numbers))
    if share is not None and share < SUPPORT_THRESHOLD:
        problems.append(f"the cited text shares {share:.0%} of the item's words")
    return problems


def shared_share(text: str, cited: str, common: frozenset[str], numbers_found: int = 0,
                 numbers: int = 0) -> float | None:
    """Share of the text's content words (and numbers) found in `cited`; None for a text without content
    words. Numbers found count as shared words: `NOK 41,2 mill.` = `NOK 41 200 000`."""
    return _share(frozenset(content_words(text)), frozenset(content_words(cited)), common, numbers_found, numbers)


def _share(words: frozenset[str], cited: frozenset[str], common: frozenset[str], numbers_found: int = 0,
           numbers: int = 0) -> float | None:
    words = (words - common) or words
    if not words:
        return None
    return (len(words & cited) + numbers_found) / (len(words) + numbers)


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


def escapes_as_inference(item: Item, stated: str, as_fact: bool) -> bool:
    """An item left unchecked as an inference: labelled one, stating no number, date or quote, and not in
    a section that holds facts by definition (`as_fact`: the deal profile says what the materials say)."""
    return not as_fact and item.kind == "inference" and not states_facts(stated)


def _settled(ev: Evidence, index: SourceIndex) -> tuple[Evidence, str] | tuple[Evidence, None, str]:
    """The evidence found in the sources with the text it cites; a fuzzy match is replaced by the exact span it
    matched, which is then looked up once more as a quote of its own (the evidence is then the materials' words,
    where they first stand). When not found: the evidence with score 0 and why."""
    result = _by_quote(ev, index)
    if not isinstance(result, str) and result[0].match_score < 100.0:
        ev, result = result[0], _by_quote(result[0], index)
    if isinstance(result, str):
        return ev.model_copy(update={"match_score": 0.0}), None, result
    return result


def verify_item(item: Item, index: SourceIndex, where: str, *, as_fact: bool = False) -> list[ReportWarning]:
    """Verify one item in place; the warnings it raises."""
    checked: list[Evidence] = []
    cited: list[str] = []
    item.issues_found = []
    for ev in item.evidence:
        result = _settled(ev, index)
        checked.append(result[0])
        if len(result) == 3:
            item.issues_found.append(result[2])
        else:
            cited.append(result[1])
    item.evidence = checked
    stated = statement(item)
    for number in index.unknown_numbers(stated):
        item.issues_found.append(f"number not found in the materials: {number}")
    all_found = bool(checked) and all(ev.match_score for ev in checked)
    if not checked and escapes_as_inference(item, stated, as_fact):
        item.verification = "inference"
    elif all_found and not item.issues_found:
        reasons = unsupported(stated, "\n".join(cited), index.common)
        item.verification = "weak" if reasons else "verified"
        item.issues_found.extend(reasons)
    else:
        item.verification = "unverified"
    return item_warnings(item, where)


def item_warnings(item: Item, where: str) -> list[ReportWarning]:
    """The warning a checked item raises: the passage found for it is about it but does not say it (`weak`), the
    materials say otherwise (`contradicted`, the passage named), or nothing in them says it (`unverified`)."""
    if item.verification == "weak":
        return [ReportWarning(code="weak", message=f"{where}: {item.text[:90]} \u2014 the passage found does not "
                                                   f"support it: {'; '.join(item.issues_found)}")]
    if item.verification == "contradicted":
        passage = item.evidence[0] if item.evidence else None
        said = (f": \u201c{passage.quote[:WARNING_QUOTE]}\u201d ({passage.document}, {passage.locator})" if passage else "")
        return [ReportWarning(code="contradicted", message=f"{where}: {item.text[:90]} \u2014 the materials say "
                                                           f"otherwise ({'; '.join(item.issues_found)}){said}",
                              document=passage.document if passage else "", locator=passage.locator if passage else "")]
    if item.verification == "unverified":
        why = "; ".join(item.issues_found) or NO_PASSAGE
        return [ReportWarning(code="unverified", message=f"{where}: {item.text[:90]} \u2014 {why}")]
    return []


def recite(item: Item, index: SourceIndex, *, as_fact: bool = False) -> bool:
    """Give a set-apart fact the passage of the materials that supports it, when the model's own
    citation failed but the materials do say it (the evidence is marked `located`). A number found
    nowhere in the materials, or a plain inference, is left as it is. True if the item was re-cited."""
    stated = statement(item)
    if not item.set_apart or escapes_as_inference(item, stated, as_fact) or index.unknown_numbers(stated):
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
    """Share of the model's statements checked as facts (`CHECKED`: not inferences, not lines quoted from our
    notes) that the materials say (None when there are none)."""
    factual = [i for i in items if i.verification in CHECKED]
    if not factual:
        return None
    return round(sum(i.verification == "verified" for i in factual) / len(factual), 3)


def support_with_quoted(items: list[Item]) -> float | None:
    """`support` with the lines quoted from our notes counted as supported statements."""
    factual = [i for i in items if i.verification in CHECKED or i.verification == "quoted"]
    if not factual:
        return None
    return round(sum(i.verification in ("verified", "quoted") for i in factual) / len(factual), 3)


def inference_share(items: list[Item]) -> float | None:
    """Share of checked items that are inferences (a high share hides facts from verification)."""
    checked = [i for i in items if i.verification != "pending"]
    if not checked:
        return None
    return round(sum(i.verification == "inference" for i in checked) / len(checked), 3)
