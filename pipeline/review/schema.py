"""The review file's contract (`review.json` beside the report): what the consultant decided about each item,
the notes, the state of the brief and the history of changes. The report itself is never rewritten."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.schemas import Evidence, Side, Verification

REVIEW_FILE = "review.json"
ReviewState = Literal["draft", "reviewed", "approved"]
"""draft: nobody has reviewed the brief yet; reviewed: items decided, checked or annotated; approved: signed off."""
Decision = Literal["accepted", "rejected", "edited"]
Flag = Literal["", "basis-changed"]
"""basis-changed: the brief was prepared again and the passages this item rests on (or its checker state) changed."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Stamp(Model):
    """Who did it, and when (UTC, ISO 8601)."""

    by: str
    at: str


class Recheck(Model):
    """What the claim checker found for an edited item's new text."""

    verification: Verification
    evidence: list[Evidence] = Field(default_factory=list)
    issues_found: list[str] = Field(default_factory=list)


class ItemReview(Model):
    """The consultant's work on one item of the report."""

    id: str
    original: str = Field(description="the item's text as the model wrote it (how the item is found again)")
    basis: str = Field(description="a digest of the checker's state and passages of the original item")
    decision: Decision | None = None
    text: str = Field("", description="the edited text")
    side: Side | None = Field(None, description="the edited side")
    recheck: Recheck | None = None
    decided: Stamp | None = None
    checked: Stamp | None = Field(None, description="a check-before-use item checked by a person")
    flag: Flag = ""


class Note(Model):
    item: str = Field("", description="the item it is about; empty for the whole brief")
    text: str
    by: str
    at: str


class Event(Model):
    """One change, as the history keeps it."""

    action: Literal["accept", "reject", "edit", "check", "note", "approve", "approval-voided", "moved", "gone",
                    "basis-changed"]
    item: str = ""
    old: str = ""
    new: str = ""
    by: str = ""
    at: str


class Review(Model):
    """The consultant's review of one report (`review.json`)."""

    report_sha256: str = Field("", description="the report it was made on (`report_digest`)")
    state: ReviewState = "draft"
    items: dict[str, ItemReview] = Field(default_factory=dict)
    gone: list[ItemReview] = Field(default_factory=list,
                                   description="reviews of items no longer in the report (prepared again since)")
    notes: list[Note] = Field(default_factory=list)
    approved: Stamp | None = None
    history: list[Event] = Field(default_factory=list)

    @property
    def reviewers(self) -> list[str]:
        """Everyone who changed the review, first change first."""
        return list(dict.fromkeys(e.by for e in self.history if e.by))
