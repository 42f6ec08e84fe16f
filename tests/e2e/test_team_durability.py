"""Nothing lost when a worker dies: the API server is SIGKILLed in the middle of a run and started again; the
run is taken up again from its last checkpoint (no node that had finished calls the model again) and the
report arrives. Then PostgreSQL is restarted between runs: threads, runs, checkpoints and the audit log are
all still there. Model answers come from the stub server (synthetic, with latency so the run is long enough
to be cut), which counts the calls per node."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from pipeline.schemas import PrepReport
from pipeline.server.audit import rows
from pipeline.testing.stub_server import StubConfig, run_stub
from tests.conftest import CASSETTES, DATA, run_calls
from tests.e2e.team_support import start_team

LATENCY_S = 0.5
TIMEOUT_S = 180


@pytest.fixture
def crashable(tmp_path):
    team = start_team(tmp_path, heartbeat_s=1, env={"NEGOPREP_CACHE_DIR": str(tmp_path / "cache")})
    try:
        yield team
    finally:
        team.server.stop()


async def _until(check, what: str, timeout: float = TIMEOUT_S, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = await check()
        except Exception:  # noqa: BLE001 - the server or the database may still be coming back
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(every)


def test_killed_server_resumes_the_run_and_postgres_restart_loses_nothing(crashable):
    team = crashable
    with run_stub(StubConfig(latency_s=LATENCY_S)) as stub:
        context = {"backend": "openai", "base_url": stub.base_url, "api_key": "stub", "use_cache": False}

        async def first_run():
            client = team.client("alice")
            thread = await client.threads.create()
            run = await client.runs.create(thread["thread_id"], "negoprep", input={"path": str(DATA / "cases" / "tiny")},
                                           context=context)

            async def extracted():
                state = await client.threads.get_state(thread["thread_id"])
                return "deal_profile" in state["values"] and state

            at_kill = await _until(extracted, "the extractor's checkpoint")
            calls_at_kill = Counter(stub.stats()["nodes"])
            team.server.kill_api()
            calls_while_down = Counter(stub.stats()["nodes"])
            team.server.start_api()
            client = team.client("alice")

            async def finished():
                got = await client.runs.get(thread["thread_id"], run["run_id"])
                return got["status"] in ("success", "error") and got

            done = await _until(finished, "the run to finish after the restart")
            state = await client.threads.get_state(thread["thread_id"])
            runs = await client.runs.list(thread["thread_id"])
            return thread, at_kill, calls_at_kill, calls_while_down, done, state, runs

        thread, at_kill, at_kill_calls, down_calls, done, state, runs = asyncio.run(
            asyncio.wait_for(first_run(), TIMEOUT_S * 2))
        final_calls = Counter(stub.stats()["nodes"])

    assert done["status"] == "success", team.server.log_tail()
    assert [r["run_id"] for r in runs] == [done["run_id"]], "one run: not lost, not duplicated"
    report = PrepReport.model_validate(state["values"]["report"])
    assert report.case.name == "tiny"
    # the extractor had finished before the kill: it is not called again; the nodes after it ran once
    assert at_kill_calls["extract"] == run_calls().count("extract")
    assert final_calls["extract"] == at_kill_calls["extract"]
    # every node ran; a node called again is one that was in flight at the kill (no more calls than it had made)
    expected = Counter(run_calls())
    print(f"\ncalls per node: at the kill {dict(at_kill_calls)}, at the end {dict(final_calls)}")
    for node, count in expected.items():
        assert count <= final_calls[node] <= count + down_calls[node], (node, at_kill_calls, final_calls)
    assert final_calls["merge"] == expected["merge"]

    # PostgreSQL restarted between runs: everything committed is still there, and the next run works
    uri = team.server.database_uri
    audit_before = rows(uri, "acme")
    team.server.postgres.stop()
    team.server.postgres.start()

    async def after_restart():
        client = team.client("alice")
        again = await _until(lambda: client.threads.get_state(thread["thread_id"]), "the server to reconnect", 60)
        runs_after = await client.runs.list(thread["thread_id"])
        fresh = await client.threads.create()
        result = await client.runs.wait(fresh["thread_id"], "negoprep", input={"path": str(DATA / "cases" / "tiny")},
                                        context={"replay": str(CASSETTES / "tiny.json"), "use_cache": False},
                                        raise_error=True)
        return again, runs_after, result

    again, runs_after, result = asyncio.run(asyncio.wait_for(after_restart(), TIMEOUT_S))
    assert PrepReport.model_validate(again["values"]["report"]) == report
    assert [(r["run_id"], r["status"]) for r in runs_after] == [(r["run_id"], r["status"]) for r in runs]
    assert rows(uri, "acme")[:len(audit_before)] == audit_before
    assert PrepReport.model_validate(result["report"]).case.name == "tiny"

