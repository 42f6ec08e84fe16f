"""Grammar-constrained decoding: llama-cpp-python's own sampler against the best-token-first one.

    python benchmarks/grammar_sampling.py --cassette tests/cassettes/telco-paysys.json --calls 3,4,6

Replays recorded calls (their messages and JSON schema) on the small preset, once with each sampler
on a fresh model: the prompt is evaluated first, then the answer is timed alone. Prints one JSON object
per call: completion tokens, seconds and tokens/s for each sampler, their ratio, and whether the two
answers are identical (they must be: both take the best token the grammar allows).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.llm import models  # noqa: E402
from pipeline.llm.greedy_grammar import fast_grammar_llama  # noqa: E402


def answer(llama, request: dict) -> tuple[str, int, float]:
    """The recorded call's answer from this model: text, completion tokens, seconds after the prompt."""
    schema = request["response_format"]["json_schema"]["schema"]
    llama.create_chat_completion(messages=request["messages"], max_tokens=1, temperature=0.0)
    started = time.perf_counter()
    result = llama.create_chat_completion(
        messages=request["messages"], max_tokens=request.get("max_tokens"), temperature=0.0,
        seed=request.get("seed"), repeat_penalty=1.2, response_format={"type": "json_object", "schema": schema})
    return result["choices"][0]["message"]["content"], result["usage"]["completion_tokens"], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cassette", required=True)
    parser.add_argument("--calls", default="0", help="indices of the recorded calls, comma-separated")
    parser.add_argument("--preset", default="small", choices=sorted(models.PRESETS))
    args = parser.parse_args()
    from llama_cpp import Llama

    interactions = json.loads(Path(args.cassette).read_text())["interactions"]
    path = str(models.ensure_model(models.PRESETS[args.preset], None))
    threads = os.cpu_count()
    runs: dict[str, list] = {}
    for name, cls in (("llama_cpp", Llama), ("best_first", fast_grammar_llama())):
        llama = cls(model_path=path, n_ctx=8192, n_threads=threads, n_threads_batch=threads, seed=0, verbose=False)
        runs[name] = [answer(llama, interactions[int(i)]["request"]) for i in args.calls.split(",")]
        del llama
    for index, ((text_a, n_a, s_a), (text_b, n_b, s_b)) in zip(args.calls.split(","), zip(*runs.values())):
        print(json.dumps({
            "call": int(index), "node": interactions[int(index)]["node"], "threads": threads,
            "llama_cpp": {"completion_tokens": n_a, "seconds": round(s_a, 1), "tokens_per_s": round(n_a / s_a, 2)},
            "best_first": {"completion_tokens": n_b, "seconds": round(s_b, 1), "tokens_per_s": round(n_b / s_b, 2)},
            "seconds_ratio": round(s_b / s_a, 3), "same_answer": text_a == text_b}))


if __name__ == "__main__":
    main()
