"""The rehearsal graph's state: what each node reads and the update it returns."""

from __future__ import annotations

import operator
from typing import Annotated, Literal

from typing_extensions import TypedDict

from pipeline.case.documents import CaseMaterials
from pipeline.rehearsal.schemas import Coaching, CounterpartReply, EndedBy, Persona, Rehearsal, Review, Standing, Turn
from pipeline.schemas import PrepReport
from pipeline.prep.state import RunRecord


class RehearsalInput(TypedDict, total=False):
    """A prepared report (report.json or its folder) and the case materials it was prepared from
    (default: the folder its provenance records, `provenance.case_path`)."""

    report_path: str
    case_path: str
    coach_mode: Literal["turn", "end"]
    max_turns: int


class RehearsalOutput(TypedDict, total=False):
    rehearsal: Rehearsal


class RehearsalState(RehearsalInput, RunRecord, total=False):
    report: PrepReport
    case: CaseMaterials
    persona: Persona
    standing: Standing
    user: str
    counterpart: CounterpartReply
    coach: Coaching
    turns: Annotated[list[Turn], operator.add]
    ended: EndedBy
    review: Review
    rehearsal: Rehearsal
