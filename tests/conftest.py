"""Shared fixtures: settings isolated from the developer's env, cache and output folders."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "cases"
DATA = ROOT / "tests" / "data"
CASSETTES = ROOT / "tests" / "cassettes"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No API key, base URL or NEGOPREP_* setting from the environment; cache in tmp."""
    import os

    for name in list(os.environ):
        if name.startswith(("NEGOPREP_", "OPENAI_")) and not name.startswith("NEGOPREP_TEST_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEGOPREP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(ROOT)


def run_calls(case_dir: Path | None = None, prose: bool = True) -> list[str]:
    """The model calls one run of the graph makes on a case (default: tests/data/cases/tiny), by node, sorted, as the
    registry plans them (`Registry.planned_calls`; prose: an API backend's run)."""
    from agents import registry
    from pipeline.case.loading import load_case

    planned = registry.PREPARATION.planned_calls(load_case(case_dir or DATA / "cases" / "tiny"), prose)
    return sorted(node for node, count in planned.items() for _ in range(count))


def change_task_text(path: Path) -> None:
    """Add a sentence to the user part of the prompt file at `path` (a change of the file's own text)."""
    text = path.read_text()
    assert "\n# user\n" in text
    path.write_text(text.replace("\n# user\n", "\n# user\nAnswer in short, plain sentences.\n"))


def interruptible() -> None:
    """`preexec_fn` of a child a test sends SIGINT to: Ctrl-C raises KeyboardInterrupt there even when
    this test run was started in the background, which makes children ignore SIGINT."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


async def run_prep(case: Path = DATA / "cases" / "tiny", transport=None, *, graph=None, **overrides):
    """One run of the preparation graph on `case`, the model answered by `transport` (synthetic answers by default;
    `None` with `backend`/`base_url` overrides to reach a real server), `overrides` on the isolated settings; the
    report. `graph` runs another compiled graph (e.g. one with an extra agent)."""
    from pipeline.llm.client import make_llm
    from pipeline.prep.graph import compile_graph
    from pipeline.resources import attach
    from pipeline.settings import load_settings
    from pipeline.testing.synthetic import SyntheticTransport

    settings = load_settings(**{"use_cache": False, **overrides})
    if transport is None and "base_url" not in overrides:
        transport = SyntheticTransport()
    llm = make_llm(settings, base_transport=transport) if transport is not None else None
    context = attach(settings, llm)
    try:
        result = await (graph or compile_graph()).ainvoke({"path": str(case)}, context=context)
    finally:
        await (llm.aclose() if llm is not None else context.run_resources.aclose())
    return result["report"]


@contextlib.asynccontextmanager
async def paused_before_assemble(case: Path, transport=None, **overrides):
    """The preparation graph run on `case` up to `assemble`, on an in-memory checkpoint (synthetic answers by
    default): yields (graph, config, context) to inspect or change the state and go on."""
    from langgraph.checkpoint.memory import InMemorySaver

    from pipeline.llm.client import make_llm
    from pipeline.prep.graph import build_graph
    from pipeline.resources import attach
    from pipeline.settings import load_settings
    from pipeline.testing.synthetic import SyntheticTransport

    settings = load_settings(**{"use_cache": False, **overrides})
    llm = make_llm(settings, base_transport=transport or SyntheticTransport())
    context = attach(settings, llm)
    graph = build_graph().compile(checkpointer=InMemorySaver(), interrupt_before=["assemble"])
    config = {"configurable": {"thread_id": "t"}}
    try:
        await graph.ainvoke({"path": str(case)}, config=config, context=context)
        yield graph, config, context
    finally:
        await llm.aclose()
