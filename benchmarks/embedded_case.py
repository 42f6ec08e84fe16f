"""Minutes per case with an embedded preset on this machine, and our transport against raw llama-cpp-python.

    python benchmarks/embedded_case.py [--case cases/telco-paysys] [--preset small]
    python benchmarks/embedded_case.py --cassette tests/cassettes/telco-paysys.json   # a recorded run

Runs `prepare` on the case with the preset (no call cache; run nothing else meanwhile) and records it, or
reads such a recording, and prints one JSON object: wall minutes (live runs), model minutes (the time
llama.cpp spent on each call, from the recording), prompt and completion tokens per call, completion
tokens per second of model time, and `local_backend`: tokens/s of our transport through the openai
client against llama-cpp-python called directly on the same model and prompt, and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import local_backend  # noqa: E402

from pipeline.llm import models  # noqa: E402
from pipeline.prep.run import aprepare  # noqa: E402
from pipeline.settings import Settings  # noqa: E402


def figures(cassette: Path) -> dict:
    """Per call and in total: tokens and llama.cpp's own seconds, as recorded."""
    data = json.loads(cassette.read_text())
    calls = [{"node": i["node"], **{k: i["response"]["body"]["usage"].get(k)
                                    for k in ("prompt_tokens", "completion_tokens", "seconds")}}
             for i in data["interactions"]]
    seconds = sum(c["seconds"] or 0 for c in calls)
    generated = sum(c["completion_tokens"] or 0 for c in calls)
    return {"model": data["meta"].get("model"), "model_minutes": round(seconds / 60, 2), "calls": calls,
            "prompt_tokens": sum(c["prompt_tokens"] or 0 for c in calls), "completion_tokens": generated,
            "completion_tokens_per_model_s": round(generated / seconds, 2) if seconds else None}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default=str(ROOT / "cases" / "telco-paysys"))
    parser.add_argument("--preset", default="small", choices=sorted(models.PRESETS))
    parser.add_argument("--cassette", help="read this recorded run instead of running the case")
    parser.add_argument("--no-raw", action="store_true", help="skip the comparison with raw llama-cpp-python")
    args = parser.parse_args()
    result: dict = {}
    if args.cassette:
        result.update(figures(Path(args.cassette)))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            cassette = Path(tmp) / "run.json"
            settings = Settings(_env_file=None, backend="local", model=args.preset, use_cache=False, record=cassette)
            started = time.perf_counter()
            await aprepare(args.case, settings)
            result["wall_minutes"] = round((time.perf_counter() - started) / 60, 2)
            result.update(figures(cassette))
    if not args.no_raw:
        path = models.ensure_model(models.PRESETS[args.preset], None)
        result["local_backend"] = await local_backend.compare(256, 2, threads=os.cpu_count(), model_path=path,
                                                              n_ctx=4096)
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
