"""Pure text functions worked out once per run: what a run reads again and again (a passage's dates and numbers, a
line's plain text) is read once inside `run_memo()` and forgotten when the run ends. Nothing is kept in the process
(a case's text belongs to its run); outside a run the functions simply run."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

_MEMO: ContextVar[dict | None] = ContextVar("negoprep_run_memo", default=None)
_UNSET = object()
F = TypeVar("F", bound=Callable)


@contextmanager
def run_memo() -> Iterator[None]:
    """One memo for the run inside this block (its nodes' tasks and the threads they start inherit it)."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def per_run(function: F) -> F:
    """`function` (pure, of hashable arguments, its result never changed by a caller) remembered per run (a call with
    keyword arguments is worked out each time)."""

    @functools.wraps(function)
    def remembered(*args, **kwargs):
        memo = _MEMO.get()
        if memo is None or kwargs:
            return function(*args, **kwargs)
        key = (function, *args)
        found = memo.get(key, _UNSET)
        if found is _UNSET:
            found = memo[key] = function(*args)
        return found

    return remembered  # type: ignore[return-value]
