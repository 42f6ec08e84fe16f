"""Advice a brief must not give: a concession for nothing, a step already due before the newest document
(hand-written materials)."""

from __future__ import annotations

from pipeline.case.documents import CaseMaterials, Document, Unit
from pipeline.checks.advice import concedes_for_nothing, stale, unwise
from pipeline.checks.claims import ClaimChecker
from pipeline.checks.evidence import SourceIndex
from pipeline.checks.quantities import Date

CASE = CaseMaterials(name="advice", language="en", our_side="Borealis", counterpart="Kettle AG", documents=[
    Document(name="minutes.md", kind="md", units=[
        Unit(locator="line 1", text="| 1 | Send the volume forecast to Kettle AG | P. Lind | 3 April 2027 |"),
        Unit(locator="line 2", text="| 2 | Prepare the board paper on the renewal | A. Berg | 20 June 2027 |"),
    ]),
])


def _checker() -> ClaimChecker:
    return ClaimChecker(CASE, SourceIndex(CASE), our_side="Borealis", counterpart="Kettle AG")


def test_a_concession_with_nothing_asked_back_is_unwise_in_each_language():
    assert concedes_for_nothing("Concede the exclusivity clause to keep the tone friendly.")
    assert concedes_for_nothing("Vi kan godta deres krav om prisøkning.")
    assert concedes_for_nothing("Wir sollten nachgeben, um Zeit zu sparen.")
    assert not concedes_for_nothing("Concede the exclusivity clause only if they cap the indexation.")
    assert not concedes_for_nothing("Ask them what would close the gap.")


def test_a_step_due_before_the_newest_document_is_stale_and_a_later_one_is_not():
    checker, today = _checker(), Date(5, 2, 2027)
    assert stale("Send the volume forecast to Kettle AG", checker, today)
    assert not stale("Prepare the board paper on the renewal", checker, today)
    assert unwise("Send the volume forecast to Kettle AG", checker, today) == "already done or due before the newest document"
    assert not stale("Send the volume forecast to Kettle AG", checker, None)
