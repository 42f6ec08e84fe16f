"""Answer keys and the scorer: keys load or fail naming the line; the scorer tells a good brief from noise."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.quality.answer_key import fold, load_key
from pipeline.cli import app
from pipeline.errors import InputError
from pipeline.report.render import load_report
from pipeline.quality.scoring import score_report, section_texts
from tests.conftest import CASSETTES, DATA, ROOT
from tests.record import case_path

KEYED = sorted(p.parent.name for base in (ROOT / "cases", DATA / "cases") for p in base.glob("*/expected.yaml"))
REFERENCE = DATA / "reference" / "telco-paysys.report.json"

KEY = """\
case: demo
points:
  - id: ceiling
    what: the budget ceiling
    sections: [deal_profile, synthesis]
    match:
      - {number: 6200000}
      - ["ceiling|cap", "budget"]
  - id: deadline
    what: the board date
    sections: any
    match:
      - {date: 2026-04-21}
must_not:
  - id: threat
    what: a threat
    match: ["we will sue"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "expected.yaml"
    path.write_text(text)
    return path


def reference() -> dict:
    return json.loads(REFERENCE.read_text())


def blank(value):
    """The same report structure with every text emptied to one neutral word."""
    if isinstance(value, dict):
        return {k: v if k in ("kind", "verification", "side", "role", "type", "strength", "dimension", "style",
                              "confidence", "cache", "outcome") else blank(v) for k, v in value.items()}
    if isinstance(value, list):
        return [blank(v) for v in value]
    return "n/a" if isinstance(value, str) else value


@pytest.mark.parametrize("bad, line, words", [
    ("points:\n  - id: a\n    what: x\n    match: [\"(\"]\n", 4, "match[0]"),
    ("points:\n  - id: a\n    what: x\n    sections: [deal, any]\n    match: [x]\n", 4, "sections[0]"),
    ("points:\n  - id: a\n    what: x\n    match: [x]\n  - id: a\n    what: y\n    match: [y]\n", 5, "duplicate id"),
    ("points:\n  - id: a\n    what: x\n    match: [{date: 21 April}]\n", 4, "YYYY-MM-DD"),
    ("points:\n  - id: a\n   what: x\n", 3, "not valid YAML"),
    ("points:\n  - id: a\n    what: x\n    match: [x]\n    weight: 2\n", 5, "weight"),
])
def test_a_broken_key_names_its_line(tmp_path, bad, line, words):
    with pytest.raises(InputError) as caught:
        load_key(write(tmp_path, bad))
    message = str(caught.value)
    assert f"line {line}:" in message and words in message, message


def test_score_cli_exits_2_on_a_broken_key(tmp_path):
    key = write(tmp_path, "points:\n  - id: a\n    what: x\n    sections: [deal]\n    match: [x]\n")
    result = CliRunner().invoke(app, ["score", str(REFERENCE), "--key", str(key)])
    assert result.exit_code == 2
    assert "line 4:" in result.stderr and "deal" in result.stderr


def test_points_match_by_number_date_and_co_occurrence(tmp_path):
    key = load_key(write(tmp_path, KEY))
    data = blank(reference())
    data["deal_profile"]["summary"] = "All-in run cost must stay under EUR 6,2 mio a year."
    data["synthesis"]["executive_summary"] = "The board meets on 21.04.2026; we will sue them otherwise."
    score = score_report(load_report_from(tmp_path, data), key)
    found = {p.id: p.found_in for p in score.points}
    assert found["ceiling"][0] == "deal_profile" and found["deadline"] == ["synthesis"]
    assert [v.id for v in score.violations] == ["threat"]
    data["deal_profile"]["summary"] = "The budget is tight."  # "budget" alone, without "ceiling|cap"
    data["synthesis"]["executive_summary"] = "Budget: there is a cap."
    score = score_report(load_report_from(tmp_path, data), key)
    assert score.sections["synthesis"]["found"] == 1 and score.sections["deal_profile"]["found"] == 0


def test_evidence_quotes_are_not_searched(tmp_path):
    key = load_key(write(tmp_path, KEY))
    data = blank(reference())
    data["deal_profile"]["issues"][0]["evidence"] = [{"document": "x.md", "quote": "EUR 6.2 million ceiling"}]
    assert score_report(load_report_from(tmp_path, data), key).recall == 0


def test_a_statement_the_brief_leaves_out_is_not_counted(tmp_path):
    key = load_key(write(tmp_path, KEY))
    data = blank(reference())
    issue = data["deal_profile"]["issues"][0]
    issue.update(text="The all-in cost must stay under the EUR 6.2 million ceiling.", verification="unverified")
    assert score_report(load_report_from(tmp_path, data), key).recall > 0, "listed under check before use: counted"
    data["provenance"]["unconfirmed_shown"] = False
    assert score_report(load_report_from(tmp_path, data), key).recall == 0, "left out of the brief: not counted"


def load_report_from(tmp_path: Path, data: dict):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data))
    return load_report(path)


@pytest.mark.parametrize("case", KEYED)
def test_every_key_loads_and_has_enough_points(case):
    key = load_key(case_path(case) / "expected.yaml")
    assert 8 <= len(key.points) <= 20 if case == "tiny" else 12 <= len(key.points) <= 20
    assert all(p.point.what for p in key.points + key.must_not)


@pytest.mark.parametrize("case", KEYED)
def test_a_blanked_brief_finds_nothing(case, tmp_path):
    """No key point is so loose that a brief without content matches it."""
    key = load_key(case_path(case) / "expected.yaml")
    score = score_report(load_report_from(tmp_path, blank(reference())), key)
    assert score.recall == 0 and not score.violations


def test_the_hand_written_reference_brief_scores_high_and_only_on_its_own_case(tmp_path):
    own = score_report(load_report(REFERENCE), load_key(case_path("telco-paysys") / "expected.yaml"))
    assert own.recall >= 0.8, [p.id for p in own.points if not p.found]
    assert not own.violations
    for other in (c for c in KEYED if c != "telco-paysys"):
        foreign = score_report(load_report(REFERENCE), load_key(case_path(other) / "expected.yaml"))
        # the method's moves (separate the issues, warn don't threaten) fit any case; the case's facts do not
        assert foreign.recall <= own.recall / 2, (other, [p.id for p in foreign.points if p.found])


def test_shuffling_texts_between_sections_loses_section_recall(tmp_path):
    """A point counts only in the section it belongs to: the same texts moved to other sections score lower."""
    key = load_key(case_path("telco-paysys") / "expected.yaml")
    data = reference()
    data["deal_profile"], data["synthesis"] = blank(data["deal_profile"]), blank(data["synthesis"])
    for section in ("challenge", "counterpart"):
        data[section] = blank(data[section])
    texts = [t for ts in section_texts(load_report(REFERENCE)).values() for t in ts]
    random.Random(1).shuffle(texts)
    data["counterpart"]["communication"] = [{"advice": t[:300], "dimension": "process"} for t in texts[:3]]
    assert score_report(load_report_from(tmp_path, data), key).recall < 0.3


@pytest.mark.parametrize("case", [c for c in KEYED if (CASSETTES / f"{c}.report.json").exists()])
def test_recorded_report_scores_at_least_its_blanked_self(case, tmp_path):
    key = load_key(case_path(case) / "expected.yaml")
    recorded = score_report(load_report(CASSETTES / f"{case}.report.json"), key)
    blanked = score_report(load_report_from(tmp_path, blank(json.loads((CASSETTES / f"{case}.report.json").read_text()))), key)
    assert blanked.recall == 0 and recorded.recall >= blanked.recall


def test_score_cli_prints_recall_sections_violations_support_and_json():
    runner = CliRunner()
    text = runner.invoke(app, ["score", str(REFERENCE), "--key", str(case_path("telco-paysys") / "expected.yaml")])
    assert text.exit_code == 0, text.stderr
    assert "recall" in text.stdout and "deal_profile" in text.stdout and "support" in text.stdout
    as_json = runner.invoke(app, ["score", str(REFERENCE), "--key", str(case_path("telco-paysys") / "expected.yaml"),
                                  "--json"])
    data = json.loads(as_json.stdout)
    assert set(data) >= {"recall", "sections", "points", "violations", "support"}
    assert data["recall"] == round(sum(p["found"] for p in data["points"]) / len(data["points"]), 3)


def test_score_cli_finds_the_case_key_by_the_report_case_name(tmp_path):
    result = CliRunner().invoke(app, ["score", str(REFERENCE)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("telco-paysys: recall")
    missing = CliRunner().invoke(app, ["score", str(CASSETTES / "tiny.report.json")])
    assert missing.exit_code == 2 and "--key" in missing.stderr


def test_fold_unifies_quotes_dashes_and_case():
    assert fold("\u201cNon\u2013Precedential\u201d  Terms") == '"non-precedential" terms'


def test_a_line_of_the_materials_quoted_in_a_composed_summary_is_not_the_brief_s_own(tmp_path):
    key = load_key(write(tmp_path, KEY))
    data = blank(reference())
    line = "the all-in run cost must stay at or below the EUR 6.2 million ceiling of the budget"
    summary = f"PaySys asks more. Our plan (your notes): {line[0].upper()}{line[1:]}."
    data["synthesis"]["executive_summary"] = summary
    score = score_report(load_report_from(tmp_path, data), key, materials=[fold(line)])
    assert score.recall > 0 and score.own_recall == 0, "a quoted line counts for the whole brief only"
    data["synthesis"]["executive_summary"] = "The all-in cost must stay under the EUR 6.2 million ceiling of the budget."
    assert score_report(load_report_from(tmp_path, data), key, materials=[fold(line)]).own_recall > 0
