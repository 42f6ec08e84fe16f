"""Token budget per run and the client-side rate limiter."""

from __future__ import annotations

import asyncio

import pytest

from pipeline.errors import BudgetExceeded
from pipeline.llm.budget import calls_cost, check_budget
from pipeline.llm.client import make_llm
from pipeline.llm.ratelimit import RateLimiter
from pipeline.testing.synthetic import SyntheticTransport
from pipeline.prep.run import aprepare
from pipeline.schemas import CallRecord
from pipeline.settings import load_settings
from tests.conftest import DATA, run_calls


async def test_budget_stops_before_the_call_that_would_exceed_it(tmp_path):
    settings = load_settings(use_cache=False, max_run_tokens=4500, max_output_tokens=1000)
    transport = SyntheticTransport()
    llm = make_llm(settings, base_transport=transport)
    with pytest.raises(BudgetExceeded) as info:
        await aprepare(DATA / "cases" / "tiny", settings, llm=llm, checkpoint=tmp_path / "c.sqlite")
    assert "budget of 4500 tokens" in str(info.value)
    made = [n for n, *_ in transport.log]
    assert made and "merge" not in made


def test_check_budget_counts_tokens_and_cost_of_the_worst_case_next_call():
    settings = load_settings(max_run_tokens=3000, max_output_tokens=500, max_run_cost=0.01,
                             price_prompt_per_mtok=1.0, price_completion_per_mtok=4.0)
    spent = [CallRecord(node="extract", prompt_tokens=1000, completion_tokens=500)]  # 1,500 tokens, cost 0.003

    check_budget(settings, "merge", spent, prompt_estimate=1000)  # 3,000 tokens, cost 0.003 + 0.003: fits
    with pytest.raises(BudgetExceeded, match="budget of 3000 tokens"):
        check_budget(settings, "merge", spent, prompt_estimate=1001)
    assert calls_cost(settings, spent) == pytest.approx(0.003)

    costly = settings.model_copy(update={"max_run_tokens": None, "max_run_cost": 0.005})
    check_budget(costly, "merge", spent, prompt_estimate=0)  # 0.003 + 0.002 = 0.005
    with pytest.raises(BudgetExceeded, match="cost budget of 0.005"):
        check_budget(costly, "merge", spent, prompt_estimate=1)


async def test_cost_budget_stops_before_the_call_that_could_exceed_it(tmp_path):
    prices = dict(price_prompt_per_mtok=100.0, price_completion_per_mtok=400.0)
    probe = load_settings(use_cache=False, max_output_tokens=1000, **prices)
    llm = make_llm(probe, base_transport=SyntheticTransport())
    full = calls_cost(probe, (await aprepare(DATA / "cases" / "tiny", probe, llm=llm)).provenance.calls)

    settings = probe.model_copy(update={"max_run_cost": full})
    transport = SyntheticTransport()
    llm = make_llm(settings, base_transport=transport)
    with pytest.raises(BudgetExceeded) as info:
        await aprepare(DATA / "cases" / "tiny", settings, llm=llm, checkpoint=tmp_path / "c.sqlite")

    assert f"cost budget of {full:g}" in str(info.value)
    made = [n for n, *_ in transport.log]
    assert made and "merge" not in made, "the budget holds what the run cost, but not the worst case of every call"


async def test_parallel_nodes_share_one_budget(tmp_path, monkeypatch):
    """challenge and profile run at once: each fits the budget alone, not both together."""
    from pipeline.llm import budget

    estimates: dict[str, int] = {}
    admitted: list[str] = []
    original = budget.check_budget

    def recording(settings, node, spent, prompt_estimate, in_flight=(0, 0.0)):
        estimates[node] = max(estimates.get(node, 0), prompt_estimate)  # the challenger's two calls: the larger
        worst = original(settings, node, spent, prompt_estimate, in_flight)
        admitted.append(node)
        return worst

    monkeypatch.setattr(budget, "check_budget", recording)
    probe = load_settings(use_cache=False, max_output_tokens=1000, max_run_tokens=10**6)
    llm = make_llm(probe, base_transport=SyntheticTransport())
    calls = (await aprepare(DATA / "cases" / "tiny", probe, llm=llm)).provenance.calls
    extract = sum(c.prompt_tokens + c.completion_tokens for c in calls if c.node == "extract")
    worst = {node: estimates[node] + 1000 for node in ("challenge", "profile")}

    settings = probe.model_copy(update={"max_run_tokens": extract + max(worst.values())})
    transport = SyntheticTransport(delay=lambda node: 5.0 if node in ("challenge", "profile") else 0.0)  # both in flight,
    # however long the challenger takes to search the knowledge base first
    llm = make_llm(settings, base_transport=transport)
    admitted.clear()
    with pytest.raises(BudgetExceeded, match="in flight"):
        await aprepare(DATA / "cases" / "tiny", settings, llm=llm, checkpoint=tmp_path / "c.sqlite")
    assert admitted.count("extract") == run_calls().count("extract")
    assert admitted.count("challenge") + admitted.count("profile") == 1, "one parallel call admitted, the other refused"
    assert transport.requested.count("challenge") + transport.requested.count("profile") <= 1


async def test_generous_budget_completes():
    settings = load_settings(use_cache=False, max_run_tokens=10**6)
    llm = make_llm(settings, base_transport=SyntheticTransport())
    report = await aprepare(DATA / "cases" / "tiny", settings, llm=llm)
    assert len(report.provenance.calls) == len(run_calls())


async def test_rate_limiter_spaces_requests_beyond_the_limit():
    limiter = RateLimiter(rpm=3, tpm=None, window_s=0.3)
    waits = await asyncio.gather(*(limiter.acquire(10) for _ in range(6)))
    assert waits[:3] == [0.0, 0.0, 0.0], "three requests fit the window"
    assert waits[3] > 0.2, "the 4th waits (by the limiter's own account) for the window to pass"
    assert waits[4:] == [0.0, 0.0], "the 5th and 6th start in the new window"


async def test_rate_limiter_counts_tokens():
    limiter = RateLimiter(rpm=None, tpm=100, window_s=0.2)
    await limiter.acquire(80)
    waited = await limiter.acquire(50)
    assert waited > 0
    assert await RateLimiter(None, None).acquire(10**9) == 0.0
