"""Review: the after-action review, the model's notes beside what the pipeline counted."""

from __future__ import annotations

from langgraph.runtime import Runtime

from pipeline.agent_kit import ask, calls_so_far, timed
from pipeline.rehearsal.schemas import NumberFlag, Review, ReviewNotes, Revealed, Turn
from pipeline.rehearsal.state import RehearsalState
from pipeline.schemas import PrepReport
from pipeline.settings import Settings

PROMPT = "review"


def move_ids(report: PrepReport) -> dict[str, str]:
    """The brief's next moves by id (M1, M2, ...)."""
    return {f"M{n}": m.move for n, m in enumerate(report.synthesis.next_moves, 1)}


def counted(state: RehearsalState, notes: ReviewNotes | None) -> Review:
    """The review's counts: private items revealed (first turn) and hidden, moves used and missed,
    numbers the counterpart stated that the materials do not hold; the notes' retries of turns that exist."""
    turns: list[Turn] = state.get("turns", [])
    private = {item.id: item for item in state["persona"].private}
    first: dict[str, int] = {}
    for turn in turns:
        for item_id in turn.revealed:
            first.setdefault(item_id, turn.number)
    moves = move_ids(state["report"])
    used = [i for i in (notes.moves_used if notes else []) if i in moves]
    if notes:
        notes = notes.model_copy(update={"retry": [r for r in notes.retry if r.turn <= len(turns)]})
    return Review(
        notes=notes,
        revealed=[Revealed(item=private[i], turn=n) for i, n in first.items() if i in private],
        hidden=[item for i, item in private.items() if i not in first],
        moves_used=[moves[i] for i in used], moves_missed=[m for i, m in moves.items() if i not in used],
        numbers=[NumberFlag(turn=t.number, number=n, reply=t.reply.reply) for t in turns for n in t.unknown_numbers],
    )


async def review(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    async with timed("review", {}) as update:
        persona, turns = state["persona"], state.get("turns", [])
        notes = None
        if turns:
            moves = move_ids(state["report"])
            revealed = sorted({i for t in turns for i in t.revealed})
            notes, call_update = await ask(
                runtime, node="review", prompt_name=PROMPT, output=ReviewNotes, spent=calls_so_far(state),
                enums={"moves_used": list(moves)} if moves else None,
                language=persona.language, our_side=persona.our_side, counterpart=persona.name,
                moves="\n".join(f"[{i}] {m}" for i, m in moves.items()) or "(none)",
                revealed="; ".join(f"[{i.id}] {i.text}" for i in persona.private if i.id in revealed) or "nothing private",
                transcript=persona.transcript(turns, labels=True),
            )
            update.update(call_update)
        update["review"] = counted(state, notes)
    return update
