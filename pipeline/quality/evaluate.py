"""`negoprep eval`: run every case of a folder, summarise, and diff against a baseline run."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from agents import registry
from pipeline.quality.answer_key import CompiledKey, key_for_case, load_key
from pipeline.report.diff import diff_markdown, section_diff
from pipeline.errors import BackendError, InputError
from pipeline.files import atomic_write_text
from pipeline.quality.judge import judge_case, judge_settings
from pipeline.llm.budget import calls_tokens
from pipeline.llm.cassette import ReplayMiss
from pipeline.llm.client import LLM, make_llm
from pipeline.report.render import load_report, write_report
from pipeline.prep.run import aprepare
from pipeline.schemas import PrepReport
from pipeline.quality.scoring import material_lines, score_report
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
    recall: float | None = None
    own_recall: float | None = None
    section_recall: dict[str, float] = field(default_factory=dict)
    own_section_recall: dict[str, float] = field(default_factory=dict)
    must_not_violations: list[str] = field(default_factory=list)
    key: str = ""
    judge: dict[str, int] = field(default_factory=dict)
    judge_reasons: dict[str, str] = field(default_factory=dict)
    error: str = ""

    def score(self, report: PrepReport, key: CompiledKey | None, case_dir: Path | None = None) -> None:
        """Fill the quality figures from the case's answer key (left empty, "—", without one)."""
        if key is None:
            return
        result = score_report(report, key, material_lines(case_dir, report))
        self.key = str(key.path)
        self.recall = result.recall
        self.own_recall = result.own_recall
        self.section_recall = {s: v["recall"] for s, v in result.sections.items()}
        self.own_section_recall = {s: v["recall"] for s, v in result.own_sections.items()}
        self.must_not_violations = [v.id for v in result.violations]


def list_cases(cases_dir: Path) -> list[Path]:
    """Every sub-folder of `cases_dir` is a case; loose files are cases of their own."""
    entries = sorted(p for p in Path(cases_dir).iterdir() if not p.name.startswith("."))
    if not entries:
        raise InputError(f"{cases_dir}: no cases found")
    return entries


def _cassettes(settings: Settings, name: str, replay_dir: Path | None, record_dir: Path | None) -> Settings:
    """Settings that replay `name` from `replay_dir` or record it into `record_dir`."""
    if replay_dir is not None:
        return settings.model_copy(update={"replay": replay_dir / f"{name}.json", "use_cache": False})
    if record_dir is not None:
        return settings.model_copy(update={"record": record_dir / f"{name}.json"})
    return settings


async def _judge(result: CaseResult, report: PrepReport, path: Path, settings: Settings) -> None:
    """Add the judge's grades to `result` (a judge failure is noted, the case still counts)."""
    try:
        judgement = await judge_case(report, path, settings)
    except (InputError, BackendError, ReplayMiss) as exc:
        result.judge_reasons = {"error": str(exc)[:200]}
        return
    result.judge = judgement.scores()
    result.judge_reasons = {name: getattr(judgement, name).reason for name in result.judge}


PrepareCase = Callable[[Path, Settings], Awaitable[PrepReport]]


async def _run_case(path: Path, settings: Settings, out_dir: Path, replay_dir: Path | None,
                    key: CompiledKey | None, record_dir: Path | None = None, judge: Settings | None = None,
                    prepare_case: PrepareCase | None = None) -> CaseResult:
    started = time.perf_counter()
    case_settings = _cassettes(settings, path.name, replay_dir, record_dir)
    try:
        report = await (prepare_case or aprepare)(path, case_settings)
    except (InputError, BackendError, ReplayMiss) as exc:
        return CaseResult(path.name, False, error=str(exc)[:300], seconds=round(time.perf_counter() - started, 2))
    await asyncio.to_thread(write_report, report, out_dir / path.name, kb_dir=settings.kb_dir)
    calls = report.provenance.calls
    result = CaseResult(
        case=path.name, schema_valid=True, warnings=len(report.warnings),
        tokens=calls_tokens(calls),
        seconds=round(time.perf_counter() - started, 2), calls=len(calls),
        cache_hits=sum(c.cache in ("hit", "replay") for c in calls), support=report.provenance.support,
    )
    await asyncio.to_thread(result.score, report, key, path)  # CPU: off the loop, where the other cases' calls wait
    if judge is not None:
        await _judge(result, report, path, _cassettes(judge, f"{path.name}.judge", replay_dir, record_dir))
    return result


async def run_eval(
    cases_dir: Path, settings: Settings, out_dir: Path, *, baseline: Path | None = None,
    replay_dir: Path | None = None, concurrency: int = 1, record_dir: Path | None = None, judge: str | None = None,
    prepare_case: PrepareCase | None = None,
) -> list[CaseResult]:
    """Run all cases (at most `concurrency` at once), score them against their answer keys (and with
    `judge`, a model's grades), and write summary.md/json (+ diff.md). `prepare_case` prepares one case
    (default: here, in-process; `negoprep eval --server` passes the team server's client)."""
    cases = list_cases(cases_dir)
    # every key is read first: a broken one stops the run before any model call
    keys = await asyncio.to_thread(lambda: {path: load_key(key_for_case(path)) if key_for_case(path) else None
                                            for path in cases})
    gate = asyncio.Semaphore(max(1, concurrency))
    judging = judge_settings(settings, judge) if judge else None
    # one client for every case when they share their settings (an embedded model is loaded once); a cassette
    # per case needs a client per case
    shared = None if replay_dir or record_dir or prepare_case else await asyncio.to_thread(make_llm, settings)

    async def prepare_here(path: Path, case_settings: Settings) -> PrepReport:
        return await aprepare(path, case_settings, llm=shared)

    async def one(path: Path) -> CaseResult:
        async with gate:
            return await _run_case(path, settings, out_dir, replay_dir, keys[path], record_dir, judging,
                                   prepare_case or prepare_here)

    started = time.perf_counter()
    try:
        results = await asyncio.gather(*(one(p) for p in cases))
    finally:
        if shared is not None:
            await shared.aclose()
    wall = round(time.perf_counter() - started, 2)
    versions = _prompt_versions(out_dir, results)
    summary = {"wall_seconds": wall, "prompts": versions, "cases": [asdict(r) for r in results]}
    if baseline is not None:
        summary["baseline"] = {"path": str(baseline), "prompts": _prompt_versions(baseline, results),
                               "cases": _baseline_figures(baseline)}
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


def _baseline_figures(baseline: Path) -> dict[str, dict]:
    """The baseline run's figures per case, from its summary.json (empty if it has none)."""
    try:
        cases = json.loads((baseline / "summary.json").read_text(encoding="utf-8"))["cases"]
    except (OSError, ValueError, KeyError):
        return {}
    return {c["case"]: c for c in cases if isinstance(c, dict) and "case" in c}


def _figure(value: float | None) -> str:
    return "\u2014" if value is None else f"{value:.2f}"


def change(old: float | None, new: float | None) -> str:
    """`0.41 \u2192 0.53 (+0.12)`; a side without a figure shows "\u2014"."""
    if old is None or new is None:
        return f"{_figure(old)} \u2192 {_figure(new)}"
    return f"{old:.2f} \u2192 {new:.2f} ({new - old:+.2f})"


def summary_markdown(summary: dict) -> str:
    lines = ["# Evaluation summary", "", f"Wall time: {summary['wall_seconds']} s", "", "Prompts: " +
             ", ".join(f"{k} = {v}" for k, v in summary["prompts"].items())]
    if "baseline" in summary:
        lines.append("Baseline prompts: " + ", ".join(f"{k} = {v}" for k, v in summary["baseline"]["prompts"].items()))
    lines += ["", "## Quality", "",
              "Recall: share of the answer key's points the brief contains (`expected.yaml`; \u2014 without a key). "
              "Own recall: the same, counting only the texts the model wrote (lines quoted from the materials left "
              "out). Support: share of factual items whose evidence the sources support.", "",
              "| case | recall | own recall | " + " | ".join(registry.PREPARATION.fields) + " | must-not violations | support |",
              "|---|---|---|" + "---|" * len(registry.PREPARATION.fields) + "---|---|"]
    for r in summary["cases"]:
        sections = " | ".join(_figure(r["section_recall"].get(s)) for s in registry.PREPARATION.fields)
        violations = ", ".join(r["must_not_violations"]) or ("0" if r["key"] else "\u2014")
        lines.append(f"| {r['case']} | {_figure(r['recall'])} | {_figure(r.get('own_recall'))} | {sections} | "
                     f"{violations} | {_figure(r['support'])} |")
    judged = [r for r in summary["cases"] if r.get("judge") or r.get("judge_reasons")]
    if judged:
        lines += ["", "## Judge (secondary: a model's 1-5 grades against the rubric in prompts/judge.md)", "",
                  "| case | " + " | ".join(registry.PREPARATION.fields) + " | mean |", "|---|" + "---|" * (len(registry.PREPARATION.fields) + 1)]
        for r in judged:
            grades = r["judge"]
            mean = f"{sum(grades.values()) / len(grades):.2f}" if grades else r["judge_reasons"].get("error", "")
            lines.append(f"| {r['case']} | " + " | ".join(str(grades.get(s, "\u2014")) for s in registry.PREPARATION.fields)
                         + f" | {mean.replace('|', '/')} |")
    if "baseline" in summary:
        lines += ["", f"## Change against {summary['baseline']['path']}", "",
                  "| case | recall | own recall | " + " | ".join(registry.PREPARATION.fields) + " | must-not violations | support |",
                  "|---|---|---|" + "---|" * len(registry.PREPARATION.fields) + "---|---|"]
        for r in summary["cases"]:
            old = summary["baseline"]["cases"].get(r["case"], {})
            sections = " | ".join(change((old.get("section_recall") or {}).get(s), r["section_recall"].get(s))
                                  for s in registry.PREPARATION.fields)
            before = len(old["must_not_violations"]) if "must_not_violations" in old else None
            violations = f"{_figure(before) if before is None else before} \u2192 {len(r['must_not_violations'])}"
            lines.append(f"| {r['case']} | {change(old.get('recall'), r['recall'])} | "
                         f"{change(old.get('own_recall'), r.get('own_recall'))} | {sections} | {violations} | "
                         f"{change(old.get('support'), r['support'])} |")
    lines += ["", "## Runs", "",
              "| case | schema-valid | warnings | tokens | time (s) | calls | cache hits | error |",
              "|---|---|---|---|---|---|---|---|"]
    for r in summary["cases"]:
        lines.append(f"| {r['case']} | {'yes' if r['schema_valid'] else 'no'} | {r['warnings']} | {r['tokens']} | "
                     f"{r['seconds']} | {r['calls']} | {r['cache_hits']} | {r['error'].replace('|', '/')} |")
    return "\n".join(lines) + "\n"
