"""Fault tolerance, measured: N seeded runs of a sample case against the stub server with
injected faults of every kind (timeout, 429, 500, truncated body, invalid JSON, schema-invalid JSON).

A run that ends with exit-3-style BackendError (retry budget exhausted by design) is resumed from
its checkpoint against the same server; the figures count how many completed, how many needed a
resume, the retries spent, and the model calls a resume saved (nodes not re-called).

    python benchmarks/faults.py [--runs 50] [--fault-rate 0.3] [--case cases/telco-paysys]
                                [--max-retries 3] [--repair-attempts 2]   # lower them to exercise resume

The last printed line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.errors import BackendError  # noqa: E402
from pipeline.testing.stub_server import StubConfig, run_stub  # noqa: E402
from pipeline.prep.run import aprepare  # noqa: E402
from pipeline.schemas import PrepReport  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402

MAX_RESUMES = 3


async def one_run(case: Path, seed: int, fault_rate: float, workdir: Path, max_retries: int, repairs: int) -> dict:
    config = StubConfig(latency_s=0.001, fault_rate=fault_rate, seed=seed, timeout_sleep_s=1.0)
    result = {"seed": seed, "completed": False, "resumes": 0, "errors": [], "calls_saved_by_resume": 0}
    with run_stub(config) as stub:
        settings = load_settings(backend="openai", base_url=stub.base_url, api_key="bench", use_cache=False,
                                 max_retries=max_retries, retry_backoff_s=0.02, timeout_s=0.5,
                                 repair_attempts=repairs)
        checkpoint = workdir / f"run-{seed}.sqlite"
        resume = False
        for _ in range(MAX_RESUMES + 1):
            before = dict(stub.stats()["nodes"])
            try:
                report = await aprepare(case, settings, checkpoint=checkpoint, resume=resume)
            except BackendError as exc:
                result["errors"].append(str(exc)[:160])
                resume = True
                result["resumes"] += 1
                continue
            PrepReport.model_validate(report.model_dump(mode="json"))
            result["completed"] = True
            if resume:
                after = stub.stats()["nodes"]
                recalled = {n for n in after if after[n] > before.get(n, 0)}
                result["calls_saved_by_resume"] = len({"extract", "challenge", "profile", "merge"} - recalled)
            break
        stats = stub.stats()
    result["requests"] = stats["chat_requests"]
    result["faults"] = {k: v for k, v in stats["faults"].items() if v}
    result["retries"] = sum(c.retries for c in report.provenance.calls) if result["completed"] else None
    result["repairs"] = sum(c.outcome != "ok" for c in report.provenance.calls) if result["completed"] else None
    return result


async def main(args) -> dict:
    case = Path(args.case)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        results = [await one_run(case, seed, args.fault_rate, Path(tmp), args.max_retries, args.repair_attempts)
                   for seed in range(args.runs)]
    faults: dict[str, int] = {}
    for r in results:
        for k, v in r["faults"].items():
            faults[k] = faults.get(k, 0) + v
    summary = {
        "runs": len(results),
        "completed": sum(r["completed"] for r in results),
        "completed_without_resume": sum(r["completed"] and not r["resumes"] for r in results),
        "resumed_runs": sum(bool(r["resumes"]) for r in results),
        "faults_injected": faults,
        "requests": sum(r["requests"] for r in results),
        "extra_requests_spent_on_faults": sum(r["requests"] for r in results) - 4 * sum(r["completed"] for r in results),
        "transport_retries": sum(r["retries"] or 0 for r in results),
        "repair_attempts": sum(r["repairs"] or 0 for r in results),
        "calls_saved_by_resume": sum(r["calls_saved_by_resume"] for r in results),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    for r in results:
        if r["resumes"] or not r["completed"]:
            print(f"seed {r['seed']}: completed={r['completed']} resumes={r['resumes']} saved={r['calls_saved_by_resume']} "
                  f"errors={r['errors']}")
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument("--case", default="cases/telco-paysys")
    parser.add_argument("--max-retries", type=int, default=3, help="transport retries per call")
    parser.add_argument("--repair-attempts", type=int, default=2, help="schema repairs per node")
    print(json.dumps(asyncio.run(main(parser.parse_args()))))
