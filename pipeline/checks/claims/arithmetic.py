"""Derived figures: a number of a statement that no passage writes, but that two figures of the passages
make by a difference, a sum, a product or a share, when the statement's words name that operation
(`exceeds ... by`, `in total`, `over the 7-year term`, `3% of`, `with the 6% discount`)."""

from __future__ import annotations

from itertools import permutations

import re

from pipeline.checks.claims.lexicon import classes, pattern
from pipeline.checks.quantities import number_readings, strip_dates

CLOSE = 0.002
"""Relative gap within which a computed figure equals the statement's."""
ABOUT = 0.03
"""The same, for a figure the statement gives as approximate (`about`, `roughly`)."""


def value(readings: tuple[float, ...]) -> float:
    """The reading of a written number read at its full scale (`2.4 million`, `4,800`)."""
    return max(readings)


def figures(text: str) -> list[float]:
    return [value(r) for r in number_readings(strip_dates(text))]


def derivation(statement: str, target: float, operands: list[float]) -> str:
    """How `target` follows from two of `operands` by an operation the statement names ("" when it does
    not). The statement's own other numbers count as operands (a term in years, a count of items)."""
    approximate = pattern("APPROXIMATE").search(statement) is not None
    tolerance = ABOUT if approximate else CLOSE
    own = [v for v in figures(statement) if abs(v - target) > tolerance * abs(target)]
    pool = sorted({round(v, 6) for v in operands + own if v})
    cues = {name for name in ("DIFFERENCE", "TOTAL", "SHARE") if pattern(name).search(statement)}
    percent = [v for v in own if v < 100]

    def close(x: float) -> bool:
        return abs(x - target) <= tolerance * abs(target)

    order = [v for v in figures(statement)]
    way = _way(statement, target)

    for a, b in permutations(pool, 2):
        if "DIFFERENCE" in cues and close(a - b):
            if way and a in order and b in order and (order.index(a) < order.index(b)) != (way == "more"):
                continue  # `X is T below Y` where X is the larger: the other way round
            return f"{_show(a)} - {_show(b)}"
        if "TOTAL" in cues and (close(a + b) or close(a * b)):
            return f"{_show(a)} {'+' if close(a + b) else 'x'} {_show(b)}"
    if "SHARE" in cues:
        for a, b in permutations(pool, 2):
            if target < 100 and a < b and close(100 * a / b):
                return f"{_show(a)} / {_show(b)}"
        for a in pool:
            for p in percent:
                for factor, sign in ((p / 100, "x"), (1 - p / 100, "x (1 -"), (1 + p / 100, "x (1 +")):
                    if close(a * factor):
                        return f"{_show(a)} {sign} {p:g}%{')' if sign != 'x' else ''}"
    return ""


_AFTER = {"more": re.compile(r"(?i)^\W*(?:[A-Z]{3}\s+)?(?:a year\s+|pro jahr\s+|per år\s+)?(?:over|above|über|more|mehr|mer|higher|höher|høyere)\b"),
          "less": re.compile(r"(?i)^\W*(?:[A-Z]{3}\s+)?(?:a year\s+|pro jahr\s+|per år\s+)?(?:under|below|unter|less|weniger|mindre|lower|niedriger|lavere)\b")}


def _way(statement: str, target: float) -> str:
    """Which way the statement compares the first of its other figures with the second (`more`, `less`, "" when
    it does not say): by a comparison it names (`exceeds`, `below`), or the word right after the derived figure
    (`EUR 40.000 über unserem Budget`)."""
    found = {name for name, pat in classes("DIRECTION").items() if pat.search(statement)}
    plain = strip_dates(statement)
    for m in re.finditer(r"\d[\d.,\s]*\d|\d", plain):
        readings = number_readings(m.group())
        if readings and any(abs(v - target) <= CLOSE * abs(target) for v in readings[0]):
            rest = plain[m.end():]
            rest = re.sub(r"^\s*(?:million|mio\.?|millionen|millioner|m|k|bn)\b", "", rest, flags=re.IGNORECASE)
            found |= {name for name, pat in _AFTER.items() if pat.search(rest)}
    return found.pop() if len(found) == 1 else ""


def _show(v: float) -> str:
    return f"{v:,.0f}" if v >= 10_000 else f"{v:g}"
