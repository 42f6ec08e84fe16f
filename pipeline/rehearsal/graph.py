"""The rehearsal graph: load -> human -> {counterpart || coach} -> record_turn -> human ... -> review -> assemble.

`human` pauses the graph with `interrupt()` until the user's turn arrives as `Command(resume=TEXT)`;
`/end` (or `max_turns` answered turns) leads to the review. Run it with a checkpointer: one
thread per rehearsal, so a rehearsal survives quitting.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agents.rehearsal import registry
from pipeline.version import __version__
from pipeline.agent_kit import resources_of, settings_of, timed
from pipeline.case.documents import CaseMaterials
from pipeline.case.loading import load_case
from pipeline.rehearsal.cues import cross_check, cue_labels
from pipeline.errors import InputError
from pipeline.rehearsal.persona import persona_from_report
from pipeline.rehearsal.schemas import Rehearsal, Standing, Turn
from pipeline.rehearsal.standing import recorded
from pipeline.rehearsal.state import RehearsalInput, RehearsalOutput, RehearsalState
from pipeline.report.render import load_report
from pipeline.review import reviewed_brief
from pipeline.schemas import PrepReport, Provenance
from pipeline.settings import Settings

END_COMMAND = "/end"


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
    report = reviewed_brief(load_report(path), path.parent).report  # the brief as reviewed: rejected items out
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
        update.update(report=report, case=case, persona=persona_from_report(report), standing=Standing(),
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


def after_human(state: RehearsalState) -> Literal["review", "human"] | list[Literal["counterpart", "coach"]]:
    """The review after `/end`; the turn again when it was empty; else the turn's agents side by side."""
    if state.get("ended"):
        return registry.AT_THE_END.node
    if not state.get("user"):
        return "human"
    return [agent.node for agent in registry.EACH_TURN]


async def record_turn(state: RehearsalState, runtime: Runtime[Settings]) -> dict:
    """The turn as it goes into the transcript: the cue rules' labels where they found any, else the coach's;
    the reply's numbers checked against the materials; the counterpart's standing updated by rule."""
    reply, coaching, turns = state["counterpart"], state["coach"], state.get("turns", [])
    index = await asyncio.to_thread(resources_of(runtime).source_index, state["case"])
    rules = cue_labels(state["user"])
    turn = Turn(number=len(turns) + 1, user=state["user"], reply=reply, coaching=coaching,
                labels=cross_check(coaching.labels, rules), rule_labels=rules, revealed=reply.revealed,
                unknown_numbers=index.unknown_numbers(reply.reply))
    update: dict = {"turns": [turn], "standing": recorded(state.get("standing") or Standing(), turn.labels, turn.revealed)}
    if state.get("max_turns") and turn.number >= state["max_turns"]:
        update["ended"] = "max_turns"
    return update


def after_turn(state: RehearsalState) -> Literal["review", "human"]:
    """The review once the rehearsal ended, else the next turn."""
    return registry.AT_THE_END.node if state.get("ended") else "human"


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
    for node in (load, human, record_turn, assemble):
        builder.add_node(node.__name__, node)
    for agent in registry.REHEARSAL:
        builder.add_node(agent.node, agent.run)
    turn = [agent.node for agent in registry.EACH_TURN]
    builder.add_edge(START, "load")
    builder.add_edge("load", "human")
    builder.add_conditional_edges("human", after_human, [registry.AT_THE_END.node, "human", *turn])
    builder.add_edge(turn, "record_turn")
    builder.add_conditional_edges("record_turn", after_turn, [registry.AT_THE_END.node, "human"])
    builder.add_edge(registry.AT_THE_END.node, "assemble")
    builder.add_edge("assemble", END)
    return builder


def compile_rehearsal(checkpointer=None):
    """The compiled rehearsal graph; `interrupt()` needs a checkpointer (LangGraph Server brings its own)."""
    return build_rehearsal().compile(checkpointer=checkpointer, name="rehearsal")
