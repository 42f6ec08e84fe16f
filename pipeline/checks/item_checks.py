"""Checks over the report's items: each item's evidence verified against the materials (once per statement),
set-apart facts re-cited, the synthesis's numbers looked up."""

from __future__ import annotations

from typing import NamedTuple

from pipeline.checks.evidence import SourceIndex, item_warnings, recite, verify_item
from pipeline.schemas import Item, ReportWarning, Synthesis


class Premise(NamedTuple):
    """An item an agent states as a premise: where it sits in the report, and whether it is checked as a
    fact whatever the model labelled it."""

    where: str
    item: Item
    as_fact: bool = False


def verify_premises(index: SourceIndex, premises: list[Premise]) -> list[ReportWarning]:
    """Every premise not checked yet (`pending`: as the model wrote it, or reworded since) verified against the
    materials, in place; the evidence warnings of those."""
    return [w for p in premises if p.item.verification == "pending"
            for w in verify_item(p.item, index, p.where, as_fact=p.as_fact)]


EVIDENCE_WARNINGS = ("unverified", "weak")


def ground_premises(index: SourceIndex, premises: list[Premise]) -> list[ReportWarning]:
    """The last check before the report, after every agent has run: a premise not checked yet verified, and
    a set-apart fact that the materials do say re-cited to the passage that says it. The evidence warnings
    of the final items."""
    verify_premises(index, premises)
    for _, item, as_fact in premises:
        recite(item, index, as_fact=as_fact)
    return [w for where, item, _ in premises for w in item_warnings(item, where)]


def check_synthesis_numbers(index: SourceIndex, synthesis: Synthesis) -> list[ReportWarning]:
    """Amounts, dates and percentages in the synthesis that appear nowhere in the materials."""
    texts = [("executive summary", synthesis.executive_summary)]
    texts += [(f"plan.{d}", t) for d in ("process", "relationship", "substance") for t in getattr(synthesis.plan, d)]
    texts += [("next move", f"{m.move} {m.why}") for m in synthesis.next_moves]
    texts += [("question", q) for q in synthesis.questions_to_ask + synthesis.verify_before_meeting]
    return [
        ReportWarning(code="number", message=f"synthesis {where}: number not found in the materials: {number} \u2014 \u201c{text[:80]}\u201d")
        for where, text in texts for number in index.unknown_numbers(text)
    ]
