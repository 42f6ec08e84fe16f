"""Which side wrote the case's internal documents: our side, by definition of a preparation brief.

A model asked to name the sides swaps them now and then (a supplier's e-mail written as "we" reads like our
side). Internal minutes, memos and notes, recognised by their name or their first lines, name their author's
organisation in those first lines (title, letterhead); when exactly one of the two sides is named there, that
side is ours.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from pipeline.case.documents import CaseMaterials, Document

HEAD_LINES = 3
INTERNAL = re.compile(
    r"(?<![^\W_])(internal|intern|internt|interne|internes|interno|interna|internos|internas|confidential|"
    r"konfidensiell|fortrolig|konfidentiell|vertraulich|confidentiel|minutes|memo|memorandum|notat|"
    r"notater|notes|referat|m\u00f8tereferat|motesreferat|m\u00f6tesanteckningar|anteckningar|protokoll|"
    r"protokol|besprechungsnotiz|aktennotiz|vermerk|compte[- ]rendu|acta|verbale|meeting[ _-]notes?|"
    r"steering|steerco|briefing)(?![^\W_])",
    re.IGNORECASE,
)
LEGAL_FORMS = frozenset("as asa ab ag gmbh ltd plc inc llc sa s.a. bv b.v. nv oy aps sas srl spa hf group the".split())
"""Words that say what kind of company a party is, not which one: left out when names are compared."""


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{3,}", name.casefold()) if w not in LEGAL_FORMS}


def _named(name: str, text: str) -> bool:
    """Every distinctive word of `name` occurs in `text`."""
    words = _words(name)
    found = set(re.findall(r"[^\W\d_]{3,}", text.casefold()))
    return bool(words) and words <= found


def _head(doc: Document) -> str:
    lines = (line for unit in doc.units for line in unit.text.splitlines() if line.strip())  # doc.text's own
    return "\n".join(islice(lines, HEAD_LINES))


def is_internal(doc: Document) -> bool:
    """Our side's own notes, minutes or memos, by the document's name or first lines."""
    return INTERNAL.search(f"{doc.name}\n{_head(doc)}") is not None


def internal_author(case: CaseMaterials, names: tuple[str, str]) -> str | None:
    """The one of `names` that heads the internal documents (most often, and alone), if any."""
    votes: Counter[str] = Counter()
    for doc in filter(is_internal, case.documents):
        head = _head(doc)
        named = [name for name in names if _named(name, head)]
        if len(named) == 1:
            votes[named[0]] += 1
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def oriented(case: CaseMaterials, our_side: str, counterpart: str) -> tuple[str, str]:
    """(our side, counterpart) as the model named them, swapped when the internal documents say the
    model's counterpart wrote them."""
    if internal_author(case, (our_side, counterpart)) == counterpart:
        return counterpart, our_side
    return our_side, counterpart
