"""Coach: labels each user turn against the method, with one line of feedback and, where it helps, a better
phrasing (dropped when it is the user's turn again or holds a threat cue); feedback that only repeats the
turn gives way to the method's line for its label."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import TurnAgent, ask, calls_so_far, timed
from pipeline.rehearsal.cues import cross_check, cue_labels
from pipeline.rehearsal.guards import checked_better, checked_feedback
from pipeline.rehearsal.schemas import Coaching
from pipeline.rehearsal.state import RehearsalState
from pipeline.schemas import PrepReport
from pipeline.settings import Settings

PROMPT = "coach"


def advice(report: PrepReport) -> str:
    """What the brief tells the consultant to do in the meeting: next moves, warnings, process moves."""
    lines = [f"- next move: {m.move}" for m in report.synthesis.next_moves]
    lines += [f"- warning (not a threat): {s.text}" for s in report.challenge.warnings if not s.set_apart]
    lines += [f"- process step: {s.text}" for s in report.challenge.process_moves if not s.set_apart]
    return "\n".join(lines) or "- (none)"


async def coach(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    async with timed("coach", {}) as update:
        persona, turns = state["persona"], state.get("turns", [])
        coaching, call_update = await ask(
            runtime, node="coach", prompt_name=PROMPT, output=Coaching, spent=calls_so_far(state),
            language=persona.language, our_side=persona.our_side, counterpart=persona.name,
            previous=turns[-1].reply.reply if turns else "(the meeting opens)", user=state["user"],
            advice=advice(state["report"]),
        )
        user, label = state["user"], cross_check(coaching.labels, cue_labels(state["user"]))[0]
        previous = turns[-1].reply.reply if turns else ""
        coaching = coaching.model_copy(update={"better": checked_better(coaching.better, user, previous, persona.language),
                                               "feedback": checked_feedback(coaching.feedback, user, label, persona.language)})
        update.update(coach=coaching, **call_update)
    return update


AGENT = TurnAgent(name="coach", prompt=PROMPT, node="coach", run=coach)
