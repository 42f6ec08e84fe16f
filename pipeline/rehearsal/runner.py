"""Run a rehearsal on a checkpointed thread: the Python API behind `negoprep rehearse`.

One event loop carries the whole conversation (the model client lives on it), and no asyncio
signal handler is installed, so Ctrl-C interrupts wherever it lands: the rehearsal then ends
with its review. `/quit` leaves it on its checkpoint, to continue with `resume=True`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path

from langgraph.types import Command

from pipeline.rehearsal import schemas as rehearsal_schemas
from pipeline.errors import InputError
from pipeline.files import private_file
from pipeline.llm.client import LLM
from pipeline.rehearsal.graph import END_COMMAND, compile_rehearsal
from pipeline.rehearsal.schemas import Rehearsal
from pipeline.prep.run import CHECKPOINT_FILE, checkpoint_serializer
from pipeline.resources import attach
from pipeline.settings import Settings

QUIT_COMMAND = "/quit"
Ask = Callable[[dict], "str | None"]
"""Given what the interrupt shows, the user's next turn; None when there is no more input."""


def thread_id_for(report_json: Path, number: int) -> str:
    return f"rehearsal:{Path(report_json).resolve()}:{number}"


class Session:
    """One rehearsal thread on the SQLite checkpoint file beside the report."""

    def __init__(self, report_json: Path, number: int, settings: Settings, llm: LLM | None = None):
        self.report_json, self.context = Path(report_json), attach(settings, llm)
        self.config = {"configurable": {"thread_id": thread_id_for(report_json, number)}}
        self.stack = AsyncExitStack()
        self.graph = self.saver = None

    async def attach(self) -> None:
        """Open the checkpoint and the graph without running anything (to read the thread's state)."""
        import aiosqlite
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        checkpoint = private_file(self.report_json.parent / CHECKPOINT_FILE)
        conn = await self.stack.enter_async_context(aiosqlite.connect(str(checkpoint)))
        self.saver = AsyncSqliteSaver(conn, serde=checkpoint_serializer(rehearsal_schemas))
        await self.saver.setup()
        self.graph = compile_rehearsal(checkpointer=self.saver)

    async def open(self, graph_input: dict | None) -> None:
        """Start the thread afresh with `graph_input`, or (None) continue the saved one up to its next interrupt."""
        await self.attach()
        if graph_input is not None:
            await self.saver.adelete_thread(self.config["configurable"]["thread_id"])
            await self._run(graph_input)
            return
        snapshot = await self.graph.aget_state(self.config)
        if not snapshot.values:
            raise InputError(f"{self.report_json}: no rehearsal in progress to resume; start one without --resume")
        if snapshot.next and not self._interrupts(snapshot):
            await self._run(None)

    @staticmethod
    def _interrupts(snapshot) -> list:
        return [i for task in snapshot.tasks for i in task.interrupts]

    async def _run(self, value) -> None:
        await self.graph.ainvoke(value, self.config, context=self.context)

    async def pending(self) -> dict | None:
        """What the waiting interrupt shows, or None when the rehearsal is over."""
        interrupts = self._interrupts(await self.graph.aget_state(self.config))
        return interrupts[0].value if interrupts else None

    async def send(self, text: str) -> None:
        await self._run(Command(resume=text))

    async def interrupt(self) -> None:
        """End the rehearsal now (Ctrl-C): the review of the turns so far."""
        snapshot = await self.graph.aget_state(self.config)
        if "persona" not in snapshot.values:
            raise KeyboardInterrupt
        if snapshot.next:
            await self.graph.aupdate_state(self.config, {"ended": "interrupted"}, as_node="human")
            await self._run(None)

    async def values(self) -> dict:
        """The thread's saved state (empty when there is none)."""
        return (await self.graph.aget_state(self.config)).values

    async def result(self) -> Rehearsal:
        return (await self.graph.aget_state(self.config)).values["rehearsal"]

    async def close(self) -> None:
        await self.stack.aclose()
        await self.context.run_resources.aclose()


def _cancel_pending(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))


def rehearse(
    report_json: Path, number: int, settings: Settings, ask: Ask, *, case_path: Path | None = None,
    coach_mode: str = "turn", max_turns: int | None = None, resume: bool = False,
    before: Callable[[], object] | None = None, llm: LLM | None = None,
) -> Rehearsal | None:
    """Hold rehearsal `number` on the report: the finished rehearsal, or None when the user quit.

    `before` is awaited on the same loop first (e.g. preparing the report); `llm`, when given, is the
    rehearsal's client (its giver closes it)."""
    loop = asyncio.new_event_loop()
    session = Session(report_json, number, settings, llm)
    graph_input = None if resume else {
        "report_path": str(report_json), "coach_mode": coach_mode,
        **({"case_path": str(case_path)} if case_path else {}), **({"max_turns": max_turns} if max_turns else {}),
    }
    try:
        if before is not None:
            loop.run_until_complete(before())
        loop.run_until_complete(session.open(graph_input))
        try:
            while (shown := loop.run_until_complete(session.pending())) is not None:
                text = ask(shown)
                if text is not None and text.strip() == QUIT_COMMAND:
                    return None
                loop.run_until_complete(session.send(END_COMMAND if text is None else text))
        except KeyboardInterrupt:
            _cancel_pending(loop)
            loop.run_until_complete(session.interrupt())
        return loop.run_until_complete(session.result())
    finally:
        _cancel_pending(loop)
        loop.run_until_complete(session.close())
        loop.close()
