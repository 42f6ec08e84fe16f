"""Performance benchmark: critical-path latency, batch throughput, overhead and token cost.

    python benchmarks/run.py [--quick] [--no-local] [--profile]

Runs the real pipeline (`aprepare` / `run_eval`, the normal openai client over HTTP) against
the fault-free stub server (`pipeline.testing.stub_server`) on loopback. The stub answers every
call after `L + per_token * completion_tokens` seconds, with *synthetic* content (never model
output). Human-readable lines first; the LAST line printed is one JSON object. Figures:

single_case_ratio   wall time of one `aprepare` of the sample case / its critical path.
                    The calls: extract, challenge, profile, merge. Critical path
                    = sum over the sequential nodes (extract, merge) plus
                    max(challenge, profile) of each call's L + per_token * completion tokens
                    (completion tokens as the stub reported them) = 3*L + token time here.
                    Median of several runs. Target <= 1.10 at L = 500 ms.
sequential_ratio    the same wall time / the naive sum of all four calls' latencies (what a fully
                    sequential pipeline would take). ~0.75 expected as challenge || profile; with
                    the token time it is critical path / sum (`single_case.ideal_sequential_ratio`).
batch_ratio         `run_eval` of N copies of the case at concurrency C (writes json/md/html per
                    case) / (ceil(N/C) * the slowest case's critical path). Target <= 1.15.
                    `batch.peak_calls_in_flight` (the stub's handler is wrapped to count) shows the
                    transport is not the limit: the client allows 32 connections, the stub runs a
                    thread per connection, so all 2*C concurrent calls are served at once.
overhead_ms         median per-case time with L = 0: `aprepare` (graph, validation, model calls
                    over loopback HTTP incl. the in-process stub's own ~0.5 ms/call; with --stub-process
                    the stub runs in a process of its own, its CPU outside the measured one) plus
                    `write_report` (json, md, html) into a temp dir. Target < 50 ms.
                    `overhead.breakdown_ms` splits it; `overhead.cpu_ms` gives the process's CPU time per
                    stage (node, the graph's own, write_report), `overhead.gc_ms` the garbage collector's
                    share of that CPU; `--profile` prints a cProfile of it.
outside_model_ms_per_page  at the largest size of the input-size curve: (wall - critical path) / pages,
                    the time per page of input spent outside model calls (an upper bound: see below).
tokens_per_case     prompt + completion tokens of all calls of one case, from
                    report.provenance.calls (the stub counts chars/4, as its usage says);
                    `tokens` has them per node and relative to the case's own token count.
input_size_curve    a synthetic case, >= 500 (about 550) words per page (benchmarks/synthetic_case.py),
                    at several sizes, default n_ctx (8192) so extraction is chunked: wall time,
                    calls, tokens per size, time per page, and a linear fit (slope, R^2).
                    `critical_path_s` there is a lower bound on model time (extract calls run
                    --chunk-concurrency at a time), so `non_model_s` is an upper bound.
overhead cases      every measured case (overhead, batch) is a copy of the sample case with a
                    line of its own appended, so content-keyed caches (token counts, the
                    verification index) never carry over from one case to the next.
local_backend_ratio tokens/s of our LocalTransport through the openai client / tokens/s of
                    llama-cpp-python's create_chat_completion called directly (same GGUF, prompt,
                    max_tokens, temperature 0, threads). Target >= 0.95. null if llama_cpp or
                    the model is missing, or with --no-local. Threads default to half the cores:
                    llama.cpp threads spin-wait, so on a busy machine all cores is very noisy.

All times are time.perf_counter(). The machine may be busy: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import io
import itertools
import json
import math
import os
import pstats
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
for _name in [n for n in os.environ if n.startswith(("NEGOPREP_", "OPENAI_"))]:
    del os.environ[_name]  # settings come from this script only, not from the developer's env

import local_backend  # noqa: E402
from synthetic_case import WORDS_PER_PAGE, write_case  # noqa: E402

from agents.registry import at_stage  # noqa: E402
from pipeline.quality.evaluate import run_eval  # noqa: E402
from pipeline.testing import stub_server  # noqa: E402
from pipeline.testing.stub_server import StubConfig, run_stub  # noqa: E402
from pipeline.llm.client import make_llm  # noqa: E402
from pipeline.report.render import load_report, write_report  # noqa: E402
from pipeline.prep.run import NodeEvent, aprepare  # noqa: E402
from pipeline.schemas import CallRecord  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

MODES = {
    "full": dict(latency_s=0.5, per_token_s=0.001, repeats=3, batch=24, concurrency=8, overhead_runs=15,
                 pages=(25, 75, 150, 300), local_tokens=256, local_repeats=3),
    "quick": dict(latency_s=0.05, per_token_s=0.0001, repeats=2, batch=12, concurrency=4, overhead_runs=5,
                  pages=(5, 10, 20, 40), local_tokens=64, local_repeats=2),
}
PARALLEL = tuple(agent.node for agent in at_stage(2))


def say(line: str = "") -> None:
    print(line, flush=True)


def settings_for(stub, **extra) -> Settings:
    """The pipeline's settings against this stub: no cache, no env, no repair call."""
    return Settings(_env_file=None, backend="openai", base_url=stub.base_url, api_key="bench",
                    use_cache=False, **extra)


def call_latency(call: CallRecord, cfg: StubConfig) -> float:
    """What the stub makes this call take: L plus the per-token time of its answer."""
    return cfg.latency_s + cfg.per_token_s * call.completion_tokens


def critical_path(calls: list[CallRecord], cost, slots: int = 1) -> float:
    """Sequential nodes add up; of the parallel branches (challenge, profile) only the longer counts.

    With `slots` > 1 a node's calls may run that many at once (chunked extraction), so a node
    takes at least its longest call and at least its total / slots: the result is a lower bound."""
    per_node: dict[str, list[float]] = defaultdict(list)
    for call in calls:
        per_node[call.node].append(cost(call))
    span = {node: max(max(costs), sum(costs) / slots) for node, costs in per_node.items()}
    branches = max(span.pop(node, 0.0) for node in PARALLEL)
    return branches + sum(span.values())


def nodes_critical(node_seconds: dict[str, float]) -> float:
    """Node wall times along the critical path (the parallel branches overlap)."""
    rest = {k: v for k, v in node_seconds.items() if k not in PARALLEL}
    return sum(rest.values()) + max(node_seconds.get(node, 0.0) for node in PARALLEL)


@contextmanager
def peak_in_flight():
    """Counts how many chat answers the stub is producing at once (its handler wrapped for the block; None when
    the stub runs in a process of its own)."""
    if STUB_PROCESS:
        yield {"peak": None}
        return
    original = stub_server._Handler._completion
    lock, state = threading.Lock(), {"now": 0, "peak": 0}

    def completion(self, body, stub, content):
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        try:
            return original(self, body, stub, content)
        finally:
            with lock:
                state["now"] -= 1

    stub_server._Handler._completion = completion
    try:
        yield state
    finally:
        stub_server._Handler._completion = original


STUB_PROCESS = False
"""--stub-process: the stub in a process of its own (`stub`)."""


class _StubProcess:
    """The stub server run as `python -m pipeline.testing.stub_server` in a process of its own."""

    def __init__(self, cfg: StubConfig):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.testing.stub_server", "--port", str(port), "--latency", str(cfg.latency_s),
             "--per-token", str(cfg.per_token_s), "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])})
        self.process.stdout.readline()  # the banner: serving

    def stats(self) -> dict:
        return {"chat_requests": None}

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.communicate(timeout=10)


@contextmanager
def stub(cfg: StubConfig):
    """The stub for `cfg`: in this process (its threads), or with --stub-process in a process of its own."""
    if not STUB_PROCESS:
        with run_stub(cfg) as server:
            yield server
        return
    server = _StubProcess(cfg)
    try:
        yield server
    finally:
        server.stop()


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least squares y = a + b*x: (a, b, R^2)."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    return a, b, (1 - ss_res / ss_tot) if ss_tot else 1.0


_COPIES = itertools.count(1)


def distinct_copy(case: Path, parent: Path) -> Path:
    """A copy of the case folder under `parent` whose first document ends with a line of its own, so
    content-keyed caches (token counts, the verification index) cannot carry one measured case over
    to the next: every case is measured as if new."""
    n = next(_COPIES)
    dest = shutil.copytree(case, parent / f"{case.name}-copy-{n:03d}")
    first = min(p for p in dest.iterdir() if p.suffix in (".md", ".txt"))
    with first.open("a", encoding="utf-8") as fh:
        fh.write(f"\n\nCopy {n} of the case, made for the benchmark.\n")
    return dest


# -- figures ---------------------------------------------------------------------------------------

async def cold_start(case: Path) -> float:
    """The first case of a process (tokenizer, knowledge-base index, templates loaded); also a warm-up."""
    with stub(StubConfig()) as server:
        started = time.perf_counter()
        await aprepare(case, settings_for(server))
        return time.perf_counter() - started


async def single_case(case: Path, cfg: StubConfig, repeats: int) -> dict:
    runs = []
    with stub(cfg) as server:
        settings = settings_for(server)
        for _ in range(repeats):
            started = time.perf_counter()
            report = await aprepare(case, settings)
            wall = time.perf_counter() - started
            calls = report.provenance.calls
            runs.append({"wall_s": wall, "critical_path_s": critical_path(calls, lambda c: call_latency(c, cfg)),
                         "sequential_s": sum(call_latency(c, cfg) for c in calls), "report": report})
    middle = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
    return {
        "calls": [c.node for c in middle["report"].provenance.calls],
        "wall_s": round(middle["wall_s"], 3), "critical_path_s": round(middle["critical_path_s"], 3),
        "sequential_s": round(middle["sequential_s"], 3),
        "ratio": round(middle["wall_s"] / middle["critical_path_s"], 3),
        "sequential_ratio": round(middle["wall_s"] / middle["sequential_s"], 3),
        "ideal_sequential_ratio": round(middle["critical_path_s"] / middle["sequential_s"], 3),
        "runs_wall_s": [round(r["wall_s"], 3) for r in runs],
        "node_seconds": middle["report"].provenance.node_seconds,
        "report": middle["report"],
    }


async def batch(case: Path, cfg: StubConfig, n: int, concurrency: int, tmp: Path) -> dict:
    cases, out = tmp / "batch-cases", tmp / "batch-out"
    for _ in range(n):
        distinct_copy(case, cases)
    with stub(cfg) as server, peak_in_flight() as in_flight:
        started = time.perf_counter()
        results = await run_eval(cases, settings_for(server), out, concurrency=concurrency)
        wall = time.perf_counter() - started
        chat_requests = server.stats()["chat_requests"]
    ok = [r for r in results if r.schema_valid]
    crit = max(critical_path(load_report(out / r.case / "report.json").provenance.calls,
                             lambda c: call_latency(c, cfg)) for r in ok)
    waves = math.ceil(n / concurrency)
    return {
        "n": n, "concurrency": concurrency, "failed": len(results) - len(ok), "chat_requests": chat_requests,
        "peak_calls_in_flight": in_flight["peak"],
        "wall_s": round(wall, 3), "critical_path_s": round(crit, 3), "waves": waves,
        "ideal_s": round(waves * crit, 3), "ratio": round(wall / (waves * crit), 3),
        "case_seconds_median": round(statistics.median(r.seconds for r in ok), 3),
        "case_seconds_max": max(r.seconds for r in ok),
    }


class StageCpu:
    """CPU seconds of the process per stage of a run (`on_node` events): the CPU between two events is shared
    by the nodes running then (challenge and profile overlap); none running, it is the graph's own
    (`graph_other`: compile, client setup, scheduling). Includes the stub's handling of calls when it runs in this process."""

    def __init__(self):
        self.running: set[str] = set()
        self.cpu: dict[str, float] = defaultdict(float)
        self.last = time.process_time()

    def _spend(self) -> None:
        now = time.process_time()
        share = (now - self.last) / max(1, len(self.running))
        for node in self.running or {"graph_other"}:
            self.cpu[node] += share
        self.last = now

    def __call__(self, event: NodeEvent) -> None:
        self._spend()
        (self.running.add if event.status == "started" else self.running.discard)(event.node)

    def finish(self, stage: str | None = None) -> None:
        """Close the run's accounts; with `stage`, the CPU since the last event is that stage's."""
        if stage:
            self.running = {stage}
        self._spend()
        self.running = set()


class GcCpu:
    """Process CPU spent in the garbage collector per generation (`gc.callbacks`) while it is registered: part of
    the stages' CPU above, shown apart because a run's garbage, not its work, decides it."""

    def __init__(self):
        self.cpu = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._start = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.cpu[info["generation"]] += time.process_time() - self._start
            self.count[info["generation"]] += 1

    def __enter__(self) -> GcCpu:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self)


async def overhead(case: Path, runs: int, tmp: Path, shared_client: bool, profiler=None) -> dict:
    """Per-case time with L = 0: aprepare + write_report (json, md, html); medians over `runs`.

    The breakdown adds up along the critical path: model calls (client-side seconds, i.e.
    HTTP + the openai client + the stub's ~0.5 ms handling), the nodes' own work around them,
    the rest of aprepare (graph compile, client setup/teardown, scheduling), and write_report.
    `cpu_ms` is the process's CPU time per stage (`StageCpu`), medians over the runs; `gc_ms` the garbage
    collector's share of it per case (means over the runs, by generation)."""
    rows, cpu_rows = [], []
    with stub(StubConfig()) as server, GcCpu() as collector:
        settings = settings_for(server)
        shared = make_llm(settings) if shared_client else None
        for i in range(runs):
            copy = distinct_copy(case, tmp / "overhead-cases")
            stages = StageCpu()
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            report = await aprepare(copy, settings, llm=shared, on_node=stages)
            prepared = time.perf_counter()
            stages.finish("graph_other")
            write_report(report, tmp / f"overhead-{shared_client}-{profiler is not None}-{i}", kb_dir=settings.kb_dir)
            written = time.perf_counter()
            stages.finish("write_report")
            cpu_rows.append(stages.cpu)
            if profiler:
                profiler.disable()
            nodes = nodes_critical(report.provenance.node_seconds)
            calls = critical_path(report.provenance.calls, lambda c: c.seconds)
            rows.append({
                "total": written - started, "model_calls": calls, "nodes_without_calls": nodes - calls,
                "graph_and_client_other": (prepared - started) - nodes, "write_report": written - prepared,
                **{f"node:{k}": v for k, v in report.provenance.node_seconds.items()},
            })
        if shared is not None:
            await shared.aclose()
    ms = {k: round(1000 * statistics.median(r.get(k, 0.0) for r in rows), 1) for k in rows[0]}
    cpu = {k: round(1000 * statistics.median(r.get(k, 0.0) for r in cpu_rows), 1)
           for k in dict.fromkeys(k for r in cpu_rows for k in r)}
    gc_ms = {f"gen{g}": round(1000 * collector.cpu[g] / runs, 1) for g in range(3)}
    return {"median_ms": ms.pop("total"), "runs_ms": [round(1000 * r["total"], 1) for r in rows], "breakdown_ms": ms,
            "cpu_ms": cpu, "gc_ms": {"total": round(sum(gc_ms.values()), 1), **gc_ms},
            "gc_collections": {f"gen{g}": collector.count[g] for g in range(3)}}


def token_table(report) -> dict:
    per_node: dict[str, dict[str, int]] = {}
    for call in report.provenance.calls:
        row = per_node.setdefault(call.node, {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0})
        row["calls"] += 1
        row["prompt_tokens"] += call.prompt_tokens
        row["completion_tokens"] += call.completion_tokens
    total = sum(r["prompt_tokens"] + r["completion_tokens"] for r in per_node.values())
    chars = sum(d.chars for d in report.case.documents)
    return {
        "per_node": per_node, "prompt_tokens": sum(r["prompt_tokens"] for r in per_node.values()),
        "completion_tokens": sum(r["completion_tokens"] for r in per_node.values()), "total": total,
        "case_token_count": report.case.token_count, "case_token_encoding": report.case.token_encoding,
        "total_per_case_token": round(total / report.case.token_count, 2),
        "total_per_case_chars_div_4": round(total / (chars / 4), 2),
    }


async def input_size_curve(pages_list: tuple[int, ...], cfg: StubConfig, tmp: Path) -> dict:
    points = []
    with stub(cfg) as server:
        settings = settings_for(server)
        for pages in pages_list:
            folder = write_case(tmp / f"synthetic-{pages}p", pages)
            stages = StageCpu()
            started = time.perf_counter()
            report = await aprepare(folder, settings, on_node=stages)
            wall = time.perf_counter() - started
            stages.finish("graph_other")
            calls = report.provenance.calls
            crit = critical_path(calls, lambda c: call_latency(c, cfg), slots=settings.chunk_concurrency)
            words = sum(len(f.read_text(encoding="utf-8").split()) for f in folder.glob("*.md"))
            points.append({
                "pages": pages, "words": words, "case_tokens": report.case.token_count, "wall_s": round(wall, 3),
                "critical_path_s": round(crit, 3), "non_model_s": round(wall - crit, 3),
                "calls": len(calls), "extract_calls": sum(c.node == "extract" for c in calls),
                "prompt_tokens": sum(c.prompt_tokens for c in calls),
                "completion_tokens": sum(c.completion_tokens for c in calls),
                "ms_per_page": round(1000 * wall / pages, 1),
                "outside_model_ms_per_page": round(1000 * (wall - crit) / pages, 1),
                "cpu_ms": {k: round(1000 * v, 1) for k, v in stages.cpu.items()},
                "node_seconds": report.provenance.node_seconds,
            })
    intercept, slope, r2 = linear_fit([p["pages"] for p in points], [p["wall_s"] for p in points])
    _, _, r2_calls = linear_fit([p["pages"] for p in points], [p["calls"] for p in points])
    return {"min_words_per_page": WORDS_PER_PAGE, "n_ctx": settings.n_ctx, "latency_s": cfg.latency_s,
            "points": points, "fit_intercept_s": round(intercept, 3), "fit_ms_per_page": round(1000 * slope, 1),
            "r2": round(r2, 4), "r2_calls": round(r2_calls, 4)}


# -- main ------------------------------------------------------------------------------------------

async def main(args: argparse.Namespace) -> dict:
    global STUB_PROCESS
    STUB_PROCESS = args.stub_process
    mode = MODES["quick" if args.quick else "full"]
    latency = args.latency if args.latency is not None else mode["latency_s"]
    cfg = StubConfig(latency_s=latency, per_token_s=mode["per_token_s"])
    case = Path(args.case).resolve()
    say(f"negoprep benchmark ({'quick' if args.quick else 'full'}): case {case.name}, L = {1000 * latency:.0f} ms, "
        f"{1000 * cfg.per_token_s:.2f} ms per output token, stub on 127.0.0.1"
        f"{' in a process of its own' if STUB_PROCESS else ' in this process'}")

    cold = await cold_start(case)
    say(f"cold start (first case in the process, L = 0): {1000 * cold:.0f} ms")

    single = await single_case(case, cfg, mode["repeats"])
    report = single.pop("report")
    say(f"single case: wall {single['wall_s']:.3f} s, critical path {single['critical_path_s']:.3f} s -> "
        f"ratio {single['ratio']:.3f} (target <= 1.10 at L = 500 ms); naive sequential {single['sequential_s']:.3f} s -> "
        f"{single['sequential_ratio']:.3f} (ideal {single['ideal_sequential_ratio']:.3f}); runs {single['runs_wall_s']} s")

    tokens = token_table(report)
    say(f"tokens per case: {tokens['total']} ({tokens['prompt_tokens']} prompt + {tokens['completion_tokens']} completion) "
        f"= {tokens['total_per_case_token']} x the case's {tokens['case_token_count']} tokens")
    for node, row in tokens["per_node"].items():
        say(f"  {node:<15} calls {row['calls']}  prompt {row['prompt_tokens']:>6}  completion {row['completion_tokens']:>5}")

    with tempfile.TemporaryDirectory(prefix="negoprep-bench-") as name:
        tmp = Path(name)
        bat = await batch(case, cfg, mode["batch"], mode["concurrency"], tmp)
        say(f"batch: {bat['n']} cases at concurrency {bat['concurrency']}: wall {bat['wall_s']:.3f} s vs "
            f"{bat['waves']} x {bat['critical_path_s']:.3f} s -> ratio {bat['ratio']:.3f} (target <= 1.15 at L = 500 ms); "
            f"{bat['failed']} failed; per case median {bat['case_seconds_median']} s, max {bat['case_seconds_max']} s; "
            f"peak {bat['peak_calls_in_flight']} calls in flight at the stub")

        over = await overhead(case, mode["overhead_runs"], tmp, shared_client=False)
        shared = await overhead(case, mode["overhead_runs"], tmp, shared_client=True)
        say(f"overhead at L = 0 (aprepare + write_report json/md/html): median {over['median_ms']:.1f} ms per case (target < 50 ms); "
            f"with one shared client (as run_eval): {shared['median_ms']:.1f} ms")
        for key, value in over["breakdown_ms"].items():
            say(f"  {key:<26} {value:8.1f} ms")
        say(f"  CPU per stage (process CPU, medians; {sum(over['cpu_ms'].values()):.1f} ms in all):")
        for key, value in over["cpu_ms"].items():
            say(f"    {key:<24} {value:8.1f} ms")
        gc_ms, collections = over["gc_ms"], over["gc_collections"]
        say(f"  of which garbage collection: {gc_ms['total']:.1f} ms per case (gen0 {gc_ms['gen0']}, gen1 "
            f"{gc_ms['gen1']}, gen2 {gc_ms['gen2']} ms; {collections['gen0']}/{collections['gen1']}/"
            f"{collections['gen2']} collections in {mode['overhead_runs']} cases)")
        if args.profile:
            profiler = cProfile.Profile()
            await overhead(case, mode["overhead_runs"], tmp, shared_client=False, profiler=profiler)
            buffer = io.StringIO()
            stats = pstats.Stats(profiler, stream=buffer)
            stats.sort_stats("tottime").print_stats(20)
            stats.sort_stats("cumulative").print_stats(r"pipeline|agents|jinja2/environment|httpx/_config", 30)
            say(f"cProfile of {mode['overhead_runs']} overhead cases (profiler-inflated times):")
            say(buffer.getvalue())

        curve = await input_size_curve(tuple(args.pages or mode["pages"]), cfg, tmp)
    say(f"input-size curve (n_ctx {curve['n_ctx']}, L = {1000 * latency:.0f} ms):")
    for p in curve["points"]:
        say(f"  {p['pages']:>4} pages {p['case_tokens']:>7} tokens: wall {p['wall_s']:7.2f} s, {p['calls']:>3} calls "
            f"({p['extract_calls']} extract), {p['prompt_tokens']:>7} prompt + {p['completion_tokens']:>6} completion "
            f"tokens, {p['ms_per_page']:6.1f} ms/page, at most {p['non_model_s']:.2f} s outside model calls "
            f"({p['outside_model_ms_per_page']:.1f} ms/page)")
        say("       CPU per stage: " + ", ".join(f"{k} {v:.0f} ms" for k, v in p["cpu_ms"].items()))
    say(f"  linear fit: {curve['fit_ms_per_page']} ms/page + {curve['fit_intercept_s']} s, R^2 = {curve['r2']}")

    why_not = "skipped (--no-local)" if args.no_local else local_backend.available()
    if why_not:
        say(f"local backend: {why_not}")
        local = {"skipped": why_not}
    else:
        threads = args.local_threads or max(1, (os.cpu_count() or 2) // 2)
        local = await local_backend.compare(mode["local_tokens"], mode["local_repeats"], threads=threads)
        say(f"local backend ({local['model']}, {local['threads']} threads, max_tokens {local['max_tokens']}): ours "
            f"{local['ours_tokens_per_s']} tok/s vs direct llama-cpp {local['direct_tokens_per_s']} tok/s -> ratio "
            f"{local['ratio']} (target >= 0.95)")

    return {
        "single_case_ratio": single["ratio"], "sequential_ratio": single["sequential_ratio"],
        "batch_ratio": bat["ratio"], "overhead_ms": over["median_ms"],
        "outside_model_ms_per_page": curve["points"][-1]["outside_model_ms_per_page"],
        "local_backend_ratio": local.get("ratio"), "tokens_per_case": tokens["total"],
        "input_size_curve": curve,
        "config": {"mode": "quick" if args.quick else "full", "case": case.name, "latency_s": latency,
                   "stub_process": STUB_PROCESS,
                   "per_token_s": cfg.per_token_s, "repeats": mode["repeats"]},
        "cold_start_ms": round(1000 * cold, 1),
        "single_case": single, "batch": bat, "overhead": over,
        "overhead_shared_client": shared, "tokens": tokens, "local_backend": local,
        "targets_met": {
            "single_case_ratio<=1.10": single["ratio"] <= 1.10, "batch_ratio<=1.15": bat["ratio"] <= 1.15,
            "overhead_ms<50": over["median_ms"] < 50,
            "outside_model_ms_per_page<=30": curve["points"][-1]["outside_model_ms_per_page"] <= 30,
            "local_backend_ratio>=0.95": None if "ratio" not in local else local["ratio"] >= 0.95,
        },
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small latencies, batch and sizes (< 1 minute)")
    parser.add_argument("--no-local", action="store_true", help="skip the local-backend comparison")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the overhead runs")
    parser.add_argument("--stub-process", action="store_true",
                        help="run the stub server in a process of its own (its CPU not in this process's)")
    parser.add_argument("--case", default=str(ROOT / "cases" / "telco-paysys"), help="the sample case folder")
    parser.add_argument("--latency", type=float, default=None, help="per-call latency L in seconds")
    parser.add_argument("--pages", type=int, nargs="+", default=None, help="input-size curve sizes in pages")
    parser.add_argument("--local-threads", type=int, default=None,
                        help="threads for both local sides (default: half the cores)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    result = asyncio.run(main(parse_args()))
    print(json.dumps(result, separators=(",", ":")), flush=True)
