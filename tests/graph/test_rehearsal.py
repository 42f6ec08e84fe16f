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
from pipeline.checks.language_mix import written_in
from pipeline.cleanup.stray_script import CJK
from pipeline.rehearsal.events import clauses, holds, key_words
from pipeline.rehearsal.guards import (checked_better, discloses, echo_share, fallback_line, speaks_for_us,
                                       without_speaker_label)
from pipeline.rehearsal.persona import persona_from_report
from pipeline.rehearsal.schemas import Persona, Rehearsal
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
    """Answers written by hand for these tests (not model output): `answers[node](user_turn, prompt)` gives
    the JSON the node receives, the user's turn read from the prompt's last `<turn>`; each node's prompts
    are kept in `prompts`."""

    def __init__(self, answers: dict):
        self.answers, self.prompts = answers, {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(await request.aread())
        prompt = "\n".join(m["content"] for m in body["messages"])
        turns = re.findall(r"<turn>(.*?)</turn>", body["messages"][-1]["content"], re.S)
        node = request.headers[NODE_HEADER]
        self.prompts.setdefault(node, []).append(prompt)
        answer = self.answers[node](turns[-1] if turns else "", prompt)
        return httpx.Response(200, json=completion_for(body, json.dumps(answer)))


def _rehearse_in_process(report_dir: Path, turns: list[str], answers: dict | HandWritten, shown: list | None = None,
                         case: Path = TINY_CASE, **options) -> Rehearsal:
    settings = load_settings(use_cache=False)
    transport = answers if isinstance(answers, HandWritten) else HandWritten(answers)
    lines = iter(turns)

    def ask(payload: dict) -> str | None:
        if shown is not None:
            shown.append(payload)
        return next(lines, None)

    return rehearse(report_dir / "report.json", 1, settings, ask, case_path=case,
                    llm=make_llm(settings, base_transport=transport), **options)


REVIEW = {"summary": "Hand-written review."}


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
    ("Hvis dere ikke trekker kravet, vil vi lyse ut hele driften på nytt og dere mister kontrakten.", ["threat"]),
    ("Jeg vil være åpen om en risiko vi begge har: styret kan ikke godkjenne mer enn rammen.", ["warning"]),
    ("Hva er det som gjør at dere trenger en økning på 14 prosent?", ["open_question"]),
    ("Hvis jeg forstår deg riktig, er det lisenskostnadene som driver kravet.", ["listening"]),
    ("Kan vi avtale et arbeidsmøte om punkt 7.5 neste uke?", ["process_step"]),
])
def test_cue_rules_tell_a_threat_from_a_warning(turn, expected):
    assert cue_labels(turn) == expected


def test_the_rules_label_where_they_are_sure_and_the_model_elsewhere():
    assert cross_check(["warning"], ["threat"]) == ["threat"]
    assert cross_check(["process_step", "partial_alternative", "warning"], ["warning"]) == ["warning"]
    assert cross_check(["warning"], []) == ["warning"]
    assert cross_check(["threat", "warning"], []) == ["threat"]


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
        "counterpart": lambda turn, prompt: {"reply": "I hear you."},
        # a weak coach: both turns called a warning
        "coach": lambda turn, prompt: {"labels": ["warning"], "dimension": "relationship", "feedback": "Calm.", "better": ""},
        "review": lambda turn, prompt: REVIEW,
    }
    saved = _rehearse_in_process(report_dir, [threat, warning], answers)
    first, second = saved.turns
    assert "threat" in first.labels and "warning" not in first.labels
    assert first.rule_labels == ["threat"] and first.coaching.labels == ["warning"]
    assert "warning" in second.labels and "threat" not in second.labels


def test_coach_end_shows_no_coaching_during_the_conversation(report_dir):
    answers = {
        "counterpart": lambda turn, prompt: {"reply": "Go on."},
        "coach": lambda turn, prompt: {"labels": ["open_question"], "dimension": "process", "feedback": "Good.", "better": ""},
        "review": lambda turn, prompt: REVIEW,
    }
    shown: list[dict] = []
    saved = _rehearse_in_process(report_dir, ["What matters to you?", "And the timing?"], answers, shown,
                                 coach_mode="end", max_turns=2)
    assert [s["turn"] for s in shown] == [1, 2] and "coaching" not in shown[1]["last"]
    assert saved.ended_by == "max_turns" and saved.coach == "end"
    assert [t.coaching.feedback for t in saved.turns] == ["Good.", "Good."]


def test_number_the_counterpart_invents_is_flagged_in_the_review(report_dir):
    answers = {
        "counterpart": lambda turn, prompt: {"reply": "We paid the EUR 4,800 invoice; we would settle for EUR 9,750, no more."},
        "coach": lambda turn, prompt: {"labels": ["position"], "dimension": "substance", "feedback": "A demand.", "better": ""},
        "review": lambda turn, prompt: REVIEW,
    }
    saved = _rehearse_in_process(report_dir, ["Will you pay the late fee?"], answers)
    assert [(f.turn, f.number) for f in saved.review.numbers] == [(1, "9,750")]
    assert saved.turns[0].unknown_numbers == ["9,750"]


def test_a_disclosure_counts_only_when_the_reply_holds_its_substance():
    persona = persona_from_report(load_report(CASSETTES / "telco-paysys.report.json"))
    public, names = "\n".join(persona.facts), [persona.name, persona.organisation, persona.our_side]
    from pipeline.rehearsal.schemas import PrivateItem

    costs = next((i for i in persona.private if re.search(r"\d[\d,.]*\d", i.text)), None) or PrivateItem(
        id="p-hand", kind=persona.private[0].kind,  # hand-written where the recorded profile's items hold no figure
        text="Each idle month of the onboarding team costs PaySys EUR 180,000.")
    figure = re.search(r"\d[\d,.]*\d", costs.text).group()
    assert discloses(costs, f"Between us, {costs.text}", public, names), (costs.text, figure)
    assert not discloses(costs, "I cannot say more about our costs.", public, names)
    assert not discloses(costs, "Our offer is valid until 31 March 2026.", public, names), "a public figure is no disclosure"
    assert not set(persona.facts) & {i.text for i in persona.private}, "a private item is also a public fact"


def test_the_counterpart_speaks_for_the_counterpart_organisation_never_our_side():
    """The recorded telco report names "Group Procurement" (TelCo Group Services GmbH) as a counterpart party."""
    report = load_report(CASSETTES / "telco-paysys.report.json")
    persona = persona_from_report(report)
    assert persona.organisation == report.case.counterpart == "PaySys"
    assert "Group Procurement" not in persona.name and persona.our_side.casefold() not in persona.name.casefold()
    norsk = persona_from_report(load_report(CASSETTES / "norsk-leveranse.report.json"))
    assert norsk.name == "Driftspartner Norge AS" and norsk.our_side == "Helse Vestfjord HF"
    assert speaks_for_us("We at TelCo need the breakdown first.", persona)
    assert speaks_for_us("TelCo: we will send the breakdown.", persona)
    assert not speaks_for_us("We can send TelCo the breakdown next week.", persona)


def _turn_of(prompt: str) -> str:
    return re.findall(r"<turn>(.*?)</turn>", prompt, re.S)[-1]


def _in_character(turn: str, prompt: str) -> dict:
    """A hand-written counterpart: it says the private item the prompt hands it, else a line of its own
    that names the turn's length (so no two replies are alike)."""
    handed = re.search(r'Tell them this one thing[^"]*"(.*)"', prompt)
    return {"reply": f"Between us: {handed.group(1)}" if handed else f"Noted, all {len(turn)} characters of it."}


COACH = {"labels": ["position"], "dimension": "substance", "feedback": "Hand-written feedback.", "better": ""}


def test_a_threat_hardens_the_reply_and_the_next_and_lands_in_turns_to_try_again(report_dir):
    turns = ["Thank you for meeting me.", "If you don't pay the fee, we will take you to court.",
             "Our invoice stands.", "Please pay it."]
    coach = {**COACH, "labels": ["partial_alternative"]}  # neither earns nor needs trying again
    transport = HandWritten({"counterpart": _in_character,
                             "coach": lambda turn, prompt: coach if turn.startswith("Thank") else COACH,
                             "review": lambda turn, prompt: {"summary": "A productive, constructive meeting."}})
    saved = _rehearse_in_process(report_dir, turns, transport)
    assert [t.reply.stance for t in saved.turns] == ["guarded", "hardened", "hardened", "guarded"]
    assert "stance now: hardened" in transport.prompts["counterpart"][1]
    assert "stance now: hardened" not in transport.prompts["counterpart"][3]
    assert [r.turn for r in saved.review.retry] == [2, 3, 4], "the threat and the position-only turns"
    assert "threat" in saved.review.retry[0].why.casefold()
    assert not any(t.revealed for t in saved.turns)
    assert "productive" not in saved.review.notes.summary, "a summary contradicting the events is replaced"


def test_an_open_question_after_a_calm_turn_reveals_exactly_one_private_item(report_dir):
    persona = persona_from_report(load_report(report_dir / "report.json"))
    turns = ["Thank you for meeting me.", "What would make this easier for you?", "I see."]
    transport = HandWritten({"counterpart": _in_character, "coach": lambda turn, prompt: COACH,
                             "review": lambda turn, prompt: REVIEW})
    saved = _rehearse_in_process(report_dir, turns, transport)
    assert [t.revealed for t in saved.turns] == [[], [persona.private[0].id], []]
    assert [t.reply.stance for t in saved.turns] == ["guarded", "open", "guarded"]
    assert not any(item.text in transport.prompts["counterpart"][0] for item in persona.private), \
        "the model sees a private item only when the user earned it"
    assert "Tell them this one thing" not in transport.prompts["counterpart"][2]
    assert [(r.item.id, r.turn) for r in saved.review.revealed] == [(persona.private[0].id, 2)]


def test_an_echo_is_regenerated_once_with_the_reason_then_replaced_by_an_in_character_line(report_dir):
    turn = "Could we agree to look at the signed quote together next week?"
    transport = HandWritten({"counterpart": lambda t, prompt: {"reply": f"Yes. {t}"},
                             "coach": lambda t, prompt: COACH, "review": lambda t, prompt: REVIEW})
    saved = _rehearse_in_process(report_dir, [turn], transport)
    first, second = transport.prompts["counterpart"]
    assert "rejected" not in first and "repeats the user's words" in second
    reply = saved.turns[0].reply
    assert reply.fallback and reply.reply == fallback_line("guarded", "en") and "repeats" in reply.guard
    assert fallback_line("guarded", "en", [reply.reply]) != reply.reply, "a second fallback is another line"
    assert saved.review.steps_agreed == [], "a step the counterpart never took up is not agreed"


def test_the_coach_never_hands_the_turn_or_a_threat_back():
    threat = "If you don't drop the fee, we will take you to court."
    assert checked_better(threat, threat) == ""
    assert checked_better(f"<turn>{threat}</turn>", threat) == ""
    assert checked_better("Or else we will walk away.", "What matters to you?") == ""
    assert checked_better("turn: What would help you agree?", threat) == "What would help you agree?"


def test_the_coach_keeps_to_the_brief_s_script(report_dir):
    coach = {**COACH, "feedback": "Ask for the breakdown 明天", "better": "What would the breakdown show 明天?"}
    answers = {"counterpart": _in_character, "coach": lambda t, prompt: coach, "review": lambda t, prompt: REVIEW}
    saved = _rehearse_in_process(report_dir, ["Please pay the invoice."], answers)
    assert saved.turns[0].coaching.feedback == "Ask for the breakdown"
    assert saved.turns[0].coaching.better == "What would the breakdown show?"


def test_review_lists_come_from_the_turns(report_dir):
    step = "Could we agree on a small next step: you send the signed quote by Friday, and we meet on 12 May?"
    answers = {"counterpart": lambda t, prompt: {"reply": "Fine: we send you the signed quote by Friday and we meet you on 12 May."},
               "coach": lambda t, prompt: {**COACH, "labels": ["process_step"]}, "review": lambda t, prompt: REVIEW}
    saved = _rehearse_in_process(report_dir, [step], answers)
    assert [(s.turn, s.step) for s in saved.review.steps_agreed] == [
        (1, "you send the signed quote by Friday"), (1, "we meet on 12 May")]
    assert saved.review.retry == []


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
    data = json.loads((report_dir / "report.json").read_text())
    data["provenance"]["case_path"] = str(tmp_path / "moved-away")
    lost = tmp_path / "lost" / "report.json"
    lost.parent.mkdir()
    lost.write_text(json.dumps(data))
    _one_line_exit_2(_cli(str(lost), *offline), "pass --case")


RECORDED = {"telco-paysys": (3, 2), "norsk-leveranse": (4, 2)}
"""Each recorded rehearsal's threat turn and open-question turn (lines of tests/data/rehearsal/NAME.turns.txt)."""


def _check_review_against_the_turns(saved: Rehearsal, moves: list[str]) -> None:
    """Each of the review's lists, recomputed from the recorded events."""
    review, turns = saved.review, saved.turns
    first: dict[str, int] = {}
    for t in turns:
        for i in t.revealed:
            first.setdefault(i, t.number)
    assert [(x.item.id, x.turn) for x in review.revealed] == list(first.items())
    assert {i.id for i in review.hidden} == {i.id for i in saved.counterpart.private} - set(first)
    to_retry = [t.number for t in turns if "threat" in t.labels or set(t.labels) <= {"position", "closed_question"}]
    assert set(to_retry) <= {r.turn for r in review.retry}
    names = frozenset(key_words(" ".join((saved.counterpart.name, saved.counterpart.our_side))))
    for step in review.steps_agreed:
        turn, replies = turns[step.turn - 1], " ".join(t.reply.reply for t in turns[step.turn - 1:step.turn + 1])
        words = key_words(step.step, names)
        assert "process_step" in turn.labels and holds(words, turn.user, names) and holds(words, replies, names)
    for move in moves:
        made = any(holds(w, t.user, names) for _, w in clauses(move, names) for t in turns)
        assert (move in review.moves_used) == made and (move in review.moves_missed) != made, move


@pytest.mark.parametrize("name", list(RECORDED))
def test_recorded_rehearsal_replays_in_character_and_by_the_rules(name, tmp_path):
    cassette = CASSETTES / f"{name}.rehearsal.json"
    if not cassette.exists():
        pytest.skip(f"record it with: python -m tests.record --rehearsal {name}")
    done = subprocess.run(rehearsal_command(name, tmp_path, "--replay", str(cassette.relative_to(ROOT))),
                          cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    saved = Rehearsal.model_validate_json((tmp_path / "rehearsal-1.json").read_text())
    persona, threat_turn, question_turn = saved.counterpart, *RECORDED[name]
    script = [line for line in (REHEARSALS / f"{name}.turns.txt").read_text().splitlines() if line.strip()]
    assert [t.user for t in saved.turns] == script
    assert persona.our_side.casefold() not in persona.name.casefold()
    for i, turn in enumerate(saved.turns):  # in character, for the counterpart, in its own words
        reply = turn.reply.reply
        assert reply and not re.search(r"\b(as an ai|language model|assistant|i'?m sorry, but)\b", reply, re.I), reply
        assert not speaks_for_us(reply, persona), reply
        assert echo_share(reply, turn.user) <= 0.5, reply
        assert all(echo_share(reply, t.reply.reply) <= 0.5 for t in saved.turns[:i]), reply
        assert turn.coaching.better == checked_better(turn.coaching.better, turn.user)
    threat = saved.turns[threat_turn - 1]
    assert threat.labels[0] == "threat" and threat.reply.stance == "hardened" and not threat.revealed
    assert threat.number in [r.turn for r in saved.review.retry]
    assert all(threat.user.casefold() not in t.coaching.better.casefold() for t in saved.turns)
    assert "open_question" in saved.turns[question_turn - 1].labels
    assert all(len(t.revealed) <= 1 for t in saved.turns)
    _check_review_against_the_turns(saved, [m.move for m in load_report(tmp_path / "report.json").synthesis.next_moves])
    written = [t.reply.reply for t in saved.turns] + [t.coaching.feedback for t in saved.turns]
    written += [saved.review.notes.summary]
    assert not any(CJK.search(text) for text in written)
    if persona.language == "no":
        assert all(written_in(text, 6) in ("", "no", "nb", "nn", "da") for text in written), written
    assert (tmp_path / "rehearsal-1.md").read_text().startswith("# Rehearsal 1")


def test_a_reply_loses_the_speaker_label_the_model_copied_from_the_transcript():
    """Hand-written replies (not model output), shaped like a recorded one: "PaySys: To achieve a signature…"."""
    persona = Persona(name="Dana Weber", organisation="PaySys", our_side="TelCo")
    assert without_speaker_label("PaySys:  To achieve a signature this year we need 31 March.", persona) == \
        "To achieve a signature this year we need 31 March."
    assert without_speaker_label("dana weber: Fine.", persona) == "Fine."
    assert without_speaker_label("PaySys needs the date: 31 March.", persona) == "PaySys needs the date: 31 March."


def test_feedback_that_quotes_a_threat_gives_way_to_the_method_s_line():
    """The coach's feedback may not hand the threat back either (seen in a recording: "A better phrasing would be:
    'Let me tell you that if you don't drop the exclusivity...'")."""
    from pipeline.rehearsal.guards import FEEDBACK, checked_feedback

    threat = "If you don't drop the exclusivity, we will take all twelve markets elsewhere."
    quoted = "A better phrasing would be: 'Let me tell you that if you don't drop the exclusivity, we will go elsewhere.'"
    assert checked_feedback(quoted, threat, "threat", "en") == FEEDBACK["en"]["threat"]
    calm = "The consultant names a shared risk and leaves room for an answer."
    assert checked_feedback(calm, "Our board may not approve it as it stands.", "warning", "en") == calm


def test_the_rehearsal_plays_the_reviewed_brief(report_dir):
    from pipeline.case.loading import load_case
    from pipeline.checks.claims import ClaimChecker
    from pipeline.review import Desk, save_review

    report = load_report(report_dir / "report.json")
    before = persona_from_report(report)
    private = before.private[0].text
    rejected = next(i for i, f in Desk(report).items.items() if f.item.text == private)
    desk = Desk(report, None, lambda: ClaimChecker(load_case(TINY_CASE)))
    desk.reject(rejected, "Ann")
    desk.edit("deal_profile.positions.2", "Ann", "Jonas Eklund refuses to pay the late fee")
    save_review(report_dir, desk.review)
    transport = HandWritten({"counterpart": _in_character, "coach": lambda turn, prompt: COACH,
                             "review": lambda turn, prompt: REVIEW})
    saved = _rehearse_in_process(report_dir, ["What would make this easier for you?"], transport)
    assert private not in [p.text for p in saved.counterpart.private]
    assert not any(private in prompt for prompts in transport.prompts.values() for prompt in prompts)
    assert "Jonas Eklund refuses to pay the late fee" in saved.counterpart.facts
    assert "Jonas Eklund refuses to pay" not in saved.counterpart.facts
