"""Merge: the synthesis across the three agents' outputs."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import FOR_READING, Agent, as_data, ask, calls_so_far, timed
from pipeline.schemas import Synthesis
from pipeline.settings import Settings
from pipeline.state import PrepState

PROMPT = "merge"


async def synthesise(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("merge", {}) as update:
        deal = state["deal_profile"]
        result, call_update = await ask(
            runtime, node="merge", spent=calls_so_far(state), prompt_name=PROMPT, output=Synthesis,
            our_side=deal.our_side, counterpart=deal.counterpart, language=state["case"].language,
            deal_profile=as_data(deal, FOR_READING), challenge=as_data(state["challenge"], FOR_READING),
            counterpart_profile=as_data(state["counterpart_profile"], FOR_READING),
        )
        update.update(synthesis=result, **call_update)
    return update


AGENT = Agent(name="merger", prompt=PROMPT, node="merge", state_key="synthesis", report_field="synthesis",
              stage=3, output=Synthesis, title="Synthesis", run=synthesise)
