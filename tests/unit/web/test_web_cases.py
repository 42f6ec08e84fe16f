"""The case list: each case's state, last run and model, search, sort by date, archive; all kept in the
workspace, so a restarted app shows the same."""

from __future__ import annotations

import json
import os
import re
import time
from types import SimpleNamespace

from pipeline.report.render import load_report, write_report
from pipeline.web.jobs import RUNNING
from tests.conftest import CASSETTES
from tests.unit.web.test_web import _client, _token, _upload

TELCO_MODEL = load_report(CASSETTES / "telco-paysys.report.json").provenance.model


def _case(client, name: str, text: bytes = b"# Brief\nWe sell.", title: str = "") -> str:
    response = _upload(client, [("brief.md", text)], name=name, **({"title": title} if title else {}))
    assert response.status_code == 303
    return response.headers["location"].rsplit("/", 1)[1]


def _prepared(client, name: str, **kwargs) -> str:
    """A case with the recorded telco-paysys brief, written a second after its documents."""
    case = _case(client, name, **kwargs)
    folder = client.app.state.workspace.case_dir(case)
    past = time.time() - 60
    for doc in folder.iterdir():
        os.utime(doc, (past, past))
    out = client.app.state.workspace.out_dir(case)
    out.mkdir(parents=True, exist_ok=True)
    write_report(load_report(CASSETTES / "telco-paysys.report.json"), out, ("json",))
    return case


def _rows(html: str) -> dict[str, str]:
    """The cases table's rows by case: the row's HTML."""
    return dict(re.findall(r'<tr data-case="([^"]+)"(.*?)</tr>', html, flags=re.S))


def _status(row: str) -> list[str]:
    return re.findall(r'<span class="badge state-[^"]+">([^<]+)</span>', row)


def test_each_case_shows_its_state_last_run_and_model(tmp_path):
    client = _client(tmp_path)
    ws = client.app.state.workspace
    fresh = _case(client, "fresh")
    draft = _prepared(client, "draft")
    reviewed, approved, garbled = (_prepared(client, n) for n in ("reviewed", "approved", "garbled"))
    (ws.out_dir(reviewed) / "review.json").write_text(json.dumps({"state": "reviewed", "items": {}}))
    (ws.out_dir(approved) / "review.json").write_text(json.dumps({"state": "approved"}))
    (ws.out_dir(garbled) / "review.json").write_text("{not json")
    stale = _prepared(client, "stale")
    (ws.case_dir(stale) / "update.txt").write_text("PaySys now asks for a 5-year term.")
    failed = _prepared(client, "failed")
    ws.save_run_state(failed, {"status": "failed", "error": "model backend failed in node extract: 500",
                               "finished_at": "2026-12-01T10:00:00+00:00"})
    running = _case(client, "running")
    ws.save_run_state(running, {"status": RUNNING, "started_at": "2026-12-07T09:00:00+00:00"})
    stopped = _case(client, "stopped")
    ws.save_run_state(stopped, {"status": RUNNING, "started_at": "2026-12-07T08:00:00+00:00"})
    client.app.state.jobs._jobs[running] = SimpleNamespace(status=RUNNING)

    rows = _rows(client.get("/").text)
    assert {case: _status(row) for case, row in rows.items()} == {
        fresh: ["not prepared yet"], draft: ["draft"], reviewed: ["reviewed"], approved: ["approved"],
        garbled: ["draft"], stale: ["out of date", "draft"], failed: ["last run failed", "draft"],
        running: ["running"], stopped: ["last run stopped"],
    }
    assert "changed since the brief: update.txt" in rows[stale]
    model_cell = re.search(r'<td title="([^"]*)">([^<]*)</td>', rows[draft])
    assert TELCO_MODEL in model_cell.group(1)
    assert model_cell.group(2) == "qwen2.5 coder 1.5b instruct, on this computer"
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d<div>", rows[failed])
    assert "not yet" in rows[fresh]


def test_search_finds_cases_by_name_title_and_text(tmp_path):
    client = _client(tmp_path)
    _case(client, "acme", b"# Notes\nThe harbour crane lease runs to 2031.", title="Crane lease renewal")
    _prepared(client, "telco")
    _case(client, "other", b"# Notes\nNothing to see.")

    def found(query: str, **params) -> list[str]:
        return sorted(_rows(client.get("/", params={"q": query, **params}).text))

    assert found("acme") == ["acme"]
    assert found("crane lease") == ["acme"]
    assert found("HARBOUR 2031") == ["acme"]
    assert found("PaySys") == ["telco"]  # in the brief's text
    assert found("") == ["acme", "other", "telco"]
    page = client.get("/", params={"q": "<nowhere>"}).text
    assert 'id="no-match"' in page and "&lt;nowhere&gt;" in page and "<nowhere>" not in page


def test_the_list_sorts_by_the_last_run_newest_first_or_by_name(tmp_path):
    client = _client(tmp_path)
    ws = client.app.state.workspace
    for name, day in (("alpha", "03"), ("bravo", "05"), ("charlie", "01")):
        _case(client, name)
        ws.save_run_state(name, {"status": "done", "finished_at": f"2026-12-{day}T10:00:00+00:00"})
    _case(client, "delta")  # never run: last
    assert list(_rows(client.get("/").text)) == ["bravo", "alpha", "charlie", "delta"]
    assert list(_rows(client.get("/", params={"sort": "name"}).text)) == ["alpha", "bravo", "charlie", "delta"]
    assert list(_rows(client.get("/", params={"sort": "nonsense"}).text))[0] == "bravo"


def test_archived_cases_are_hidden_until_asked_for_and_stay_so_after_a_restart(tmp_path):
    client = _client(tmp_path)
    kept, old = _case(client, "kept"), _prepared(client, "old")
    token = _token(client, "/")
    archived = client.post(f"/cases/{old}/archive", data={"csrf_token": token, "archived": "1"}, follow_redirects=False)
    assert archived.status_code == 303
    assert client.post(f"/cases/{old}/archive", data={"archived": "1"}).status_code == 403

    restarted = _client(tmp_path)  # a new app on the same workspace
    home = restarted.get("/").text
    assert list(_rows(home)) == [kept] and "Show the archived cases (1)" in home
    with_archived = _rows(restarted.get("/", params={"archived": "1"}).text)
    assert sorted(with_archived) == [kept, old] and "state-archived" in with_archived[old]
    assert restarted.get(f"/cases/{old}/report").status_code == 200  # archived, not gone

    token = _token(restarted, "/")
    restarted.post(f"/cases/{old}/archive", data={"csrf_token": token, "archived": "0"}, follow_redirects=False)
    assert sorted(_rows(_client(tmp_path).get("/").text)) == [kept, old]
