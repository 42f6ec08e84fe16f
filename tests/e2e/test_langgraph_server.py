"""The graph served by LangGraph Server (`langgraph dev`, in-memory runtime) end to end.

Starts `langgraph dev` from the repo root on a free loopback port with langgraph.json as
shipped, submits the tiny case through langgraph-sdk with the recorded cassette as the
run's context (no model is loaded or called), and validates the returned report. Nothing
leaves the machine: CLI analytics, the PyPI version check, LangSmith tracing and the
browser are switched off.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.schemas import PrepReport
from tests.conftest import CASSETTES, DATA, ROOT
from pipeline.server.services import free_port, stop_process

if importlib.util.find_spec("langgraph_cli") is None and not os.environ.get("CI"):
    pytest.skip('needs the `server` extra: pip install -e ".[server]"', allow_module_level=True)

START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 180
HTTP_TIMEOUT_S = 30
STOP_TIMEOUT_S = 15
ANSI = re.compile(r"\x1b\[[0-9;]*m")

OFFLINE_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",   # langgraph-cli posts each command to its analytics endpoint otherwise
    "LANGGRAPH_NO_VERSION_CHECK": "true",  # langgraph-api asks PyPI for a newer version otherwise
    "LANGSMITH_TRACING": "false",
    "LANGSMITH_TRACING_V2": "false",
    "LANGCHAIN_TRACING_V2": "false",
    "LANGCHAIN_TRACING": "false",
    "BROWSER": "true",                   # belt and braces next to --no-browser
}
DROP_ENV = ("LANGSMITH_API_KEY", "LANGCHAIN_API_KEY", "LANGGRAPH_CLOUD_LICENSE_KEY", "LANGSMITH_ENDPOINT",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "LSD_DD_API_KEY")





def _wait_until_ready(proc: subprocess.Popen, port: int, log: Path) -> str:
    """The server's URL once GET /ok answers; fails with the log if it dies or is too slow."""
    import httpx

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"langgraph dev exited with {proc.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        text = ANSI.sub("", log.read_text(errors="replace"))
        moved = re.search(r"already in use, using port (\d+) instead", text)  # the server picks another port then
        url = f"http://127.0.0.1:{moved.group(1) if moved else port}"
        try:
            if httpx.get(f"{url}/ok", timeout=2).status_code == 200:
                return url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"langgraph dev not ready within {START_TIMEOUT_S}s:\n{log.read_text(errors='replace')[-4000:]}")


@pytest.fixture
def server(tmp_path):
    log = tmp_path / "langgraph-dev.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in DROP_ENV}
    env.update(OFFLINE_ENV)
    had_state_dir = (ROOT / ".langgraph_api").exists()
    cmd = [sys.executable, "-m", "langgraph_cli", "dev", "--host", "127.0.0.1", "--port", str(port),
           "--no-browser", "--no-reload"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield _wait_until_ready(proc, port, log), proc, log
    finally:
        stop_process(proc, timeout=STOP_TIMEOUT_S)
        if not had_state_dir:  # the in-memory runtime pickles its state to ./.langgraph_api
            shutil.rmtree(ROOT / ".langgraph_api", ignore_errors=True)


def test_langgraph_dev_serves_the_graph_and_returns_a_valid_report(server):
    from langgraph_sdk import get_client

    url, proc, log = server
    cassette = CASSETTES / "tiny.json"
    assert cassette.exists(), f"missing cassette {cassette}"

    async def scenario() -> tuple[PrepReport, float, dict]:
        client = get_client(url=url, timeout=HTTP_TIMEOUT_S)
        assistants = await client.assistants.search(graph_id="negoprep")
        assert assistants, "langgraph.json must expose the graph as `negoprep`"
        schemas = await client.assistants.get_schemas(assistants[0]["assistant_id"])
        thread = await client.threads.create()
        started = time.perf_counter()
        result = await asyncio.wait_for(client.runs.wait(
            thread["thread_id"], "negoprep",
            input={"path": str(DATA / "cases" / "tiny")},
            context={"replay": str(cassette), "use_cache": False},
            raise_error=True,
        ), RUN_TIMEOUT_S)
        assert isinstance(result, dict) and "report" in result, f"unexpected run result: {str(result)[:2000]}"
        report = PrepReport.model_validate(result["report"])
        elapsed = time.perf_counter() - started
        state = await client.threads.get_state(thread["thread_id"])
        return report, elapsed, {"schemas": schemas, "state": state}

    try:
        report, elapsed, extra = asyncio.run(asyncio.wait_for(scenario(), RUN_TIMEOUT_S + 60))
    except BaseException:
        print(ANSI.sub("", log.read_text(errors="replace"))[-6000:])
        raise
    print(f"\nLangGraph Server round trip (submit -> validated report): {elapsed:.2f}s")

    schemas = extra["schemas"]
    assert set(schemas["input_schema"]["properties"]) >= {"path", "documents", "name", "our_side", "counterpart"}
    assert set(schemas["output_schema"]["properties"]) == {"report"}
    assert {"backend", "model", "base_url", "prompts_dir", "kb_dir", "replay"} <= set(
        schemas["context_schema"]["properties"])

    assert report.case.documents[0].name == "brief.md"
    assert report.provenance.calls and all(c.cache == "replay" for c in report.provenance.calls)
    # the server's checkpoint of the thread holds the same report (pydantic -> checkpoint -> JSON)
    saved = extra["state"]["values"]["report"]
    assert PrepReport.model_validate(saved) == report
    assert proc.poll() is None, "the server must still be up after the run"
