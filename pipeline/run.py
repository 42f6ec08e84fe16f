"""Run the graph on one case: the Python API behind `negoprep prepare`."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.graph import compile_graph
from pipeline.nodes import close_clients
from pipeline.schemas import PrepReport
from pipeline.settings import Settings, load_settings

Progress = Callable[[str], None]


def stderr_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def aprepare(
    path: str | Path, settings: Settings | None = None, *, progress: Progress | None = None, close: bool = True
) -> PrepReport:
    """Prepare one case (a file or folder) and return the validated report."""
    settings = settings or load_settings()
    graph = compile_graph()
    started = time.perf_counter()
    running: dict[str, float] = {}
    final: dict = {}
    try:
        async for mode, chunk in graph.astream({"path": str(path)}, context=settings, stream_mode=["tasks", "values"]):
            if mode == "values":
                final = chunk
            elif progress and "result" not in chunk and "error" not in chunk:
                running[chunk["id"]] = time.perf_counter()
                progress(f"[{time.perf_counter() - started:6.1f}s] {chunk['name']} ...")
            elif progress:
                took = time.perf_counter() - running.pop(chunk["id"], started)
                status = "failed" if chunk.get("error") else "done"
                progress(f"[{time.perf_counter() - started:6.1f}s] {chunk['name']} {status} ({took:.1f}s)")
    finally:
        if close:
            await close_clients()
    return final["report"]


def prepare(path: str | Path, settings: Settings | None = None, *, progress: Progress | None = None) -> PrepReport:
    """Synchronous `aprepare`."""
    return asyncio.run(aprepare(path, settings, progress=progress))
