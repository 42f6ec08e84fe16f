"""Graph-side verification: check the agents' evidence, give the extractor one repair."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agents.extractor import PROMPT_OVERHEAD_TOKENS

from pipeline.documents import CaseMaterials
from pipeline.errors import BackendError
from pipeline.materials import chunk_documents, render_documents
from pipeline.profiles import keep_sides
from pipeline.nodes import ask, calls_so_far, llm_for, settings_of
from pipeline.schemas import CallRecord, ChallengeReport, CounterpartProfile, DealProfile, Item, Synthesis, Warning
from pipeline.state import PrepState
from pipeline.verify import recite, source_index, support, verify_item

REPAIR_NODE = "extract_repair"
FEEDBACK_TOKENS = 300  # the list of mismatches the repair pass adds to the extractor prompt


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


def verify_profile_items(case: CaseMaterials, profile: DealProfile) -> list[Warning]:
    """Every deal-profile item checked as a fact, whatever the model labelled it."""
    index = source_index(case)
    return [w for where, item in profile_items(profile) for w in verify_item(item, index, where, as_fact=True)]


def _feedback(profile: DealProfile) -> str:
    lines = [f"- {where}: \u201c{item.text[:100]}\u201d: {'; '.join(item.issues_found) or 'no evidence'}"
             for where, item in profile_items(profile) if item.set_apart]
    return "\n".join(lines[:12])


async def repair_profile(state: PrepState, runtime: Runtime) -> tuple[DealProfile, list[CallRecord], list[Warning]]:
    """Verify the deal profile; if items fail, ask the extractor once more (one call, no schema
    repairs) with the mismatches, and keep whichever version is better supported by the sources."""
    settings = settings_of(runtime)
    case, profile = state["case"], state["deal_profile"].model_copy(deep=True)
    warnings = verify_profile_items(case, profile)
    feedback = _feedback(profile)
    if not feedback or not settings.verify_repair:
        return profile, [], warnings
    budget = settings.n_ctx - settings.max_output_tokens - PROMPT_OVERHEAD_TOKENS - FEEDBACK_TOKENS
    chunks = chunk_documents(case, budget, (await llm_for(settings)).counter)
    if len(chunks) != 1:
        return profile, [], warnings
    try:
        repaired, update = await ask(
            runtime, node=REPAIR_NODE, spent=calls_so_far(state), prompt_name="extractor", output=DealProfile,
            repairs=0, materials=render_documents(chunks[0]), our_side=case.our_side, counterpart=case.counterpart,
            language=case.language, feedback=feedback,
        )
    except BackendError as exc:
        note = Warning(code="repair", message=f"the extractor's second pass was unusable ({str(exc)[:120]}); "
                                              "the first extraction is kept")
        return profile, exc.records, warnings + [note]
    repaired = keep_sides(repaired, case.our_side, case.counterpart)
    repaired_warnings = verify_profile_items(case, repaired)
    before = support([i for _, i in profile_items(profile)]) or 0.0
    after = support([i for _, i in profile_items(repaired)]) or 0.0
    if after > before:
        return repaired, update["calls"], repaired_warnings
    return profile, update["calls"], warnings


def verify_analysis_items(case: CaseMaterials, challenge: ChallengeReport, counterpart: CounterpartProfile) -> list[Warning]:
    """Verify the challenger's and profiler's premises in place."""
    index = source_index(case)
    return [w for where, item in analysis_items(challenge, counterpart) for w in verify_item(item, index, where)]


EVIDENCE_WARNINGS = ("unverified", "weak")


def ground_report(case: CaseMaterials, profile: DealProfile, challenge: ChallengeReport,
                  counterpart: CounterpartProfile) -> list[Warning]:
    """The last check before the report, after every agent has run: each item verified again, and a
    set-apart fact that the materials do say re-cited to the passage that says it. The evidence
    warnings of the final items."""
    index = source_index(case)
    warnings: list[Warning] = []
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


def report_support(profile: DealProfile, challenge: ChallengeReport, counterpart: CounterpartProfile) -> float | None:
    return support(report_items(profile, challenge, counterpart))


def check_synthesis_numbers(case: CaseMaterials, synthesis: Synthesis) -> list[Warning]:
    """Amounts, dates and percentages in the synthesis that appear nowhere in the materials."""
    index = source_index(case)
    texts = [("executive summary", synthesis.executive_summary)]
    texts += [(f"plan.{d}", t) for d in ("process", "relationship", "substance") for t in getattr(synthesis.plan, d)]
    texts += [("next move", f"{m.move} {m.why}") for m in synthesis.next_moves]
    texts += [("question", q) for q in synthesis.questions_to_ask + synthesis.verify_before_meeting]
    return [
        Warning(code="number", message=f"synthesis {where}: number not found in the materials: {number} \u2014 \u201c{text[:80]}\u201d")
        for where, text in texts for number in index.unknown_numbers(text)
    ]
