"""The app's pages and actions. Every state-changing request is `csrf_protected`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from agents.registry import report_items
from pipeline.report.diff import section_diff
from pipeline.case.loading import CASE_KEYS, load_case
from pipeline.checks.claims import ClaimCheck, ClaimChecker
from pipeline.errors import BackendError, InputError, ReplayMiss
from pipeline.rehearsal.files import rehearsal_numbers
from pipeline.report.render import render, render_bytes
from pipeline.review import Desk, load_review
from pipeline.web.jobs import RUNNING, Busy, failure_message
from pipeline.web.rehearsal import RehearsalUnavailable, valid_thread_id
from pipeline.web.security import csrf_protected
from pipeline.web.settings_view import plain_settings, setting_rows
from pipeline.web.uploads import ACCEPT, Upload, UploadRejected, check_uploads, store
from pipeline.web.workspace import PREVIOUS_REPORT_FILE, REPORT_FILE

STATIC = Path(__file__).parent / "static"
DOWNLOADS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "json": "application/json"}
FORMAT_NAMES = {"docx": "Word", "html": "PDF-ready HTML", "md": "Markdown", "json": "Data (JSON)"}
"""The downloads as the report page names them."""
SORTS = ("date", "name")
SSE_POLL_S = 0.2
MAX_STATEMENT_CHARS = 1000


def _page(request: Request, template: str, status_code: int = 200, **context) -> Response:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def _case(request: Request) -> str:
    """The case named in the path; 404 unless it is a workspace case."""
    name = request.path_params["case"]
    try:
        request.app.state.workspace.case_dir(name)
    except KeyError:
        raise HTTPException(404, "No such case.") from None
    return name


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _uploads(request: Request) -> list[Upload]:
    form = await request.form()
    return [Upload(f.filename or "", await f.read()) for f in form.getlist("files")
            if isinstance(f, UploadFile) and (f.filename or f.size)]


def _summary(request: Request, case: str):
    """The case's summary, running or not in this app now."""
    job = request.app.state.jobs.get(case)
    return request.app.state.workspace.summary(case, running=bool(job and job.status == RUNNING))


async def home(request: Request) -> Response:
    """The cases with their state: searched (`q`), archived ones only with `archived=1`, newest run first
    (`sort=name`: by name)."""
    ws = request.app.state.workspace
    query = request.query_params.get("q", "")[:200].strip()
    sort = request.query_params.get("sort", "date") if request.query_params.get("sort") in SORTS else "date"
    show_archived = request.query_params.get("archived") == "1"
    cases = [_summary(request, name) for name in ws.names()]
    archived = sum(c.archived for c in cases)
    shown = [c for c in cases if (show_archived or not c.archived) and ws.matches(c.name, c, query)]
    if sort == "date":
        shown.sort(key=lambda c: c.last_run_at or c.prepared_at or "", reverse=True)
    return _page(request, "home.html", cases=shown, query=query, sort=sort, show_archived=show_archived,
                 archived_count=archived, total=len(cases))


@csrf_protected
async def archive(request: Request) -> Response:
    """Archive the case (hidden from the list by default), or bring it back with `archived=0`."""
    case = _case(request)
    form = await request.form()
    request.app.state.workspace.set_archived(case, form.get("archived", "1") == "1")
    return _see("/" if form.get("archived", "1") == "1" else "/?archived=1")


async def new_case_form(request: Request) -> Response:
    return _page(request, "new_case.html", accept=ACCEPT, values={}, problems=[])


@csrf_protected
async def new_case(request: Request) -> Response:
    ws, settings = request.app.state.workspace, request.app.state.settings
    form = await request.form()
    values = {k: str(form.get(k, "")).strip()[:200] for k in ("name", *CASE_KEYS)}
    try:
        uploads = check_uploads(await _uploads(request), settings.max_file_mb)
    except UploadRejected as exc:
        return _page(request, "new_case.html", 400, accept=ACCEPT, values=values, problems=exc.problems)
    folder = ws.new_case(values["name"] or values["title"] or Path(uploads[0].filename).stem, values)
    store(uploads, folder)
    return _see(f"/cases/{folder.name}")


def _case_page(request: Request, case: str, status_code: int = 200, problems: list[str] | None = None) -> Response:
    ws, jobs = request.app.state.workspace, request.app.state.jobs
    job = jobs.get(case)
    run = ws.run_state(case)
    resumable = run.get("status") in ("failed", "cancelled", RUNNING) and ws.checkpoint(case).is_file()
    return _page(request, "case.html", status_code, case=_summary(request, case), accept=ACCEPT, problems=problems or [],
                 running=bool(job and job.status == RUNNING), has_events=job is not None, run=run,
                 resumable=resumable and not (job and job.status == RUNNING),
                 has_report=ws.report(case) is not None)


async def case_page(request: Request) -> Response:
    return _case_page(request, _case(request))


@csrf_protected
async def add_documents(request: Request) -> Response:
    case = _case(request)
    ws, settings = request.app.state.workspace, request.app.state.settings
    try:
        store(check_uploads(await _uploads(request), settings.max_file_mb), ws.case_dir(case))
    except UploadRejected as exc:
        return _case_page(request, case, 400, exc.problems)
    return _see(f"/cases/{case}")


@csrf_protected
async def prepare(request: Request) -> Response:
    case = _case(request)
    form = await request.form()
    try:
        request.app.state.jobs.start(case, resume=form.get("resume") == "1")
    except Busy as exc:
        return _case_page(request, case, 409, [str(exc)])
    return _see(f"/cases/{case}")


@csrf_protected
async def cancel(request: Request) -> Response:
    job = request.app.state.jobs.get(_case(request))
    if job is not None:
        job.cancel()
    return _see(f"/cases/{request.path_params['case']}")


def _sse(event: dict) -> str:
    return f"id: {event['id']}\nevent: {event['type']}\ndata: {json.dumps(event)}\n\n"


async def events(request: Request) -> Response:
    """Server-sent events of the case's latest run: every node event so far, then new ones as they
    happen, ending with an `end` event (status done, failed or cancelled)."""
    case = _case(request)
    jobs = request.app.state.jobs

    async def stream():
        sent = 0
        while True:
            job = jobs.get(case)
            if job is None:
                yield _sse({"type": "end", "id": 0, "status": "idle", "error": "", "seconds": 0})
                return
            for event in job.events[sent:]:
                sent += 1
                yield _sse(event)
                if event["type"] == "end":
                    return
            await asyncio.sleep(SSE_POLL_S)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"x-accel-buffering": "no"})


def _report_or_404(request: Request, case: str, file: str = REPORT_FILE):
    report = request.app.state.workspace.report(case, file)
    if report is None:
        raise HTTPException(404, "This case has no report yet: prepare it first.")
    return report


def _report_page(request: Request, case: str, status_code: int = 200, **check) -> Response:
    report = _report_or_404(request, case)
    previous = request.app.state.workspace.report(case, PREVIOUS_REPORT_FILE)
    set_apart = sum(i.set_apart for i in report_items(report))
    return _page(request, "report.html", status_code, case=_summary(request, case), report=report,
                 set_apart=set_apart, diff=section_diff(previous, report) if previous else None,
                 has_previous=previous is not None, formats=list(FORMAT_NAMES.items()),
                 statement=check.get("statement", ""), check=check.get("result"), problem=check.get("problem", ""),
                 review=Desk(report, load_review(request.app.state.workspace.out_dir(case))),
                 review_problem=check.get("review_problem", ""))


async def report_page(request: Request) -> Response:
    return _report_page(request, _case(request))


def _check_statement(case_dir: Path, report, statement: str) -> ClaimCheck:
    """`statement` checked against the case's materials, the report's sides as the parties."""
    checker = ClaimChecker(load_case(case_dir), our_side=report.deal_profile.our_side,
                           counterpart=report.deal_profile.counterpart)
    return checker.check(statement)


@csrf_protected
async def check_statement(request: Request) -> Response:
    """A statement (a line of a draft e-mail) checked against the case's materials by the claim checker."""
    case = _case(request)
    report = _report_or_404(request, case)
    form = await request.form()
    statement = " ".join(str(form.get("statement", "")).split())
    if not statement:
        return _report_page(request, case, 400, problem="Write the statement to check first.")
    if len(statement) > MAX_STATEMENT_CHARS:
        return _report_page(request, case, 400, statement=statement[:MAX_STATEMENT_CHARS],
                            problem=f"Check one statement at a time (at most {MAX_STATEMENT_CHARS} characters).")
    try:
        result = await asyncio.to_thread(_check_statement, request.app.state.workspace.case_dir(case), report,
                                         statement)
    except InputError as exc:
        return _report_page(request, case, 409, statement=statement, problem=str(exc))
    return _report_page(request, case, statement=statement, result=result)


async def report_frame(request: Request) -> Response:
    case = _case(request)
    html = render(_report_or_404(request, case), "html", request.app.state.settings.kb_dir,
                  review=load_review(request.app.state.workspace.out_dir(case)))
    return Response(html, media_type="text/html; charset=utf-8")


async def download(request: Request) -> Response:
    case, fmt = _case(request), request.path_params["fmt"]
    if fmt not in DOWNLOADS:
        raise HTTPException(404, "Unknown report format.")
    report = _report_or_404(request, case)
    ws = request.app.state.workspace
    data = (ws.out_dir(case) / REPORT_FILE).read_bytes() if fmt == "json" else await asyncio.to_thread(
        render_bytes, report, fmt, request.app.state.settings.kb_dir, review=load_review(ws.out_dir(case)))
    return Response(data, media_type=DOWNLOADS[fmt],
                    headers={"content-disposition": f'attachment; filename="{case}-report.{fmt}"'})


async def rehearse_page(request: Request) -> Response:
    """The chat, with the turns of the rehearsal under way (from its thread's saved state)."""
    case = _case(request)
    ws = request.app.state.workspace
    thread = ws.rehearsal_thread(case)
    history = []
    if thread:
        try:
            history = await asyncio.to_thread(request.app.state.rehearsal.history, ws.out_dir(case), thread)
        except Exception:  # noqa: BLE001 - an unreadable thread shows an empty chat, the next Send says why
            history = []
    return _page(request, "rehearse.html", case=ws.summary(case), has_report=ws.report(case) is not None,
                 thread=thread, history=history, reviews=rehearsal_numbers(ws.out_dir(case)))


def _turn_failed(exc: Exception, thread_id: str) -> JSONResponse:
    """A turn the rehearsal could not play, in plain words, with the thread it was played on."""
    backend = isinstance(exc, (BackendError, ReplayMiss))
    said = failure_message(exc)
    return JSONResponse({"error": f"The counterpart could not answer this turn ({said}). Send it again, or type "
                                  "/end to end the rehearsal.", "thread_id": thread_id},
                        status_code=502 if backend else 500)


@csrf_protected
async def rehearse_turn(request: Request) -> Response:
    """One user turn as JSON {thread_id, text}; starts the rehearsal when thread_id is empty. Errors are JSON
    {error, thread_id} too."""
    case = _case(request)
    try:
        body = await request.json()
        text, thread_id = str(body.get("text", "")).strip(), str(body.get("thread_id") or "")
    except (ValueError, AttributeError):
        return JSONResponse({"error": "expected JSON {thread_id, text}"}, status_code=400)
    if thread_id and not valid_thread_id(thread_id):
        return JSONResponse({"error": "unknown rehearsal"}, status_code=400)
    if not text:
        return JSONResponse({"error": "say something first", "thread_id": thread_id}, status_code=400)
    rehearsal, workspace = request.app.state.rehearsal, request.app.state.workspace
    report_dir = workspace.out_dir(case)
    try:
        if not thread_id:
            thread_id = await asyncio.to_thread(rehearsal.start, report_dir, workspace.case_dir(case))
            workspace.save_rehearsal_thread(case, thread_id)
        turn = await asyncio.to_thread(rehearsal.turn, report_dir, thread_id, text)
    except RehearsalUnavailable as exc:
        return JSONResponse({"error": str(exc), "thread_id": thread_id}, status_code=409)
    except Exception as exc:  # noqa: BLE001 - every failure becomes words on the page
        return _turn_failed(exc, thread_id)
    answer = {"thread_id": thread_id, "speaker": turn.speaker, "counterpart": turn.counterpart, "coach": turn.coach}
    if turn.review is not None:
        workspace.save_rehearsal_thread(case, "")
        answer["review_url"] = f"/cases/{case}/rehearsals/{turn.review}"
    return JSONResponse(answer)


async def rehearsal_review(request: Request) -> Response:
    """A finished rehearsal's review and transcript (its `rehearsal-N.md`)."""
    case, number = _case(request), request.path_params["number"]
    path = request.app.state.workspace.out_dir(case) / f"rehearsal-{number}.md"
    if not valid_thread_id(number) or not path.is_file():
        raise HTTPException(404, "No such rehearsal.")
    return _page(request, "rehearsal_review.html", case=request.app.state.workspace.summary(case), number=number,
                 text=path.read_text(encoding="utf-8"))


async def settings_page(request: Request) -> Response:
    settings = request.app.state.settings
    return _page(request, "settings.html", rows=setting_rows(settings), backend=settings.resolved_backend(),
                 plain=plain_settings(settings), workspace=request.app.state.workspace.root)


ROUTES = [
    Route("/", home),
    Route("/cases/new", new_case_form, methods=["GET"]),
    Route("/cases/new", new_case, methods=["POST"]),
    Route("/cases/{case}", case_page),
    Route("/cases/{case}/documents", add_documents, methods=["POST"]),
    Route("/cases/{case}/prepare", prepare, methods=["POST"]),
    Route("/cases/{case}/cancel", cancel, methods=["POST"]),
    Route("/cases/{case}/events", events),
    Route("/cases/{case}/report", report_page),
    Route("/cases/{case}/report/check", check_statement, methods=["POST"]),
    Route("/cases/{case}/report/frame", report_frame),
    Route("/cases/{case}/report.{fmt}", download),
    Route("/cases/{case}/rehearse", rehearse_page, methods=["GET"]),
    Route("/cases/{case}/rehearse", rehearse_turn, methods=["POST"]),
    Route("/cases/{case}/rehearsals/{number}", rehearsal_review, methods=["GET"]),
    Route("/cases/{case}/archive", archive, methods=["POST"]),
    Route("/settings", settings_page),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]
