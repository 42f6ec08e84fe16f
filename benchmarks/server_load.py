"""Load on the team server: N cases from C concurrent clients on the stub backend, against the same batch
in-process.

    python benchmarks/server_load.py [--cases 50] [--clients 8] [--latency 0.05] [--quick]

Starts PostgreSQL, Redis and the team server (pipeline.server.launch, loopback) and the stub server
(synthetic answers after `--latency` seconds). Each case is a copy of tests/data/cases/tiny with a line of its
own. The same batch runs twice through `run_eval` at concurrency C: in-process (`negoprep eval --concurrency
C`) and on the server (`negoprep eval --server URL --concurrency C`: the case's documents are sent as the run's
input, the report comes back and is written here). Figures per side: throughput (cases/s), p50/p95 time to
report per case, errors; then the server/in-process ratios, and a check of the server's own books: one
thread and exactly one successful run per case (none lost, none duplicated). Human-readable lines first; the
LAST line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.quality.evaluate import run_eval  # noqa: E402
from pipeline.server.client import aprepare_remote, get_client  # noqa: E402
from pipeline.server.launch import TeamServer  # noqa: E402
from pipeline.server.team import new_token, token_hash  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from pipeline.testing.stub_server import StubConfig, run_stub  # noqa: E402

ENGAGEMENT = "load"


def make_cases(folder: Path, n: int) -> Path:
    source = ROOT / "tests" / "data" / "cases" / "tiny"
    for i in range(n):
        case = folder / f"case-{i:03d}"
        case.mkdir(parents=True)
        shutil.copy(source / "case.yaml", case / "case.yaml")
        (case / "brief.md").write_text((source / "brief.md").read_text() + f"\nReference number {1000 + i}.\n")
    return folder


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def figures(results, wall: float) -> dict:
    seconds = [r.seconds for r in results if r.schema_valid]
    return {"cases": len(results), "wall_s": round(wall, 2), "throughput_per_s": round(len(seconds) / wall, 3),
            "p50_s": round(percentile(seconds, 50), 3) if seconds else None,
            "p95_s": round(percentile(seconds, 95), 3) if seconds else None,
            "errors": sum(not r.schema_valid for r in results),
            "error_messages": sorted({r.error for r in results if r.error})[:3]}


async def server_books(url: str, settings, n: int) -> dict:
    """Threads and runs the server holds for the batch: one thread, one successful run per case."""
    client = get_client(url, settings)
    threads = await client.threads.search(limit=n + 10)
    runs = [await client.runs.list(t["thread_id"]) for t in threads]
    await client.http.client.aclose()
    statuses = [r["status"] for per_thread in runs for r in per_thread]
    cases = sorted(t["metadata"].get("case", "") for t in threads)
    return {"threads": len(threads), "runs": len(statuses), "successful_runs": statuses.count("success"),
            "distinct_cases": len(set(cases)), "runs_per_thread": sorted({len(r) for r in runs})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.05, help="stub latency per model call (s)")
    parser.add_argument("--quick", action="store_true", help="6 cases, 3 clients (the CI test)")
    args = parser.parse_args()
    if args.quick:
        args.cases, args.clients = 6, 3

    with tempfile.TemporaryDirectory(prefix="negoprep-load-") as tmp, \
            run_stub(StubConfig(latency_s=args.latency)) as stub:
        tmp = Path(tmp)
        cases = make_cases(tmp / "cases", args.cases)
        token = new_token()
        members = tmp / "members.yaml"
        members.write_text(f"users:\n  load:\n    token_sha256: {token_hash(token)}\n    engagements: [{ENGAGEMENT}]\n")
        settings = load_settings(backend="openai", base_url=stub.base_url, api_key="stub", use_cache=False,
                                 cache_dir=tmp / "cache", server_token=token)
        print(f"{args.cases} cases, {args.clients} concurrent clients, stub latency {args.latency}s per call")

        started = time.perf_counter()
        here = asyncio.run(run_eval(cases, settings, tmp / "out-here", concurrency=args.clients))
        in_process = figures(here, time.perf_counter() - started)
        print(f"in-process: {in_process}")

        with TeamServer(tmp / "server", members, jobs=args.clients,
                        env={"NEGOPREP_CACHE_DIR": str(tmp / "server-cache")}) as server:
            async def remote(path, case_settings):
                return await aprepare_remote(path, case_settings, server.url)

            started = time.perf_counter()
            there = asyncio.run(run_eval(cases, settings, tmp / "out-server", concurrency=args.clients,
                                         prepare_case=remote))
            on_server = figures(there, time.perf_counter() - started)
            books = asyncio.run(server_books(server.url, settings, args.cases))
        print(f"team server: {on_server}")
        print(f"server's books: {books}")

    ratio = {k: round(on_server[k] / in_process[k], 2) if in_process[k] and on_server[k] is not None else None
             for k in ("throughput_per_s", "p50_s", "p95_s", "wall_s")}
    print(f"server / in-process: {ratio}")
    print(json.dumps({"cases": args.cases, "clients": args.clients, "latency_s": args.latency,
                      "in_process": in_process, "server": on_server, "ratio": ratio, "books": books}))


if __name__ == "__main__":
    main()
