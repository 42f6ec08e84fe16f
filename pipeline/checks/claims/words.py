"""Content words as Snowball stems: `offered`/`offer`, `prisen`/`pris` match; `excluding`/`exclusivity` do not."""

from __future__ import annotations

import math
import re

import Stemmer

from pipeline.checks.claims.lexicon import STEMMERS, pattern, synonyms
from pipeline.checks.evidence import STOPWORDS
from pipeline.checks.quantities import SCALES

COMPOUNDING = frozenset({"no", "nb", "nn", "da", "sv", "de", "nl", "fi"})
_WORD = re.compile(r"[^\W\d_]{3,}")
_FUNCTION = frozenset("""the and for are was has had its his her who whom how any all can may not nor yet
per our out off one own too few why via og som det den med har var ble for til fra men han hun seg sin sitt
sine der die das und ist war mit auf ein zum eur usd gbp nok sek dkk chf pln kroner krone kronor euro euros
dollar dollars pound pounds sterling you oss noe dere deg meg jeg uns euch ihnen sie wir ich mich mir dich dir
vår vårt any har habe kann etwas allen without never none nothing nobody uten utan aldri ingen ohne kein keine
keinen nie""".split())


class Stems:
    """A language's stemmer over content words; a word of a synonym group stands for its group's first."""

    def __init__(self, language: str):
        code = (language or "en").lower()[:2]
        self.code = code
        self.stemmer = Stemmer.Stemmer(STEMMERS.get(code, "english"))
        self.compounds = code in COMPOUNDING
        """The language writes compounds as one word (`leveransedato`, `Lieferdatum`)."""
        self.same: dict[str, str] = {}
        self._read: dict[str, frozenset[str]] = {}
        for group in synonyms():
            stems = self.stemmer.stemWords([w.split()[-1] for w in group])
            for stem in stems:
                self.same.setdefault(stem, stems[0])

    def content(self, text: str) -> frozenset[str]:
        """The content words of `text` as stems (each text stemmed once per `Stems`: a checker reads the same
        passages and words again and again)."""
        found = self._read.get(text)
        if found is None:
            words = [w.casefold() for w in _WORD.findall(pattern("REPORTING").sub(" ", text))]
            words = [w for w in words if w not in STOPWORDS and w not in _FUNCTION and w not in SCALES]
            found = self._read[text] = frozenset({self.same.get(s, s) for s in self.stemmer.stemWords(words)})
        return found

    @staticmethod
    def idf(documents: list[set[str]]) -> dict[str, float]:
        counts: dict[str, int] = {}
        for stems in documents:
            for s in stems:
                counts[s] = counts.get(s, 0) + 1
        n = len(documents) or 1
        return {s: math.log(1 + n / c) for s, c in counts.items()}
