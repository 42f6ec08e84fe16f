"""The review on the report page: one form whose buttons each name an action and an item (`do=reject:ID`), played
through the same review functions as `negoprep review` (`pipeline.review.Desk`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pipeline.case.loading import load_case
from pipeline.checks.claims import ClaimChecker
from pipeline.errors import InputError
from pipeline.report.render import write_reviewed
from pipeline.review import Desk, load_review, save_review
from pipeline.web.routes import _case, _report_or_404, _report_page, _see
from pipeline.web.security import csrf_protected

ACTIONS = ("accept", "reject", "edit", "check", "note", "approve")


def _act(case_dir: Path, out_dir: Path, report, form: dict[str, str], kb_dir: Path | None) -> str:
    """The form's action done and saved, the reviewed files written again; the item it was about."""
    action, _, item_id = form.get("do", "").partition(":")
    if action not in ACTIONS:
        raise InputError("unknown review action")
    desk = Desk(report, load_review(out_dir), lambda: ClaimChecker(
        load_case(case_dir), our_side=report.deal_profile.our_side, counterpart=report.deal_profile.counterpart))
    by = form.get("by", "")
    if action == "edit":
        found, current = desk.item(item_id), desk.review.items.get(item_id)
        edited = current is not None and current.decision == "edited"
        text, side = form.get(f"text:{item_id}", ""), form.get(f"side:{item_id}") or None
        shown_side = (current.side if edited and current.side else None) or getattr(found.item, "side", None)
        desk.edit(item_id, by, text=text if " ".join(text.split()) != " ".join(
            (current.text if edited else found.item.text).split()) else None,
            side=side if side and side != shown_side else None)
    elif action == "note":
        desk.note(form.get(f"note:{item_id}", ""), by, item_id)
    elif action == "approve":
        desk.approve(by)
    else:
        getattr(desk, action)(item_id, by)
    save_review(out_dir, desk.review)
    write_reviewed(report, out_dir, kb_dir)
    return item_id


@csrf_protected
async def review_action(request: Request) -> Response:
    case = _case(request)
    report = _report_or_404(request, case)
    ws = request.app.state.workspace
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        item_id = await asyncio.to_thread(_act, ws.case_dir(case), ws.out_dir(case), report, form,
                                          request.app.state.settings.kb_dir)
    except InputError as exc:
        return _report_page(request, case, 400, review_problem=str(exc))
    return _see(f"/cases/{case}/report#{f'review-{item_id}' if item_id else 'review'}")


REVIEW_ROUTES = [Route("/cases/{case}/review", review_action, methods=["POST"])]
