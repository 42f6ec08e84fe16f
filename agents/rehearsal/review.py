"""Review: the after-action review. Every list comes from the recorded turns (`pipeline/rehearsal/events.py`);
the model only phrases the summary, which is replaced by the events' own when it contradicts them or is
written in another language than the brief's."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import TurnAgent, ask, calls_so_far, timed
from pipeline.checks.evidence import content_words
from pipeline.rehearsal.events import contradicts, moves_used, plain_summary, retries, steps_agreed
from pipeline.rehearsal.guards import foreign
from pipeline.rehearsal.schemas import NumberFlag, Persona, Review, ReviewNotes, Revealed, Turn
from pipeline.rehearsal.state import RehearsalState
from pipeline.schemas import PrepReport
from pipeline.settings import Settings

PROMPT = "review"


def move_ids(report: PrepReport) -> dict[str, str]:
    """The brief's next moves by id (M1, M2, ...)."""
    return {f"M{n}": m.move for n, m in enumerate(report.synthesis.next_moves, 1)}


def party_words(persona: Persona) -> frozenset[str]:
    return frozenset(content_words(" ".join((persona.name, persona.organisation, persona.our_side))))


def counted(state: RehearsalState, notes: ReviewNotes | None = None) -> Review:
    """The review's lists from the recorded turns: private items revealed (first turn) and hidden, moves
    used and missed, steps agreed, turns to try again, numbers the counterpart stated that the materials
    do not hold; with the model's notes."""
    turns: list[Turn] = state.get("turns", [])
    persona, report = state["persona"], state["report"]
    private = {item.id: item for item in persona.private}
    first: dict[str, int] = {}
    for turn in turns:
        for item_id in turn.revealed:
            first.setdefault(item_id, turn.number)
    moves, names = move_ids(report), party_words(persona)
    used = moves_used(turns, moves, names)
    warnings = [w.text for w in report.challenge.warnings if not w.set_apart]
    return Review(
        notes=notes, retry=retries(turns, persona.language, warnings), steps_agreed=steps_agreed(turns, names),
        revealed=[Revealed(item=private[i], turn=n) for i, n in first.items() if i in private],
        hidden=[item for i, item in private.items() if i not in first],
        moves_used=[moves[i] for i in used], moves_missed=[m for i, m in moves.items() if i not in used],
        numbers=[NumberFlag(turn=t.number, number=n, reply=t.reply.reply) for t in turns for n in t.unknown_numbers],
    )


def events(review: Review, turns: list[Turn]) -> str:
    """The recorded events as lines for the summary's prompt."""
    hardened = [str(t.number) for t in turns if t.reply.stance == "hardened"]
    lines = [f"- turns: {len(turns)}",
             f"- the counterpart hardened in turns: {', '.join(hardened) or 'none'}",
             *(f"- turn {x.turn}: they disclosed: {x.item.text}" for x in review.revealed),
             *(f"- turn {s.turn}: both sides agreed: {s.step}" for s in review.steps_agreed),
             *(f"- turn {r.turn} to try again: {r.why}" for r in review.retry),
             *(f"- the brief's move used: {m}" for m in review.moves_used)]
    return "\n".join(lines)


async def review(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    async with timed("review", {}) as update:
        persona, turns = state["persona"], state.get("turns", [])
        review = counted(state)
        if turns:
            notes, call_update = await ask(
                runtime, node="review", prompt_name=PROMPT, output=ReviewNotes, spent=calls_so_far(state),
                language=persona.language, our_side=persona.our_side, counterpart=persona.name,
                events=events(review, turns), transcript=persona.transcript(turns, labels=True),
            )
            if contradicts(notes.summary, review.retry) or foreign(notes.summary, persona.language):
                notes = ReviewNotes(summary=plain_summary(
                    turns, persona.language, [(x.item.id, x.turn) for x in review.revealed], review.retry,
                    review.steps_agreed, persona.organisation))
            review = review.model_copy(update={"notes": notes})
            update.update(call_update)
        update["review"] = review
    return update


AGENT = TurnAgent(name="review", prompt=PROMPT, node="review", run=review)
