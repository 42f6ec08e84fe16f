"""Minutes per case with an embedded preset on this machine, and our transport against raw llama-cpp-python.

    python benchmarks/embedded_case.py [--case cases/telco-paysys] [--preset small] [--report out/x/report.json]

Runs `prepare` on the case with the preset (no call cache; run nothing else meanwhile), or reads the
report of such a run (`--report`), and prints one JSON object: minutes for the case, seconds and tokens
per node, completion tokens per second over the run, and `local_backend` — tokens/s of our transport
through the openai client against llama-cpp-python called directly on the same model and prompt, with
their ratio (from `local_backend.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import local_backend  # noqa: E402

from pipeline.llm import models  # noqa: E402
from pipeline.render import load_report  # noqa: E402
from pipeline.run import aprepare  # noqa: E402
from pipeline.settings import Settings  # noqa: E402


def figures(report) -> dict:
    calls = report.provenance.calls
    generated = sum(c.completion_tokens for c in calls)
    seconds = sum(c.seconds for c in calls)
    return {
        "case": report.case.name, "model": report.provenance.model,
        "minutes": round(report.provenance.total_seconds / 60, 2),
        "node_seconds": report.provenance.node_seconds,
        "calls": [{"node": c.node, "prompt_tokens": c.prompt_tokens, "completion_tokens": c.completion_tokens,
                   "seconds": c.seconds} for c in calls],
        "completion_tokens_per_s": round(generated / seconds, 2) if seconds else None,
        "support": report.provenance.support,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default=str(ROOT / "cases" / "telco-paysys"))
    parser.add_argument("--preset", default="small", choices=sorted(models.PRESETS))
    parser.add_argument("--report", help="read this report.json instead of running the case")
    parser.add_argument("--no-raw", action="store_true", help="skip the comparison with raw llama-cpp-python")
    args = parser.parse_args()
    if args.report:
        report = load_report(Path(args.report))
    else:
        settings = Settings(_env_file=None, backend="local", model=args.preset, use_cache=False)
        report = await aprepare(args.case, settings)
    result = figures(report)
    if not args.no_raw:
        path = models.ensure_model(models.PRESETS[args.preset], None)
        result["local_backend"] = await local_backend.compare(256, 2, threads=os.cpu_count(), model_path=path,
                                                              n_ctx=4096)
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
