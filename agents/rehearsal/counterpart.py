"""Counterpart: plays the other side in character, from the persona the report gives."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import ask, calls_so_far, timed
from pipeline.rehearsal.schemas import CounterpartReply
from pipeline.rehearsal.state import RehearsalState
from pipeline.settings import Settings

PROMPT = "counterpart"
HISTORY_TURNS = 6


def _lines(texts: list[str]) -> str:
    return "\n".join(f"- {t}" for t in texts) or "- (none)"


async def counterpart(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    async with timed("counterpart", {}) as update:
        persona = state["persona"]
        ids = [item.id for item in persona.private]
        reply, call_update = await ask(
            runtime, node="counterpart", prompt_name=PROMPT, output=CounterpartReply, spent=calls_so_far(state),
            enums={"revealed": ids} if ids else None,
            language=persona.language, name=persona.name, organisation=persona.organisation, role=persona.role,
            style=persona.style, our_side=persona.our_side, facts=_lines(persona.facts),
            private=_lines([f"[{i.id}] ({i.kind.replace('_', ' ')}) {i.text}" for i in persona.private]),
            transcript=persona.transcript(state.get("turns", []), last=HISTORY_TURNS), user=state["user"],
        )
        update.update(counterpart=reply, **call_update)
    return update
