"""The rehearsal graph served by LangGraph Server (`langgraph dev`): start a thread, hit the interrupt,
resume with a user turn as `Command(resume=...)`, get the counterpart's answer, end with the review.

The server (the fixture of tests/test_langgraph_server.py, offline) calls the stub server for its model
answers (synthetic: every string reads "synthetic ..."); no model is loaded.
"""

from __future__ import annotations

import asyncio

from pipeline.testing.stub_server import StubConfig, run_stub
from pipeline.rehearsal.schemas import Rehearsal
from pipeline.report.render import load_report, write_report
from tests.conftest import CASSETTES, DATA
from tests.e2e.test_langgraph_server import ANSI, HTTP_TIMEOUT_S, RUN_TIMEOUT_S, server  # noqa: F401 (fixture)

TURN = "What matters most to you about the late fee?"


def _interrupt(state: dict) -> dict:
    found = [i["value"] for task in state["tasks"] for i in task.get("interrupts", [])]
    assert len(found) == 1, state["tasks"]
    return found[0]


def test_rehearsal_thread_round_trip(server, tmp_path):  # noqa: F811 (the fixture)
    from langgraph_sdk import get_client

    url, proc, log = server
    write_report(load_report(CASSETTES / "tiny.report.json"), tmp_path, ("json",))

    async def scenario(stub_url: str) -> tuple[dict, dict, dict]:
        client = get_client(url=url, timeout=HTTP_TIMEOUT_S)
        assert await client.assistants.search(graph_id="rehearsal"), "langgraph.json must expose `rehearsal`"
        thread = await client.threads.create()
        context = {"backend": "openai", "base_url": stub_url, "use_cache": False}

        async def run(**kwargs) -> dict:
            await asyncio.wait_for(client.runs.wait(thread["thread_id"], "rehearsal", context=context,
                                                    raise_error=True, **kwargs), RUN_TIMEOUT_S)
            return await client.threads.get_state(thread["thread_id"])

        opened = await run(input={"report_path": str(tmp_path / "report.json"),
                                  "case_path": str(DATA / "cases" / "tiny")})
        answered = await run(command={"resume": TURN})
        ended = await run(command={"resume": "/end"})
        return opened, answered, ended

    try:
        with run_stub(StubConfig()) as stub:
            opened, answered, ended = asyncio.run(scenario(stub.base_url))
    except BaseException:
        print(ANSI.sub("", log.read_text(errors="replace"))[-6000:])
        raise

    first = _interrupt(opened)
    assert first["turn"] == 1 and first["last"] is None and opened["next"] == ["human"]
    second = _interrupt(answered)
    assert second["turn"] == 2
    assert second["last"]["user"] == TURN and second["last"]["reply"]["reply"].startswith("synthetic")
    assert second["last"]["coaching"]["labels"], "the coach's reading is shown after the turn"
    assert ended["next"] == [] and not ended["tasks"]
    rehearsal = Rehearsal.model_validate(ended["values"]["rehearsal"])
    assert [t.user for t in rehearsal.turns] == [TURN] and rehearsal.review.notes is not None
    assert proc.poll() is None
