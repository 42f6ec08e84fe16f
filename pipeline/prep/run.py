"""Run the graph on one case: the Python API behind `negoprep prepare`.

Every node's output is checkpointed (SQLite) when a checkpoint file is given, so a run
that was killed or failed resumes with `resume=True` and calls the model only for
what is missing.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pipeline.prep.graph import compile_graph
from pipeline.llm.budget import calls_tokens, run_scope
from pipeline.llm.client import LLM
from pipeline.resources import attach
from pipeline.errors import InputError
from pipeline.files import private_file
from pipeline.memo import run_memo
from pipeline.schemas import PrepReport
from pipeline.settings import Settings, load_settings
from pipeline.prep.stages import StageWriter

Progress = Callable[[str], None]
CHECKPOINT_FILE = ".checkpoints.sqlite"


@dataclass(frozen=True)
class NodeEvent:
    """A node starting or finishing: seconds since the run started, its own seconds and model tokens."""

    node: str
    status: Literal["started", "done", "failed"]
    elapsed: float
    took: float = 0.0
    tokens: int = 0

    def line(self) -> str:
        if self.status == "started":
            return f"[{self.elapsed:6.1f}s] {self.node} ..."
        return f"[{self.elapsed:6.1f}s] {self.node} {self.status} ({self.took:.1f}s)"


def _node_event(chunk: dict, started: float, running: dict[str, float]) -> NodeEvent:
    """The event for one `tasks` stream chunk (a start has neither result nor error)."""
    now = time.perf_counter()
    if "result" not in chunk and "error" not in chunk:
        running[chunk["id"]] = now
        return NodeEvent(chunk["name"], "started", now - started)
    result = chunk.get("result")
    calls = result.get("calls", []) if isinstance(result, dict) else []
    return NodeEvent(chunk["name"], "failed" if chunk.get("error") else "done", now - started,
                     now - running.pop(chunk["id"], started), calls_tokens(calls))


def stderr_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def checkpoint_serializer(*extra_modules):
    """Checkpoint (de)serialisation limited to the state's own pydantic types (those of `schemas`,
    `documents` and `extra_modules`)."""
    import inspect

    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
    from pydantic import BaseModel

    from pipeline import schemas
    from pipeline.case import documents

    allowed = [(module.__name__, name) for module in (schemas, documents, *extra_modules)
               for name, obj in vars(module).items()
               if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__]
    return JsonPlusSerializer(allowed_msgpack_modules=allowed)


def thread_id_for(path: str | Path) -> str:
    return f"prepare:{Path(path).resolve()}"


async def aprepare(
    path: str | Path, settings: Settings | None = None, *, progress: Progress | None = None,
    llm: LLM | None = None, checkpoint: Path | None = None, resume: bool = False,
    on_node: Callable[[NodeEvent], None] | None = None, stages: Path | None = None,
) -> PrepReport:
    """Prepare one case (a file or folder) and return the validated report; `progress` gets a line as
    each node starts and finishes (reading the case: when done), `on_node` a `NodeEvent`; with `stages`,
    each node's output is written there as `NN-<node>.json`. The run builds its own client and closes it,
    unless given `llm` (for several runs over one client: the giver closes it). A case that cannot be read
    leaves no checkpoint (nor the folder made for it)."""
    _settle_heap()
    context = attach(settings or load_settings(), llm)
    new_folder = checkpoint is not None and not checkpoint.parent.exists()
    done: set[str] = set()
    _HEAP["running"] += 1
    try:
        return await _prepare(path, context, progress, checkpoint, resume, on_node, stages, done)
    except InputError:
        if checkpoint is not None and not resume and "ingest" not in done:
            checkpoint.unlink(missing_ok=True)
            if new_folder and not any(checkpoint.parent.iterdir()):
                checkpoint.parent.rmdir()
        raise
    finally:
        _HEAP["running"] -= 1
        _HEAP["finished"] += 1


_HEAP = {"settled": 0, "running": 0, "finished": 0}
"""How far the process's heap is settled (`_settle_heap`), and its runs in flight and finished."""


def _settle_heap() -> None:
    """What a process keeps for its whole life is moved out of the garbage collector's sight (`gc.freeze`), so a
    full collection during a run walks what runs have made since: before its first run, what it has loaded (its
    modules, schemas, the compiled graph: ~200,000 objects); before a later run with none in flight, what its first
    runs loaded on first use (the client library's types, the language profiles, the templates: ~50,000 objects),
    its garbage collected first."""
    if _HEAP["settled"] == 0:
        _HEAP["settled"] = 1
        compile_graph()
        gc.freeze()
    elif _HEAP["settled"] == 1 and _HEAP["finished"] and not _HEAP["running"]:
        _HEAP["settled"] = 2
        gc.collect()
        gc.freeze()


async def _prepare(path: str | Path, context: Settings, progress: Progress | None, checkpoint: Path | None,
                   resume: bool, on_node: Callable[[NodeEvent], None] | None, stages: Path | None,
                   done: set[str]) -> PrepReport:
    started = time.perf_counter()
    running: dict[str, float] = {}
    final: dict = {}
    stage_writer = StageWriter(stages, resume=resume) if stages is not None else None
    async with AsyncExitStack() as stack:
        saver = None
        config: dict = {}
        graph_input: dict | None = {"path": str(path)}
        if checkpoint is not None:
            import aiosqlite
            from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

            conn = await stack.enter_async_context(aiosqlite.connect(str(private_file(checkpoint))))
            saver = AsyncSqliteSaver(conn, serde=checkpoint_serializer())
            config = {"configurable": {"thread_id": thread_id_for(path)}}
            state = await saver.aget_tuple(config)
            if resume and state is not None:
                graph_input = None
                if progress:
                    saved = state.checkpoint.get("channel_versions", {})
                    progress(f"resuming from checkpoint {checkpoint} ({len(saved)} channels saved)")
            else:
                await saver.adelete_thread(config["configurable"]["thread_id"])
        graph = compile_graph(checkpointer=saver)
        stack.enter_context(run_scope())
        stack.enter_context(run_memo())
        try:
            async for mode, chunk in graph.astream(graph_input, config=config or None, context=context,
                                                   stream_mode=["tasks", "values"]):
                if mode == "values":
                    final = chunk
                    continue
                event = _node_event(chunk, started, running)
                if event.status == "done":
                    done.add(event.node)
                    if stage_writer:
                        stage_writer.write(event.node, chunk["result"])
                if progress and (event.node != "ingest" or event.status == "done"):
                    progress(event.line())  # a case that cannot be read fails with one line of its own
                if on_node:
                    on_node(event)
            if "report" not in final and saver is not None:
                final = (await graph.aget_state(config)).values
        finally:
            await context.run_resources.aclose()
    return final["report"]


def prepare(path: str | Path, settings: Settings | None = None, *, progress: Progress | None = None) -> PrepReport:
    """Synchronous `aprepare`."""
    return asyncio.run(aprepare(path, settings, progress=progress))
