"""Numbers and dates read out of free text, whatever their format or language.

`2.58M`, `2 580 000`, `EUR 2,58 mill.` and `2.580.000` are all 2,580,000; `31 March 2026`,
`31. mars`, `31.03.2026` and `2026-03-31` are all the 31st of March. Used to compare what
a report says with what a source or an answer key says.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.memo import per_run

SCALES = {
    "k": 1e3, "thousand": 1e3, "tusen": 1e3, "tausend": 1e3, "tusind": 1e3, "mille": 1e3, "tsd": 1e3,
    "m": 1e6, "mn": 1e6, "mio": 1e6, "mill": 1e6, "million": 1e6, "millions": 1e6,
    "millioner": 1e6, "millionen": 1e6, "miljoner": 1e6, "miljon": 1e6, "millió": 1e6, "millón": 1e6,
    "millones": 1e6, "milioni": 1e6, "milione": 1e6, "mln": 1e6,
    "bn": 1e9, "b": 1e9, "billion": 1e9, "billions": 1e9, "mrd": 1e9, "milliard": 1e9,
    "milliarder": 1e9, "milliarden": 1e9, "miljarder": 1e9, "miljard": 1e9, "milliards": 1e9, "mld": 1e9,
}
_SCALE_WORDS = "|".join(sorted(map(re.escape, SCALES), key=len, reverse=True))
_LETTERS = {"k", "m", "b"}  # single-letter scales count only attached to the number: 2.4m, not "18 m"
# A number: digits with optional thousands groups (space, dot, comma, apostrophe, thin space) and decimals.
NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:(?:[ \u00a0\u202f',.])\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    rf"(?:\s?({_SCALE_WORDS})\.?(?![\w]))?",
    re.IGNORECASE,
)

MONTHS = {
    # English, Norwegian/Danish/Swedish, German, French, Spanish, Italian, Dutch; abbreviations are prefixes.
    1: ("january", "januar", "januari", "jänner", "janvier", "enero", "gennaio", "janeiro"),
    2: ("february", "februar", "februari", "février", "fevrier", "febrero", "febbraio"),
    3: ("march", "mars", "märz", "maart", "marzo", "mar"),
    4: ("april", "aprile", "avril", "abril", "avr"),
    5: ("may", "mai", "maj", "mei", "mayo", "maggio"),
    6: ("june", "juni", "juin", "junio", "giugno"),
    7: ("july", "juli", "juillet", "julio", "luglio", "juil"),
    8: ("august", "augusti", "août", "aout", "agosto"),
    9: ("september", "septembre", "septiembre", "settembre", "sept"),
    10: ("october", "oktober", "octobre", "octubre", "ottobre", "okt"),
    11: ("november", "novembre", "noviembre"),
    12: ("december", "desember", "dezember", "décembre", "diciembre", "dicembre", "des", "dez", "déc"),
}
_MONTH_OF = {name: month for month, names in MONTHS.items() for name in names}


def _prefixes() -> dict[str, int]:
    """Every prefix of three letters or more of a month's name, with the month of the first name it begins."""
    found: dict[str, int] = {}
    for name, month in _MONTH_OF.items():
        for end in range(3, len(name) + 1):
            found.setdefault(name[:end], month)
    return found


_MONTH_PREFIX = _prefixes()
_DIGIT = re.compile(r"\d")
_MONTH = r"(?P<mon>[^\W\d_]{3,10})\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DATES = [
    re.compile(rf"\b{_YEAR}-(?P<m>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(rf"\b(?P<day>[0-3]?\d)[./](?P<m>[01]?\d)(?:[./]{_YEAR}|\.(?!\d))"),
    re.compile(rf"\b{_DAY}\s*(?:de\s+|of\s+)?{_MONTH}(?:,?\s*(?:de\s+)?{_YEAR})?", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s*{_YEAR})?", re.IGNORECASE),
]


@dataclass(frozen=True)
class Date:
    month: int
    day: int
    year: int | None = None

    def same_day(self, other: Date) -> bool:
        """Same day and month; the years must agree only when both are given."""
        return (self.month, self.day) == (other.month, other.day) and (
            self.year is None or other.year is None or self.year == other.year)


def _readings(raw: str) -> tuple[float, ...]:
    """The values a written number can mean: '2,400,000' -> 2400000; '6,2' -> 6.2; '1 234,5' -> 1234.5;
    '2.400' -> both 2400 and 2.4 (thousands group or decimals: the text does not say which)."""
    raw = re.sub(r"[ \u00a0\u202f']", "", raw)
    marks = [c for c in raw if c in ".,"]
    if not marks:
        return (float(raw),)
    if len(set(marks)) == 2:  # the last mark is the decimal one, the others group thousands
        last = max(raw.rfind("."), raw.rfind(","))
        return (float(re.sub(r"[.,]", "", raw[:last]) + "." + raw[last + 1:]),)
    if len(marks) > 1:
        return (float(re.sub(r"[.,]", "", raw)),)
    whole, frac = re.split(r"[.,]", raw)
    decimal = float(f"{whole}.{frac}")
    if len(frac) == 3 and whole != "0":
        return (float(whole + frac), decimal)
    return (decimal,)


@per_run
def number_readings(text: str) -> list[tuple[float, ...]]:
    """Per number written in `text`, every value it can be read as, scale words applied
    (`2.4 million` -> (2.4, 2400000.0)); read once per run (the list is shared: never change it)."""
    found = []
    for match in NUMBER.finditer(text):
        readings = _readings(match.group(1))
        word = (match.group(2) or "").lower()
        if word and not (word in _LETTERS and match.group(0)[len(match.group(1))].isspace()):
            readings += tuple(r * SCALES[word] for r in readings)
        found.append(readings)
    return found


def numbers_in(text: str) -> list[float]:
    """Every value a number in `text` can be read as."""
    return [value for readings in number_readings(text) for value in readings]


def same_number(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


_MONTH_START = re.compile("|".join(sorted({name[:3] for name in _MONTH_PREFIX})))
"""The first three letters of every month name and abbreviation (lowercase): a text without them names no month."""


def date_matches(text: str):
    """Each date written in `text` (its match) with its month number."""
    if not _DIGIT.search(text):  # every date is written with digits
        return
    named = _MONTH_START.search(text.lower()) is not None  # lowercasing keeps a month name's letters in place
    needed = ("-" in text, "." in text or "/" in text, named, named)  # what a date of each pattern holds
    for pattern, possible in zip(_DATES, needed):
        if not possible:
            continue
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = _month_number(groups["mon"]) if groups.get("mon") else int(groups["m"])
            if month and 1 <= month <= 12 and 1 <= int(groups["day"]) <= 31:
                yield match, month


@per_run
def _dates_read(text: str) -> tuple[tuple[re.Match, Date], ...]:
    """Each date of `text` (its match and the date), read once per run."""
    return tuple((m, Date(month, int(m["day"]), int(m["year"]) if m.groupdict().get("year") else None))
            for m, month in date_matches(text))


def _blanked(text: str, spans: list[re.Match]) -> str:
    for match in spans:
        text = text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]
    return text


def strip_dates(text: str, keep: Callable[[Date], bool] | None = None) -> str:
    """`text` with its dates blanked out (those `keep` accepts stay), so their digits are not read as amounts."""
    return _blanked(text, [m for m, date in _dates_read(text) if keep is None or not keep(date)])


def dates_in(text: str) -> list[Date]:
    """Every calendar date in `text` (day and month, with the year when written)."""
    return [date for _, date in _dates_read(text)]


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 0,
             "første": 1, "andre": 2, "tredje": 3, "fjerde": 4, "siste": 0, "ersten": 1, "erste": 1, "zweiten": 2,
             "zweite": 2, "dritten": 3, "dritte": 3, "vierten": 4, "vierte": 4, "letzten": 0, "1.": 1, "2.": 2,
             "3.": 3, "4.": 4}
_ORDINAL = r"(?P<ord>first|1st|second|2nd|third|3rd|fourth|4th|last|første|andre|tredje|fjerde|siste|erste[n]?|" \
           r"zweite[n]?|dritte[n]?|vierte[n]?|letzten|[1-4]\.)"
_PARTS = [
    ("quarter", re.compile(rf"(?i)\bQ(?P<n>[1-4])\s*(?:of\s+|/\s*|-\s*)?{_YEAR}")),
    ("quarter", re.compile(rf"(?i)\b{_YEAR}\s*[-/]?\s*Q(?P<n>[1-4])\b")),
    ("quarter", re.compile(rf"(?i)\b{_ORDINAL}\s*(?:quarter|kvartal|quartal)\s+"
                           rf"(?:of\s+|des\s+(?:jahres\s+)?)?{_YEAR}")),
    ("half", re.compile(rf"(?i)\bH(?P<n>[12])\s*(?:of\s+|/\s*|-\s*)?{_YEAR}")),
    ("half", re.compile(rf"(?i)\b{_ORDINAL}\s*(?:half|halvår|halbjahr)\s+(?:of\s+|des\s+(?:jahres\s+)?)?{_YEAR}")),
    ("month", re.compile(rf"(?i)(?<![\d.]\s)(?<![\d.])\b{_MONTH}\s+(?:of\s+)?{_YEAR}")),
]


def year_parts(text: str) -> set[tuple[str, int, int | None]]:
    """The parts of a year `text` names without a day: (`month`, 2, 2027) for `Ende Februar 2027`, (`quarter`, 4,
    2026) for `Q4 2026`, (`half`, 2, 2026) for `the second half of 2026`; the months of its full dates too (a year
    of None: the date gives none). A lowercase `may` is a verb."""
    found = {("month", d.month, d.year) for d in dates_in(text)}
    rest = strip_dates(text)
    for kind, regex in _PARTS:
        for m in regex.finditer(rest):
            groups = m.groupdict()
            if kind == "month":
                number = _month_number(groups["mon"]) if groups["mon"] != "may" else 0
            elif groups.get("n"):
                number = int(groups["n"])
            else:
                number = _ORDINALS.get(groups["ord"].lower(), 0) or (4 if kind == "quarter" else 2)
            if number:
                found.add((kind, number, int(groups["year"])))
    return found


def part_within(part: tuple[str, int, int | None], other: tuple[str, int, int | None]) -> bool:
    """`part` of a year lies within `other` (a month in its quarter or half, a quarter in its half), or is it."""
    if None not in (part[2], other[2]) and part[2] != other[2]:
        return False
    months = {"month": 1, "quarter": 3, "half": 6}
    first = (part[1] - 1) * months[part[0]] + 1
    start = (other[1] - 1) * months[other[0]] + 1
    return months[part[0]] <= months[other[0]] and start <= first < start + months[other[0]]


def _month_number(word: str) -> int:
    """1-12 for a month's name or an abbreviation of at least three letters of it; 0 otherwise."""
    word = word.lower().rstrip(".")
    return _MONTH_OF.get(word) or _MONTH_PREFIX.get(word, 0)


def parse_date(value: str) -> Date:
    """A key's date: `2026-03-31` or `03-31` (any year)."""
    match = re.fullmatch(r"(?:(\d{4})-)?(\d{1,2})-(\d{1,2})", str(value).strip())
    if not match or not (1 <= int(match[2]) <= 12 and 1 <= int(match[3]) <= 31):
        raise ValueError(f"a date is YYYY-MM-DD or MM-DD, not {value!r}")
    return Date(int(match[2]), int(match[3]), int(match[1]) if match[1] else None)


@dataclass(frozen=True)
class Stated:
    """The dates of a text and its numbers (each as its readings, dates blanked out first), read once."""

    dates: tuple[Date, ...]
    numbers: tuple[tuple[float, ...], ...]

    @classmethod
    def of(cls, text: str) -> Stated:
        read = _dates_read(text)
        return cls(tuple(d for _, d in read), tuple(number_readings(_blanked(text, [m for m, _ in read]))))


@dataclass(frozen=True)
class Held:
    """What a text holds to check another against: its dates, and every number it can be read as (a day or
    year of one of its dates counts as a number), read once."""

    dates: tuple[Date, ...]
    numbers: tuple[float, ...]

    @classmethod
    def of(cls, text: str) -> Held:
        read = _dates_read(text)
        dates = [d for _, d in read]
        return cls(tuple(dates), tuple(numbers_in(_blanked(text, [m for m, _ in read])) + [d.day for d in dates]
                                      + [d.year for d in dates if d.year]))


class FigureIndex:
    """Which of a list of texts (each as what it `Held`) hold a day of the year or a number, found without
    reading them all."""

    def __init__(self, held: list[Held]):
        self._by_day: dict[tuple[int, int], list[int]] = {}
        numbers: set[tuple[float, int]] = set()
        for i, figures in enumerate(held):
            for day in dict.fromkeys((d.month, d.day) for d in figures.dates):
                self._by_day.setdefault(day, []).append(i)
            numbers.update((v, i) for v in figures.numbers)
        self._numbers = sorted(numbers)

    def with_day(self, date: Date) -> list[int]:
        """The texts holding a date on `date`'s day and month (any year), in order."""
        return self._by_day.get((date.month, date.day), [])

    def holding(self, value: float) -> set[int]:
        """The texts that hold a number `same_number` as `value`."""
        slack = abs(value) * 2e-6 + 1e-9  # wider than `same_number`'s tolerance, which checks each
        lo = bisect.bisect_left(self._numbers, (value - slack, -1))
        found = set()
        for v, i in self._numbers[lo:]:
            if v > value + slack:
                break
            if same_number(v, value):
                found.add(i)
        return found

    def sharing(self, stated: Stated) -> set[int]:
        """The texts holding at least one of the dates or numbers of `stated` (by `missing_figures`' rule)."""
        found = {i for date in stated.dates for i in self.with_day(date)}
        for readings in stated.numbers:
            for value in readings:
                found |= self.holding(value)
        return found


def missing_figures(stated: Stated, held: Held) -> tuple[list[Date], list[tuple[float, ...]]]:
    """The dates and numbers of `stated` that `held` lacks."""
    dates = [d for d in stated.dates if not any(d.same_day(o) for o in held.dates)]
    numbers = [r for r in stated.numbers if not any(same_number(v, o) for v in r for o in held.numbers)]
    return dates, numbers


def missing_quantities(text: str, other: str) -> tuple[list[Date], list[tuple[float, ...]]]:
    """The dates of `text` that `other` lacks, and the numbers of `text` (each as its readings) that `other`
    lacks, in whatever format; a day or year of a date in `other` counts as a number there."""
    return missing_figures(Stated.of(text), Held.of(other))


def same_quantities(a: str, b: str) -> bool:
    """`a` and `b` state the same dates and numbers, each in its own format (a rewording kept the facts)."""
    return not any(missing_quantities(a, b)) and not any(missing_quantities(b, a))


def number_spans(text: str) -> list[tuple[int, int, tuple[float, ...]]]:
    """Where each number of `text` is written (dates blanked first) and every value it can be read as."""
    found = []
    for match in NUMBER.finditer(strip_dates(text)):
        found.append((match.start(), match.end(), number_readings(match.group(0))[0]))
    return found


def date_spans(text: str) -> list[tuple[int, int, Date]]:
    """Where each calendar date of `text` is written, and the date."""
    return [(m.start(), m.end(), Date(month, int(m["day"]), int(m["year"]) if m.groupdict().get("year") else None))
            for m, month in date_matches(text)]
