"""The review on the report page: its actions go through pipeline.review, behind the CSRF check like every post."""

from __future__ import annotations

import io
import re

import docx

from pipeline.report.render import load_report, write_report
from pipeline.review import load_review
from tests.conftest import DATA
from tests.unit.web.test_web import _client, _create_telco, _token

REPORT = load_report(DATA / "reference" / "telco-paysys.report.json")


def _reviewable(tmp_path):
    client = _client(tmp_path)
    case = _create_telco(client)
    write_report(REPORT, tmp_path / "out" / case, ("json", "md", "html"))
    return client, case


def _post(client, case, **form):
    token = _token(client, f"/cases/{case}/report")
    return client.post(f"/cases/{case}/review", data={"csrf_token": token, **form}, follow_redirects=False)


def test_the_report_page_offers_each_item_s_review_and_posts_need_the_csrf_token(tmp_path):
    client, case = _reviewable(tmp_path)
    page = client.get(f"/cases/{case}/report").text
    ids = re.findall(r'<tr id="review-([\w.]+)"', page)
    assert ids[0] == "deal_profile.parties.1" and "counterpart.tomorrow_morning.2" in ids
    assert 'value="reject:deal_profile.issues.2"' in page and 'value="approve:"' in page
    refused = client.post(f"/cases/{case}/review", data={"do": "reject:deal_profile.issues.2", "by": "Ann"},
                          follow_redirects=False)
    assert refused.status_code == 403 and load_review(tmp_path / "out" / case) is None


def test_reject_edit_note_approve_change_the_brief_the_frame_and_the_downloads(tmp_path):
    client, case = _reviewable(tmp_path)
    out = tmp_path / "out" / case
    recorded = (out / "report.json").read_bytes()
    rejected = REPORT.deal_profile.issues[1].text
    assert _post(client, case, do="reject:deal_profile.issues.2", by="Ann Berg").status_code == 303
    edited = _post(client, case, do="edit:deal_profile.positions.2", by="Ann Berg",
                   **{"text:deal_profile.positions.2": "PaySys: the onboarding team is held only until 30 April"})
    assert edited.status_code == 303 and edited.headers["location"].endswith("#review-deal_profile.positions.2")
    assert _post(client, case, do="note:", by="Ann Berg", **{"note:": "Board paper first"}).status_code == 303
    assert _post(client, case, do="approve:", by="Bo Lind").status_code == 303

    review = load_review(out)
    assert review.state == "approved" and review.reviewers == ["Ann Berg", "Bo Lind"]
    entry = review.items["deal_profile.positions.2"]
    assert entry.recheck.verification != "verified"
    assert (out / "report.json").read_bytes() == recorded
    page = client.get(f"/cases/{case}/report").text
    row = page[page.index('<tr id="review-deal_profile.positions.2"'):]
    row = row[:row.index("</tr>")]
    assert "held only until 30 April" in row and f'data-state="{entry.recheck.verification}"' in row
    assert "Approved by Bo Lind" in page
    frame = client.get(f"/cases/{case}/report/frame").text
    assert rejected not in frame and "held only until 30 April" in frame and "Approved by Bo Lind" in frame
    assert rejected not in (out / "report.md").read_text(encoding="utf-8")
    word = docx.Document(io.BytesIO(client.get(f"/cases/{case}/report.docx").content))
    assert "Approved by Bo Lind" in word.sections[0].header.paragraphs[0].text
    assert rejected not in "\n".join(p.text for p in word.paragraphs)


def test_an_unknown_item_or_a_missing_name_is_a_400_with_the_reason(tmp_path):
    client, case = _reviewable(tmp_path)
    unknown = _post(client, case, do="reject:deal_profile.issues.99", by="Ann")
    assert unknown.status_code == 400 and "no item &#39;deal_profile.issues.99&#39;" in unknown.text
    nameless = _post(client, case, do="accept:deal_profile.issues.1", by=" ")
    assert nameless.status_code == 400 and "reviewer" in nameless.text
    assert load_review(tmp_path / "out" / case) is None
