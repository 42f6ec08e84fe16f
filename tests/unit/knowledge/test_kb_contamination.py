"""The knowledge base is the method, in the project's own words: no entry names a party, person, place or
product of a sample or test case, nor one of its distinctive figures (a case's challenge would be read from its
own answer)."""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pytest
import yaml

from pipeline.case.loading import load_case
from pipeline.checks.quantities import number_spans, same_number
from tests.conftest import DATA, ROOT

KB = ROOT / "knowledge_base"
CASES = sorted([p for p in (ROOT / "cases").iterdir() if p.is_dir()]
               + [p for p in (DATA / "cases").iterdir() if p.is_dir()])
WORD = re.compile(r"[^\W\d_][\w'&.-]*[^\W_]|[^\W\d_]")
SOURCES = re.compile(r"^sources:\n(?:\s+-.*\n)*", re.MULTILINE)
"""An entry's bibliography (the authors it cites) is not its text."""


def _general_words() -> set[str]:
    """Words written in lowercase somewhere in the cases, the prompts or the knowledge base: not names."""
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "prompts").glob("*.md")]
    texts += [p.read_text(encoding="utf-8") for p in KB.glob("*.md")]
    texts += [doc.text for case in CASES for doc in load_case(case).documents]
    days = {d.lower() for d in calendar.day_name} | {m.lower() for m in calendar.month_name if m}
    return days | {w for text in texts for w in WORD.findall(text) if w.islower()}


def case_names(case: Path, general: set[str]) -> set[str]:
    """The case's parties, people, places and products: its case.yaml's sides and the capitalised words of its
    documents that are never written in lowercase (sentence openers and common words drop out)."""
    names = set()
    meta = case / "case.yaml"
    if meta.is_file():
        data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
        names |= {str(data[k]) for k in ("our_side", "counterpart") if data.get(k)}
    for doc in load_case(case).documents:
        for word in WORD.findall(doc.text):
            if word[0].isupper() and len(word) >= 4 and word.lower() not in general and not word.isupper():
                names.add(word)
    return names


def case_figures(case: Path) -> set[float]:
    """Distinctive figures of the case: amounts of four digits or more that are not years."""
    figures = set()
    for doc in load_case(case).documents:
        for _, _, readings in number_spans(doc.text):
            value = max(readings)
            if value >= 1000 and not (1900 <= value <= 2100 and value == int(value)):
                figures.add(value)
    return figures


def contamination(kb_dir: Path) -> list[str]:
    general = _general_words()
    found = []
    for entry in sorted(kb_dir.glob("*.md")):
        text = SOURCES.sub("", entry.read_text(encoding="utf-8"))
        words = set(WORD.findall(text))
        values = [v for _, _, readings in number_spans(text) for v in readings]
        for case in CASES:
            found += [f"{entry.name}: {case.name}'s name {n!r}" for n in sorted(case_names(case, general))
                      if (n in words if " " not in n else n in text)]
            found += [f"{entry.name}: {case.name}'s figure {f:g}" for f in sorted(case_figures(case))
                      if any(same_number(f, v) for v in values)]
    return found


def test_the_check_finds_each_case_s_names():
    general = _general_words()
    assert {"TelCo", "PaySys", "Henrik", "Euronext"} <= case_names(ROOT / "cases" / "telco-paysys", general)
    assert {"Harbour", "Eklund"} <= case_names(DATA / "cases" / "tiny", general)
    assert 6_200_000 in case_figures(ROOT / "cases" / "telco-paysys")


def test_the_check_catches_a_case_story_in_an_entry(tmp_path):
    (tmp_path / "leak.md").write_text("---\nid: leak\n---\nRemember how TelCo slowed PaySys down; the offer fell to "
                                      "EUR 6.2 million.\n", encoding="utf-8")
    found = contamination(tmp_path)
    assert any("'TelCo'" in f for f in found) and any("6.2e+06" in f or "6200000" in f for f in found), found


def test_no_knowledge_base_entry_names_a_case():
    assert contamination(KB) == []
