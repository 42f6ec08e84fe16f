"""Counterpart: plays the other side in character. The graph's rules set its stance and the one private
item it may disclose, or else a point of its side's to make (its public facts in turn); the guards reject a reply that echoes or speaks for our side (one retry with the
reason, then a short in-character line) and count a disclosure only when the reply holds its substance."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import TurnAgent, ask, calls_so_far, timed
from pipeline.rehearsal.cues import cue_labels
from pipeline.rehearsal.guards import discloses, fallback_line, rejection, without_speaker_label
from pipeline.rehearsal.schemas import CounterpartLine, CounterpartReply, Standing
from pipeline.rehearsal.standing import after, to_reveal
from pipeline.rehearsal.state import RehearsalState
from pipeline.settings import Settings

PROMPT = "counterpart"
HISTORY_TURNS = 3


def _lines(texts: list[str]) -> str:
    return "\n".join(f"- {t}" for t in texts) or "- (none)"


async def counterpart(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    async with timed("counterpart", {}) as update:
        persona, turns, user = state["persona"], state.get("turns", []), state["user"]
        labels = cue_labels(user)
        standing = after(state.get("standing") or Standing(), labels)
        item = to_reveal(standing, persona)
        earlier = [t.reply.reply for t in turns]
        process = "process_step" in labels and standing.stance != "hardened"
        values = dict(
            language=persona.language, name=persona.name, organisation=persona.organisation, role=persona.role,
            style=persona.style, our_side=persona.our_side, facts=_lines(persona.facts), stance=standing.stance,
            reveal=item.text if item else "", process=process,
            transcript=persona.transcript(turns, last=HISTORY_TURNS), user=user,
        )
        update.update(calls=[], prompts={})
        reason, text = "", ""
        for attempt in range(2):
            point = "" if item or process or not persona.facts else persona.facts[(len(turns) + attempt) % len(persona.facts)]
            line, call_update = await ask(runtime, node="counterpart", prompt_name=PROMPT, output=CounterpartLine,
                                          spent=[*calls_so_far(state), *update["calls"]], retry=reason, point=point,
                                          **values)
            update["calls"] += call_update["calls"]
            update["prompts"].update(call_update["prompts"])
            text = without_speaker_label(line.reply, persona)
            problem = rejection(text, user, earlier, persona)
            if not problem:
                break
            reason = reason or problem
        else:
            text = fallback_line(standing.stance, persona.language, earlier)
        fallback = text == fallback_line(standing.stance, persona.language, earlier)
        names = [persona.name, persona.organisation, persona.our_side]
        shown = item is not None and not fallback and discloses(item, text, "\n".join(persona.facts), names)
        update["counterpart"] = CounterpartReply(reply=text, stance=standing.stance,
                                                 revealed=[item.id] if shown else [], guard=reason, fallback=fallback)
    return update


AGENT = TurnAgent(name="counterpart", prompt=PROMPT, node="counterpart", run=counterpart)
