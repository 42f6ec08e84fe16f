"""`prepare --keep-stages`: each node's output as `stages/NN-<node>.json`, in the order the nodes finished,
so an analyst can see what an agent produced before verification changed it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic_core import to_jsonable_python

from pipeline.files import atomic_write_text

STAGES_DIR = "stages"


class StageWriter:
    """Numbers and writes node outputs; a fresh run clears the folder, a resumed one numbers on."""

    def __init__(self, folder: Path, *, resume: bool = False):
        self.folder = Path(folder)
        earlier = sorted(self.folder.glob("[0-9][0-9]-*.json")) if self.folder.is_dir() else []
        if not resume:
            for path in earlier:
                path.unlink()
        self.count = len(earlier) if resume else 0

    def write(self, node: str, output: Any) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{node}.json"
        atomic_write_text(path, json.dumps(to_jsonable_python(output), ensure_ascii=False, indent=2) + "\n")
        return path
