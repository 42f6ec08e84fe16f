"""Write a finished rehearsal beside its report: `rehearsal-N.json`, `rehearsal-N.md`."""

from __future__ import annotations

from pathlib import Path

from pipeline.files import atomic_write_text
from pipeline.rehearsal.files import rehearsal_path
from pipeline.rehearsal.schemas import Rehearsal
from pipeline.report.render import _environment


def render_rehearsal(rehearsal: Rehearsal, number: int) -> str:
    """The rehearsal as Markdown: the review first, then the transcript with the coach's labels."""
    return _environment(autoescape=False).get_template("rehearsal.md.j2").render(r=rehearsal, number=number)


def write_rehearsal(rehearsal: Rehearsal, folder: Path, number: int) -> list[Path]:
    """Render first, then write each file atomically; the paths written."""
    texts = {"json": rehearsal.model_dump_json(indent=2) + "\n", "md": render_rehearsal(rehearsal, number)}
    paths = []
    for fmt, text in texts.items():
        path = rehearsal_path(folder, number, fmt)
        atomic_write_text(path, text)
        paths.append(path)
    return paths
