"""Errors the CLI maps to exit codes (2 for input, 3 for the model backend) and the one line each says (`failure`)."""

from __future__ import annotations


class InputError(Exception):
    """Bad input the user can fix; printed as one line, exit 2."""


class SettingsMissing(TypeError):
    """A node ran without its run's settings: the graph was invoked without `context`."""


class BackendError(Exception):
    """The model backend failed after retries, or its answers stayed invalid; exit 3."""

    def __init__(self, node: str, message: str, records: list | None = None):
        self.node = node
        self.records = records or []
        super().__init__(f"{node}: {message}")


class BudgetExceeded(BackendError):
    """The run would exceed its token budget."""


class ReplayMiss(Exception):
    """A request the cassette has no answer for."""

    def __init__(self, node: str, prompt: str, reason: str):
        self.node, self.prompt, self.reason = node, prompt, reason
        super().__init__(f"no recorded answer for node '{node}' (prompt {prompt or '?'}): {reason}")


EXIT_INPUT, EXIT_BACKEND, EXIT_INTERRUPTED, EXIT_OTHER = 2, 3, 130, 1


def failure(exc: BaseException) -> tuple[str, int]:
    """A run's failure as one line for the user and the CLI's exit code: 2 bad input, 3 model backend (or a
    replay without its answer), 130 interrupted, 1 anything else."""
    if isinstance(exc, InputError):
        return str(exc), EXIT_INPUT
    if isinstance(exc, ReplayMiss):
        return str(exc), EXIT_BACKEND
    if isinstance(exc, BackendError):
        return f"model backend failed in node {exc}", EXIT_BACKEND
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted", EXIT_INTERRUPTED
    return f"unexpected error: {type(exc).__name__}: {str(exc)[:300]}", EXIT_OTHER
