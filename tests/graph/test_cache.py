"""The on-disk call cache: a prompt change re-calls only the nodes whose request changed.

Uses the synthetic transport (labelled synthetic answers that depend on the request)."""

from __future__ import annotations

import json
import shutil

from pipeline.prep.graph import compile_graph
from pipeline.llm.client import make_llm
from pipeline.testing.synthetic import SyntheticTransport
from pipeline.resources import attach
from pipeline.settings import load_settings
from tests.conftest import DATA, ROOT, change_task_text, run_calls, run_prep


async def _run(transport, **overrides):
    return await run_prep(DATA / "cases" / "tiny", transport, **{"use_cache": True, **overrides})


async def test_changing_the_profiler_prompt_recalls_only_profiler_and_merge(tmp_path):
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    first = SyntheticTransport()
    report = await _run(first, prompts_dir=prompts, cache_dir=tmp_path / "cache")
    assert sorted(n for n, *_ in first.log) == run_calls()
    assert all(c.cache == "miss" for c in report.provenance.calls)

    path = prompts / "profiler.md"
    change_task_text(path)
    second = SyntheticTransport()
    report = await _run(second, prompts_dir=prompts, cache_dir=tmp_path / "cache")
    assert sorted(n for n, *_ in second.log) == ["merge", "profile"]
    hits = {c.node: c.cache for c in report.provenance.calls}
    assert hits == {"extract": "hit", "challenge": "hit", "profile": "miss", "merge": "miss"}


async def test_no_cache_calls_everything_again(tmp_path):
    await _run(SyntheticTransport(), cache_dir=tmp_path / "cache")
    again = SyntheticTransport()
    report = await _run(again, cache_dir=tmp_path / "cache", use_cache=False)
    assert len(again.log) == len(run_calls())
    assert {c.cache for c in report.provenance.calls} == {"off"}


async def test_recorded_cassette_contains_no_key(tmp_path, monkeypatch):
    sentinel = "sk-" + "test-SENTINEL0123456789abcdefXYZ"  # a fake key, built so no scanner mistakes it for one
    monkeypatch.setenv("OPENAI_API_KEY", sentinel)
    monkeypatch.setenv("MY_SERVICE_TOKEN", "tok-SENTINEL-42-abcdef")
    case = tmp_path / "case"
    case.mkdir()
    (case / "notes.md").write_text(
        "Supplier asks EUR 90,000 for the renewal.\n"
        f"Someone pasted a key here: {sentinel} and a token tok-SENTINEL-42-abcdef.\n"
    )
    cassette = tmp_path / "c.json"
    settings = load_settings(record=cassette, use_cache=False, backend="openai")
    transport = SyntheticTransport()
    llm = make_llm(settings, base_transport=transport)
    settings = attach(settings, llm)
    try:
        await compile_graph().ainvoke({"path": str(case)}, context=settings)
    finally:
        await llm.aclose()
    text = cassette.read_text()
    assert json.loads(text)["interactions"], "the cassette must hold the calls"
    assert "SENTINEL" not in text
    assert "<redacted>" in text
