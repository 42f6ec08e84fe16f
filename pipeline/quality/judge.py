"""`eval --judge MODEL`: a model grades each section of a report 1-5 against a short rubric.

A secondary signal beside the answer keys: one call per report, made through the same client
stack as the agents (so it is cached, recorded and replayed like any other call).
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import create_model

from agents import registry
from pipeline.case.documents import CaseMaterials
from pipeline.case.loading import load_case
from pipeline.errors import InputError
from pipeline.llm.client import LLM, make_llm
from pipeline.llm.structured import call_structured
from pipeline.case.chunking import chunk_documents, render_documents
from pipeline.agent_kit import as_data
from pipeline.llm.prompts import load_prompt
from pipeline.schemas import CallRecord, Model, PrepReport, text
from pipeline.settings import Settings

NODE = "judge"
PROMPT = "judge"
PROMPT_OVERHEAD_TOKENS = 600  # the rubric and the JSON instruction
SECTION_DATA_DROP = frozenset({"evidence", "citations", "kind"})


class SectionGrade(Model):
    score: Literal[1, 2, 3, 4, 5]
    reason: text(200)


class Judgement(Model):
    """The judge's grades, one per report section."""

    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name).score for name in type(self).model_fields}


@lru_cache(maxsize=4)
def judgement_for(sections: tuple[str, ...]) -> type[Judgement]:
    """The judge's answer: a grade for each of `sections` (the agents' report fields)."""
    return create_model("Judgement", __base__=Judgement, __doc__=Judgement.__doc__,
                        **{name: (SectionGrade, ...) for name in sections})


def judge_settings(settings: Settings, model: str) -> Settings:
    """The eval's settings with the judge's model: a .gguf path runs locally, anything else is a model name."""
    if model.endswith(".gguf"):
        return settings.model_copy(update={"model_path": model, "model": None, "backend": "local"})
    return settings.model_copy(update={"model": model})


async def judge_report(llm: LLM, settings: Settings, report: PrepReport,
                       case: CaseMaterials) -> tuple[Judgement, list[CallRecord]]:
    """Grade each agent's section of the report against the case materials (cut to what fits the context)."""
    prompt = load_prompt(settings.prompts_dir, PROMPT)
    fields = registry.PREPARATION.fields
    sections = {name: as_data(getattr(report, name), SECTION_DATA_DROP) for name in fields}
    report_tokens = llm.counter.count("\n".join(sections.values()))
    budget = settings.n_ctx - settings.max_output_tokens - PROMPT_OVERHEAD_TOKENS - report_tokens
    chunks = chunk_documents(case, max(budget, 256), llm.counter)
    materials = render_documents(chunks[0])
    if len(chunks) > 1:
        materials += "\n[the rest of the materials did not fit the judge's context]"
    return await call_structured(
        llm, settings, node=NODE, prompt=prompt, output=judgement_for(fields),
        messages=prompt.messages(our_side=report.case.our_side or report.deal_profile.our_side,
                                 counterpart=report.case.counterpart or report.deal_profile.counterpart,
                                 materials=materials,
                                 sections="\n".join(f"{k}: {v}" for k, v in sections.items())),
    )


async def judge_case(report: PrepReport, case_path: Path | None, settings: Settings) -> Judgement:
    """Read the case the report was prepared from (`case_path`, else the folder its provenance records) and
    grade the report against it."""
    if case_path is None and not report.provenance.case_path:
        raise InputError(f"the report of '{report.case.name}' does not say where its case materials are; pass --case DIR")
    case = await asyncio.to_thread(load_case, case_path or Path(report.provenance.case_path),
                                   max_file_mb=settings.max_file_mb)
    llm = await asyncio.to_thread(make_llm, settings)
    try:
        judgement, _ = await judge_report(llm, settings, report, case)
    finally:
        await llm.aclose()
    return judgement
