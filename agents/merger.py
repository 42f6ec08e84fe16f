"""Merge: the synthesis across the agents' outputs, read after the same materials they read."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import FOR_READING, Agent, as_data, ask, calls_so_far, case_materials, resources_of, timed
from pipeline.schemas import Synthesis
from pipeline.settings import Settings
from pipeline.prep.state import PrepState

PROMPT = "merge"
PROMPT_OVERHEAD_TOKENS = 500


async def merge(state: PrepState, runtime: Runtime[Settings]) -> dict:
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


def word(w, synthesis: Synthesis, number: int) -> None:
    w.heading("Executive summary", 1)
    w.para(synthesis.executive_summary)
    w.heading("Plan across the three dimensions", 2)
    w.table(["Dimension", "Steps"], [[name.capitalize(), "\n".join(f"{i}. {s}" for i, s in enumerate(getattr(synthesis.plan, name), 1))]
                                     for name in ("process", "relationship", "substance")])
    w.heading("Next wise moves", 2)
    for m in synthesis.next_moves:
        w.para(f" ({m.dimension}) \u2014 {m.why}", "List Number", bold_prefix=m.move)
    w.bullets("Questions to ask", synthesis.questions_to_ask)
    w.bullets("Verify before the meeting", synthesis.verify_before_meeting)


AGENT = Agent(
    name="merger", prompt=PROMPT, node="merge", report_field="synthesis", stage=3, output=Synthesis,
    title="Briefing", run=merge, word=word, lead=True, anchor="briefing",
    texts=("executive_summary", "plan.process", "plan.relationship", "plan.substance", "next_moves[move,why]",
           "questions_to_ask", "verify_before_meeting"),
)
