"""Where rehearsals are saved: `rehearsal-N.md` and `rehearsal-N.json` beside the report."""

from __future__ import annotations

import re
from pathlib import Path

_NAME = re.compile(r"rehearsal-(\d+)\.json")


def rehearsal_numbers(folder: Path) -> list[int]:
    """The numbers of the rehearsals saved in `folder`, in order."""
    found = (_NAME.fullmatch(p.name) for p in Path(folder).glob("rehearsal-*.json"))
    return sorted(int(m.group(1)) for m in found if m)


def next_number(folder: Path) -> int:
    return max(rehearsal_numbers(folder), default=0) + 1


def rehearsal_path(folder: Path, number: int, fmt: str) -> Path:
    return Path(folder) / f"rehearsal-{number}.{fmt}"
