"""The words the claim checker reads meaning from, one data module per language.

Each module defines the same names; every entry is a regular expression matched as whole words
(case-insensitive). The checker uses the union of all languages: a brief in English may be checked against
Norwegian materials.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.checks.claims.lexicon import de, en, nb

LANGUAGES = (en, nb, de)
STEMMERS = {"en": "english", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "da": "danish",
            "sv": "swedish", "de": "german", "nl": "dutch", "fr": "french", "es": "spanish", "it": "italian",
            "pt": "portuguese", "fi": "finnish", "pl": "polish"}
"""Snowball stemmer per ISO 639-1 code (English when the language is unknown)."""
LISTS = ("NEGATION", "DEADLINE", "NOT_UNTIL", "SUGGESTING", "ANSWER", "KNOWN", "APPROXIMATE", "DIFFERENCE", "TOTAL", "SHARE", "UNCERTAIN", "PENDING", "COMPLETED", "FIRST_PERSON", "SECOND_PERSON", "REPORTING",
         "UNLESS", "BOUND",
         "PEOPLE_HEADERS", "TITLES")
GROUPS = ("VERBS", "ROLES", "PERIODS", "TIMING", "DIRECTION", "DEGREE", "POLES", "ROLE_LABELS")


def _compile(patterns: list[str]) -> re.Pattern[str]:
    """The patterns as one, a space in a phrase matching any run of spaces and line breaks (`not\nexceed`)."""
    return re.compile(r"(?<![\w])(?:" + "|".join(p.replace(" ", r"\s+") for p in patterns) + r")(?![\w])",
                      re.IGNORECASE)


@lru_cache(maxsize=None)
def pattern(name: str) -> re.Pattern[str]:
    """One list of every language as a pattern."""
    return _compile([p for lang in LANGUAGES for p in getattr(lang, name)])


@lru_cache(maxsize=None)
def classes(group: str) -> dict[str, re.Pattern[str]]:
    """A group's classes (e.g. VERBS: request, offer ...) of every language, each as a pattern."""
    merged: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for name, patterns in getattr(lang, group).items():
            merged.setdefault(name, []).extend(patterns)
    return {name: _compile(patterns) for name, patterns in merged.items()}


def found(group: str, text: str) -> set[str]:
    """The classes of `group` that `text` holds (a match of the class's pattern). A text whose characters each
    lowercase to the one character its case-insensitive match is (`_case_safe`) is read lowercased by patterns
    without the case-insensitive flag, which the regular expression engine runs several times faster."""
    if _CASE_UNSAFE.search(text) is None:
        lowered = text.lower()
        return {name for name, pat in _lowercase_classes(group).items() if pat.search(lowered)}
    return {name for name, pat in classes(group).items() if pat.search(text)}


@lru_cache(maxsize=None)
def _lowercase_classes(group: str) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(pat.pattern) for name, pat in classes(group).items()}


def _case_safe() -> str:
    """The characters `c` (ASCII and the common letters and marks of the lexicon's languages) for which, against
    every letter the lexicon writes, `c` matches case-insensitively exactly when `c.lower()` matches as written,
    and `c.lower()` is one character of the same word, space and digit classes."""
    letters = {c for lang in LANGUAGES for name in GROUPS for patterns in getattr(lang, name).values()
               for p in patterns for c in p if c.isalpha()}
    assert all(c == c.lower() for c in letters), "the lexicon is written in lower case"
    candidates = [chr(i) for i in range(128)] + list("æøåäöüßéèêàáâíìóòôúùûñçëïÆØÅÄÖÜÉÈÀÁÍÓÚÑÇ"
                                                       "–—‘’‚“”„…€£§°²³½¼¾×·•«»\u00a0\u202f\u2009")
    safe = []
    for c in candidates:
        low = c.lower()
        if len(low) != 1 or any(bool(re.fullmatch(kind, c)) != bool(re.fullmatch(kind, low))
                                for kind in (r"\w", r"\s", r"\d")):
            continue
        if all(bool(re.fullmatch(re.escape(letter), c, re.IGNORECASE)) == (low == letter) for letter in letters):
            safe.append(c)
    return "".join(safe)


_CASE_UNSAFE = re.compile(f"[^{re.escape(_case_safe())}]")


def synonyms() -> list[tuple[str, ...]]:
    """The groups of words that say the same thing, of every language."""
    return [group for lang in LANGUAGES for group in lang.SYNONYMS]


@lru_cache(maxsize=None)
def number_words() -> dict[str, int]:
    """Written numbers of every language (`seven`, `sju`, `sieben`) and their value."""
    return {word: value for lang in LANGUAGES for word, value in lang.NUMBER_WORDS.items()}


OPPOSED = frozenset({("ceiling", "floor"), ("approve", "refuse"), ("discount", "increase"), ("offer", "refuse"),
                     ("give", "receive"), ("early", "late"), ("more", "less"),
                     ("high", "low"), ("included", "excluded"), ("rising", "falling"), ("fixed", "variable"),
                     ("allowed", "forbidden"), ("buying", "selling")})
"""Pairs of classes that contradict each other (a ceiling is not a minimum; accepted is not refused)."""


def opposed(a: set[str], b: set[str]) -> tuple[str, str] | None:
    """A class of `a` and one of `b` that contradict each other, if any."""
    for x in a:
        for y in b:
            if (x, y) in OPPOSED or (y, x) in OPPOSED:
                return x, y
    return None
