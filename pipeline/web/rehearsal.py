"""The rehearsal the chat page drives: `negoprep rehearse`'s graph, one checkpointed thread per rehearsal
beside the report, played one web request at a time (each request resumes the thread from its checkpoint)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pipeline.errors import InputError
from pipeline.prep.run import CHECKPOINT_FILE
from pipeline.rehearsal.files import next_number
from pipeline.rehearsal.render import write_rehearsal
from pipeline.rehearsal.schemas import Rehearsal as RehearsalRecord
from pipeline.rehearsal.runner import Session
from pipeline.settings import Settings

THREAD_ID = re.compile(r"[0-9]{1,9}")
"""A rehearsal's thread id as the page sends it: the rehearsal's number."""


class RehearsalUnavailable(Exception):
    """The rehearsal cannot be played (no report yet, an unknown thread, a report it cannot read)."""


def valid_thread_id(thread_id: str) -> bool:
    return bool(THREAD_ID.fullmatch(thread_id))


@dataclass(frozen=True)
class Turn:
    """The simulated counterpart's answer to one user turn, and the coach's note on that turn; `review` is
    the number of the saved review once the rehearsal is over."""

    counterpart: str
    coach: str
    speaker: str = ""
    review: int | None = None


@dataclass(frozen=True)
class Exchange:
    """One played turn as the chat shows it again."""

    user: str
    speaker: str
    counterpart: str
    coach: str


class Rehearsal(Protocol):
    """What the chat page needs of a rehearsal."""

    def start(self, report_dir: Path, case_dir: Path) -> str:
        """Begin a rehearsal against the report in `report_dir` (its materials in `case_dir`); its thread id."""

    def turn(self, report_dir: Path, thread_id: str, text: str) -> Turn:
        """Play one user turn; the counterpart's answer and the coach's note."""

    def history(self, report_dir: Path, thread_id: str) -> list[Exchange]:
        """The turns played so far on the thread."""


def plain(text: str) -> str:
    """Model text for the page: without prompt tags such as `<turn>`."""
    return re.sub(r"</?turn>", "", text or "").strip()


def label_name(label: str) -> str:
    """A coach's label in words (`process_step`: process step)."""
    return label.replace("_", " ")


def coach_note(shown: dict) -> str:
    """The coach's labels (in words), feedback and better phrasing of a played turn, in one line."""
    coaching = shown.get("coaching") or {}
    labels = ", ".join(label_name(label) for label in shown.get("labels") or [])
    note = f"{labels[:1].upper()}{labels[1:]}: {plain(coaching.get('feedback', ''))}".strip(": ")
    better = plain(coaching.get("better", ""))
    return f"{note} Better: {better}" if better else note


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
        report_json, number = Path(report_dir) / "report.json", self._number(thread_id)
        shown, finished = asyncio.run(self._play(report_json, number, None, text))
        if finished is not None:
            written = write_rehearsal(finished, report_json.parent, number)
            return Turn(counterpart="(the rehearsal is over)", coach=f"The review is in {written[-1].name}.",
                        speaker=finished.counterpart.name, review=number)
        last = (shown or {}).get("last") or {}
        return Turn(counterpart=plain((last.get("reply") or {}).get("reply", "")), coach=coach_note(last),
                    speaker=(shown or {}).get("speaker", ""))

    def history(self, report_dir: Path, thread_id: str) -> list[Exchange]:
        report_json, number = Path(report_dir) / "report.json", self._number(thread_id)
        if not (report_json.parent / CHECKPOINT_FILE).is_file():
            return []
        values = asyncio.run(self._values(report_json, number))
        speaker = values["persona"].name if values.get("persona") else ""
        return [Exchange(user=t.user, speaker=speaker, counterpart=plain(t.reply.reply), coach=coach_note(t.shown("turn")))
                for t in values.get("turns", [])]

    @staticmethod
    def _number(thread_id: str) -> int:
        if not valid_thread_id(thread_id):
            raise RehearsalUnavailable("unknown rehearsal")
        return int(thread_id)

    async def _values(self, report_json: Path, number: int) -> dict:
        session = Session(report_json, number, self.settings)
        try:
            await session.attach()
            return await session.values()
        finally:
            await session.close()

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
