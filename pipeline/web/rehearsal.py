"""The rehearsal the chat page drives, behind one small interface.

The rehearsal graph is issue 16's (`negoprep rehearse`, built on another branch). Until it is merged,
`rehearsal_backend()` returns `UnavailableRehearsal`, a placeholder whose every call says so; at
merge, return an adapter over that graph (same checkpointer, one thread per rehearsal) instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

NOT_AVAILABLE = "rehearsal not available in this build"


class RehearsalUnavailable(Exception):
    """This build has no rehearsal graph."""


@dataclass(frozen=True)
class Turn:
    """The simulated counterpart's answer to one user turn, and the coach's note on that turn."""

    counterpart: str
    coach: str


class Rehearsal(Protocol):
    def start(self, report_dir: Path) -> str:
        """Begin a rehearsal against the report in `report_dir`; its thread id."""

    def turn(self, thread_id: str, text: str) -> Turn:
        """Play one user turn; the counterpart's answer and the coach's note."""


class UnavailableRehearsal:
    """Placeholder until issue 16 lands: every call raises `RehearsalUnavailable`."""

    available = False

    def start(self, report_dir: Path) -> str:
        raise RehearsalUnavailable(NOT_AVAILABLE)

    def turn(self, thread_id: str, text: str) -> Turn:
        raise RehearsalUnavailable(NOT_AVAILABLE)


def rehearsal_backend() -> Rehearsal:
    """The rehearsal this build offers."""
    return UnavailableRehearsal()
