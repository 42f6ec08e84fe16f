"""Checkpoints: a run that failed after extract and challenge resumes without re-calling them.

Synthetic transport (labelled synthetic answers); the failure is injected by the test."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from agents import challenger
from pipeline.errors import BackendError
from pipeline.llm.client import make_llm
from pipeline.testing.synthetic import SyntheticTransport
from pipeline.prep.run import aprepare
from pipeline.settings import load_settings
from tests.conftest import DATA, run_calls

CASE = DATA / "cases" / "tiny"


class FailingProfile(SyntheticTransport):
    """Answers like SyntheticTransport, but the profiler's calls fail with HTTP 503 (after the
    challenger has answered all its calls: the case of a run that died after extract and challenge)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("x-negoprep-node") == "profile":
            for _ in range(500):
                if [node for node, *_ in self.log].count("challenge") == len(challenger.PARTS):
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.2)  # the challenger's node returns its answers
            self.log.append(("profile-failed", 0.0, 0.0))
            return httpx.Response(503, json={"error": {"message": "injected outage"}})
        return await super().handle_async_request(request)


async def test_resume_calls_only_what_is_missing(tmp_path):
    settings = load_settings(use_cache=False, max_retries=0)
    checkpoint = tmp_path / "out" / ".checkpoints.sqlite"

    broken = FailingProfile()
    llm = make_llm(settings, base_transport=broken)
    with pytest.raises(BackendError) as info:
        await aprepare(CASE, settings, llm=llm, checkpoint=checkpoint)
    assert str(info.value).startswith("profile:")
    assert {n for n, *_ in broken.log} == {"extract", "challenge", "profile-failed"}
    assert checkpoint.exists()

    healthy = SyntheticTransport()
    llm = make_llm(settings, base_transport=healthy)
    report = await aprepare(CASE, settings, llm=llm, checkpoint=checkpoint, resume=True)
    assert sorted(n for n, *_ in healthy.log) == sorted(["profile", *["merge"] * run_calls().count("merge")])
    assert sorted(c.node for c in report.provenance.calls) == run_calls()


async def test_without_resume_a_new_run_starts_fresh(tmp_path):
    settings = load_settings(use_cache=False)
    checkpoint = tmp_path / ".checkpoints.sqlite"
    first = SyntheticTransport()
    llm = make_llm(settings, base_transport=first)
    await aprepare(CASE, settings, llm=llm, checkpoint=checkpoint)
    second = SyntheticTransport()
    llm = make_llm(settings, base_transport=second)
    report = await aprepare(CASE, settings, llm=llm, checkpoint=checkpoint)
    assert len(second.log) == len(report.provenance.calls) == len(run_calls())


async def test_resume_of_a_finished_run_calls_nothing(tmp_path):
    settings = load_settings(use_cache=False)
    checkpoint = tmp_path / ".checkpoints.sqlite"
    llm = make_llm(settings, base_transport=SyntheticTransport())
    done = await aprepare(CASE, settings, llm=llm, checkpoint=checkpoint)
    idle = SyntheticTransport()
    llm = make_llm(settings, base_transport=idle)
    again = await aprepare(CASE, settings, llm=llm, checkpoint=checkpoint, resume=True)
    assert idle.log == []
    assert again.model_dump() == done.model_dump()


def test_checkpoint_holds_no_key(tmp_path, monkeypatch):
    import asyncio

    sentinel = "sk-" + "test-CHECKPOINTSENTINEL-0123456789"  # a fake key
    monkeypatch.setenv("OPENAI_API_KEY", sentinel)
    settings = load_settings(use_cache=False, backend="openai")
    checkpoint = tmp_path / ".checkpoints.sqlite"

    async def run():
        llm = make_llm(settings, base_transport=SyntheticTransport())
        return await aprepare(CASE, settings, llm=llm, checkpoint=checkpoint)

    report = asyncio.run(run())
    assert sentinel.encode() not in checkpoint.read_bytes()
    assert sentinel not in json.dumps(report.model_dump(mode="json"))
