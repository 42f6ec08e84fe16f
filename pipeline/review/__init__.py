"""Review and approval of a brief: the consultant accepts, rejects or edits each item of the report (an edit is
checked again against the materials), marks the check-before-use items checked, adds notes and approves. All of it
is kept in `review.json` beside the report, which stays as the model's run recorded it; the renderers and the
rehearsal read the brief the review makes of it (`apply_review`)."""

from pipeline.review.actions import Desk, ReviewError
from pipeline.review.brief import STATE_LABELS, Brief, apply_review, load_review, reviewed_brief, save_review
from pipeline.review.items import ReportItem, report_items
from pipeline.review.schema import REVIEW_FILE, ItemReview, Review

__all__ = ["Brief", "Desk", "ItemReview", "REVIEW_FILE", "ReportItem", "Review", "ReviewError", "STATE_LABELS",
           "apply_review", "load_review", "report_items", "reviewed_brief", "save_review"]
