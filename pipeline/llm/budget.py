"""A case's budget, in tokens and (with prices) in money, checked before every model call."""

from __future__ import annotations

from collections.abc import Sequence

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


def check_budget(settings: Settings, node: str, spent: Sequence[CallRecord], prompt_estimate: int) -> None:
    """Raise `BudgetExceeded` if a call with this prompt, answered at full length, could take the
    case past its token or cost budget (resumable: raise the budget and --resume)."""
    worst_tokens = prompt_estimate + settings.max_output_tokens
    if settings.max_run_tokens:
        used = calls_tokens(spent)
        if used + worst_tokens > settings.max_run_tokens:
            raise BudgetExceeded(node, f"the next call (up to {worst_tokens} tokens) would take the run past its budget of "
                                       f"{settings.max_run_tokens} tokens ({used} spent); raise --max-tokens and --resume")
    if settings.max_run_cost:
        used_cost = calls_cost(settings, spent)
        worst_cost = cost(settings, prompt_estimate, settings.max_output_tokens)
        if used_cost + worst_cost > settings.max_run_cost:
            raise BudgetExceeded(node, f"the next call (up to {worst_cost:.4f}) would take the run past its cost budget of "
                                       f"{settings.max_run_cost:g} ({used_cost:.4f} spent); raise --max-cost and --resume")
