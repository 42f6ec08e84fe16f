"""The review of a brief (pipeline/review): item ids, the consultant's actions, the brief they make of the report,
the review file, and the review carried over to a report prepared again."""

from __future__ import annotations

import pytest

from agents.registry import report_items as premises_in_order
from pipeline.case.loading import load_case
from pipeline.checks.claims import ClaimChecker
from pipeline.report.render import load_report, render
from pipeline.review import Desk, Review, ReviewError, apply_review, load_review, report_items, save_review
from pipeline.review.rebase import rebase
from tests.conftest import CASES, DATA

REPORT = load_report(DATA / "reference" / "telco-paysys.report.json")
TELCO = CASES / "telco-paysys"


def _with_one_item_set_apart():
    report = REPORT.model_copy(deep=True)
    item = report.counterpart.pressures[0]
    item.verification, item.issues_found = "unverified", ["no passage of the materials says it"]
    return report


def _checker(report=REPORT):
    return lambda: ClaimChecker(load_case(TELCO), our_side=report.deal_profile.our_side,
                                counterpart=report.deal_profile.counterpart)


def _desk(report=REPORT, review=None) -> Desk:
    return Desk(report, review, _checker(report))


def _id_of(report, predicate) -> str:
    return next(i for i, found in report_items(report).items() if predicate(found.item))


def test_ids_are_readable_stable_and_cover_every_checked_item_once():
    ids = report_items(REPORT)
    again = report_items(load_report(DATA / "reference" / "telco-paysys.report.json"))
    assert list(ids) == list(again)
    assert [f.item for f in ids.values()] == premises_in_order(REPORT)
    assert "deal_profile.issues.1" in ids and "counterpart.pressures.1" in ids
    assert ids["deal_profile.issues.1"].item is REPORT.deal_profile.issues[0]
    assert ids["challenge.hidden_trades.1"].group == "Hidden trades"


def test_rejected_items_leave_the_brief_and_edited_ones_are_checked_again_the_report_untouched():
    recorded = REPORT.model_dump_json()
    desk = _desk()
    rejected = "counterpart.pressures.1"
    held = _id_of(REPORT, lambda i: i.text == "PaySys: the onboarding team is held only until 31 March")
    desk.reject(rejected, "ann")
    wrong = desk.edit(held, "ann", "PaySys: the onboarding team is held only until 30 April")
    right = desk.edit("deal_profile.constraints.1", "ann", "Katarina can sign up to EUR 40 million total contract value.")
    assert wrong.verification != "verified" and wrong.issues_found
    assert right.verification == "verified" and right.evidence
    brief = desk.brief
    texts = [f.item.text for f in report_items(brief.report).values()]
    assert REPORT.counterpart.pressures[0].text not in texts
    assert "PaySys: the onboarding team is held only until 30 April" in texts
    edited = report_items(brief.report)[held].item
    assert edited.text.endswith("30 April") and edited.verification == wrong.verification and edited.set_apart
    assert REPORT.model_dump_json() == recorded, "the report itself is never changed"
    md = render(REPORT, "md", review=desk.review)
    assert "PaySys: the onboarding team is held only until 30 April" in md
    assert "the model wrote: “PaySys: the onboarding team is held only until 31 March”" in md
    assert REPORT.counterpart.pressures[0].text not in md


def test_state_goes_draft_reviewed_approved_and_a_later_change_voids_the_approval():
    desk = _desk()
    assert desk.review.state == "draft" and desk.brief.byline == "Draft: not reviewed yet"
    desk.note("Numbers to be confirmed by finance.", "ann")
    assert desk.review.state == "reviewed"
    desk.approve("bob")
    assert desk.review.state == "approved" and desk.review.approved.by == "bob"
    assert desk.brief.byline.startswith("Approved by bob on ") and "reviewed by ann, bob" in desk.brief.byline
    desk.accept("deal_profile.issues.2", "carl")
    assert desk.review.state == "reviewed" and desk.review.approved is None
    assert [e.action for e in desk.review.history] == ["note", "approve", "accept", "approval-voided"]


def test_check_before_use_items_are_marked_checked_with_who_and_when_and_come_back_to_their_section():
    report = _with_one_item_set_apart()
    desk = _desk(report)
    apart = _id_of(report, lambda i: i.set_apart)
    with pytest.raises(ReviewError, match="not a check-before-use item"):
        desk.check(_id_of(report, lambda i: i.verification == "verified"), "ann")
    before = len(desk.unchecked())
    desk.check(apart, "ann")
    entry = desk.review.items[apart]
    assert entry.checked.by == "ann" and entry.checked.at.endswith("+00:00")
    assert len(desk.unchecked()) == before - 1
    brief = desk.brief
    assert not brief.set_apart(report_items(brief.report)[apart].item)
    html = render(report, "html", review=desk.review)
    assert "checked by ann" in html and 'id="unverified"' not in html


def test_unknown_ids_empty_texts_and_bad_sides_are_refused():
    desk = _desk()
    with pytest.raises(ReviewError, match="no item 'deal_profile.issues.99'"):
        desk.reject("deal_profile.issues.99", "ann")
    with pytest.raises(ReviewError, match="empty"):
        desk.edit("deal_profile.issues.1", "ann", "   ")
    with pytest.raises(ReviewError, match="reviewer"):
        desk.accept("deal_profile.issues.1", " ")
    with pytest.raises(ReviewError, match="has no side"):
        desk.edit("deal_profile.issues.1", "ann", side="ours")
    desk.edit("deal_profile.interests.1", "ann", side="theirs")
    assert report_items(desk.brief.report)["deal_profile.interests.1"].item.side == "theirs"


def test_the_review_file_round_trips_beside_the_report(tmp_path):
    desk = _desk()
    desk.reject("deal_profile.issues.2", "ann")
    desk.note("ask for the SLA credits", "ann", "deal_profile.issues.1")
    path = save_review(tmp_path, desk.review)
    assert path.name == "review.json" and oct(path.stat().st_mode & 0o777) == "0o600"
    loaded = load_review(tmp_path)
    assert loaded == desk.review
    assert loaded.items["deal_profile.issues.2"].original == REPORT.deal_profile.issues[1].text
    assert [(n.item, n.by) for n in loaded.notes] == [("deal_profile.issues.1", "ann")]


def _prepared_again(report):
    """The report as a second run could give it: a new issue first (every issue's index moves), the second
    issue's passage changed, the third issue gone."""
    again = report.model_copy(deep=True)
    issues = again.deal_profile.issues
    issues[1].evidence = issues[1].evidence[:0]
    del issues[2]
    issues.insert(0, issues[0].model_copy(update={"text": "A new issue from the added document"}))
    return again


def test_preparing_again_keeps_unchanged_items_reviews_flags_changed_bases_and_sets_gone_ones_apart():
    desk = _desk()
    first, second, third = REPORT.deal_profile.issues[:3]
    desk.edit("deal_profile.issues.1", "ann", "Price points: EUR 0.085 per transaction")
    desk.reject("deal_profile.issues.2", "ann")
    desk.accept("deal_profile.issues.3", "ann")
    desk.note("check the fee", "ann", "deal_profile.issues.1")
    desk.approve("ann")
    again = _prepared_again(REPORT)
    moved = rebase(desk.review, again)
    assert moved.items["deal_profile.issues.2"].original == first.text and not moved.items["deal_profile.issues.2"].flag
    assert moved.items["deal_profile.issues.3"].original == second.text
    assert moved.items["deal_profile.issues.3"].flag == "basis-changed"
    assert [e.original for e in moved.gone] == [third.text]
    assert [n.item for n in moved.notes] == ["deal_profile.issues.2"]
    assert moved.state == "reviewed" and moved.approved is None
    brief = apply_review(again, moved)
    texts = [i.text for i in brief.report.deal_profile.issues]
    assert texts == ["A new issue from the added document", "Price points: EUR 0.085 per transaction",
                     REPORT.deal_profile.issues[3].text]
    assert rebase(moved, again) is moved, "a review already on this report is left as it is"


def test_a_review_made_on_no_report_yet_takes_the_first_one():
    review = rebase(Review(), REPORT)
    assert review.report_sha256 and review.items == {}


def test_a_report_written_again_into_its_folder_carries_the_review_over(tmp_path):
    from pipeline.report.render import write_report
    from pipeline.review.items import report_digest

    write_report(REPORT, tmp_path, ("json", "md"))
    desk = _desk()
    desk.reject("deal_profile.issues.2", "ann")
    desk.approve("ann")
    save_review(tmp_path, desk.review)
    again = _prepared_again(REPORT)
    write_report(again, tmp_path, ("json", "md"))
    carried = load_review(tmp_path)
    assert carried.report_sha256 == report_digest(again) and carried.state == "reviewed"
    assert carried.items["deal_profile.issues.3"].decision == "rejected"
    assert carried.items["deal_profile.issues.3"].flag == "basis-changed"
    assert REPORT.deal_profile.issues[1].text not in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_a_section_no_agent_declares_has_reviewable_items_too():
    from pydantic import BaseModel, create_model

    from pipeline.schemas import Item, PrepReport

    class FirstPage(BaseModel):
        risks: list[Item]

    extended = create_model("PrepReport", __base__=PrepReport, first_page=(FirstPage, ...))
    report = extended(**REPORT.model_dump(), first_page=FirstPage(risks=[Item(text="Price above the ceiling"),
                                                                          Item(text="No second integrator")]))
    ids = report_items(report)
    assert list(ids)[-2:] == ["first_page.risks.1", "first_page.risks.2"]
    assert ids["first_page.risks.1"].section == "First page" and ids["first_page.risks.2"].group == "Risks"
    desk = Desk(report)
    desk.reject("first_page.risks.1", "ann")
    assert [i.text for i in desk.brief.report.first_page.risks] == ["No second integrator"]


def test_the_first_page_s_lines_are_reviewed_like_any_item():
    from pipeline.schemas import Item

    report = REPORT.model_copy(deep=True)
    report.synthesis.first_page.gap = [Item(text="Their ask is above our limit by EUR 1.4 million a year")]
    report.synthesis.first_page.dates = [Item(text="Their deadline, 31 March, comes before our board on 21 April")]
    desk = Desk(report)
    desk.reject("synthesis.first_page.gap.1", "ann")
    md = render(report, "md", review=desk.review)
    assert "EUR 1.4 million a year" not in md and "comes before our board on 21 April" in md
