"""A review carried over to a report prepared again: each item's review follows its item."""

from __future__ import annotations

from datetime import datetime, timezone

from pipeline.review.items import basis_of, report_digest, report_items, same_text
from pipeline.review.schema import Event, ItemReview, Review
from pipeline.schemas import PrepReport


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def rebase(review: Review, report: PrepReport) -> Review:
    """`review` carried over to `report` (prepared again): each item's review follows its item, found by id or else
    by its original text; one whose passages or checker state changed is flagged `basis-changed`; one whose item is
    gone is kept apart (`gone`); an approval of the earlier brief is voided. The same review when nothing changed."""
    digest = report_digest(report)
    if review.report_sha256 == digest:
        return review
    review = review.model_copy(deep=True)
    if not review.report_sha256:
        review.report_sha256 = digest
        return review
    items, at = report_items(report), now()
    moved = {i: i for i, e in review.items.items() if i in items and same_text(items[i].item.text, e.original)}
    for old_id, entry in review.items.items():
        if old_id not in moved:
            moved[old_id] = next((i for i, f in items.items() if i not in moved.values()
                                  and same_text(f.item.text, entry.original)), None)
    kept: dict[str, ItemReview] = {}
    for old_id, entry in review.items.items():
        new_id = moved[old_id]
        if new_id is None:
            review.gone.append(entry)
            review.history.append(Event(action="gone", item=old_id, old=entry.original, at=at))
            continue
        if new_id != old_id:
            review.history.append(Event(action="moved", item=new_id, old=old_id, at=at))
        basis = basis_of(items[new_id].item)
        if basis != entry.basis:
            entry.flag = "basis-changed"
            review.history.append(Event(action="basis-changed", item=new_id, old=entry.original, at=at))
        kept[new_id] = entry.model_copy(update={"id": new_id, "basis": basis})
    for note in review.notes:
        if note.item in moved:
            note.item = moved[note.item] or ""
    order = list(items)
    review.items = dict(sorted(kept.items(), key=lambda kv: order.index(kv[0])))
    if review.state == "approved":
        review.state, review.approved = "reviewed", None
        review.history.append(Event(action="approval-voided", at=at))
    review.report_sha256 = digest
    return review
