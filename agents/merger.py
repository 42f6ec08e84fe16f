"""Merge: the synthesis across the agents' outputs, read after the same materials they read."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import FOR_READING, Agent, as_data, ask, calls_so_far, case_materials, resources_of, timed
from pipeline.schemas import Synthesis
from pipeline.settings import Settings
from pipeline.prep.state import PrepState

PROMPT = "merge"
PROMPT_OVERHEAD_TOKENS = 500


async def synthesise(state: PrepState, runtime: Runtime[Settings]) -> dict:
    async with timed("merge", {}) as update:
        resources = resources_of(runtime)
        deal, case = state["deal_profile"], state["case"]
        challenge = as_data(state["challenge"], FOR_READING)
        counterpart_profile = as_data(state["counterpart_profile"], FOR_READING)
        counter = (await resources.llm()).counter
        reserved = PROMPT_OVERHEAD_TOKENS + counter.count(challenge) + counter.count(counterpart_profile)
        materials, update["warnings"] = await case_materials(case, resources, reserved, "the merge")
        result, call_update = await ask(
            runtime, node="merge", spent=calls_so_far(state), prompt_name=PROMPT, output=Synthesis,
            our_side=deal.our_side, counterpart=deal.counterpart, language=case.language, materials=materials,
            challenge=challenge, counterpart_profile=counterpart_profile,
        )
        update.update(synthesis=result, **call_update)
    return update


AGENT = Agent(name="merger", prompt=PROMPT, node="merge", state_key="synthesis", report_field="synthesis",
              stage=3, output=Synthesis, title="Synthesis", run=synthesise)
