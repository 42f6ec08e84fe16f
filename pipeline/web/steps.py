"""A preparation run in a consultant's words: each graph node's step name, and the time left estimated
from the run's own speed so far."""

from __future__ import annotations


from agents import registry
from pipeline.prep.run import NodeEvent

STEP_NAMES = {
    "ingest": "Reading the documents",
    "extract": "Finding the deal profile",
    "verify_profile": "Checking the deal profile against the materials",
    "challenge": "Challenging the fixed pie",
    "profile": "Profiling the counterpart",
    "verify_analysis": "Checking the analyses against the materials",
    "merge": "Writing the synthesis",
    "translate": "Translating the brief",
    "assemble": "Assembling the brief",
}


def step_name(node: str) -> str:
    """The step a node performs, for people (an unknown node by its name in words)."""
    return STEP_NAMES.get(node) or node.replace("_", " ").capitalize()


def expected_calls(case=None, prose: bool = False) -> dict[str, int]:
    """The model calls each node makes in a run on `case` (`Registry.planned_calls`); the other nodes make none."""
    return registry.PREPARATION.planned_calls(case, prose)


def time_left_words(seconds: float | None) -> str:
    if seconds is None:
        return "estimating the time left once the first step that asks the model is done"
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    return f"about {minutes} minute{'s' if minutes != 1 else ''} left"


class Estimate:
    """The time left of one run: its seconds so far per model call finished, times the calls still to make."""

    def __init__(self, calls: dict[str, int] | None = None):
        self.calls = expected_calls() if calls is None else calls
        self.total = sum(self.calls.values())
        self.done = 0

    def seconds_left(self, event: NodeEvent) -> float | None:
        """After `event`: the seconds left, or None before the first model call is done."""
        if event.status == "done":
            self.done += self.calls.get(event.node, 0)
        if not self.done:
            return None
        return max(0.0, event.elapsed / self.done * (self.total - self.done))
