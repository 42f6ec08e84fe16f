"""Fixed-pie challenger: widens the field with knowledge-base concepts, each suggestion cited."""

from __future__ import annotations

import asyncio

from langgraph.runtime import Runtime

from pipeline.agent_kit import Agent, as_data, ask, calls_so_far, settings_of, timed
from pipeline.knowledge import KnowledgeBase, context_block
from pipeline.llm.clients import llm_for
from pipeline.schemas import ChallengeReport, DealProfile
from pipeline.settings import Settings
from pipeline.state import PrepState

PROMPT = "challenger"


def retrieval_queries(profile: DealProfile) -> list[str]:
    """What the knowledge base is searched with: issues, interests, dependencies, alternatives, risks."""
    groups = (profile.issues, profile.interests, profile.dependencies, profile.alternatives, profile.risks)
    return [profile.summary] + [item.text for group in groups for item in group]


async def challenge(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("challenge", {}) as update:
        settings = settings_of(runtime)
        profile = state["deal_profile"]
        kb = await asyncio.to_thread(KnowledgeBase.load, settings.kb_dir)
        ranked = kb.retrieve_for(retrieval_queries(profile), k=settings.kb_top_k)
        knowledge, used = context_block(ranked, settings.kb_budget_tokens, (await llm_for(settings)).counter)
        ids = [e.id for e in used]
        report, call_update = await ask(
            runtime, node="challenge", spent=calls_so_far(state), prompt_name=PROMPT, output=ChallengeReport,
            enums={"citations": ids} if ids else None,
            deal_profile=as_data(profile), knowledge=knowledge, kb_ids=", ".join(ids), language=state["case"].language,
        )
        update.update(challenge=report, kb_ids=ids, **call_update)
    return update


AGENT = Agent(
    name="challenger", prompt=PROMPT, node="challenge", state_key="challenge", report_field="challenge", stage=2,
    output=ChallengeReport, title="Challenging the fixed pie", run=challenge, groups=ChallengeReport.suggestion_lists,
    titles={"widened_elements": "Widen the field: what this negotiation is made of", "hidden_trades": "Hidden trades",
            "partial_alternatives": "Partial alternatives",
            "their_dependencies": "Their dependencies (what problem will they still have tomorrow morning?)",
            "warnings": "Warnings (not threats)", "process_moves": "Process moves (tactical consent)"},
)
