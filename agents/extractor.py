"""Case extractor: the deal profile, every item with evidence from the materials."""

from __future__ import annotations

import asyncio

from langgraph.runtime import Runtime

from pipeline.agent_kit import Agent, ask, ask_parts, calls_so_far, resources_of, room_for_materials, timed
from pipeline.case.authorship import oriented
from pipeline.case.documents import Document
from pipeline.case.chunking import render_documents
from pipeline.checks.evidence import support
from pipeline.checks.item_checks import verify_premises
from pipeline.cleanup.repeats import without_repeats
from pipeline.deal_profiles import keep_sides, list_limit, merge_profiles, move_absences
from pipeline.errors import BackendError
from pipeline.note_figures import figures_of_notes
from pipeline.schemas import CallRecord, DealFacts, DealProfile, DealStakes, ReportWarning, Sides
from pipeline.settings import Settings
from pipeline.prep.state import PrepState

PROMPT = "extractor"
PROMPT_OVERHEAD_TOKENS = 900
REPAIR_NODE = "extract_repair"
SIDES_PROMPT = SIDES_NODE = "sides"
FEEDBACK_TOKENS = 300  # the list of mismatches the repair pass adds to the extractor prompt
PARTS = {"facts": DealFacts, "stakes": DealStakes}  # one call each, over the same materials (a small model
# misses half the case when asked for all thirteen lists at once)


async def settle_sides(state: PrepState, runtime: Runtime[Settings],
                       materials: str) -> tuple[tuple[str, str], list[CallRecord], dict]:
    """(our side, counterpart): as case.yaml names them; else asked first, over the materials the extractor
    reads next (so the model's cache of them serves both), and turned round when the internal documents'
    letterhead says so. With the calls and prompts that took."""
    case = state["case"]
    if case.our_side and case.counterpart:
        return (case.our_side, case.counterpart), [], {}
    sides, update = await ask(runtime, node=SIDES_NODE, prompt_name=SIDES_PROMPT, output=Sides,
                              spent=calls_so_far(state), materials=materials, language=case.language)
    found = oriented(case, sides.our_side, sides.counterpart)
    return (case.our_side or found[0], case.counterpart or found[1]), update["calls"], update["prompts"]


def flagged_texts(state: PrepState) -> tuple[str, ...]:
    """The instruction-like passages of the materials (withheld, or let through with --keep-flagged)."""
    return tuple(f.text for f in state.get("flagged", []))


async def ask_profile(runtime: Runtime[Settings], *, node: str, spent: list[CallRecord], documents: list[Document],
                      sides: tuple[str, str], language: str, feedback: str = "", repairs: int | None = None,
                      flagged: tuple[str, ...] = ()) -> tuple[DealProfile, dict]:
    """The deal profile of `documents`: one call per part of `PARTS`, their answers joined, and the key facts
    of our side's notes among them; with the state update the calls make."""
    values = dict(materials=render_documents(documents), our_side=sides[0], counterpart=sides[1],
                  language=language, feedback=feedback)
    profile, update = await ask_parts(runtime, node=node, prompt_name=PROMPT, output=DealProfile, parts=PARTS,
                                      spent=spent, repairs=repairs, **values)
    key_facts = figures_of_notes(documents, list_limit("key_facts"), flagged)
    return without_repeats(profile.model_copy(update={"key_facts": key_facts})), update


async def extract(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("extract", {}) as update:
        resources = resources_of(runtime)
        settings, case = resources.settings, state["case"]
        chunks = await resources.chunks(case, room_for_materials(settings, PROMPT_OVERHEAD_TOKENS))
        gate = asyncio.Semaphore(settings.chunk_concurrency)
        sides, calls, prompts = await settle_sides(state, runtime, render_documents(chunks[0]))

        async def extract_chunk(chunk):
            async with gate:
                return await ask_profile(runtime, node="extract", spent=calls_so_far(state) + calls,
                                         documents=chunk, sides=sides, language=case.language,
                                         flagged=flagged_texts(state))

        results = await asyncio.gather(*(extract_chunk(chunk) for chunk in chunks))
        profiles = [profile for profile, _ in results]
        calls += [c for _, call_update in results for c in call_update["calls"]]
        update.update(deal_profile=move_absences(keep_sides(merge_profiles(profiles), *sides)),
                      calls=calls, prompts={**prompts, **results[-1][1]["prompts"]})
        if len(chunks) > 1:
            update["warnings"] = [ReportWarning(
                code="chunked",
                message=f"the materials exceed the model's context ({settings.n_ctx} tokens); "
                        f"they were extracted in {len(chunks)} chunks and the results merged",
            )]
    return update


def _feedback(profile: DealProfile) -> str:
    lines = [f"- {where}: \u201c{item.text[:100]}\u201d: {'; '.join(item.issues_found) or 'no evidence'}"
             for where, item, _ in AGENT.premises(profile) if item.set_apart]
    return "\n".join(lines[:12])


async def repair_profile(state: PrepState, runtime: Runtime[Settings]) -> tuple[DealProfile, list[CallRecord], list[ReportWarning]]:
    """Verify the deal profile; if items fail, ask the extractor once more (one call, no schema
    repairs) with the mismatches, and keep whichever version is better supported by the sources."""
    resources = resources_of(runtime)
    settings, case, profile = resources.settings, state["case"], state["deal_profile"].model_copy(deep=True)
    index = await asyncio.to_thread(resources.source_index, case)
    warnings = await asyncio.to_thread(verify_premises, index, AGENT.premises(profile))
    feedback = _feedback(profile)
    if not feedback or not settings.verify_repair:
        return profile, [], warnings
    chunks = await resources.chunks(case, room_for_materials(settings, PROMPT_OVERHEAD_TOKENS + FEEDBACK_TOKENS))
    if len(chunks) != 1:
        return profile, [], warnings
    try:
        repaired, update = await ask_profile(
            runtime, node=REPAIR_NODE, spent=calls_so_far(state), documents=chunks[0],
            sides=(profile.our_side, profile.counterpart), language=case.language, feedback=feedback, repairs=0,
            flagged=flagged_texts(state),
        )
    except BackendError as exc:
        note = ReportWarning(code="repair", message=f"the extractor's second pass was unusable ({str(exc)[:120]}); "
                                              "the first extraction is kept")
        return profile, exc.records, warnings + [note]
    repaired = move_absences(keep_sides(repaired, profile.our_side, profile.counterpart))
    repaired_warnings = await asyncio.to_thread(verify_premises, index, AGENT.premises(repaired))
    before = support([p.item for p in AGENT.premises(profile)]) or 0.0
    after = support([p.item for p in AGENT.premises(repaired)]) or 0.0
    if after > before:
        return repaired, update["calls"], repaired_warnings
    return profile, update["calls"], warnings


AGENT = Agent(
    name="extractor", prompt=PROMPT, node="extract", state_key="deal_profile", report_field="deal_profile", stage=1,
    output=DealProfile, title="Deal profile", run=extract, groups=DealProfile.item_lists, facts=True,
    titles={"parties": "Parties", "issues": "Issues", "interests": "Interests", "positions": "Positions",
            "alternatives": "Alternatives", "dependencies": "Dependencies", "risks": "Risks",
            "deadlines": "Deadlines", "constraints": "Constraints", "key_facts": "Key facts from our notes"},
)
