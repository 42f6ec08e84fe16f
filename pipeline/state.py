"""The graph's state: what each node reads and the update it returns."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from typing_extensions import TypedDict

from pipeline.documents import CaseMaterials
from pipeline.schemas import (
    CallRecord, CaseInfo, ChallengeReport, CounterpartProfile, DealProfile, FlaggedText, PrepReport,
    PromptInfo, Synthesis, Warning,
)


def merge_dicts(left: dict | None, right: dict | None) -> dict:
    return {**(left or {}), **(right or {})}


class InputDocument(TypedDict):
    name: str
    text: str


class PrepInput(TypedDict, total=False):
    """Either a path on the machine running the graph, or the documents themselves."""

    path: str
    documents: list[InputDocument]
    name: str
    our_side: str
    counterpart: str
    language: str


class PrepOutput(TypedDict, total=False):
    report: PrepReport


class PrepState(PrepInput, total=False):
    case: CaseMaterials
    case_info: CaseInfo
    flagged: list[FlaggedText]
    deal_profile: DealProfile
    kb_ids: list[str]
    challenge: ChallengeReport
    counterpart_profile: CounterpartProfile
    synthesis: Synthesis
    report: PrepReport
    calls: Annotated[list[CallRecord], operator.add]
    warnings: Annotated[list[Warning], operator.add]
    node_seconds: Annotated[dict[str, float], merge_dicts]
    prompts: Annotated[dict[str, PromptInfo], merge_dicts]
    meta: Annotated[dict[str, Any], merge_dicts]
