"""The preparation's agents, in report order: what the graph wires, the checks verify, the report shows
and the diff compares.

One agent, one declaration (`AGENT` in its module). Its names differ only where the cassettes and the
report contract recorded them first:

| module (`agents/`) | prompt (`prompts/`) | node        | state key             | report field   |
|--------------------|---------------------|-------------|-----------------------|----------------|
| `extractor`        | `extractor.md`      | `extract`   | `deal_profile`        | `deal_profile` |
| `challenger`       | `challenger.md`     | `challenge` | `challenge`           | `challenge`    |
| `profiler`         | `profiler.md`       | `profile`   | `counterpart_profile` | `counterpart`  |
| `merger`           | `merge.md`          | `merge`     | `synthesis`           | `synthesis`    |

(`counterpart` is taken in the state: the input's name of the other side.)
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel

from agents import challenger, extractor, merger, profiler
from pipeline.agent_kit import Agent
from pipeline.checks.item_checks import Premise
from pipeline.schemas import Item, PrepReport

PREPARATION: tuple[Agent, ...] = (extractor.AGENT, challenger.AGENT, profiler.AGENT, merger.AGENT)
STAGES = sorted({agent.stage for agent in PREPARATION})


def at_stage(stage: int) -> list[Agent]:
    return [agent for agent in PREPARATION if agent.stage == stage]


def premises(sections: Mapping[str, BaseModel]) -> list[Premise]:
    """Every agent's premises in report order, from its outputs by report field."""
    return [p for agent in PREPARATION for p in agent.premises(sections[agent.report_field])]


def report_sections(report: PrepReport) -> dict[str, BaseModel]:
    """The agents' sections of a report, by report field."""
    return {agent.report_field: getattr(report, agent.report_field) for agent in PREPARATION}


def report_items(report: PrepReport) -> list[Item]:
    """Every item the checks verify, in report order."""
    return [p.item for p in premises(report_sections(report))]
