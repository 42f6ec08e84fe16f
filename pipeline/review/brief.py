"""The brief as the review leaves it: a copy of the report with the rejected items taken out and the edited ones
in their new words (with what the checker found for them); the report itself is never changed. And the review
file beside the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pipeline.errors import InputError
from pipeline.files import atomic_write_text
from pipeline.review.rebase import rebase
from pipeline.review.items import report_items, same_text
from pipeline.review.schema import REVIEW_FILE, ItemReview, Note, Review
from pipeline.schemas import Item, PrepReport, left_out, sides_from_notes

STATE_LABELS = {"draft": "Draft", "reviewed": "Reviewed", "approved": "Approved"}
BYLINE = {"approved": "Approved by {by} on {at}; reviewed by {reviewers}",
          "reviewed": "Reviewed by {reviewers}; not approved yet", "draft": "Draft: not reviewed yet"}
"""The byline's wording (the report renders it in the brief's language: `pipeline.report.wording`)."""


@dataclass
class Brief:
    """The reviewed brief: `report` is a reviewed copy; `marks` the review of each of its items (by object)."""

    report: PrepReport
    review: Review
    marks: dict[int, ItemReview] = field(default_factory=dict)
    ids: dict[int, str] = field(default_factory=dict)

    def mark(self, item: Item) -> ItemReview | None:
        return self.marks.get(id(item))

    def item_id(self, item: Item) -> str:
        return self.ids.get(id(item), "")

    def set_apart(self, item: Item) -> bool:
        """Listed under "check before use" (or left out): set apart by the checker and not checked by a person."""
        mark = self.mark(item)
        return item.set_apart and not (mark and mark.checked)

    def left_out(self, item: Item, lead: bool = False, sided: bool = False) -> bool:
        """Left out of the brief (report.json keeps it): not confirmed by the checker or a model's inference, in a
        brief that does not list such statements (`pipeline.schemas.left_out`), and not checked by a person."""
        return (left_out(item, self.report.provenance.unconfirmed_shown, lead, sided, self.quotes_notes)
                and not self.vouched(item))

    def vouched(self, item: Item) -> bool:
        """A person checked or edited `item`: it is shown whatever the brief leaves out."""
        mark = self.mark(item)
        return bool(mark and (mark.checked or mark.decision == "edited"))

    @cached_property
    def quotes_notes(self) -> bool:
        """The first page quotes our own notes (`pipeline.schemas.sides_from_notes`)."""
        return sides_from_notes(self.report)

    def notes(self, item: Item | None = None) -> list[Note]:
        """The notes on `item`, or on the whole brief."""
        wanted = self.item_id(item) if item is not None else ""
        return [n for n in self.review.notes if n.item == wanted]

    @property
    def reviewed(self) -> bool:
        return self.review.state != "draft"

    @property
    def byline(self) -> str:
        """The review's state and who reviewed: "Approved by A on 2026-12-07; reviewed by A, B", "Reviewed by A;
        not approved yet" or "Draft: not reviewed yet"."""
        return self.byline_in(BYLINE)

    def byline_in(self, words: Mapping[str, str]) -> str:
        """The byline in the words of `words` (its `approved`, `reviewed` and `draft` lines, as `BYLINE`'s)."""
        review = self.review
        reviewers = ", ".join(review.reviewers)
        if review.state == "approved" and review.approved:
            return words["approved"].format(by=review.approved.by, at=review.approved.at[:10], reviewers=reviewers)
        if review.state == "reviewed":
            return words["reviewed"].format(reviewers=reviewers)
        return words["draft"]


def apply_review(report: PrepReport, review: Review | None) -> Brief:
    """The brief `review` makes of `report` (carried over first if it was made on an earlier report): a copy of it
    when the review changes any item, else `report` itself."""
    review = rebase(review, report) if review is not None else Review()
    copy = report.model_copy(deep=True) if review.items else report
    brief = Brief(copy, review)
    rejected: set[int] = set()
    lists: dict[int, list[Item]] = {}
    for item_id, found in report_items(copy).items():
        item = found.item
        brief.ids[id(item)] = item_id
        entry = review.items.get(item_id)
        if entry is None or not same_text(item.text, entry.original):
            continue
        brief.marks[id(item)] = entry
        if entry.decision == "rejected":
            rejected.add(id(item))
            lists[id(found.items)] = found.items
        elif entry.decision == "edited":
            item.text = entry.text or item.text
            if entry.side and hasattr(item, "side"):
                item.side = entry.side
            if entry.recheck is not None:
                item.verification = entry.recheck.verification
                item.evidence = list(entry.recheck.evidence)
                item.issues_found = list(entry.recheck.issues_found)
    for items in lists.values():
        items[:] = [i for i in items if id(i) not in rejected]
    return brief


def load_review(out_dir: Path) -> Review | None:
    """The review file beside a report, or None; InputError when it is not one."""
    path = Path(out_dir) / REVIEW_FILE
    if not path.is_file():
        return None
    try:
        return Review.model_validate_json(path.read_bytes())
    except ValueError as exc:
        raise InputError(f"{path}: not a negoprep review ({str(exc).splitlines()[0][:200]})") from None


def save_review(out_dir: Path, review: Review) -> Path:
    """Written atomically, readable by its owner only (like the report)."""
    path = Path(out_dir) / REVIEW_FILE
    atomic_write_text(path, review.model_dump_json(indent=2) + "\n")
    return path


def reviewed_brief(report: PrepReport, out_dir: Path | None) -> Brief:
    """The brief of the report in `out_dir` as its review file leaves it (the report as it is without one)."""
    return apply_review(report, load_review(out_dir) if out_dir is not None else None)
