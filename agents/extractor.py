"""Case extractor: the deal profile, every item with evidence from the materials."""

from __future__ import annotations

import asyncio

from langgraph.runtime import Runtime

from pipeline.materials import chunk_documents, render_documents
from pipeline.nodes import ask, calls_so_far, llm_for, settings_of, timed
from pipeline.profiles import keep_sides, merge_profiles
from pipeline.schemas import DealProfile, Warning
from pipeline.state import PrepState

PROMPT = "extractor"
PROMPT_OVERHEAD_TOKENS = 900


async def extract(state: PrepState, runtime: Runtime) -> dict:
    async with timed("extract", {}) as update:
        settings = settings_of(runtime)
        case = state["case"]
        budget = settings.n_ctx - settings.max_output_tokens - PROMPT_OVERHEAD_TOKENS
        chunks = chunk_documents(case, budget, (await llm_for(settings)).counter)
        gate = asyncio.Semaphore(settings.chunk_concurrency)

        async def extract_chunk(chunk):
            async with gate:
                return await ask(
                    runtime, node="extract", prompt_name=PROMPT, output=DealProfile, spent=calls_so_far(state),
                    materials=render_documents(chunk), our_side=case.our_side, counterpart=case.counterpart,
                    language=case.language, feedback="",
                )

        results = await asyncio.gather(*(extract_chunk(chunk) for chunk in chunks))
        profiles = [profile for profile, _ in results]
        calls = [c for _, call_update in results for c in call_update["calls"]]
        call_update = results[-1][1]
        update.update(deal_profile=keep_sides(merge_profiles(profiles), case.our_side, case.counterpart),
                      calls=calls, prompts=call_update["prompts"])
        if len(chunks) > 1:
            update["warnings"] = [Warning(
                code="chunked",
                message=f"the materials exceed the model's context ({settings.n_ctx} tokens); "
                        f"they were extracted in {len(chunks)} chunks and the results merged",
            )]
    return update
