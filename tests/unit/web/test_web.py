"""The web app (`negoprep serve`) through Starlette's TestClient: safe by default, live progress, report.

Preparations replay the telco-paysys cassette (see tests/web_support.py) or ask the stub server,
whose answers are synthetic (labelled so), never a model's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.report.render import load_report, write_report
from pipeline.testing.stub_server import StubConfig, run_stub
from pipeline.schemas import PrepReport
from pipeline.settings import load_settings
from pipeline.web.app import create_app
from pipeline.web.security import CONTENT_SECURITY_POLICY, check_bind, is_loopback
from tests.conftest import CASSETTES, DATA
from tests.web_support import replay_cassette, telco_documents, telco_fields  # noqa: F401 - a fixture

PIPELINE_NODES = ["ingest", "extract", "verify_profile", "challenge", "profile", "verify_analysis", "merge", "translate", "assemble"]


def _client(workspace: Path, settings=None, **options) -> TestClient:
    app = create_app(workspace, settings or load_settings(use_cache=False), allowed_hosts=["testserver"], **options)
    return TestClient(app)


def _token(client: TestClient, path: str = "/cases/new") -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get(path).text).group(1)


def _upload(client: TestClient, files: list[tuple[str, bytes]], **fields) -> object:
    data = {"csrf_token": _token(client), **fields}
    return client.post("/cases/new", data=data, files=[("files", (name, body)) for name, body in files],
                       follow_redirects=False)


def _create_telco(client: TestClient) -> str:
    response = _upload(client, [(p.name, p.read_bytes()) for p in telco_documents()], **telco_fields())
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[1]


def _prepare(client: TestClient, case: str, resume: bool = False) -> list[dict]:
    """Start a run and read its event stream to the end."""
    token = _token(client, f"/cases/{case}")
    started = client.post(f"/cases/{case}/prepare", data={"csrf_token": token, **({"resume": "1"} if resume else {})},
                          follow_redirects=False)
    assert started.status_code == 303, started.text
    return _events(client, case)


def _events(client: TestClient, case: str) -> list[dict]:
    events = []
    with client.stream("GET", f"/cases/{case}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    assert events[-1]["type"] == "end"
    return events


def _stub_settings(stub, **overrides):
    return load_settings(backend="openai", base_url=stub.base_url, api_key="test", use_cache=False, **overrides)


# --- safe by default ---------------------------------------------------------------------------

def test_pages_carry_a_strict_csp_and_reference_only_local_assets(tmp_path):
    client = _client(tmp_path)
    for path in ("/", "/cases/new", "/settings"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY
        assert response.headers["x-frame-options"] == "DENY"
        assert not re.search(r"(src|href)=\"(https?:)?//", response.text), "an external asset"
        assert "<script>" not in response.text and not re.search(r"\son[a-z]+=", response.text)
    assert client.get("/static/app.js").status_code == 200
    set_cookie = TestClient(client.app).get("/").headers["set-cookie"]
    assert "negoprep_session=" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie


def test_oversized_file_is_refused_with_its_limit_and_nothing_is_stored(tmp_path):
    client = _client(tmp_path, load_settings(use_cache=False, max_file_mb=0.1))
    response = _upload(client, [("notes.md", b"# Notes\n" + b"word " * 40_000)], title="Too big")
    assert response.status_code == 400
    assert "notes.md: 0.2 MiB is over the 0.1 MiB limit per file" in response.text
    assert list((tmp_path / "cases").iterdir()) == []


def test_oversized_request_is_refused_before_it_is_read(tmp_path):
    client = _client(tmp_path, max_request_mb=0.05)
    response = _upload(client, [("notes.md", b"x" * 100_000)])
    assert response.status_code == 413
    assert "The upload is too large: at most 0.05 MiB per request." in response.text
    assert list((tmp_path / "cases").iterdir()) == []


def test_unsupported_type_is_refused_naming_the_supported_ones(tmp_path):
    client = _client(tmp_path)
    response = _upload(client, [("notes.md", b"# fine"), ("setup.exe", b"MZ\x90\x00")])
    assert response.status_code == 400
    assert "setup.exe: unsupported file type &#39;.exe&#39;; supported: .docx, .eml, .markdown, .md, .pdf, .txt" \
        in response.text
    assert list((tmp_path / "cases").iterdir()) == []


def test_unreadable_document_is_refused_by_the_cli_readers(tmp_path):
    client = _client(tmp_path)
    response = _upload(client, [("empty.md", b"   \n"), ("broken.pdf", b"%PDF-1.4 not really")])
    assert response.status_code == 400
    assert "empty.md: the file is empty (no text)" in response.text
    assert "broken.pdf:" in response.text


@pytest.mark.parametrize("name", ["../../escape.md", "..\\..\\escape.md", "/etc/escape.md", ".escape.md"])
def test_path_in_a_file_name_is_dropped(tmp_path, name):
    client = _client(tmp_path / "ws")
    response = _upload(client, [(name, b"# The brief\nThe client paid on 21 April.")], name="acme")
    assert response.status_code == 303
    stored = [p.relative_to(tmp_path) for p in tmp_path.rglob("*escape.md")]
    assert stored == [Path("ws/cases/acme/escape.md")]


def test_state_changing_requests_without_the_csrf_token_are_refused(tmp_path):
    client = _client(tmp_path)
    case = _upload(client, [("brief.md", b"# Brief\nWe sell.")], name="acme").headers["location"].rsplit("/", 1)[1]
    unsafe = [(route.path, method) for route in client.app.routes if isinstance(route, Route)
              for method in route.methods or () if method not in ("GET", "HEAD")]
    assert len(unsafe) == 8  # archive and the review's post included
    for path, method in unsafe:
        url = path.replace("{case}", case)
        missing = client.request(method, url, data={"title": "x"})
        assert missing.status_code == 403, (url, missing.text)
        assert "security token is missing or stale" in missing.text
        forged = client.request(method, url, data={"csrf_token": "0" * 64})
        assert forged.status_code == 403, url
        elsewhere = client.request(method, url, data={"csrf_token": _token(client)},
                                   headers={"origin": "http://evil.example"})
        assert elsewhere.status_code == 403 and "another site" in elsewhere.text
    assert [p.name for p in (tmp_path / "cases").iterdir()] == ["acme"]
    assert not (tmp_path / "out" / "acme" / "run.json").exists()


def test_token_of_another_browser_session_is_refused(tmp_path):
    client = _client(tmp_path)
    token = _token(TestClient(client.app))
    response = client.post("/cases/new", data={"csrf_token": token}, files=[("files", ("a.md", b"# a"))])
    assert response.status_code == 403


def test_foreign_host_header_is_refused(tmp_path):
    response = _client(tmp_path).get("/", headers={"host": "evil.example"})
    assert response.status_code == 400


def test_non_loopback_bind_needs_the_flag_and_warns(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--workspace", str(tmp_path)])
    assert result.exit_code == 2
    assert "pass --allow-remote" in result.output
    assert list(tmp_path.iterdir()) == []
    assert check_bind("127.0.0.1", False) is None and check_bind("localhost", False) is None
    assert "WARNING" in check_bind("192.168.1.20", True)
    assert is_loopback("::1") and is_loopback("127.0.0.2") and not is_loopback("0.0.0.0")


def test_case_text_is_escaped_on_every_page(tmp_path):
    client = _client(tmp_path)
    hostile = "<script>alert(1)</script>"
    response = _upload(client, [("brief.md", b"# Brief\nWe sell.")], title=hostile, our_side='"><img src=x>')
    case = response.headers["location"].rsplit("/", 1)[1]
    for path in ("/", f"/cases/{case}"):
        text = client.get(path).text
        assert hostile not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<img src=x>" not in text


def test_settings_page_never_shows_keys(tmp_path):
    key = "not-a-real-key-SECRET"  # what matters is that it never reaches the page
    settings = load_settings(api_key=key, base_url="http://user:hunter22@llm.local:8000/v1", use_cache=False)
    text = _client(tmp_path, settings).get("/settings").text
    assert "SECRET" not in text and "hunter22" not in text and "user:" not in text
    assert "set (hidden)" in text and "llm.local:8000/v1" in text
    assert "NEGOPREP_MAX_FILE_MB" in text and '<strong id="backend">openai</strong>' in text


# --- prepare, read, compare --------------------------------------------------------------------

def test_prepare_streams_node_events_then_the_report_reads_and_downloads(tmp_path, replay_cassette):
    client = _client(tmp_path, load_settings(replay=replay_cassette, use_cache=False))
    case = _create_telco(client)
    assert sorted((tmp_path / "cases" / case).iterdir()) == sorted(
        [tmp_path / "cases" / case / p.name for p in telco_documents()] + [tmp_path / "cases" / case / "case.yaml"])

    events = _prepare(client, case)
    nodes = [e for e in events if e["type"] == "node"]
    assert [e["node"] for e in nodes if e["status"] == "started"][:3] == PIPELINE_NODES[:3]
    assert {e["node"] for e in nodes if e["status"] == "done"} == set(PIPELINE_NODES)
    finished = {e["node"]: e for e in nodes if e["status"] == "done"}
    assert finished["extract"]["tokens"] > 0 and finished["ingest"]["tokens"] == 0
    assert all(e["elapsed"] >= 0 and e["took"] >= 0 for e in finished.values())
    assert events[-1]["status"] == "done", events[-1]

    report = PrepReport.model_validate_json(client.get(f"/cases/{case}/report.json").content)
    assert report.case.name == case and report.case.our_side == "TelCo"
    page = client.get(f"/cases/{case}/report").text
    assert f'src="/cases/{case}/report/frame"' in page and "sandbox" in page and 'id="changes"' not in page
    frame = client.get(f"/cases/{case}/report/frame")
    assert "sandbox" in frame.headers["content-security-policy"] and frame.headers["x-frame-options"] == "SAMEORIGIN"
    assert 'id="deal-profile"' in frame.text
    docx = client.get(f"/cases/{case}/report.docx")
    assert docx.content[:2] == b"PK" and f'{case}-report.docx' in docx.headers["content-disposition"]
    assert client.get(f"/cases/{case}/report.md").text.startswith("#")
    assert client.get(f"/cases/{case}/report.pdf").status_code == 404
    home = client.get("/").text
    assert "TelCo payment consolidation with PaySys" in home and report.provenance.model in home


def test_rerun_after_adding_a_document_shows_what_changed(tmp_path):
    with run_stub() as stub:
        client = _client(tmp_path, _stub_settings(stub))
        response = _upload(client, [("brief.md", b"# Brief\nTelCo pays 4 million a year.")], name="acme",
                           our_side="TelCo", counterpart="PaySys")
        case = response.headers["location"].rsplit("/", 1)[1]
        assert _prepare(client, case)[-1]["status"] == "done"
        added = client.post(f"/cases/{case}/documents", data={"csrf_token": _token(client, f"/cases/{case}")},
                            files=[("files", ("update.txt", b"PaySys now asks for a 5-year term."))],
                            follow_redirects=False)
        assert added.status_code == 303
        assert _prepare(client, case)[-1]["status"] == "done"
    page = client.get(f"/cases/{case}/report").text
    assert 'id="changes"' in page and "What changed since the last brief" in page
    assert (tmp_path / "out" / case / "report.previous.json").is_file()


def test_cancel_stops_the_run_and_it_resumes_from_the_checkpoint(tmp_path):
    with run_stub(StubConfig(latency_s=3.0)) as slow:
        client = _client(tmp_path, _stub_settings(slow))
        case = _upload(client, [("brief.md", b"# Brief\nTelCo pays 4 million a year.")],
                       name="acme").headers["location"].rsplit("/", 1)[1]
        token = _token(client, f"/cases/{case}")
        client.post(f"/cases/{case}/prepare", data={"csrf_token": token}, follow_redirects=False)
        busy = client.post(f"/cases/{case}/prepare", data={"csrf_token": token})
        assert busy.status_code == 409 and "is being prepared" in busy.text
        client.app.state.jobs.get(case).wait(0.5)
        assert client.post(f"/cases/{case}/cancel", data={"csrf_token": token}, follow_redirects=False).status_code == 303
        events = _events(client, case)
    assert events[-1]["status"] == "cancelled"
    assert "ingest" in {e["node"] for e in events if e["type"] == "node" and e["status"] == "done"}
    page = client.get(f"/cases/{case}").text
    assert 'id="resume-button"' in page and "Last run cancelled" in page

    with run_stub() as fast:
        client.app.state.jobs.settings = _stub_settings(fast)
        resumed = _prepare(client, case, resume=True)
    assert resumed[-1]["status"] == "done"
    assert any("resuming from checkpoint" in e.get("line", "") for e in resumed)
    assert "ingest" not in {e["node"] for e in resumed if e["type"] == "node"}


def test_a_failed_run_names_the_node_and_offers_resume(tmp_path):
    with run_stub(StubConfig(fault_rate=1.0, faults=("500",))) as broken:
        client = _client(tmp_path, _stub_settings(broken, max_retries=0, repair_attempts=0))
        case = _upload(client, [("brief.md", b"# Brief\nTelCo pays.")], name="acme").headers["location"].rsplit("/", 1)[1]
        events = _prepare(client, case)
    assert events[-1]["status"] == "failed"
    # the upload names no sides, so the extract node's first call is the question that names them
    assert events[-1]["error"].startswith("model backend failed in node sides:")
    assert {"node": "extract", "status": "failed"}.items() <= next(
        e for e in events if e.get("node") == "extract" and e["status"] != "started").items()
    assert 'id="resume-button"' in client.get(f"/cases/{case}").text


def test_rehearsal_needs_a_report_first(tmp_path):
    client = _client(tmp_path)
    case = _upload(client, [("brief.md", b"# Brief\nWe sell.")], name="acme").headers["location"].rsplit("/", 1)[1]
    assert "Prepare the case first" in client.get(f"/cases/{case}/rehearse").text
    token = _token(client, f"/cases/{case}/rehearse")
    answer = client.post(f"/cases/{case}/rehearse", json={"text": "What do you need from us?"},
                         headers={"x-csrf-token": token})
    assert answer.status_code == 409 and "prepare the case first" in answer.json()["error"]
    assert client.post(f"/cases/{case}/rehearse", json={"text": "hi"}).status_code == 403


def test_rehearsal_turns_play_on_one_checkpointed_thread(tmp_path):
    """Two turns through the chat endpoint (synthetic answers from the stub server): the same thread
    carries on, and an unknown thread id is refused."""
    with run_stub(StubConfig()) as stub:
        settings = load_settings(use_cache=False, backend="openai", base_url=stub.base_url)
        client = _client(tmp_path, settings)
        tiny = DATA / "cases" / "tiny"
        case = _upload(client, [(p.name, p.read_bytes()) for p in sorted(tiny.glob("*.md"))],
                       name="tiny").headers["location"].rsplit("/", 1)[1]
        out = client.app.state.workspace.out_dir(case)
        out.mkdir(parents=True, exist_ok=True)
        write_report(load_report(CASSETTES / "tiny.report.json"), out, ("json",))
        token = _token(client, f"/cases/{case}/rehearse")
        first = client.post(f"/cases/{case}/rehearse", json={"text": "What matters most to you?"},
                            headers={"x-csrf-token": token})
        assert first.status_code == 200, first.text
        thread = first.json()["thread_id"]
        assert first.json()["counterpart"] and first.json()["coach"]
        second = client.post(f"/cases/{case}/rehearse", json={"text": "Could we meet next week?", "thread_id": thread},
                             headers={"x-csrf-token": token})
        assert second.status_code == 200 and second.json()["thread_id"] == thread
        assert stub.stats()["nodes"] == {"counterpart": 2, "coach": 2}
        ended = client.post(f"/cases/{case}/rehearse", json={"text": "/end", "thread_id": thread},
                            headers={"x-csrf-token": token})
        assert ended.status_code == 200 and "rehearsal-1.md" in ended.json()["coach"]
        assert (out / "rehearsal-1.json").is_file() and stub.stats()["nodes"]["review"] == 1
        stranger = client.post(f"/cases/{case}/rehearse", json={"text": "hi", "thread_id": "../1"},
                               headers={"x-csrf-token": token})
        assert stranger.status_code == 400
        unknown = client.post(f"/cases/{case}/rehearse", json={"text": "hi", "thread_id": "77"},
                              headers={"x-csrf-token": token})
        assert unknown.status_code == 409 and "no rehearsal in progress" in unknown.json()["error"]


def test_unknown_case_is_a_404_page(tmp_path):
    client = _client(tmp_path)
    for path in ("/cases/nope", "/cases/..%2F..%2Fetc", "/cases/nope/report.json"):
        assert client.get(path).status_code == 404


def test_upload_page_accepts_exactly_the_cli_formats(tmp_path):
    from pipeline.case.readers import READERS

    text = _client(tmp_path).get("/cases/new").text
    assert f'accept="{",".join(sorted(READERS))}"' in text


def test_the_report_page_checks_a_statement_against_the_case_materials(tmp_path):
    """A consultant checks a line of a draft e-mail: the checker's state, reason and passage, escaped."""
    client = _client(tmp_path)
    case = _create_telco(client)
    out = client.app.state.workspace.out_dir(case)
    out.mkdir(parents=True, exist_ok=True)
    write_report(load_report(CASSETTES / "telco-paysys.report.json"), out, ("json",))
    page = client.get(f"/cases/{case}/report")
    assert 'id="check-statement"' in page.text and 'name="statement"' in page.text
    token = _token(client, f"/cases/{case}/report")

    def check(statement: str):
        return client.post(f"/cases/{case}/report/check", data={"csrf_token": token, "statement": statement})

    approved = check("The Group Management Board has already approved the EUR 53 million deal.")
    assert approved.status_code == 200, approved.text
    result = approved.text.split('id="check-result"', 1)[1].split("</div>", 1)[0]
    assert "(contradicted)" in result and "21 April" in result and "Passage found by the checker:" in result
    signed = check("Katarina Lindqvist is authorised to sign contracts worth up to EUR 40 million in total.")
    assert "(verified)" in signed.text and "02_steering_committee_notes.md, line 25" in signed.text
    hostile = check("<script>alert(1)</script> PaySys offered EUR 9 million.")
    assert "<script>alert(1)" not in hostile.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile.text
    assert check("   ").status_code == 400
    assert client.post(f"/cases/{case}/report/check", data={"statement": "x"}).status_code == 403
