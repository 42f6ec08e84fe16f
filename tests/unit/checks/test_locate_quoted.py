"""A line quoted from our notes is located on its own line (hand-written materials, not a sample case)."""

from __future__ import annotations

from pipeline.case.documents import CaseMaterials, Document, Unit
from pipeline.checks.evidence import SourceIndex
from pipeline.checks.item_checks import locate_quoted
from pipeline.schemas import Evidence, Item


def test_a_table_row_quoted_as_a_line_is_located_on_its_row_not_the_one_before():
    rows = ["| Option | Rent | Term |", "|---|---|---|", "| Our target | £9.00 | 10 years, break at year 5 |",
            "| Walk-away | £9.60 | 10 years, break at year 5 |"]
    doc = Document(name="notes.md", kind="md", units=[Unit(locator=f"line {i}", text=r) for i, r in enumerate(rows, 1)])
    index = SourceIndex(CaseMaterials(name="t", language="en", documents=[doc]))
    item = Item(text="Walk-away · £9.60 · 10 years, break at year 5", verification="quoted",
                evidence=[Evidence(document="notes.md", quote="Walk-away · £9.60 · 10 years, break at year 5")])
    locate_quoted(item, index)
    assert item.evidence[0].locator == "line 4" and item.evidence[0].quote == rows[3]
