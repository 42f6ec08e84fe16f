"""Fixed-pie challenger: widens the field with knowledge-base concepts, each suggestion cited."""

from __future__ import annotations

import asyncio

from langgraph.runtime import Runtime

from pipeline.knowledge import KnowledgeBase, context_block
from pipeline.nodes import CITED_TEXT, as_data, ask, calls_so_far, llm_for, settings_of, timed, unit_choices
from pipeline.schemas import ChallengeReport, DealProfile
from pipeline.state import PrepState

PROMPT = "challenger"


def retrieval_queries(profile: DealProfile) -> list[str]:
    """What the knowledge base is searched with: issues, interests, dependencies, alternatives, risks."""
    groups = (profile.issues, profile.interests, profile.dependencies, profile.alternatives, profile.risks)
    return [profile.summary] + [item.text for group in groups for item in group]


def profile_units(profile: DealProfile) -> list[str]:
    """The unit ids the deal profile's evidence cites: the only ones the challenger, who reads the
    profile and not the materials, can point to."""
    return [ev.unit for items in profile.item_lists().values() for item in items for ev in item.evidence if ev.unit]


async def challenge(state: PrepState, runtime: Runtime) -> dict:
    async with timed("challenge", {}) as update:
        settings = settings_of(runtime)
        profile = state["deal_profile"]
        kb = await asyncio.to_thread(KnowledgeBase.load, settings.kb_dir)
        ranked = kb.retrieve_for(retrieval_queries(profile), k=settings.kb_top_k)
        knowledge, used = context_block(ranked, settings.kb_budget_tokens, (await llm_for(settings)).counter)
        ids = [e.id for e in used]
        report, call_update = await ask(
            runtime, node="challenge", spent=calls_so_far(state), prompt_name=PROMPT, output=ChallengeReport,
            enums={**({"citations": ids} if ids else {}), **unit_choices(profile_units(profile))} or None,
            deal_profile=as_data(profile, CITED_TEXT), knowledge=knowledge, kb_ids=", ".join(ids),
        )
        update.update(challenge=report, kb_ids=ids, **call_update)
    return update
