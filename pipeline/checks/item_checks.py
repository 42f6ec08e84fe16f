"""Checks over the report's items: each item's evidence verified against the materials, set-apart facts
re-cited, the synthesis's numbers looked up."""

from __future__ import annotations

from pipeline.case.documents import CaseMaterials
from pipeline.checks.evidence import recite, source_index, support, verify_item
from pipeline.schemas import ChallengeReport, CounterpartProfile, DealProfile, Item, ReportWarning, Synthesis


def profile_items(profile: DealProfile) -> list[tuple[str, Item]]:
    return [(f"deal_profile.{name}", item) for name, items in profile.item_lists().items() for item in items]


def challenge_items(challenge: ChallengeReport) -> list[tuple[str, Item]]:
    return [(f"challenge.{name}", s) for name, group in challenge.suggestion_lists().items() for s in group]


def counterpart_items(counterpart: CounterpartProfile) -> list[tuple[str, Item]]:
    """The profile's premises (what it claims about the other side); its guidance is advice."""
    return [(f"counterpart.{name}", i) for name in ("observed_behaviour", "pressures", "tomorrow_morning")
            for i in getattr(counterpart, name)]


def analysis_items(challenge: ChallengeReport, counterpart: CounterpartProfile) -> list[tuple[str, Item]]:
    return challenge_items(challenge) + counterpart_items(counterpart)


def verify_profile_items(case: CaseMaterials, profile: DealProfile) -> list[ReportWarning]:
    """Every deal-profile item checked as a fact, whatever the model labelled it."""
    index = source_index(case)
    return [w for where, item in profile_items(profile) for w in verify_item(item, index, where, as_fact=True)]


def verify_analysis_items(case: CaseMaterials, challenge: ChallengeReport, counterpart: CounterpartProfile) -> list[ReportWarning]:
    """Verify the challenger's and profiler's premises in place."""
    index = source_index(case)
    return [w for where, item in analysis_items(challenge, counterpart) for w in verify_item(item, index, where)]


EVIDENCE_WARNINGS = ("unverified", "weak")


def ground_report(case: CaseMaterials, profile: DealProfile, challenge: ChallengeReport,
                  counterpart: CounterpartProfile) -> list[ReportWarning]:
    """The last check before the report, after every agent has run: each item verified again, and a
    set-apart fact that the materials do say re-cited to the passage that says it. The evidence
    warnings of the final items."""
    index = source_index(case)
    warnings: list[ReportWarning] = []
    checked = [(where, item, True) for where, item in profile_items(profile)]
    checked += [(where, item, False) for where, item in analysis_items(challenge, counterpart)]
    for where, item, as_fact in checked:
        found = verify_item(item, index, where, as_fact=as_fact)
        if not recite(item, index, as_fact=as_fact):
            warnings += found
    return warnings


def report_items(profile: DealProfile, challenge: ChallengeReport, counterpart: CounterpartProfile) -> list[Item]:
    """Every item verification checks, in report order."""
    return [i for _, i in profile_items(profile) + analysis_items(challenge, counterpart)]


def check_synthesis_numbers(case: CaseMaterials, synthesis: Synthesis) -> list[ReportWarning]:
    """Amounts, dates and percentages in the synthesis that appear nowhere in the materials."""
    index = source_index(case)
    texts = [("executive summary", synthesis.executive_summary)]
    texts += [(f"plan.{d}", t) for d in ("process", "relationship", "substance") for t in getattr(synthesis.plan, d)]
    texts += [("next move", f"{m.move} {m.why}") for m in synthesis.next_moves]
    texts += [("question", q) for q in synthesis.questions_to_ask + synthesis.verify_before_meeting]
    return [
        ReportWarning(code="number", message=f"synthesis {where}: number not found in the materials: {number} \u2014 \u201c{text[:80]}\u201d")
        for where, text in texts for number in index.unknown_numbers(text)
    ]
