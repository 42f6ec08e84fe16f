"""Prompt-lookup decoding against plain decoding, on one recorded call of the embedded model.

    python benchmarks/prompt_lookup.py [--cassette tests/cassettes/mixed-formats.json] [--node extract] [--draft 10]

Sends the recorded request (materials, task, JSON schema) to llama-cpp-python twice on the preset's model,
once plain and once with `LlamaPromptLookupDecoding` drafting `--draft` tokens copied from the prompt, and
prints one JSON object: completion tokens and seconds of each, tokens/s, the ratio (lookup / plain) and
whether the two answers are the same. Run nothing else meanwhile.

llama-cpp-python checks a draft only with every position's logits kept (`logits_all`), so the lookup run
also computes the output layer for each prompt token: that is part of what it costs.
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


def recorded_request(cassette: Path, node: str) -> dict:
    """The first recorded request of `node`, as llama-cpp-python's chat completion takes it."""
    request = next(i["request"] for i in json.loads(cassette.read_text())["interactions"] if i["node"] == node)
    kwargs = {k: request[k] for k in ("messages", "temperature", "seed", "max_tokens") if k in request}
    kwargs["repeat_penalty"] = request.get("repeat_penalty", 1.0)
    if request.get("response_format", {}).get("type") == "json_schema":
        kwargs["response_format"] = {"type": "json_object",
                                     "schema": request["response_format"]["json_schema"]["schema"]}
    return kwargs


def timed_run(model_path: Path, request: dict, draft: int) -> dict:
    """One completion on a freshly loaded model (no cached prefix), with `draft` lookup tokens (0 = plain)."""
    from llama_cpp import Llama
    from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

    threads = os.cpu_count() or 1
    llama = Llama(model_path=str(model_path), n_ctx=8192, n_threads=threads, n_threads_batch=threads, seed=0,
                  verbose=False, logits_all=bool(draft),
                  draft_model=LlamaPromptLookupDecoding(num_pred_tokens=draft) if draft else None)
    started = time.perf_counter()
    result = llama.create_chat_completion(**request)
    seconds = time.perf_counter() - started
    tokens = result["usage"]["completion_tokens"]
    return {"completion_tokens": tokens, "seconds": round(seconds, 1), "tokens_per_s": round(tokens / seconds, 2),
            "answer": result["choices"][0]["message"]["content"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cassette", default=str(ROOT / "tests" / "cassettes" / "mixed-formats.json"))
    parser.add_argument("--node", default="extract")
    parser.add_argument("--draft", type=int, default=10, help="tokens the lookup drafts at a time")
    parser.add_argument("--preset", default="small", choices=sorted(models.PRESETS))
    args = parser.parse_args()
    path = models.ensure_model(models.PRESETS[args.preset], None)
    request = recorded_request(Path(args.cassette), args.node)
    plain, lookup = timed_run(path, request, 0), timed_run(path, request, args.draft)
    print(json.dumps({
        "model": path.name, "cassette": Path(args.cassette).name, "node": args.node, "draft_tokens": args.draft,
        "plain": {k: v for k, v in plain.items() if k != "answer"},
        "lookup": {k: v for k, v in lookup.items() if k != "answer"},
        "tokens_per_s_ratio": round(lookup["tokens_per_s"] / plain["tokens_per_s"], 3),
        "same_answer": plain["answer"] == lookup["answer"],
    }))


if __name__ == "__main__":
    main()
