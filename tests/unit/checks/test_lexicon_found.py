"""`lexicon.found`: a group's classes in a text, read lowercased where that is exact, as the patterns find them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.case.loading import load_case
from pipeline.checks.claims.lexicon import GROUPS, classes, found

ROOT = Path(__file__).resolve().parents[3]
TRICKY = ["ſhall", "KELVIN", "İstanbul approved", "ΣΑΣ offered", "Straße genehmigt", "NOT EXCEED", "ﬅatt",
          "We Can offer", "DEMANDS", "refuſed", "ǅemand"]


def _texts() -> list[str]:
    texts = list(TRICKY)
    for case in sorted((ROOT / "cases").iterdir()):
        if (case / "case.yaml").exists():
            texts += [unit.text for doc in load_case(case).documents for unit in doc.units if unit.text.strip()]
    return texts


@pytest.mark.parametrize("group", GROUPS)
def test_found_is_what_the_case_insensitive_patterns_find(group):
    texts = _texts()
    assert len(texts) > 100
    for text in texts + [t.upper() for t in texts] + [t.title() for t in texts]:
        assert found(group, text) == {name for name, pat in classes(group).items() if pat.search(text)}, text
