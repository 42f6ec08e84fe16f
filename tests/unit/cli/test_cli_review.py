"""`negoprep review OUT`: the item ids listed, the review flags applied in order, clear errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.report.render import load_report, write_report
from pipeline.review import load_review
from tests.conftest import CASES, DATA

REPORT = load_report(DATA / "reference" / "telco-paysys.report.json")


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "telco-paysys"
    write_report(REPORT, folder, ("json", "md"))
    return folder


def _review(*args: str):
    return CliRunner().invoke(cli, ["review", *map(str, args)])


def test_without_flags_it_lists_every_item_with_its_id_and_state(out):
    result = _review(out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Draft: not reviewed yet")
    assert f"deal_profile.issues.1" in result.output and REPORT.deal_profile.issues[0].text[:60] in result.output
    assert "counterpart.tomorrow_morning.2" in result.output
    assert not (out / "review.json").exists()


def test_flags_apply_in_order_and_the_markdown_shows_the_reviewed_brief(out):
    recorded = (out / "report.json").read_bytes()
    rejected, noted = REPORT.deal_profile.issues[1].text, REPORT.deal_profile.issues[0]
    result = _review(out, "--reject", "deal_profile.issues.2", "--edit", "deal_profile.positions.2",
                     "PaySys: the onboarding team is held only until 30 April", "--note", "deal_profile.issues.1",
                     "ask finance", "--note", "Board paper first", "--approve", "--by", "Ann Berg", "--case",
                     CASES / "telco-paysys")
    assert result.exit_code == 0, result.output
    assert "deal_profile.positions.2: edited; the checker finds it " in result.output
    assert "Approved by Ann Berg on " in result.output
    review = load_review(out)
    assert [e.action for e in review.history] == ["reject", "edit", "note", "note", "approve"]
    assert [(n.item, n.text) for n in review.notes] == [("deal_profile.issues.1", "ask finance"),
                                                       ("", "Board paper first")]
    assert (out / "report.json").read_bytes() == recorded
    md = (out / "report.md").read_text(encoding="utf-8")
    assert rejected not in md and "held only until 30 April" in md and "**Review:** Approved by Ann Berg" in md
    assert "Note by Ann Berg" in md and noted.text in md
    listing = _review(out).output
    assert "[rejected]" in listing and "[edited]" in listing


def test_unknown_ids_a_folder_without_a_report_and_bad_flags_exit_2(out, tmp_path):
    before = json.dumps(sorted(p.name for p in out.iterdir()))
    for args, message in [
        ((out, "--reject", "deal_profile.issues.99"), "no item 'deal_profile.issues.99'"),
        ((tmp_path / "empty", "--approve"), "no report.json here"),
        ((out, "--edit", "deal_profile.issues.1"), "--edit needs ID and TEXT"),
        ((out, "--frobnicate"), "unknown option or argument '--frobnicate'"),
        ((out, "--edit", "deal_profile.issues.1", "new words"), "pass --case DIR"),
    ]:
        result = _review(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    assert json.dumps(sorted(p.name for p in out.iterdir())) == before
