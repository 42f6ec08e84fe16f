"""The five defects of issue 35, each as the consultant met it: rehearsal errors, an IPv6 bind, an
overlong thread id, a stale brief with no notice, and the rehearsal page and report details."""

from __future__ import annotations

import re
from html import escape
import stat

import pytest
from starlette.testclient import TestClient

from pipeline.report.render import load_report, render, write_report
from pipeline.settings import load_settings
from pipeline.testing.stub_server import StubConfig, run_stub
from pipeline.web.app import create_app
from pipeline.web.security import LOOPBACK_NAMES
from tests.conftest import CASSETTES, DATA
from tests.unit.web.test_web import _client, _create_telco, _prepare, _stub_settings, _token, _upload


def _with_report(client: TestClient, case: str, report: str = "telco-paysys") -> None:
    out = client.app.state.workspace.out_dir(case)
    out.mkdir(parents=True, exist_ok=True)
    write_report(load_report(CASSETTES / f"{report}.report.json"), out, ("json",))


def _tiny_case(client: TestClient) -> str:
    tiny = DATA / "cases" / "tiny"
    case = _upload(client, [(p.name, p.read_bytes()) for p in sorted(tiny.glob("*.md"))],
                   name="tiny").headers["location"].rsplit("/", 1)[1]
    _with_report(client, case, "tiny")
    return case


# --- 1. rehearsal errors -------------------------------------------------------------------------

def test_a_turn_the_backend_cannot_answer_is_a_json_error_naming_its_thread(tmp_path):
    """A replay with no rehearsal answers: the first turn fails after its thread started; the page gets
    the error in plain words and the thread, and the next Send goes on on that thread."""
    settings = load_settings(replay=CASSETTES / "telco-paysys.json", use_cache=False)
    client = TestClient(create_app(tmp_path, settings, allowed_hosts=["testserver"]),
                        raise_server_exceptions=False)
    case = _create_telco(client)
    _with_report(client, case)
    token = _token(client, f"/cases/{case}/rehearse")
    first = client.post(f"/cases/{case}/rehearse", json={"text": "What matters most to you?"},
                        headers={"x-csrf-token": token})
    assert first.headers["content-type"].startswith("application/json"), first.text
    assert first.status_code == 502
    error = first.json()
    assert error["thread_id"] == "1" and "could not answer" in error["error"]
    assert "Traceback" not in error["error"] and "Internal Server Error" not in error["error"]
    assert 'data-thread="1"' in client.get(f"/cases/{case}/rehearse").text
    second = client.post(f"/cases/{case}/rehearse", json={"text": "Shall we start?", "thread_id": "1"},
                         headers={"x-csrf-token": token})
    assert second.status_code == 502 and second.json()["thread_id"] == "1"


def test_an_unexpected_rehearsal_error_is_a_json_error_too(tmp_path):
    class Broken:
        def start(self, report_dir, case_dir):
            raise RuntimeError("disk on fire")

    client = TestClient(create_app(tmp_path, load_settings(use_cache=False), allowed_hosts=["testserver"],
                                   rehearsal=Broken()), raise_server_exceptions=False)
    case = _create_telco(client)
    _with_report(client, case)
    answer = client.post(f"/cases/{case}/rehearse", json={"text": "Hello"},
                         headers={"x-csrf-token": _token(client, f"/cases/{case}/rehearse")})
    assert answer.status_code == 500 and "disk on fire" in answer.json()["error"]


# --- 2. serve --host ::1 ---------------------------------------------------------------------------

def test_an_ipv6_loopback_bind_accepts_its_own_host_header(tmp_path):
    client = TestClient(create_app(tmp_path, load_settings(use_cache=False)))  # the loopback names, ::1 among them
    assert client.get("/", headers={"host": "[::1]:8765"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]"}).status_code == 200
    assert client.get("/", headers={"host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"host": "[::2]:8765"}).status_code == 400
    assert client.get("/", headers={"host": "evil.example:8765"}).status_code == 400
    assert "::1" in LOOPBACK_NAMES


# --- 3. an overlong thread id ---------------------------------------------------------------------

def test_a_5000_digit_thread_id_is_a_clean_400(tmp_path):
    client = TestClient(create_app(tmp_path, load_settings(use_cache=False), allowed_hosts=["testserver"]),
                        raise_server_exceptions=False)
    case = _tiny_case(client)
    token = _token(client, f"/cases/{case}/rehearse")
    for thread in ("9" * 5000, "../1", "١٢"):
        answer = client.post(f"/cases/{case}/rehearse", json={"text": "hi", "thread_id": thread},
                             headers={"x-csrf-token": token})
        assert answer.status_code == 400 and answer.json()["error"] == "unknown rehearsal", thread[:20]


# --- 4. a stale brief -----------------------------------------------------------------------------

def test_a_document_added_after_the_brief_and_a_failed_run_are_said_on_home_and_report(tmp_path):
    with run_stub() as stub:
        client = _client(tmp_path, _stub_settings(stub))
        case = _upload(client, [("brief.md", b"# Brief\nTelCo pays 4 million a year.")], name="acme",
                       our_side="TelCo", counterpart="PaySys").headers["location"].rsplit("/", 1)[1]
        assert _prepare(client, case)[-1]["status"] == "done"
    assert "out of date" not in client.get("/").text
    added = client.post(f"/cases/{case}/documents", data={"csrf_token": _token(client, f"/cases/{case}")},
                        files=[("files", ("update.txt", b"PaySys now asks for a 5-year term."))],
                        follow_redirects=False)
    assert added.status_code == 303
    for path in ("/", f"/cases/{case}/report"):
        assert "out of date" in client.get(path).text, path
    with run_stub(StubConfig(fault_rate=1.0, faults=("500",))) as broken:
        client.app.state.jobs.settings = _stub_settings(broken, max_retries=0, repair_attempts=0)
        assert _prepare(client, case)[-1]["status"] == "failed"
    for path in ("/", f"/cases/{case}/report"):
        text = client.get(path).text
        assert "last run failed" in text.lower() and "out of date" in text, path
    assert "update.txt" in client.get(f"/cases/{case}/report").text


# --- 5. the rehearsal page, the report's contents, the checkpoint's mode, the Markdown export ------

def test_the_rehearsal_page_labels_speakers_in_plain_words_and_keeps_the_conversation(tmp_path):
    with run_stub(StubConfig()) as stub:
        client = _client(tmp_path, load_settings(use_cache=False, backend="openai", base_url=stub.base_url))
        case = _tiny_case(client)
        page = client.get(f"/cases/{case}/rehearse").text
        assert "/end" in page and 'data-thread=""' in page
        token = _token(client, f"/cases/{case}/rehearse")

        def say(text: str, thread: str = ""):
            answer = client.post(f"/cases/{case}/rehearse", json={"text": text, "thread_id": thread},
                                 headers={"x-csrf-token": token})
            assert answer.status_code == 200, answer.text
            return answer.json()

        first = say("Could we agree on the next step: a call on Friday?")
        assert first["speaker"] and first["speaker"] != "counterpart"
        second = say("What matters most to you in this deal?", first["thread_id"])
        for reply in (first, second):
            assert "_" not in reply["coach"].split(":")[0] and "<turn>" not in reply["coach"] + reply["counterpart"]
        reloaded = client.get(f"/cases/{case}/rehearse").text
        assert f'data-thread="{first["thread_id"]}"' in reloaded
        assert "Could we agree on the next step: a call on Friday?" in reloaded
        assert "What matters most to you in this deal?" in reloaded
        assert reloaded.count('class="turn counterpart"') == 2 and escape(first["speaker"]) in reloaded
        ended = say("/end", first["thread_id"])
    assert ended["review_url"] == f"/cases/{case}/rehearsals/1"
    review = client.get(ended["review_url"])
    assert review.status_code == 200 and "Could we agree on the next step" in review.text
    again = client.get(f"/cases/{case}/rehearse").text
    assert 'data-thread=""' in again and f'href="/cases/{case}/rehearsals/1"' in again
    assert client.get(f"/cases/{case}/rehearsals/{'9' * 5000}").status_code == 404


def test_coach_notes_use_plain_labels_without_prompt_markup():
    from pipeline.web.rehearsal import coach_note

    note = coach_note({"labels": ["process_step", "open_question"],
                       "coaching": {"feedback": "<turn>Good: a small step.</turn>", "better": "<turn>Could we meet?</turn>"}})
    assert "process_step" not in note and "Process step" in note and "open question" in note
    assert "<turn>" not in note and "</turn>" not in note


@pytest.mark.parametrize("codes", [None, ("weak", "unverified", "contradicted", "weak")])
def test_the_contents_count_the_warnings_the_section_shows(codes):
    """As recorded (warnings about the run and on evidence), and with evidence warnings only (the case found)."""
    report = load_report(CASSETTES / "telco-paysys.report.json")
    if codes:
        report = report.model_copy(update={"warnings": [w.model_copy(update={"code": code})
                                                        for w, code in zip(report.warnings, codes)]})
    html = render(report, "html")
    counted = int(re.search(r'href="#warnings">Warnings \((\d+)\)', html).group(1))
    section = html.split('id="warnings"', 1)[1].split("</section>", 1)[0]
    visible = re.sub(r"<details class=\"more\">.*?</details>", "", section, flags=re.S)  # closed: not shown
    shown = len(re.findall(r"<tr><td>", visible))
    assert counted == shown > 0


def test_the_checkpoint_is_private_like_documents_and_reports(tmp_path):
    with run_stub() as stub:
        client = _client(tmp_path, _stub_settings(stub))
        case = _upload(client, [("brief.md", b"# Brief\nTelCo pays 4 million a year.")], name="acme",
                       our_side="TelCo", counterpart="PaySys").headers["location"].rsplit("/", 1)[1]
        assert _prepare(client, case)[-1]["status"] == "done"
    out = tmp_path / "out" / case
    for path in (out / ".checkpoints.sqlite", out / "report.json", tmp_path / "cases" / case / "brief.md"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_markdown_export_escapes_html_from_the_case():
    report = load_report(CASSETTES / "telco-paysys.report.json")
    hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    report = report.model_copy(update={"case": report.case.model_copy(update={"title": hostile})})
    md = render(report, "md")
    assert "<img" not in md and "<script" not in md and "&lt;script&gt;alert(2)&lt;/script&gt;" in md
