"""What the consultant does to a review: accept, reject or edit an item (an edit checked again against the
materials by the claim checker), mark a check-before-use item checked, add a note, approve the brief."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.checks.claims import ClaimChecker
from pipeline.checks.item_checks import check_item
from pipeline.errors import InputError
from pipeline.review.brief import Brief, apply_review
from pipeline.review.items import ReportItem, basis_of, report_digest, report_items
from pipeline.review.rebase import now, rebase
from pipeline.review.schema import Event, ItemReview, Note, Recheck, Review, Stamp
from pipeline.schemas import SET_APART, PrepReport, Side

MAX_TEXT = 600
"""The longest edited text or note kept."""
SIDES: tuple[Side, ...] = ("ours", "theirs", "both")


class ReviewError(InputError):
    """A review action that cannot be done (an unknown id, an empty text ...): exit 2, a 400 on the web."""


def _clean(text: str, what: str) -> str:
    text = " ".join(str(text).split())
    if not text:
        raise ReviewError(f"the {what} is empty")
    if len(text) > MAX_TEXT:
        raise ReviewError(f"the {what} is longer than {MAX_TEXT} characters")
    return text


def _who(by: str) -> str:
    return _clean(by, "reviewer's name")[:80]


class Desk:
    """One review of one report: each action recorded with who and when, the state kept."""

    def __init__(self, report: PrepReport, review: Review | None = None,
                 checker: Callable[[], ClaimChecker] | None = None):
        """`checker` makes the claim checker over the case's materials (only an edit needs it)."""
        self.report = report
        self.items = report_items(report)
        self.review = rebase(review or Review(report_sha256=report_digest(report)), report)
        self._make_checker, self._checker = checker, None

    @property
    def brief(self) -> Brief:
        """The brief as the review leaves it now."""
        return apply_review(self.report, self.review)

    def item(self, item_id: str) -> ReportItem:
        if item_id not in self.items:
            known = ", ".join(list(self.items)[:3])
            raise ReviewError(f"no item '{item_id}' in this report (ids look like {known}; `negoprep review OUT` "
                              "lists them)")
        return self.items[item_id]

    def _entry(self, item_id: str) -> ItemReview:
        found = self.item(item_id)
        entry = self.review.items.get(item_id)
        if entry is None:
            entry = self.review.items[item_id] = ItemReview(id=item_id, original=found.item.text,
                                                            basis=basis_of(found.item))
        return entry

    def _log(self, action: str, by: str, item: str = "", old: str = "", new: str = "") -> None:
        self.review.history.append(Event(action=action, item=item, old=old, new=new, by=by, at=now()))
        if action != "approve":
            if self.review.state == "approved":
                self.review.history.append(Event(action="approval-voided", by=by, at=now()))
                self.review.approved = None
            self.review.state = "reviewed"

    def _decide(self, item_id: str, decision: str, by: str) -> ItemReview:
        by = _who(by)
        entry = self._entry(item_id)
        entry.decision, entry.decided, entry.flag = decision, Stamp(by=by, at=now()), ""
        return entry

    def accept(self, item_id: str, by: str) -> None:
        entry = self._decide(item_id, "accepted", by)
        entry.text, entry.side, entry.recheck = "", None, None
        self._log("accept", entry.decided.by, item_id, entry.original)

    def reject(self, item_id: str, by: str) -> None:
        entry = self._decide(item_id, "rejected", by)
        self._log("reject", entry.decided.by, item_id, entry.original)

    def edit(self, item_id: str, by: str, text: str | None = None, side: str | None = None) -> Recheck:
        """The item's text (and side, for an item that has one) edited; the new text checked against the
        materials like any item of the report. What the checker found."""
        found = self.item(item_id)
        if text is None and side is None:
            raise ReviewError("an edit needs a new text or a side")
        if side is not None and (side not in SIDES or not hasattr(found.item, "side")):
            raise ReviewError(f"'{side}' is not a side of {item_id} (" + (
                f"choose {', '.join(SIDES)})" if hasattr(found.item, "side") else "it has no side)"))
        new_text = _clean(text, "edited text") if text is not None else None
        old = self.review.items.get(item_id)
        old_text = old.text if old and old.decision == "edited" and old.text else found.item.text
        entry = self._decide(item_id, "edited", by)
        entry.text = new_text or (old.text if old and old.text else found.item.text)
        entry.side = side or (old.side if old else None)
        entry.recheck = self.recheck(found, entry.text)
        self._log("edit", entry.decided.by, item_id, old_text, entry.text + (f" [side: {entry.side}]" if side else ""))
        return entry.recheck

    def recheck(self, found: ReportItem, text: str) -> Recheck:
        """`text` in place of the item's, checked by the claim checker as the preparation checks an item."""
        if self._make_checker is None:
            raise ReviewError("an edit is checked against the case's materials: say where they are")
        if self._checker is None:
            self._checker = self._make_checker()
        item = found.item.model_copy(deep=True, update={"text": text, "verification": "pending"})
        check_item(item, self._checker, found.where, as_fact=found.as_fact)
        return Recheck(verification=item.verification, evidence=item.evidence, issues_found=item.issues_found)

    def check(self, item_id: str, by: str) -> None:
        """A check-before-use item marked checked by a person."""
        if not self.apart(item_id):
            raise ReviewError(f"{item_id} is not a check-before-use item")
        entry = self._entry(item_id)
        entry.checked, entry.flag = Stamp(by=_who(by), at=now()), ""
        self._log("check", entry.checked.by, item_id, entry.original)

    def note(self, text: str, by: str, item_id: str = "") -> None:
        if item_id:
            self._entry(item_id)
        note = Note(item=item_id, text=_clean(text, "note"), by=_who(by), at=now())
        self.review.notes.append(note)
        self._log("note", note.by, item_id, new=note.text)

    def approve(self, by: str) -> None:
        by = _who(by)
        self.review.state, self.review.approved = "approved", Stamp(by=by, at=now())
        self._log("approve", by)

    def state(self, item_id: str) -> str:
        """What the claim checker found for the item: for its edited text, if it was edited."""
        entry = self.review.items.get(item_id)
        if entry is not None and entry.decision == "edited" and entry.recheck is not None:
            return entry.recheck.verification
        return self.item(item_id).item.verification

    def apart(self, item_id: str) -> bool:
        """A check-before-use item (its edited text's state, if edited), checked by a person or not."""
        return self.state(item_id) in SET_APART

    def unchecked(self) -> list[str]:
        """The check-before-use items nobody has checked or rejected."""
        return [i for i in self.items if self.apart(i)
                and not ((e := self.review.items.get(i)) and (e.checked or e.decision == "rejected"))]
