"""The synthesis's figures are looked up in the materials, apart from the first page's computed ones and the
locators of its passages (hand-written materials)."""

from pipeline.case.documents import CaseMaterials, Document, Unit
from pipeline.checks.evidence import SourceIndex
from pipeline.checks.item_checks import check_synthesis_numbers
from pipeline.schemas import FirstPage, Item, Move, Plan, Synthesis

CASE = CaseMaterials(name="hand-written", language="en", our_side="Larkspur", counterpart="Mereford Mills", documents=[
    Document(name="notes.md", kind="md", units=[Unit(locator="line 1", text="Their ask: EUR 1.5 million a year."),
                                                Unit(locator="line 2", text="Our budget: EUR 1.2 million a year.")])])


def test_a_computed_gap_and_a_passage_locator_are_no_unknown_numbers_but_an_invented_figure_is():
    page = FirstPage(gap=[Item(text="Gap: EUR 300,000 a year between their ask and our limit (computed).",
                               kind="inference", basis="EUR 1.5 million − EUR 1.2 million")])
    synthesis = Synthesis(executive_summary="They ask EUR 1.5 million; a gap of EUR 300,000 a year; we could pay EUR 1,350,000.",
                          next_moves=[Move(move="Reply to them", dimension="process", why="A step of your notes (notes.md, line 49).")],
                          first_page=page, plan=Plan(process=[], relationship=[], substance=[]), questions_to_ask=[])
    warnings = check_synthesis_numbers(SourceIndex(CASE), synthesis)
    assert [w.message.split(": ")[2].split(" ")[0] for w in warnings] == ["1,350,000"]
