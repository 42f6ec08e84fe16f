"""Record cassettes for the sample cases with the real embedded model: `make record`.

For each case NAME this writes tests/cassettes/NAME.json (every model call),
tests/cassettes/NAME.report.json (the report that run produced, which replay must reproduce)
and, when the case has an answer key, tests/cassettes/NAME.score.json (the report's recall, own recall and
support, the floor the recorded-response tests hold every replay to).
`python -m tests.record --score NAME ...` re-scores the recorded reports without a model;
`python -m tests.record --report NAME ...` rebuilds each recorded report (and its score) by replaying its
cassette, after a change to the pipeline that sends the model the same requests (verification, rendering).
A NAME may carry a variant, `NAME+VARIANT` (see `VARIANTS`): the case NAME run with the variant's flags,
e.g. `injection+keep-flagged` records the injection case with the flagged lines passed to the model.
`python -m tests.record --rehearsal NAME ...` records tests/cassettes/NAME.rehearsal.json: `negoprep rehearse`
on the recorded report NAME.report.json, playing tests/data/rehearsal/NAME.turns.txt (record NAME first
when its report is to change: the rehearsal's prompts are built from it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "tests" / "cassettes"
REHEARSALS = ROOT / "tests" / "data" / "rehearsal"


VARIANTS = {"keep-flagged": ["--keep-flagged"], "pseudonymize": ["--pseudonymize"]}
"""Flags of the cassette variants `NAME+VARIANT`."""


def case_path(name: str) -> Path:
    """The case folder of a cassette name (its variant ignored)."""
    name = name.partition("+")[0]
    for base in (ROOT / "cases", ROOT / "tests" / "data" / "cases"):
        if (base / name).exists():
            return base / name
    raise SystemExit(f"no case named {name}")


def case_flags(name: str) -> list[str]:
    """The `prepare` flags of a cassette name: its variant's, none without one."""
    variant = name.partition("+")[2]
    if variant and variant not in VARIANTS:
        raise SystemExit(f"no variant {variant} (one of: {', '.join(VARIANTS)})")
    return VARIANTS.get(variant, [])


def write_score(name: str) -> None:
    """Score the recorded report against the case's key into NAME.score.json (nothing without a key)."""
    from pipeline.quality.answer_key import key_for_case, load_key
    from pipeline.report.render import load_report
    from pipeline.quality.scoring import material_lines, score_report

    key = key_for_case(case_path(name))
    target = CASSETTES / f"{name}.score.json"
    if key is None:
        target.unlink(missing_ok=True)
        return
    report = load_report(CASSETTES / f"{name}.report.json")
    score = score_report(report, load_key(key), material_lines(case_path(name), report))
    target.write_text(json.dumps({
        "recall": score.recall, "sections": {s: v["recall"] for s, v in score.sections.items()},
        "own_recall": score.own_recall, "own_sections": {s: v["recall"] for s, v in score.own_sections.items()},
        "must_not_violations": [v.id for v in score.violations], "support": score.support,
    }, indent=2) + "\n")
    print(f"{name}: recall {score.recall}, own recall {score.own_recall}, support {score.support}", flush=True)


def rebuild_report(name: str) -> int:
    """Replay NAME's cassette through the current pipeline and keep the report it produces."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "pipeline.cli", "prepare", str(case_path(name).relative_to(ROOT)),
               "--replay", str((CASSETTES / f"{name}.json").relative_to(ROOT)), "--out", out, *case_flags(name)]
        code = subprocess.call(cmd, cwd=ROOT)
        if code == 0:
            shutil.copy(Path(out) / "report.json", CASSETTES / f"{name}.report.json")
            write_score(name)
    return code


def record(name: str) -> int:
    cassette = CASSETTES / f"{name}.json"
    cassette.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "pipeline.cli", "prepare", str(case_path(name).relative_to(ROOT)),
               "--record", str(cassette.relative_to(ROOT)), "--no-cache", "--out", out, *case_flags(name)]
        print("+", " ".join(cmd), flush=True)
        code = subprocess.call(cmd, cwd=ROOT)
        if code == 0:
            shutil.copy(Path(out) / "report.json", CASSETTES / f"{name}.report.json")
            write_score(name)
    return code


def rehearsal_command(name: str, out: Path, *flags: str) -> list[str]:
    """`negoprep rehearse` on a copy of NAME's recorded report in `out`, playing NAME's scripted turns."""
    shutil.copy(CASSETTES / f"{name}.report.json", out / "report.json")
    return [sys.executable, "-m", "pipeline.cli", "rehearse", str(out / "report.json"),
            "--case", str(case_path(name).relative_to(ROOT)),
            "--script", str((REHEARSALS / f"{name}.turns.txt").relative_to(ROOT)), *flags]


def record_rehearsal(name: str) -> int:
    cassette = CASSETTES / f"{name}.rehearsal.json"
    cassette.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as out:
        cmd = rehearsal_command(name, Path(out), "--record", str(cassette.relative_to(ROOT)), "--no-cache")
        print("+", " ".join(cmd), flush=True)
        code = subprocess.call(cmd, cwd=ROOT)
        if code == 0:
            print((Path(out) / "rehearsal-1.md").read_text(), flush=True)
    return code


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--score"]:
        for case in args[1:]:
            write_score(case)
        sys.exit(0)
    if args[:1] == ["--rehearsal"]:
        sys.exit(max([record_rehearsal(name) for name in args[1:]] or [0]))
    if args[:1] == ["--report"]:
        sys.exit(max([rebuild_report(name) for name in args[1:]] or [0]))
    sys.exit(max([record(name) for name in args] or [0]))
