"""The rehearsal graph: load -> human -> {counterpart || coach} -> record_turn -> human ... -> review -> assemble.

`human` pauses the graph with `interrupt()` until the user's turn arrives as `Command(resume=TEXT)`;
`/end` (or `max_turns` answered turns) leads to the review. Run it with a checkpointer: one
thread per rehearsal, so a rehearsal survives quitting.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agents.rehearsal.coach import coach
from agents.rehearsal.counterpart import counterpart
from agents.rehearsal.review import review
from pipeline.version import __version__
from pipeline.agent_kit import resources_of, settings_of, timed
from pipeline.case.documents import CaseMaterials
from pipeline.case.loading import load_case
from pipeline.checks.evidence import shared_share
from pipeline.rehearsal.cues import cross_check, cue_labels
from pipeline.errors import InputError
from pipeline.rehearsal.persona import persona_from_report
from pipeline.rehearsal.schemas import CounterpartReply, Persona, Rehearsal, Turn
from pipeline.rehearsal.state import RehearsalInput, RehearsalOutput, RehearsalState
from pipeline.report.render import load_report
from pipeline.schemas import PrepReport, Provenance
from pipeline.settings import Settings

END_COMMAND = "/end"
REVEAL_SHARE = 0.2
"""Share of a private item's content words a reply must contain to count as disclosing it."""


def report_file(path: str | Path) -> Path:
    """A report.json, or the report.json in a report folder."""
    path = Path(path)
    return path / "report.json" if path.is_dir() else path


def compatible(version: str) -> bool:
    """A report written by this major version (this minor version while below 1.0)."""
    ours, theirs = __version__.split("."), str(version).split(".")
    width = 2 if ours[0] == "0" else 1
    return ours[:width] == theirs[:width]


def case_path_for(report: PrepReport) -> Path | None:
    """The case folder (or file) the report was prepared from, as its provenance records it."""
    return Path(report.provenance.case_path) if report.provenance.case_path else None


def _load(state: RehearsalState, settings: Settings) -> tuple[PrepReport, CaseMaterials]:
    path = report_file(state["report_path"])
    report = load_report(path)
    if not compatible(report.provenance.negoprep_version):
        raise InputError(f"{path}: written by negoprep {report.provenance.negoprep_version}, which this version "
                         f"({__version__}) cannot rehearse; prepare the case again")
    case_path = Path(state["case_path"]) if state.get("case_path") else case_path_for(report)
    if case_path is None:
        raise InputError(f"{path}: the report does not say where the case materials of '{report.case.name}' are "
                         "(prepared from documents, or by an older version); pass --case DIR")
    if not case_path.exists():
        raise InputError(f"{case_path}: the case materials of '{report.case.name}' are not there; pass --case DIR")
    return report, load_case(case_path, max_file_mb=settings.max_file_mb)


async def load(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    async with timed("load", {}) as update:
        report, case = await asyncio.to_thread(_load, state, settings_of(runtime))
        update.update(report=report, case=case, persona=persona_from_report(report),
                      meta={"started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    return update


def prompt_for(state: RehearsalState) -> dict:
    """What the interrupt shows the user: the turn to give, and the last exchange (without the coach's
    reading when coaching waits for the end)."""
    persona, turns = state["persona"], state.get("turns", [])
    return {"turn": len(turns) + 1, "speaker": persona.name, "organisation": persona.organisation,
            "our_side": persona.our_side, "last": turns[-1].shown(state.get("coach_mode", "turn")) if turns else None,
            "end_command": END_COMMAND}


def human(state: RehearsalState) -> dict:
    """The user's turn: whatever `Command(resume=...)` brings; an empty turn is ignored."""
    text = str(interrupt(prompt_for(state)) or "").strip()
    if text == END_COMMAND:
        return {"ended": "end", "user": ""}
    return {"user": text}


def after_human(state: RehearsalState) -> str | list[str]:
    if state.get("ended"):
        return "review"
    if not state.get("user"):
        return "human"
    return ["counterpart", "coach"]


def revealed_items(reply: CounterpartReply, persona: Persona, common: frozenset[str]) -> list[str]:
    """The private items the reply says it discloses and does: it holds enough of the item's words. A claim
    whose item the reply does not hold stands for the item it holds most of (a small model mixes up the ids)."""
    private = {item.id: item for item in persona.private}
    shares = {i: shared_share(item.text, reply.reply, common) or 0.0 for i, item in private.items()}
    best = max(shares, key=shares.get, default=None)
    found = [i if shares.get(i, 0.0) >= REVEAL_SHARE else best for i in reply.revealed]
    return [i for i in dict.fromkeys(found) if i is not None and shares[i] >= REVEAL_SHARE]


def without_speaker_label(reply: CounterpartReply, persona: Persona) -> CounterpartReply:
    """The reply without a leading "Name:" label, which a small model copies from the transcript it reads."""
    text = reply.reply.lstrip()
    for speaker in filter(None, (persona.name, persona.organisation)):
        if text.casefold().startswith(f"{speaker.casefold()}:"):
            return reply.model_copy(update={"reply": text[len(speaker) + 1:].lstrip()})
    return reply


async def record_turn(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    """The turn as it goes into the transcript: the coach's labels cross-checked by the cue rules,
    the disclosures checked against the reply, the reply's numbers checked against the materials."""
    reply = without_speaker_label(state["counterpart"], state["persona"])
    coaching, turns = state["coach"], state.get("turns", [])
    index = await asyncio.to_thread(resources_of(runtime).source_index, state["case"])
    rules = cue_labels(state["user"])
    turn = Turn(number=len(turns) + 1, user=state["user"], reply=reply, coaching=coaching,
                labels=cross_check(coaching.labels, rules), rule_labels=rules,
                revealed=revealed_items(reply, state["persona"], index.common),
                unknown_numbers=index.unknown_numbers(reply.reply))
    update: dict = {"turns": [turn]}
    if state.get("max_turns") and turn.number >= state["max_turns"]:
        update["ended"] = "max_turns"
    return update


def after_turn(state: RehearsalState) -> str:
    return "review" if state.get("ended") else "human"


async def assemble(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    """The saved rehearsal (no model call)."""
    llm = await resources_of(runtime).llm()
    seconds = dict(state.get("node_seconds", {}))
    provenance = Provenance(
        negoprep_version=__version__, backend=llm.backend, model=llm.model, prompts=state.get("prompts", {}),
        calls=state.get("calls", []), node_seconds=seconds, total_seconds=round(sum(seconds.values()), 3),
        started_at=state.get("meta", {}).get("started_at", ""),
    )
    rehearsal = Rehearsal(
        report=str(state["report_path"]), case=state["report"].case.name, counterpart=state["persona"],
        coach=state.get("coach_mode", "turn"), ended_by=state.get("ended", "end"), turns=state.get("turns", []),
        review=state["review"], provenance=provenance,
    )
    return {"rehearsal": rehearsal}


def build_rehearsal() -> StateGraph:
    builder = StateGraph(RehearsalState, context_schema=Settings, input_schema=RehearsalInput,
                         output_schema=RehearsalOutput)
    for node in (load, human, counterpart, coach, record_turn, review, assemble):
        builder.add_node(node.__name__, node)
    builder.add_edge(START, "load")
    builder.add_edge("load", "human")
    builder.add_conditional_edges("human", after_human, ["review", "human", "counterpart", "coach"])
    builder.add_edge(["counterpart", "coach"], "record_turn")
    builder.add_conditional_edges("record_turn", after_turn, ["review", "human"])
    builder.add_edge("review", "assemble")
    builder.add_edge("assemble", END)
    return builder


def compile_rehearsal(checkpointer=None):
    """The compiled rehearsal graph; `interrupt()` needs a checkpointer (LangGraph Server brings its own)."""
    return build_rehearsal().compile(checkpointer=checkpointer, name="rehearsal")
