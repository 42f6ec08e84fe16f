"""A case's budget, in tokens and (with prices) in money, checked before every model call.

A run keeps one `Ledger`: the calls it made and the worst case of the calls in flight. Parallel
nodes and concurrent chunk calls check against the same ledger, so together they cannot overrun.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from pipeline.errors import BudgetExceeded
from pipeline.schemas import CallRecord
from pipeline.settings import Settings


def cost(settings: Settings, prompt_tokens: int, completion_tokens: int) -> float:
    """What these tokens cost at the configured prices (0 without prices)."""
    return (prompt_tokens * settings.price_prompt_per_mtok + completion_tokens * settings.price_completion_per_mtok) / 1e6


def calls_tokens(calls: Sequence[CallRecord]) -> int:
    return sum(c.prompt_tokens + c.completion_tokens for c in calls)


def calls_cost(settings: Settings, calls: Sequence[CallRecord]) -> float:
    return cost(settings, sum(c.prompt_tokens for c in calls), sum(c.completion_tokens for c in calls))


def check_budget(settings: Settings, node: str, spent: Sequence[CallRecord], prompt_estimate: int,
                 in_flight: tuple[int, float] = (0, 0.0)) -> tuple[int, float]:
    """Raise `BudgetExceeded` if a call with this prompt, answered at full length, could take the
    case past its token or cost budget, counting the worst case of the calls `in_flight` (tokens,
    cost) too (resumable: raise the budget and --resume). Returns this call's worst case."""
    worst_tokens = prompt_estimate + settings.max_output_tokens
    worst_cost = cost(settings, prompt_estimate, settings.max_output_tokens)
    if settings.max_run_tokens:
        used = calls_tokens(spent) + in_flight[0]
        if used + worst_tokens > settings.max_run_tokens:
            raise BudgetExceeded(node, f"the next call (up to {worst_tokens} tokens) would take the run past its budget of "
                                       f"{settings.max_run_tokens} tokens ({used} spent or in flight); raise --max-tokens and --resume")
    if settings.max_run_cost:
        used_cost = calls_cost(settings, spent) + in_flight[1]
        if used_cost + worst_cost > settings.max_run_cost:
            raise BudgetExceeded(node, f"the next call (up to {worst_cost:.4f}) would take the run past its cost budget of "
                                       f"{settings.max_run_cost:g} ({used_cost:.4f} spent or in flight); raise --max-cost and --resume")
    return worst_tokens, worst_cost


@dataclass
class Ledger:
    """A run's model calls and the worst case (tokens, cost) of those in flight."""

    calls: list[CallRecord] = field(default_factory=list)
    in_flight: tuple[int, float] = (0, 0.0)

    @contextmanager
    def reserve(self, settings: Settings, node: str, prompt_estimate: int) -> Iterator[None]:
        """Check the budget and hold this call's worst case until it is answered."""
        tokens, money = check_budget(settings, node, self.calls, prompt_estimate, self.in_flight)
        self.in_flight = (self.in_flight[0] + tokens, self.in_flight[1] + money)
        try:
            yield
        finally:
            self.in_flight = (self.in_flight[0] - tokens, self.in_flight[1] - money)


_RUN_LEDGER: ContextVar[Ledger | None] = ContextVar("negoprep_run_ledger", default=None)


@contextmanager
def run_scope() -> Iterator[Ledger]:
    """One ledger for the run inside this block (its nodes' tasks inherit it)."""
    ledger = Ledger()
    token = _RUN_LEDGER.set(ledger)
    try:
        yield ledger
    finally:
        _RUN_LEDGER.reset(token)


def run_ledger(spent: Sequence[CallRecord]) -> Ledger:
    """The run's ledger, seeded with `spent` (the calls its state records) if nothing was spent or
    reserved in it yet, as when a run resumes. Outside a run: a ledger of `spent` alone."""
    ledger = _RUN_LEDGER.get()
    if ledger is None:
        return Ledger(list(spent))
    if not ledger.calls and ledger.in_flight == (0, 0.0):
        ledger.calls.extend(spent)
    return ledger
