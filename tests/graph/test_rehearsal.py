"""`negoprep rehearse`: the counterpart, the coach, the review, the checkpointed thread.

Model answers come from the stub server (synthetic: every string reads "synthetic ...") or from
`HandWritten` below (answers written by hand for these tests, not model output), except in the last
test, which replays a recorded real rehearsal when its cassette is there. No model is loaded.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pipeline.rehearsal.cues import cross_check, cue_labels
from pipeline.llm.cassette import NODE_HEADER
from pipeline.llm.client import make_llm
from pipeline.testing.stub_server import StubConfig, run_stub
from pipeline.testing.synthetic import completion_for
from pipeline.rehearsal.persona import persona_from_report
from pipeline.rehearsal.graph import revealed_items, without_speaker_label
from pipeline.rehearsal.schemas import CounterpartReply, Persona, Rehearsal
from pipeline.rehearsal.runner import rehearse
from pipeline.report.render import load_report, write_report
from pipeline.settings import load_settings
from tests.conftest import CASSETTES, DATA, ROOT, interruptible
from tests.record import REHEARSALS, rehearsal_command

TINY_CASE = DATA / "cases" / "tiny"
RUN_TIMEOUT_S = 120


@pytest.fixture
def report_dir(tmp_path) -> Path:
    """A folder holding the recorded tiny report (as `prepare` writes it: json and html)."""
    folder = tmp_path / "report"
    folder.mkdir()
    write_report(load_report(CASSETTES / "tiny.report.json"), folder, ("json", "html"))
    return folder


def _cli(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "rehearse", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env={**os.environ, **(env or {})})


def _stub_flags(stub) -> list[str]:
    return ["--backend", "openai", "--base-url", stub.base_url, "--no-cache", "--case", str(TINY_CASE)]


class HandWritten(httpx.AsyncBaseTransport):
    """Answers written by hand for these tests (not model output): `answers[node](user_turn)` gives the
    JSON the node receives, the user's turn read from the prompt's last `<turn>`."""

    def __init__(self, answers: dict):
        self.answers = answers

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(await request.aread())
        turns = re.findall(r"<turn>(.*?)</turn>", body["messages"][-1]["content"], re.S)
        answer = self.answers[request.headers[NODE_HEADER]](turns[-1] if turns else "")
        return httpx.Response(200, json=completion_for(body, json.dumps(answer)))


def _rehearse_in_process(report_dir: Path, turns: list[str], answers: dict, shown: list | None = None,
                         **options) -> Rehearsal:
    settings = load_settings(use_cache=False)
    lines = iter(turns)

    def ask(payload: dict) -> str | None:
        if shown is not None:
            shown.append(payload)
        return next(lines, None)

    return rehearse(report_dir / "report.json", 1, settings, ask, case_path=TINY_CASE,
                    llm=make_llm(settings, base_transport=HandWritten(answers)), **options)


REVIEW = {"summary": "Hand-written review.", "moves_used": [], "process_steps_agreed": [], "retry": []}


@pytest.mark.parametrize(("turn", "expected"), [
    ("If you don't pay the fee, we will take you to court.", ["threat"]),
    ("Take it or leave it.", ["threat"]),
    ("Pay by Friday or else we will publish the invoice.", ["threat"]),
    ("I'm concerned that without the signed terms it will be hard to keep working together.", ["warning"]),
    ("Our board may not approve a second project while this is open.", ["warning"]),
    ("What would make this easier for you?", ["open_question"]),
    ("So what I hear is that the delay matters most to you.", ["listening"]),
    ("Could we agree to look at the signed quote together next week?", ["process_step"]),
    ("Is that your final position?", []),
])
def test_cue_rules_tell_a_threat_from_a_warning(turn, expected):
    assert cue_labels(turn) == expected


def test_cross_check_labels_a_threat_the_model_called_a_warning():
    assert cross_check(["warning"], ["threat"]) == ["threat"]
    assert cross_check(["open_question"], ["process_step"]) == ["open_question", "process_step"]
    assert cross_check(["warning"], []) == ["warning"]


def test_scripted_rehearsal_writes_the_files_and_links_them(report_dir, tmp_path):
    script = tmp_path / "turns.txt"
    script.write_text("Thank you for meeting me.\n\n   \nWhat matters most to you about the late fee?\n")
    with run_stub(StubConfig()) as stub:
        done = _cli(str(report_dir), "--script", str(script), *_stub_flags(stub))
    assert done.returncode == 0, done.stderr
    saved = Rehearsal.model_validate_json((report_dir / "rehearsal-1.json").read_text())
    assert [t.user for t in saved.turns] == ["Thank you for meeting me.", "What matters most to you about the late fee?"]
    assert saved.ended_by == "end" and saved.review.notes is not None
    assert set(saved.provenance.prompts) == {"counterpart", "coach", "review"}
    assert {c.node for c in saved.provenance.calls} == {"counterpart", "coach", "review"}
    markdown = (report_dir / "rehearsal-1.md").read_text()
    assert "## Review" in markdown and "What matters most to you about the late fee?" in markdown
    assert 'href="rehearsal-1.md"' in (report_dir / "report.html").read_text()


def test_coach_labels_differ_for_a_threat_and_a_warning_even_from_a_weak_coach(report_dir):
    threat = "If you don't pay the EUR 184 by Friday, we will take you to small claims court."
    warning = "I'm concerned that a dispute over EUR 184 could make the label project in June hard for both of us."
    answers = {
        "counterpart": lambda turn: {"reply": "I hear you.", "stance": "guarded", "revealed": []},
        # a weak coach: both turns called a warning
        "coach": lambda turn: {"labels": ["warning"], "dimension": "relationship", "feedback": "Calm.", "better": ""},
        "review": lambda turn: REVIEW,
    }
    saved = _rehearse_in_process(report_dir, [threat, warning], answers)
    first, second = saved.turns
    assert "threat" in first.labels and "warning" not in first.labels
    assert first.rule_labels == ["threat"] and first.coaching.labels == ["warning"]
    assert "warning" in second.labels and "threat" not in second.labels


def test_coach_end_shows_no_coaching_during_the_conversation(report_dir):
    answers = {
        "counterpart": lambda turn: {"reply": "Go on.", "stance": "open", "revealed": []},
        "coach": lambda turn: {"labels": ["open_question"], "dimension": "process", "feedback": "Good.", "better": ""},
        "review": lambda turn: REVIEW,
    }
    shown: list[dict] = []
    saved = _rehearse_in_process(report_dir, ["What matters to you?", "And the timing?"], answers, shown,
                                 coach_mode="end", max_turns=2)
    assert [s["turn"] for s in shown] == [1, 2] and "coaching" not in shown[1]["last"]
    assert saved.ended_by == "max_turns" and saved.coach == "end"
    assert [t.coaching.feedback for t in saved.turns] == ["Good.", "Good."]


def test_number_the_counterpart_invents_is_flagged_in_the_review(report_dir):
    answers = {
        "counterpart": lambda turn: {"reply": "We paid the EUR 4,800 invoice; we would settle for EUR 9,750, no more.",
                                     "stance": "guarded", "revealed": []},
        "coach": lambda turn: {"labels": ["position"], "dimension": "substance", "feedback": "A demand.", "better": ""},
        "review": lambda turn: REVIEW,
    }
    saved = _rehearse_in_process(report_dir, ["Will you pay the late fee?"], answers)
    assert [(f.turn, f.number) for f in saved.review.numbers] == [(1, "9,750")]
    assert saved.turns[0].unknown_numbers == ["9,750"]


def test_a_disclosure_counts_only_when_the_reply_says_it():
    persona = persona_from_report(load_report(CASSETTES / "telco-paysys.report.json"))
    listing = persona.private[0]
    said = CounterpartReply(reply=f"Between us: {listing.text}", stance="open", revealed=[listing.id])
    claimed_only = CounterpartReply(reply="I cannot say more.", stance="guarded", revealed=[listing.id])
    assert revealed_items(said, persona, frozenset()) == [listing.id]
    assert revealed_items(claimed_only, persona, frozenset()) == []
    other = persona.private[1]
    mislabelled = CounterpartReply(reply=f"Between us: {listing.text}", stance="open", revealed=[other.id])
    assert revealed_items(mislabelled, persona, frozenset()) == [listing.id], "the claim stands for what was said"
    assert not set(persona.facts) & {i.text for i in persona.private}, "a private item is also a public fact"


def test_quit_then_resume_continues_the_same_thread(report_dir):
    with run_stub(StubConfig()) as stub:
        first = _cli(str(report_dir), *_stub_flags(stub), stdin="What worries you most?\n/quit\n")
        assert first.returncode == 0, first.stderr
        assert "--resume" in first.stderr and not (report_dir / "rehearsal-1.json").exists()
        second = _cli(str(report_dir), *_stub_flags(stub), "--resume", stdin="\nCould we meet again next week?\n")
    assert second.returncode == 0, second.stderr
    saved = Rehearsal.model_validate_json((report_dir / "rehearsal-1.json").read_text())
    assert [t.user for t in saved.turns] == ["What worries you most?", "Could we meet again next week?"]


def test_ctrl_c_ends_the_rehearsal_and_saves_the_review(report_dir):
    with run_stub(StubConfig()) as stub:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "rehearse", str(report_dir), *_stub_flags(stub)],
                                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"}, preexec_fn=interruptible)
        proc.stdin.write(b"What worries you most?\n")
        proc.stdin.flush()
        seen, deadline = b"", time.monotonic() + RUN_TIMEOUT_S
        while seen.count(b"you> ") < 2 and time.monotonic() < deadline:  # the prompt for the second turn
            if select.select([proc.stdout], [], [], 1)[0]:
                seen += os.read(proc.stdout.fileno(), 4096)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    assert proc.returncode == 0, err.decode()
    saved = Rehearsal.model_validate_json((report_dir / "rehearsal-1.json").read_text())
    assert saved.ended_by == "interrupted" and [t.user for t in saved.turns] == ["What worries you most?"]
    assert saved.review.notes is not None and b"Review (1 turns, ended by interrupted)" in out


def test_model_failure_exits_3_and_resume_finishes_the_script(report_dir, tmp_path):
    script = tmp_path / "turns.txt"
    script.write_text("What worries you most?\nCould we meet again next week?\n")
    with run_stub(StubConfig(fault_rate=1.0, faults=("500",))) as broken:
        failed = _cli(str(report_dir), "--script", str(script), *_stub_flags(broken), env={"NEGOPREP_MAX_RETRIES": "0"})
    assert failed.returncode == 3, failed.stderr
    assert "resume with: negoprep rehearse" in failed.stderr and "--resume" in failed.stderr
    with run_stub(StubConfig()) as stub:
        resumed = _cli(str(report_dir), "--script", str(script), "--resume", *_stub_flags(stub))
    assert resumed.returncode == 0, resumed.stderr
    saved = Rehearsal.model_validate_json((report_dir / "rehearsal-1.json").read_text())
    assert [t.user for t in saved.turns] == ["What worries you most?", "Could we meet again next week?"]


def _one_line_exit_2(done: subprocess.CompletedProcess, needle: str) -> None:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1 and needle in lines[0], done.stderr


def test_bad_reports_exit_2_with_one_line(report_dir, tmp_path):
    offline = ["--backend", "openai", "--base-url", "http://127.0.0.1:9/v1"]  # never called
    invalid = tmp_path / "invalid.json"
    invalid.write_text('{"case": {}}')
    _one_line_exit_2(_cli(str(invalid), *offline), "not a negoprep report")
    data = json.loads((report_dir / "report.json").read_text())
    data["provenance"]["negoprep_version"] = "9.0.0"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    _one_line_exit_2(_cli(str(old), "--case", str(TINY_CASE), *offline), "written by negoprep 9.0.0")
    _one_line_exit_2(_cli(str(report_dir), "--case", str(TINY_CASE), "--resume", *offline), "no rehearsal in progress")
    _one_line_exit_2(_cli(str(report_dir), *offline), "pass --case")


RECORDED = CASSETTES / "telco-paysys.rehearsal.json"
THREAT_TURN, WARNING_TURN, OPEN_QUESTION_TURN = 3, 4, 2  # lines of tests/data/rehearsal/telco-paysys.turns.txt


@pytest.mark.skipif(not RECORDED.exists(), reason="record it with: python -m tests.record --rehearsal telco-paysys")
def test_recorded_telco_rehearsal_replays(tmp_path):
    done = subprocess.run(rehearsal_command("telco-paysys", tmp_path, "--replay", str(RECORDED.relative_to(ROOT))),
                          cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    saved = Rehearsal.model_validate_json((tmp_path / "rehearsal-1.json").read_text())
    script = [line for line in (REHEARSALS / "telco-paysys.turns.txt").read_text().splitlines() if line.strip()]
    assert [t.user for t in saved.turns] == script
    for turn in saved.turns:  # in character: the counterpart speaks, not an assistant
        assert turn.reply.reply and not re.search(r"\b(as an ai|language model|assistant|i'?m sorry, but)\b",
                                                   turn.reply.reply, re.I), turn.reply.reply
    threat, warning = saved.turns[THREAT_TURN - 1], saved.turns[WARNING_TURN - 1]
    assert "threat" in threat.labels and "warning" not in threat.labels
    assert "warning" in warning.labels and "threat" not in warning.labels
    revealed = [t.number for t in saved.turns if t.revealed]
    assert revealed and min(revealed) >= OPEN_QUESTION_TURN, revealed
    assert "open_question" in saved.turns[OPEN_QUESTION_TURN - 1].labels
    assert (tmp_path / "rehearsal-1.md").read_text().startswith("# Rehearsal 1")


def test_a_reply_loses_the_speaker_label_the_model_copied_from_the_transcript():
    """Hand-written replies (not model output), shaped like a recorded one: "PaySys: To achieve a signature…"."""
    persona = Persona(name="Dana Weber", organisation="PaySys", our_side="TelCo")
    labelled = CounterpartReply(reply="PaySys:  To achieve a signature this year we need 31 March.", stance="guarded")
    assert without_speaker_label(labelled, persona).reply == "To achieve a signature this year we need 31 March."
    named = CounterpartReply(reply="dana weber: Fine.", stance="open")
    assert without_speaker_label(named, persona).reply == "Fine."
    plain = CounterpartReply(reply="PaySys needs the date: 31 March.", stance="guarded")
    assert without_speaker_label(plain, persona) == plain
