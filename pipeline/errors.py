"""Errors the CLI maps to exit codes: 2 for input, 3 for the model backend."""

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
