"""`negoprep eval`: run every case of a folder, summarise, and diff against a baseline run."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.diff import diff_markdown, section_diff
from pipeline.errors import BackendError, InputError
from pipeline.io import atomic_write_text
from pipeline.llm.budget import calls_tokens
from pipeline.llm.cassette import ReplayMiss
from pipeline.nodes import close_clients
from pipeline.render import load_report, write_report
from pipeline.run import aprepare
from pipeline.settings import Settings


@dataclass
class CaseResult:
    case: str
    schema_valid: bool
    warnings: int = 0
    tokens: int = 0
    seconds: float = 0.0
    calls: int = 0
    cache_hits: int = 0
    support: float | None = None
    error: str = ""


def list_cases(cases_dir: Path) -> list[Path]:
    """Every sub-folder of `cases_dir` is a case; loose files are cases of their own."""
    entries = sorted(p for p in Path(cases_dir).iterdir() if not p.name.startswith("."))
    if not entries:
        raise InputError(f"{cases_dir}: no cases found")
    return entries


async def _run_case(path: Path, settings: Settings, out_dir: Path, replay_dir: Path | None) -> CaseResult:
    started = time.perf_counter()
    case_settings = settings
    if replay_dir is not None:
        case_settings = settings.model_copy(update={"replay": replay_dir / f"{path.name}.json", "use_cache": False})
    try:
        report = await aprepare(path, case_settings, close=False)
    except (InputError, BackendError, ReplayMiss) as exc:
        return CaseResult(path.name, False, error=str(exc)[:300], seconds=round(time.perf_counter() - started, 2))
    await asyncio.to_thread(write_report, report, out_dir / path.name, kb_dir=settings.kb_dir)
    calls = report.provenance.calls
    return CaseResult(
        case=path.name, schema_valid=True, warnings=len(report.warnings),
        tokens=calls_tokens(calls),
        seconds=round(time.perf_counter() - started, 2), calls=len(calls),
        cache_hits=sum(c.cache in ("hit", "replay") for c in calls), support=report.provenance.support,
    )


async def run_eval(
    cases_dir: Path, settings: Settings, out_dir: Path, *, baseline: Path | None = None,
    replay_dir: Path | None = None, concurrency: int = 1,
) -> list[CaseResult]:
    """Run all cases (at most `concurrency` at once) and write summary.md/json (+ diff.md)."""
    cases = list_cases(cases_dir)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(path: Path) -> CaseResult:
        async with gate:
            return await _run_case(path, settings, out_dir, replay_dir)

    started = time.perf_counter()
    try:
        results = await asyncio.gather(*(one(p) for p in cases))
    finally:
        await close_clients()
    wall = round(time.perf_counter() - started, 2)
    versions = _prompt_versions(out_dir, results)
    summary = {"wall_seconds": wall, "prompts": versions, "cases": [asdict(r) for r in results]}
    if baseline is not None:
        summary["baseline"] = {"path": str(baseline), "prompts": _prompt_versions(baseline, results)}
        atomic_write_text(out_dir / "diff.md", _baseline_diff(baseline, out_dir, results))
    atomic_write_text(out_dir / "summary.json", json.dumps(summary, indent=2) + "\n")
    atomic_write_text(out_dir / "summary.md", summary_markdown(summary))
    return results


def _prompt_versions(run_dir: Path, results: list[CaseResult]) -> dict[str, str]:
    for result in results:
        path = run_dir / result.case / "report.json"
        if path.exists():
            prompts = load_report(path).provenance.prompts
            return {node: f"{p.id} v{p.version} ({p.sha256[:10]})" for node, p in prompts.items()}
    return {}


def _baseline_diff(baseline: Path, out_dir: Path, results: list[CaseResult]) -> str:
    parts = [f"# Diff against {baseline}", ""]
    for result in results:
        old, new = baseline / result.case / "report.json", out_dir / result.case / "report.json"
        if not (old.exists() and new.exists()):
            parts.append(f"### {result.case}\n\nNot comparable (missing report in one of the runs).\n")
            continue
        parts.append(diff_markdown(result.case, section_diff(load_report(old), load_report(new))))
    return "\n".join(parts)


def summary_markdown(summary: dict) -> str:
    lines = ["# Evaluation summary", "", f"Wall time: {summary['wall_seconds']} s", "", "Prompts: " +
             ", ".join(f"{k} = {v}" for k, v in summary["prompts"].items())]
    if "baseline" in summary:
        lines.append("Baseline prompts: " + ", ".join(f"{k} = {v}" for k, v in summary["baseline"]["prompts"].items()))
    lines += ["", "| case | schema-valid | warnings | tokens | time (s) | calls | cache hits | support | error |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in summary["cases"]:
        lines.append(f"| {r['case']} | {'yes' if r['schema_valid'] else 'no'} | {r['warnings']} | {r['tokens']} | "
                     f"{r['seconds']} | {r['calls']} | {r['cache_hits']} | {r['support'] if r['support'] is not None else '-'} | "
                     f"{r['error'].replace('|', '/')} |")
    return "\n".join(lines) + "\n"
