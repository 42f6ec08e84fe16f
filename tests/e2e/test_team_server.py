"""The team server end to end: PostgreSQL and the server started here, telco-paysys prepared through
langgraph-sdk and through `negoprep prepare --server` on recorded responses, engagement walls for reads,
runs, resumes, listing and search, and the audit log (append-only, CSV export)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys

import httpx
import psycopg
import pytest

from pipeline.schemas import PrepReport
from pipeline.server.audit import TABLE
from pipeline.server.client import case_input
from pipeline.settings import load_settings
from tests.conftest import CASES, CASSETTES, ROOT
from tests.e2e.team_support import team  # noqa: F401 (fixture)

RUN_TIMEOUT_S = 180
CASSETTE = CASSETTES / "telco-paysys.json"


def _run(coro):
    return asyncio.run(asyncio.wait_for(coro, RUN_TIMEOUT_S))


def _prepare_sdk(team, user: str, engagement: str | None = None) -> tuple[dict, dict]:  # noqa: F811
    async def go():
        client = team.client(user, engagement)
        thread = await client.threads.create()
        result = await client.runs.wait(thread["thread_id"], "negoprep",
                                        input=case_input(CASES / "telco-paysys", load_settings()),
                                        context={"replay": str(CASSETTE), "use_cache": False}, raise_error=True)
        return thread, result

    return _run(go())


@pytest.fixture(scope="module")
def prepared(team):  # noqa: F811
    """telco-paysys prepared by alice in `acme` through langgraph-sdk."""
    return _prepare_sdk(team, "alice")


def test_sdk_prepares_telco_paysys_on_the_team_server(team, prepared):  # noqa: F811
    thread, result = prepared
    report = PrepReport.model_validate(result["report"])
    assert thread["metadata"]["engagement"] == "acme" and thread["metadata"]["created_by"] == "alice"
    assert [d.name for d in report.case.documents] == sorted(p.name for p in (CASES / "telco-paysys").iterdir()
                                                              if p.suffix in (".md", ".txt"))
    assert report.provenance.calls and all(c.cache == "replay" for c in report.provenance.calls)
    expected = PrepReport.model_validate_json((CASSETTES / "telco-paysys.report.json").read_text())
    assert report.deal_profile == expected.deal_profile and report.synthesis == expected.synthesis


def test_cli_prepare_server_writes_the_report_locally(team, tmp_path):  # noqa: F811
    out = tmp_path / "out"
    env = {**os.environ, "NEGOPREP_SERVER_TOKEN": team.tokens["alice"], "NEGOPREP_SERVER_ENGAGEMENT": "northwind"}
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "prepare", str(CASES / "telco-paysys"),
                           "--server", team.url, "--replay", str(CASSETTE), "--out", str(out)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "engagement northwind" in done.stderr
    report = PrepReport.model_validate_json((out / "report.json").read_text())
    assert (out / "report.md").is_file() and (out / "report.html").is_file()
    expected = PrepReport.model_validate_json((CASSETTES / "telco-paysys.report.json").read_text())
    assert report.deal_profile == expected.deal_profile

    refused = subprocess.run([sys.executable, "-m", "pipeline.cli", "prepare", str(CASES / "telco-paysys"),
                              "--server", team.url, "--replay", str(CASSETTE), "--out", str(tmp_path / "no")],
                             cwd=tmp_path, env={**env, "NEGOPREP_SERVER_TOKEN": "not-a-token"},
                             capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    assert refused.returncode == 2 and "refused (401)" in refused.stderr
    assert not (tmp_path / "no").exists()


def test_unauthenticated_requests_are_refused(team, prepared):  # noqa: F811
    thread_id = prepared[0]["thread_id"]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"x-api-key": "wrong"}):
        with httpx.Client(base_url=team.url, headers=headers, timeout=30) as http:
            calls = [http.post("/threads", json={}), http.get(f"/threads/{thread_id}"),
                     http.get(f"/threads/{thread_id}/state"), http.post("/threads/search", json={}),
                     http.post(f"/threads/{thread_id}/runs", json={"assistant_id": "negoprep", "input": {}}),
                     http.get(f"/threads/{thread_id}/runs"), http.post("/assistants/search", json={})]
        assert [r.status_code for r in calls] == [401] * len(calls), [(r.request.url, r.text) for r in calls]


def test_another_engagement_is_walled_off(team, prepared):  # noqa: F811
    thread_id = prepared[0]["thread_id"]

    async def as_bob():
        bob = team.client("bob")
        outcomes = {}
        for name, call in {
            "read": lambda: bob.threads.get(thread_id),
            "state": lambda: bob.threads.get_state(thread_id),
            "history": lambda: bob.threads.get_history(thread_id),
            "run": lambda: bob.runs.create(thread_id, "negoprep", input={"path": "x"}, context={}),
            "resume": lambda: bob.runs.create(thread_id, "negoprep", command={"resume": "x"}, context={}),
            "runs": lambda: bob.runs.list(thread_id),
            "update": lambda: bob.threads.update(thread_id, metadata={"x": 1}),
        }.items():
            try:
                outcomes[name] = await call()
            except httpx.HTTPStatusError as exc:
                outcomes[name] = exc.response.status_code
        listed = await bob.threads.search(limit=100)
        counted = await bob.threads.search(metadata={"engagement": "acme"}, limit=100)
        try:
            await team.client("bob", "acme").threads.search()
            asked = 200
        except httpx.HTTPStatusError as exc:
            asked = exc.response.status_code
        mine = await team.client("alice").threads.search(limit=100)
        alice_elsewhere = await team.client("alice", "northwind").threads.search(limit=100)
        return outcomes, listed, counted, asked, mine, alice_elsewhere

    outcomes, listed, counted, asked, mine, alice_elsewhere = _run(as_bob())
    # another engagement's thread does not exist for bob: 404, except the state, which langgraph-runtime-pg
    # answers with an empty snapshot (nothing of the thread: no values, no checkpoint)
    state = outcomes.pop("state")
    assert state == 404 or (not state["values"] and not state["checkpoint"] and not state["tasks"]), state
    assert set(outcomes.values()) == {404}, outcomes
    assert thread_id not in {t["thread_id"] for t in listed} and not counted
    assert asked == 403  # bob is not a member of acme
    assert thread_id in {t["thread_id"] for t in mine}
    assert all(t["metadata"]["engagement"] == "acme" for t in mine)
    assert thread_id not in {t["thread_id"] for t in alice_elsewhere}  # a request acts in one engagement
    with pytest.raises(httpx.HTTPStatusError) as refused:
        _run(team.client("bob").threads.create(metadata={"engagement": "acme"}))
    assert refused.value.response.status_code == 403
    with pytest.raises(httpx.HTTPStatusError) as nobody:
        _run(team.client("nobody").threads.search())
    assert nobody.value.response.status_code == 403


def test_audit_log_records_runs_and_reads_and_refuses_rewrites(team, prepared, tmp_path):  # noqa: F811
    thread_id = prepared[0]["thread_id"]
    _run(team.client("alice").threads.get_state(thread_id))
    uri = team.server.database_uri
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "server", "audit", "acme", "--csv",
                           "--database-uri", uri], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and {r["engagement"] for r in rows} == {"acme"}
    prepare = [r for r in rows if r["action"] == "prepare" and r["thread_id"] == thread_id]
    assert len(prepare) == 1 and prepare[0]["actor"] == "alice" and prepare[0]["graph"] == "negoprep"
    assert (prepare[0]["backend"], prepare[0]["model"]) == ("replay", CASSETTE.name)
    documents = json.loads(prepare[0]["documents"])
    assert {d["name"] for d in documents} >= {"01_paysys_proposal_summary.md", "03_email_thread_paysys.txt"}
    assert all(len(d["sha256"]) == 64 for d in documents)
    assert "PaySys" not in done.stdout  # names and hashes, never the contents
    assert any(r["action"] == "read" and r["actor"] == "alice" and r["thread_id"] == thread_id for r in rows)
    refused = _run_refused(team)
    assert refused in {r["action"] for r in _audit(uri, "acme")}

    with psycopg.connect(uri, autocommit=True) as conn:
        before = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        for statement in (f"UPDATE {TABLE} SET actor = 'mallory'", f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"):
            with pytest.raises(psycopg.Error, match="append-only"):
                conn.execute(statement)
        assert conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == before
        assert not conn.execute(f"SELECT 1 FROM {TABLE} WHERE actor = 'mallory'").fetchone()


def _run_refused(team) -> str:  # noqa: F811
    """bob asks to act in acme: refused, and logged under acme."""
    with pytest.raises(httpx.HTTPStatusError):
        _run(team.client("bob", "acme").threads.search())
    return "refused"


def _audit(uri: str, engagement: str) -> list[dict]:
    from pipeline.server.audit import rows

    return rows(uri, engagement)
