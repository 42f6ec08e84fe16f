"""Counterpart profiler: a behavioural profile of the other side with guidance."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.materials import render_documents
from pipeline.nodes import as_data, ask, timed, tokens_spent
from pipeline.schemas import CounterpartProfile
from pipeline.state import PrepState

PROMPT = "profiler"


async def profile(state: PrepState, runtime: Runtime) -> dict:
    async with timed("profile", {}) as update:
        deal = state["deal_profile"]
        result, call_update = await ask(
            runtime, node="profile", spent=tokens_spent(state), prompt_name=PROMPT, output=CounterpartProfile,
            counterpart=deal.counterpart, our_side=deal.our_side,
            deal_profile=as_data(deal), materials=render_documents(state["case"].documents),
        )
        update.update(counterpart_profile=result, **call_update)
    return update
