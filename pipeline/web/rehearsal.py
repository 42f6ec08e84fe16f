"""The rehearsal the chat page drives: `negoprep rehearse`'s graph, one checkpointed thread per rehearsal
beside the report, played one web request at a time (each request resumes the thread from its checkpoint)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pipeline.errors import InputError
from pipeline.rehearsal.files import next_number
from pipeline.rehearsal.render import write_rehearsal
from pipeline.rehearsal.schemas import Rehearsal as RehearsalRecord
from pipeline.rehearsal.runner import Session
from pipeline.settings import Settings

class RehearsalUnavailable(Exception):
    """The rehearsal cannot be played (no report yet, an unknown thread, a report it cannot read)."""


@dataclass(frozen=True)
class Turn:
    """The simulated counterpart's answer to one user turn, and the coach's note on that turn."""

    counterpart: str
    coach: str


class Rehearsal(Protocol):
    """What the chat page needs of a rehearsal."""

    def start(self, report_dir: Path, case_dir: Path) -> str:
        """Begin a rehearsal against the report in `report_dir` (its materials in `case_dir`); its thread id."""

    def turn(self, report_dir: Path, thread_id: str, text: str) -> Turn:
        """Play one user turn; the counterpart's answer and the coach's note."""


def coach_note(shown: dict) -> str:
    """The coach's labels, feedback and better phrasing of a played turn, in one line."""
    coaching = shown.get("coaching") or {}
    note = f"{', '.join(shown.get('labels') or [])}: {coaching.get('feedback', '')}".strip(": ")
    return f"{note} Better: {coaching['better']}" if coaching.get("better") else note


class GraphRehearsal:
    """Rehearsals on the report folders of the workspace, with the app's settings."""

    available = True

    def __init__(self, settings: Settings):
        self.settings = settings

    def start(self, report_dir: Path, case_dir: Path) -> str:
        report_json = Path(report_dir) / "report.json"
        if not report_json.is_file():
            raise RehearsalUnavailable("prepare the case first: there is no report to rehearse against")
        number = next_number(report_json.parent)
        graph_input = {"report_path": str(report_json), "case_path": str(case_dir), "coach_mode": "turn"}
        asyncio.run(self._play(report_json, number, graph_input, None))
        return str(number)

    def turn(self, report_dir: Path, thread_id: str, text: str) -> Turn:
        if not thread_id.isdigit():
            raise RehearsalUnavailable("unknown rehearsal")
        report_json, number = Path(report_dir) / "report.json", int(thread_id)
        shown, finished = asyncio.run(self._play(report_json, number, None, text))
        if finished is not None:
            written = write_rehearsal(finished, report_json.parent, number)
            return Turn(counterpart="(the rehearsal is over)", coach=f"The review is in {written[-1].name}.")
        last = (shown or {}).get("last") or {}
        return Turn(counterpart=(last.get("reply") or {}).get("reply", ""), coach=coach_note(last))

    async def _play(self, report_json: Path, number: int, graph_input: dict | None,
                    text: str | None) -> tuple[dict | None, RehearsalRecord | None]:
        """Open the thread (afresh with `graph_input`, else from its checkpoint) and play `text`: what the
        next interrupt shows, or the finished rehearsal when there is none."""
        session = Session(report_json, number, self.settings)
        try:
            await session.open(graph_input)
            if text is not None:
                await session.send(text)
            shown = await session.pending()
            return shown, (await session.result() if shown is None else None)
        except InputError as exc:
            raise RehearsalUnavailable(str(exc)) from None
        finally:
            await session.close()


def rehearsal_backend(settings: Settings) -> Rehearsal:
    """The rehearsal this build offers."""
    return GraphRehearsal(settings)
