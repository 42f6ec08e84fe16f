"""Record cassettes for the sample cases with the real embedded model: `make record`.

For each case NAME this writes tests/cassettes/NAME.json (every model call) and
tests/cassettes/NAME.report.json (the report that run produced, which replay must reproduce).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "tests" / "cassettes"


def case_path(name: str) -> Path:
    for base in (ROOT / "cases", ROOT / "tests" / "data" / "cases"):
        if (base / name).exists():
            return base / name
    raise SystemExit(f"no case named {name}")


def record(name: str) -> int:
    cassette = CASSETTES / f"{name}.json"
    cassette.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "pipeline.cli", "prepare", str(case_path(name).relative_to(ROOT)),
               "--record", str(cassette.relative_to(ROOT)), "--no-cache", "--out", out]
        print("+", " ".join(cmd), flush=True)
        code = subprocess.call(cmd, cwd=ROOT)
        if code == 0:
            shutil.copy(Path(out) / "report.json", CASSETTES / f"{name}.report.json")
    return code


if __name__ == "__main__":
    sys.exit(max([record(name) for name in sys.argv[1:]] or [0]))
