"""A sentinel API key never appears in any artefact of a run: stderr (logs and errors), reports,
cassette, checkpoints. Runs the real CLI against the loopback stub server (synthetic answers)."""

from __future__ import annotations

import os
import subprocess
import sys

from pipeline.testing.stub_server import StubConfig, run_stub
from tests.conftest import DATA, ROOT

SENTINEL = "sk-" + "proj-SENTINEL0123456789abcdefghijklmnop"  # a fake key


def _run(base_url: str, out, cassette, *extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEGOPREP_"))}
    env["OPENAI_API_KEY"] = SENTINEL
    env.update(NEGOPREP_CACHE_DIR=str(out.parent / "cache"),
               NEGOPREP_RETRY_BACKOFF_S="0.01")
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "prepare", str(DATA / "cases" / "tiny"), "--base-url", base_url,
         "--out", str(out), "--record", str(cassette), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def _artefacts(tmp_path) -> list:
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def test_sentinel_key_appears_in_no_artefact(tmp_path):
    with run_stub(StubConfig()) as stub:
        ok = _run(stub.base_url, tmp_path / "out", tmp_path / "c.json")
    assert ok.returncode == 0, ok.stderr[-2000:]
    with run_stub(StubConfig(fault_rate=1.0, faults=("500",))) as stub:
        failed = _run(stub.base_url, tmp_path / "out2", tmp_path / "c2.json", "--no-cache")
    assert failed.returncode == 3 and "--resume" in failed.stderr
    files = _artefacts(tmp_path)
    assert any(p.name == "report.json" for p in files) and any(p.name == ".checkpoints.sqlite" for p in files)
    assert any(p.name == "c.json" for p in files)
    for path in files:
        assert SENTINEL.encode() not in path.read_bytes(), path
    for output in (ok.stdout, ok.stderr, failed.stdout, failed.stderr):
        assert SENTINEL not in output and "SENTINEL" not in output
