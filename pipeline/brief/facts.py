"""The typed facts a first page is composed from, read out of the materials by rules: every amount of money
with its currency and period, every dated line with its side, and the newest message of the case.

A small model is then asked only which of these is which (`prompts/brief.md`); the gap, the order of the
deadlines and the staleness of a step are computed here, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.case.authorship import is_internal
from pipeline.case.documents import CaseMaterials, Document
from pipeline.checks.quantities import Date, date_spans, number_readings, NUMBER, strip_dates

CURRENCIES = {
    "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "usd": "USD", "$": "USD", "us$": "USD",
    "gbp": "GBP", "£": "GBP", "nok": "NOK", "sek": "SEK", "dkk": "DKK", "chf": "CHF", "kr": "NOK",
    "kroner": "NOK", "pln": "PLN", "zł": "PLN", "jpy": "JPY", "¥": "JPY", "cad": "CAD", "aud": "AUD",
}
_CURRENCY = "|".join(sorted(map(re.escape, CURRENCIES), key=len, reverse=True))
_BEFORE = re.compile(rf"(?:^|[\s(*_])({_CURRENCY})\s?$", re.IGNORECASE)
_AFTER = re.compile(rf"^\s?({_CURRENCY})(?![\w])", re.IGNORECASE)
PERIODS = {
    "year": r"a year|per year|per annum|p\.?\s?a\.?|/\s?(?:yr|year|år|jahr)|annual(?:ly)?|yearly|each year|every year|"
            r"i året|per år|pr\.? år|årlig(?:t|e)?|om året|pro jahr|im jahr|jährlich|jaehrlich|par an|por año|all year",
    "month": r"a month|per month|/\s?(?:mo|month|mnd|måned|monat)|monthly|i måneden|per måned|pr\.? mnd\.?|månedlig|"
             r"pro monat|im monat|monatlich|par mois|al mes",
    "day": r"a day|per day|/\s?(?:day|dag|døgn|tag)|daily|per dag|per døgn|pr\.? dag|pr\.? døgn|om dagen|i døgnet|daglig|"
           r"pro tag|täglich|par jour|al día",
    "hour": r"an hour|per hour|/\s?(?:h|hr|hour|time|stunde)\b|hourly|per time|pr\.? time|pro stunde|par heure",
}
_PERIOD = {name: re.compile(rf"^[\s,.)*]*(?:\S+\s+){{0,4}}?(?:{pattern})(?![\w])", re.IGNORECASE)
           for name, pattern in PERIODS.items()}
_PERIOD_BEFORE = {name: re.compile(rf"(?<![\w])(?:{pattern})(?![\w])[^.;:]*$", re.IGNORECASE)
                  for name, pattern in PERIODS.items()}
PERIOD_WORDS = {"en": {"year": "a year", "month": "a month", "day": "a day", "hour": "an hour", "": ""},
                "no": {"year": "per år", "month": "per måned", "day": "per dag", "hour": "per time", "": ""},
                "de": {"year": "pro Jahr", "month": "pro Monat", "day": "pro Tag", "hour": "pro Stunde", "": ""}}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "en": 1, "ett": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7, "syv": 7,
                "åtte": 8, "ni": 9, "ti": 10, "ein": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
                "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10}
DURATION = re.compile(r"(?<![\w.,])(\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
                      + r")[\s-]?(years?|år|jahre?n?)(?![\w])", re.IGNORECASE)
ENDS = (".", "!", "?", ":")
"""How a line that ends its sentence ends."""
HEADER = re.compile(r"^\s*(?:\*\*)?(?:date|sent|dato|sendt|datum|gesendt|fecha|enviado|envoyé|le|written by|prepared by|"
                    r"skrevet av|utarbeidet av|referent|verfasst von|erstellt von)\s*:?(?:\*\*)?\s*:?\s*(.+)$",
                    re.IGNORECASE)
UNIT = re.compile(r"^\s*(?:per|/|pr\.?|pro|je|par)\s*((?:sq\.?\s?(?:ft|m)|square (?:foot|feet|metre|meter)s?|m2|m²|kvm)|"
                  r"[^\W\d_][\w-]*)", re.IGNORECASE)
"""What an amount is counted per, right after it (`per sq ft`, `/bed`, `pro Stück`)."""
SENDER = re.compile(r"^\s*(?:from|fra|von|de|da)\s*:\s*(.+)$", re.IGNORECASE)
SUBJECT = re.compile(r"^\s*(?:subject|emne|betreff|objet|asunto|oggetto)\s*:\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """A line of the materials: its document, locator and text."""

    document: str
    locator: str
    text: str


@dataclass(frozen=True)
class Money:
    """An amount of money as written (`EUR 7.6 million`), its value, currency and period ('' when none is said),
    and what it is counted per when that is not time (`sq ft`, `bed`, `transaction`)."""

    written: str
    value: float
    currency: str
    period: str
    source: Source
    also: tuple[Source, ...] = ()
    """The other lines that write the same amount."""
    unit: str = ""


@dataclass(frozen=True)
class Dated:
    """A date as written, the date, and the line it is on; `ours` when the line is in our side's own notes."""

    written: str
    date: Date
    source: Source
    ours: bool
    also: tuple[Source, ...] = ()
    """The other lines that write the same day."""


@dataclass(frozen=True)
class Duration:
    """A length of time in years as written (`7 years`, `tre år`), and the line it is on."""

    written: str
    years: int
    source: Source


@dataclass(frozen=True)
class Message:
    """A dated message or document of the case: its date, sender and subject as written, and its lines."""

    date: Date
    written: str
    sender: str
    subject: str
    source: Source
    body: tuple[str, ...] = field(default=())
    ours: bool = False
    lines: tuple[Source, ...] = ()
    """The body's lines with their locators."""

    @property
    def places(self) -> frozenset[tuple[str, str]]:
        """(document, locator) of its header and each of its lines: where a fact stands in this message."""
        return frozenset((s.document, s.locator) for s in (self.source, *self.lines))


def _lines(doc: Document):
    for unit in doc.units:
        for line in unit.text.splitlines() or [unit.text]:
            if line.strip():
                yield unit.locator, line


def money_in(case: CaseMaterials) -> list[Money]:
    """Every amount of money the materials write with a currency, the first line of each value in each document, in
    the materials' order; a period said next to it (`a year`, `per dag`, `pro Monat`) read with it, and what else it
    is counted per (`per sq ft`)."""
    found: dict[tuple[str, str, float, str], Money] = {}
    for doc in case.documents:
        for locator, line in _lines(doc):
            plain = strip_dates(line)
            for match in NUMBER.finditer(plain):
                before, after = plain[:match.start()], plain[match.end():]
                currency = _BEFORE.search(before[-6:]) or _AFTER.match(after)
                if not currency:
                    continue
                readings = number_readings(match.group(0))[0]
                value = max(readings)
                upper = _range_end(after) if currency.re is _BEFORE and len(readings) == 1 else None
                if upper is not None:  # "EUR 0.8–1.2m": the range's scale holds for both ends, each an amount
                    (low, high), end_match = upper
                    value = readings[0] * high / low
                code = CURRENCIES[currency.group(1).lower()]
                rest = after[currency.end():] if currency.re is _AFTER else after
                period = next((name for name, pattern in _PERIOD.items() if pattern.match(rest[:40])), "") or next(
                    (name for name, pattern in _PERIOD_BEFORE.items() if pattern.search(before[-60:])), "")
                start = match.start() - (len(before) - before.rfind(currency.group(1))) if currency.re is _BEFORE else match.start()
                end = match.end() + (currency.end() if currency.re is _AFTER else 0)
                written = plain[max(0, start):end].strip(" (*_").rstrip(".")
                unit = UNIT.match(rest[:30])
                unit = "" if unit is None or any(p.match(rest[:40]) for p in _PERIOD.values()) else unit.group(1).lower()
                if upper is not None:
                    written = plain[max(0, start):match.end() + end_match].strip(" (*_").rstrip(".")
                for amount in [value] + ([upper[0][1]] if upper is not None else []):
                    key = (doc.name, code, round(amount, 2), period)
                    if key not in found:
                        found[key] = Money(written, amount, code, period, Source(doc.name, locator, line.strip()),
                                           unit=unit)
    return list(found.values())


_RANGE = re.compile(r"^\s?(?:–|—|-|to|til|bis)\s?(?=\d)", re.IGNORECASE)


def _range_end(after: str) -> tuple[tuple[float, float], int] | None:
    """The scaled upper end of a range written after a bare number ("–1.2m" after "EUR 0.8"): (its number without and
    with the scale, where it ends in `after`), or None when no scaled number follows."""
    dash = _RANGE.match(after)
    if dash is None:
        return None
    number = NUMBER.match(after, dash.end())
    readings = number_readings(number.group(0))[0] if number else ()
    return ((readings[0], readings[1]), number.end()) if len(readings) == 2 else None


def durations(case: CaseMaterials) -> list[Duration]:
    """Every length of time in years the materials write, once per length, in the materials' order."""
    found: dict[int, Duration] = {}
    for doc in case.documents:
        for locator, line in _lines(doc):
            for written, years in years_in(line):
                if years not in found:
                    found[years] = Duration(written, years, Source(doc.name, locator, line.strip()))
    return list(found.values())


def years_in(line: str) -> list[tuple[str, int]]:
    """The lengths of time in years (2 to 30) written on `line`, as written and in years."""
    found = []
    for match in DURATION.finditer(line):
        number = match.group(1).lower()
        years = int(number) if number.isdigit() else NUMBER_WORDS[number]
        if 1 < years <= 30:
            found.append((match.group(0), years))
    return found


def _dated(doc: Document) -> list[tuple[str, str, list[tuple[int, int, Date]]]]:
    """Each line of `doc` with its locator and where its dates are written."""
    return [(locator, line, date_spans(line)) for locator, line in _lines(doc)]


def dated_lines(case: CaseMaterials, years: dict[str, int | None] | None = None,
                dated: list[list] | None = None) -> list[Dated]:
    """Every full date (day, month and year, the year taken from the document where a line leaves it out) with its
    line, in the materials' order; a date without a year is taken only when its month is named. `years`: each
    document's year, when already read (`_document_year`); `dated`: each document's lines with their dates, in the
    documents' order, when already read (`_dated`)."""
    found = []
    for k, doc in enumerate(case.documents):
        ours = is_internal(doc)
        lines = dated[k] if dated is not None else _dated(doc)
        year = years[doc.name] if years is not None else _document_year(lines)
        for locator, line, spans in lines:
            for start, end, date in spans:
                written = line[start:end].rstrip(".") if line[start:end].rstrip(".")[-1:].isalnum() else line[start:end]
                if not (date.year or re.search(r"[^\W\d_]", written)):
                    continue  # "18.4." may be a clause as well as a day: a date needs its month's name or a year
                date = date if date.year else Date(date.month, date.day, year)
                if date.year:
                    found.append(Dated(written, date, Source(doc.name, locator, line.strip()), ours))
    return found


def _document_year(lines: list[tuple[str, str, list[tuple[int, int, Date]]]]) -> int | None:
    """The year a document's dated lines (`_dated`) write most."""
    years = [d.year for _, _, spans in lines for _, _, d in spans if d.year]
    return max(set(years), key=years.count) if years else None


def key(date: Date) -> tuple[int, int, int]:
    return (date.year or 0, date.month, date.day)


def messages(case: CaseMaterials, years: dict[str, int | None] | None = None) -> list[Message]:
    """The case's messages and dated documents, oldest first: each e-mail of a thread (its `Date:`/`Sent:` line,
    sender and subject) and each document whose head gives its date; with the lines that follow the header.
    `years`: each document's year, when already read (`_document_year`)."""
    found: list[Message] = []
    for doc in case.documents:
        lines = list(_lines(doc))
        year = years[doc.name] if years is not None else _document_year(_dated(doc))
        starts = []
        for index, (locator, line) in enumerate(lines):
            header = HEADER.match(line)
            if header and (spans := date_spans(header.group(1))):
                date = spans[0][2] if spans[0][2].year else Date(spans[0][2].month, spans[0][2].day, year)
                if date.year:
                    starts.append((index, date, header.group(1)[spans[0][0]:spans[0][1]]))
        if not starts and doc.metadata.get("date"):
            if spans := date_spans(doc.metadata["date"]):
                starts.append((0, spans[0][2], doc.metadata["date"]))
        for n, (index, date, written) in enumerate(starts):
            end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
            block = lines[max(0, index - 4):end]
            sender = next((m.group(1).strip() for _, l in block[:10] if (m := SENDER.match(l))), doc.metadata.get("from", ""))
            subject = next((m.group(1).strip() for _, l in block[:10] if (m := SUBJECT.match(l))), doc.metadata.get("subject", ""))
            kept = [(loc, l.strip()) for loc, l in lines[index + 1:end]
                    if not (SENDER.match(l) or SUBJECT.match(l) or HEADER.match(l) or re.match(r"^\s*(to|cc|til|an|kopi)\s*:", l, re.I))]
            found.append(Message(date, written, sender, subject, Source(doc.name, lines[index][0], lines[index][1].strip()),
                                 tuple(l for _, l in kept), is_internal(doc), tuple(Source(doc.name, loc, l) for loc, l in kept)))
    return sorted(found, key=lambda m: key(m.date))




def _prose(line: str) -> bool:
    """A line of running text: no heading, list item, table row, quote or `Label: value` field."""
    return bool(re.match(r"[\w\"'“«(]", line)) and not re.match(r"(?:[^\W\d][\w ]{0,30}:\s|\d+[.)]\s)", line)


def paragraph_of(source: Source, messages: Sequence[Message]) -> str:
    """`source`'s line with the lines of its message it runs on from or into (an e-mail's wrapped sentence);
    the line alone outside a message."""
    for message in messages:
        if source in message.lines:
            lines = [s.text.strip() for s in message.lines]
            at = start = end = message.lines.index(source)
            if not _prose(lines[at]):
                break
            while start > 0 and at - start < 2 and _prose(lines[start - 1]) and not lines[start - 1].endswith(ENDS):
                start -= 1
            while end + 1 < len(lines) and end - at < 2 and _prose(lines[end + 1]) and not lines[end].endswith(ENDS):
                end += 1
            return " ".join(lines[start:end + 1])
    return source.text


@dataclass(frozen=True)
class CaseFacts:
    """The case's amounts, dated lines, messages and lengths of time, read once per run (`RunResources.case_facts`)."""

    money: tuple[Money, ...]
    dated: tuple[Dated, ...]
    messages: tuple[Message, ...]
    durations: tuple[Duration, ...] = ()

    @classmethod
    def of(cls, case: CaseMaterials) -> CaseFacts:
        dated = [_dated(doc) for doc in case.documents]  # each document's dates read once
        years = {doc.name: _document_year(lines) for doc, lines in zip(case.documents, dated)}
        return cls(tuple(money_in(case)), tuple(dated_lines(case, years, dated)), tuple(messages(case, years)),
                   tuple(durations(case)))

    @property
    def newest(self) -> Message | None:
        """The newest message or dated document (the last of the latest day, in the materials' order)."""
        return self.messages[-1] if self.messages else None

    @property
    def upcoming(self) -> list[Dated]:
        """The dated lines from the newest message's day on (what lies ahead), a message's own date left out."""
        newest = self.newest
        return [d for d in self.dated if (newest is None or key(d.date) >= key(newest.date))
                and not HEADER.match(d.source.text)]
