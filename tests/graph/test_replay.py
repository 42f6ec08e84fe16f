"""Recorded-response tests: replay real embedded-model runs end to end through the real graph.

The cassettes in tests/cassettes/ were recorded with `make record` from the embedded default preset
(`small`, Qwen2.5-Coder-1.5B; each cassette's meta names its model); no model or llama-cpp install is
needed to replay them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.case.loading import load_case
from pipeline.knowledge import KnowledgeBase
from pipeline.schemas import PASSAGE_JOIN
from pipeline.report.render import load_report, render
from pipeline.report.view import build_view, left_out_line
from pipeline.report.wording import wording as report_wording
from tests.conftest import CASSETTES, ROOT, change_task_text
from tests.record import case_flags, case_path

RECORDED = sorted(p.name.removesuffix(".report.json") for p in CASSETTES.glob("*.report.json"))
PLAIN = [name for name in RECORDED if not case_flags(name)]
"""Cassettes of a case run with default settings (the ones `eval --replay-dir` can replay)."""
VOLATILE = {"seconds", "node_seconds", "total_seconds", "started_at", "cache", "retries", "case_path"}


def strip_volatile(value):
    """The report without timings, timestamps, call sources, transport retries and the case folder's path on this
    machine (environmental, ignored by design)."""
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    return value


def replay(name: str, out: Path, *extra: str):
    result = CliRunner().invoke(app, [
        "prepare", str(case_path(name).relative_to(ROOT)), "--replay", str(CASSETTES / f"{name}.json"),
        "--out", str(out), *case_flags(name), *extra,
    ])
    return result


def test_cassettes_exist_for_every_sample_case():
    samples = {p.name for p in (ROOT / "cases").iterdir() if p.is_dir()}
    assert samples <= set(RECORDED), f"missing cassettes: {samples - set(RECORDED)}"


@pytest.mark.parametrize("name", RECORDED)
def test_replay_reproduces_the_recorded_report(name, tmp_path):
    result = replay(name, tmp_path)
    assert result.exit_code == 0, result.stderr
    produced = json.loads((tmp_path / "report.json").read_text())
    recorded = json.loads((CASSETTES / f"{name}.report.json").read_text())
    assert strip_volatile(produced) == strip_volatile(recorded)
    assert all(c["cache"] == "replay" for c in produced["provenance"]["calls"])


@pytest.mark.parametrize("name", RECORDED)
def test_replayed_report_is_complete_and_grounded(name, tmp_path):
    assert replay(name, tmp_path).exit_code == 0
    report = load_report(tmp_path / "report.json")
    kb = KnowledgeBase.load(ROOT / "knowledge_base")
    sources = load_case(case_path(name))
    retrieved = set(report.provenance.knowledge_base)
    for group in report.challenge.suggestion_lists().values():
        for suggestion in group:
            assert suggestion.citations, suggestion
            assert set(suggestion.citations) <= retrieved <= set(kb.by_id)
    for items in report.deal_profile.item_lists().values():
        for item in items:
            assert item.verification != "pending", "every deal-profile item is checked"
            if item.verification == "verified":
                doc = sources.by_name(item.evidence[0].document)
                for passage in item.evidence[0].quote.split(PASSAGE_JOIN):  # two passages when a pair supports it
                    assert passage in doc.text
                assert item.evidence[0].locator.startswith(("line ", "page ", "paragraph ", "table ", "header"))
    assert report.provenance.support is not None and 0 <= report.provenance.support <= 1
    from agents.registry import premises, report_sections
    from pipeline.checks.evidence import SourceIndex

    index = SourceIndex(sources)
    items = [(p.where, p.item) for p in premises(report_sections(report))]
    warned = " ".join(w.message for w in report.warnings if w.code in ("unverified", "weak", "contradicted"))
    for where, item in items:
        if item.verification == "verified":
            assert not item.issues_found and not index.unknown_numbers(item.text), (where, item)
        if item.set_apart:
            assert f"{where}: {item.text[:90]}" in warned, (where, item.text)
        if item.verification == "contradicted":
            assert item.evidence and item.evidence[0].quote in sources.by_name(item.evidence[0].document).text
        if item.verification == "quoted":  # a line of our notes: a key fact or a first-page line
            assert where.startswith(("deal_profile.key_facts", "synthesis.first_page.")) and item.evidence, (where, item.text)
    markdown = (tmp_path / "report.md").read_text()
    assert markdown == render(report, "md", ROOT / "knowledge_base")
    from agents.merger import wording
    words = report_wording(report.case.language)
    assert f"## {wording(report.case.language)['first_page']}" in markdown
    assert report.synthesis.executive_summary[:40] in markdown
    unverified = [i for items in report.deal_profile.item_lists().values() for i in items if i.set_apart]
    if unverified:
        assert f"## {words.unverified_items}" in markdown
        section = markdown.split(f"## {words.unverified_items}", 1)[1]
        if report.provenance.unconfirmed_shown:
            assert unverified[0].text[:40] in section
        else:  # the embedded model's: counted in one line, kept in report.json
            view = build_view(report, ROOT / "knowledge_base")
            left_out = left_out_line(view.left_out, words, view.left_out_warnings)
            assert left_out in section and words("model_wrote", text=unverified[0].text[:40]) not in section


SCORED = sorted(p.name.removesuffix(".score.json") for p in CASSETTES.glob("*.score.json"))


def test_every_keyed_cassette_has_its_recorded_score():
    keyed = {name for name in RECORDED if (case_path(name) / "expected.yaml").is_file()}
    assert keyed and keyed == set(SCORED), "re-score with: python -m tests.record --score NAME"


@pytest.mark.parametrize("name", SCORED)
def test_replayed_brief_keeps_its_recorded_quality(name, tmp_path):
    """The quality guard: a replay scored against the case's answer key may not fall below the recall
    (of the whole brief and of the model's own texts) stored with the cassette, nor say what the key forbids beyond what the recording said."""
    assert replay(name, tmp_path).exit_code == 0
    result = CliRunner().invoke(app, ["score", str(tmp_path / "report.json"),
                                      "--key", str(case_path(name) / "expected.yaml"), "--json"])
    assert result.exit_code == 0, result.stderr
    score = json.loads(result.stdout)
    floor = json.loads((CASSETTES / f"{name}.score.json").read_text())
    assert score["recall"] >= floor["recall"], (score["recall"], floor["recall"])
    for section, recall in floor["sections"].items():
        assert score["sections"][section]["recall"] >= recall, section
    assert score["own_recall"] >= floor["own_recall"], (score["own_recall"], floor["own_recall"])
    for section, recall in floor["own_sections"].items():
        assert score["own_sections"][section]["recall"] >= recall, section
    assert {v["id"] for v in score["violations"]} <= set(floor["must_not_violations"])
    assert score["support"] == floor["support"]


def test_changed_prompt_fails_loudly_naming_node_and_file(tmp_path):
    name = RECORDED[0]
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    path = prompts / "profiler.md"
    change_task_text(path)
    result = replay(name, tmp_path / "out", "--prompts", str(prompts))
    assert result.exit_code == 3
    message = result.stderr
    assert "node 'profile'" in message and "profiler" in message
    assert "profiler.md changed since recording" in message
    assert "--record" in message
    assert not (tmp_path / "out" / "report.json").exists()


def test_cassette_holds_no_headers_or_keys():
    for cassette in CASSETTES.glob("*.json"):
        if cassette.name.endswith(".report.json"):
            continue
        text = cassette.read_text()
        assert "authorization" not in text.lower() and "api-key" not in text.lower()
        assert not re.search(r"\bsk-[A-Za-z0-9_\-]{16,}", text)


def test_injection_case_with_flagged_lines_passed_through_names_them_and_keeps_no_echo(tmp_path):
    """The injection cassette was recorded with the planted lines passed to the model (before quarantine
    existed), so it replays as `injection+keep-flagged`; the echo check still guards the synthesis."""
    from pipeline.checks.echoes import EchoCheck, sentences
    from pipeline.case.injection import flag_instructions

    name = "injection+keep-flagged"
    assert name in RECORDED
    result = replay(name, tmp_path)
    assert result.exit_code == 0, result.stderr
    report = load_report(tmp_path / "report.json")
    flagged = [w for w in report.warnings if w.code == "injection"]
    assert flagged and all(w.document == "notes.md" and w.line and w.id for w in flagged)
    assert all("passed to the model (--keep-flagged)" in w.message for w in flagged)
    lines = (case_path(name) / "notes.md").read_text().splitlines()
    assert any("Ignore all previous instructions" in lines[w.line - 1] for w in flagged)
    assert "APPROVED" != report.synthesis.executive_summary.strip()
    case = load_case(case_path(name))
    check = EchoCheck(case, flag_instructions(case))
    syn = report.synthesis
    texts = [syn.executive_summary, *syn.plan.process, *syn.plan.relationship, *syn.plan.substance,
             *syn.questions_to_ask, *syn.verify_before_meeting, *(f"{m.move}. {m.why}" for m in syn.next_moves)]
    assert not [s for t in texts for s in sentences(t) if check.source_of(s)]


def test_eval_on_replay_writes_summary_and_baseline_diff(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in PLAIN[:2]:
        shutil.copytree(case_path(name), cases / name)
    runner = CliRunner()
    first = runner.invoke(app, ["eval", str(cases), "--replay-dir", str(CASSETTES), "--out", str(tmp_path / "a")])
    assert first.exit_code == 0, first.stderr
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert [c["case"] for c in summary["cases"]] == PLAIN[:2]
    assert all(c["schema_valid"] and c["cache_hits"] == c["calls"] > 0 for c in summary["cases"])
    assert set(summary["prompts"]) == {"extract", "challenge", "profile", "merge"}
    second = runner.invoke(app, ["eval", str(cases), "--replay-dir", str(CASSETTES), "--out", str(tmp_path / "b"),
                                 "--baseline", str(tmp_path / "a")])
    assert second.exit_code == 0, second.stderr
    diff = (tmp_path / "b" / "diff.md").read_text()
    assert diff.count("No changes.") == 2
    baseline_report = json.loads((tmp_path / "a" / PLAIN[0] / "report.json").read_text())
    baseline_report["synthesis"]["questions_to_ask"] = ["What would a phased price look like?"]
    (tmp_path / "a" / PLAIN[0] / "report.json").write_text(json.dumps(baseline_report))
    third = runner.invoke(app, ["eval", str(cases), "--replay-dir", str(CASSETTES), "--out", str(tmp_path / "c"),
                                "--baseline", str(tmp_path / "a")])
    assert third.exit_code == 0
    diff = (tmp_path / "c" / "diff.md").read_text()
    assert "synthesis.questions_to_ask" in diff and "\u2212 What would a phased price look like?" in diff


def test_eval_exits_3_when_a_case_fails_but_keeps_the_others(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(case_path(RECORDED[0]), cases / RECORDED[0])
    (cases / "broken").mkdir()
    (cases / "broken" / "notes.md").write_text("")

    result = CliRunner().invoke(app, ["eval", str(cases), "--replay-dir", str(CASSETTES), "--out", str(tmp_path / "out")])

    assert result.exit_code == 3, result.stderr
    assert "1 of 2 cases failed (broken)" in result.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert {c["case"]: c["schema_valid"] for c in summary["cases"]} == {RECORDED[0]: True, "broken": False}
    assert (tmp_path / "out" / RECORDED[0] / "report.json").is_file()


def test_eval_scores_each_case_against_its_key_and_shows_the_change(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(case_path("telco-paysys"), cases / "telco-paysys")
    shutil.copytree(case_path("tiny"), cases / "tiny")
    (cases / "tiny" / "expected.yaml").unlink()
    runner = CliRunner()
    first = runner.invoke(app, ["eval", str(cases), "--replay-dir", str(CASSETTES), "--out", str(tmp_path / "a")])
    assert first.exit_code == 0, first.stderr
    summary = json.loads((tmp_path / "a" / "summary.json").read_text())
    by_case = {c["case"]: c for c in summary["cases"]}
    floor = json.loads((CASSETTES / "telco-paysys.score.json").read_text())
    assert by_case["telco-paysys"]["recall"] == floor["recall"]
    assert by_case["telco-paysys"]["section_recall"] == floor["sections"]
    assert by_case["tiny"]["recall"] is None and by_case["tiny"]["key"] == ""
    markdown = (tmp_path / "a" / "summary.md").read_text()
    assert "| tiny | \u2014 |" in markdown and f"| telco-paysys | {floor['recall']:.2f} |" in markdown

    baseline = json.loads((tmp_path / "a" / "summary.json").read_text())
    baseline["cases"][0]["recall"] = floor["recall"] + 0.5
    baseline["cases"][0]["section_recall"]["synthesis"] = 0.25
    (tmp_path / "a" / "summary.json").write_text(json.dumps(baseline))
    second = runner.invoke(app, ["eval", str(cases), "--replay-dir", str(CASSETTES), "--out", str(tmp_path / "b"),
                                 "--baseline", str(tmp_path / "a")])
    assert second.exit_code == 0, second.stderr
    change = (tmp_path / "b" / "summary.md").read_text().split("## Change against", 1)[1]
    row = next(line for line in change.splitlines() if line.startswith("| telco-paysys"))
    assert f"{floor['recall'] + 0.5:.2f} \u2192 {floor['recall']:.2f} (-0.50)" in row
    assert f"0.25 \u2192 {floor['sections']['synthesis']:.2f}" in row
    assert json.loads((tmp_path / "b" / "summary.json").read_text())["baseline"]["cases"]["telco-paysys"]["recall"] \
        == floor["recall"] + 0.5


def test_eval_stops_on_a_broken_key_before_any_model_call(tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(case_path("tiny"), cases / "tiny")
    (cases / "tiny" / "expected.yaml").write_text("points:\n  - id: a\n    what: x\n    sections: [deal]\n    match: [x]\n")
    result = CliRunner().invoke(app, ["eval", str(cases), "--out", str(tmp_path / "out"), "--backend", "openai",
                                      "--base-url", "http://127.0.0.1:9/v1"])
    assert result.exit_code == 2
    assert "expected.yaml: line 4:" in result.stderr
    assert not (tmp_path / "out").exists()


def test_judge_grades_are_recorded_and_replayed_like_any_call(tmp_path):
    """tests/cassettes/tiny.judge.json was recorded from the embedded SmolLM2 judging the recorded tiny report."""
    recorded = json.loads((CASSETTES / "tiny.judge.json").read_text())
    judge_args = ["--judge", "SmolLM2-135M-Instruct.Q4_1.gguf", "--case", str(case_path("tiny")),
                  "--key", str(case_path("tiny") / "expected.yaml")]
    result = CliRunner().invoke(app, ["score", str(CASSETTES / "tiny.report.json"), *judge_args,
                                      "--replay", str(CASSETTES / "tiny.judge.json"), "--json"])
    assert result.exit_code == 0, result.stderr
    judge = json.loads(result.stdout)["judge"]
    assert set(judge) == {"deal_profile", "challenge", "counterpart", "synthesis"}
    content = recorded["interactions"][-1]["response"]["body"]["choices"][0]["message"]["content"]
    answer = json.loads(content[: content.rindex("}") + 1], strict=False)  # read as the pipeline reads it
    assert {k: v["score"] for k, v in judge.items()} == {k: v["score"] for k, v in answer.items()}

    other = CliRunner().invoke(app, ["score", str(CASSETTES / "telco-paysys.report.json"), *judge_args,
                                     "--replay", str(CASSETTES / "tiny.judge.json")])
    assert other.exit_code == 3 and "judge" in other.stderr

    cases = tmp_path / "cases"
    shutil.copytree(case_path("tiny"), cases / "tiny")
    evaluated = CliRunner().invoke(app, ["eval", str(cases), "--replay-dir", str(CASSETTES), "--out", str(tmp_path / "out"),
                                         "--judge", "SmolLM2-135M-Instruct.Q4_1.gguf"])
    assert evaluated.exit_code == 0, evaluated.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["cases"][0]["judge"] == {k: v["score"] for k, v in judge.items()}
    assert "## Judge" in (tmp_path / "out" / "summary.md").read_text()


def test_no_recorded_call_is_taken_for_a_changed_prompt():
    """The miss diagnosis reads the prompt file's own text: every recorded request holds all of it today (its
    conditional blocks and template code left out), so no unchanged prompt is ever blamed."""
    from pipeline.llm.cassette import _template_lines_missing

    checked = 0
    for cassette in CASSETTES.glob("*.json"):
        if cassette.name.endswith((".report.json", ".score.json")):
            continue
        for call in json.loads(cassette.read_text())["interactions"]:
            path = call["prompt"].split("@", 1)[-1]
            if (ROOT / path).exists():
                checked += 1
                assert not _template_lines_missing(str(ROOT / path), call["request"]), (cassette.name, call["prompt"])
    assert checked >= 20
