"""The graph's state: what each node reads and the update it returns."""

from __future__ import annotations

import operator
from typing import Annotated, Any

from typing_extensions import TypedDict

from pipeline.case.documents import CaseMaterials
from pipeline.schemas import (
    CallRecord, CaseInfo, ChallengeReport, CounterpartProfile, DealProfile, FlaggedText, PrepReport,
    PromptInfo, Synthesis, ReportWarning, Translation,
)


def merge_dicts(left: dict | None, right: dict | None) -> dict:
    return {**(left or {}), **(right or {})}


def add_seconds(left: dict | None, right: dict | None) -> dict:
    """Seconds per node, summed over the node's runs (a rehearsal runs its nodes once a turn)."""
    total = dict(left or {})
    for node, seconds in (right or {}).items():
        total[node] = round(total.get(node, 0.0) + seconds, 3)
    return total


class RunRecord(TypedDict, total=False):
    """What a graph records beside its results: model calls, prompts, seconds per node, run metadata."""

    calls: Annotated[list[CallRecord], operator.add]
    node_seconds: Annotated[dict[str, float], add_seconds]
    prompts: Annotated[dict[str, PromptInfo], merge_dicts]
    meta: Annotated[dict[str, Any], merge_dicts]


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


class PrepState(PrepInput, RunRecord, total=False):
    case: CaseMaterials
    case_info: CaseInfo
    flagged: list[FlaggedText]
    pseudonyms: dict[str, str]
    """With --pseudonymize: original value -> placeholder, to restore the report (never sent to a model)."""
    originals: dict[str, str]
    """With --pseudonymize: each document's original text, to restore evidence quotes word for word (never sent to a model)."""
    deal_profile: DealProfile
    kb_ids: list[str]
    challenge: ChallengeReport
    counterpart_profile: CounterpartProfile
    synthesis: Synthesis
    translations: list[Translation]
    report: PrepReport
    warnings: Annotated[list[ReportWarning], operator.add]
