"""The preparation's agents, in report order: what the graph wires, the checks verify, the report shows,
the scoring and the judge read and the diff compares.

One agent, one declaration (`AGENT` in its module). Its names differ only where the cassettes and the
report contract recorded them first:

| module (`agents/`) | prompt (`prompts/`) | node        | report field (= state key)                 |
|--------------------|---------------------|-------------|--------------------------------------------|
| `extractor`        | `extractor.md`      | `extract`   | `deal_profile`                             |
| `challenger`       | `challenger.md`     | `challenge` | `challenge`                                |
| `profiler`         | `profiler.md`       | `profile`   | `counterpart` (state: `counterpart_profile`) |
| `merger`           | `merge.md`          | `merge`     | `synthesis`                                |

(`counterpart` is taken in the state: the input's name of the other side.)

Everything else looks the agents up here at run time (`registry.PREPARATION`), so one registry serves the
graph, the checks, the report, the scoring and the judge alike.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import get_type_hints

from pydantic import BaseModel, create_model
from typing_extensions import TypedDict

from agents import challenger, extractor, merger, profiler
from pipeline.agent_kit import Agent
from pipeline.checks.item_checks import Premise
from pipeline.prep.state import PrepState
from pipeline.schemas import Item, PrepReport

STAGES = (1, 2, 3)
"""1 reads the case (then `verify_profile`), 2 reads the verified deal profile (then `verify_analysis`),
3 merges the analyses (then `translate`)."""


@dataclass(frozen=True)
class Registry:
    """Agents in report order."""

    agents: tuple[Agent, ...]

    def __post_init__(self):
        for agent in self.agents:
            if agent.stage not in STAGES:
                raise ValueError(f"agent {agent.name}: stage {agent.stage} is not one of {STAGES}")
        for key in ("name", "node", "report_field", "state_key"):
            names = [getattr(agent, key) for agent in self.agents]
            if len(set(names)) != len(names):
                raise ValueError(f"two agents share a {key}: {names}")

    def __iter__(self) -> Iterator[Agent]:
        return iter(self.agents)

    def at_stage(self, stage: int) -> list[Agent]:
        return [agent for agent in self.agents if agent.stage == stage]

    @property
    def fields(self) -> tuple[str, ...]:
        """The report's sections, in order."""
        return tuple(agent.report_field for agent in self.agents)

    @property
    def lead(self) -> list[Agent]:
        """The agents whose sections open the report."""
        return [agent for agent in self.agents if agent.lead]

    @property
    def numbered(self) -> list[Agent]:
        """The agents whose sections follow, numbered 1, 2, ..."""
        return [agent for agent in self.agents if not agent.lead]

    def premises(self, sections: Mapping[str, BaseModel]) -> list[Premise]:
        """Every agent's premises in report order, from its outputs by report field."""
        return [p for agent in self.agents for p in agent.premises(sections[agent.report_field])]

    def free_texts(self, sections: Mapping[str, BaseModel]) -> list[tuple[str, BaseModel, tuple[str, ...]]]:
        """Each agent's report field, output (from `sections`, by report field) and free-text fields: what the
        echo check reads (`pipeline.checks.echoes.remove_echoes`)."""
        return [(agent.report_field, sections[agent.report_field], agent.texts) for agent in self.agents]

    def report_sections(self, report: PrepReport) -> dict[str, BaseModel]:
        """The agents' sections of a report, by report field."""
        return {agent.report_field: getattr(report, agent.report_field) for agent in self.agents}

    @cached_property
    def report(self) -> type[PrepReport]:
        """The report model: `PrepReport`, with a section for each agent it does not have."""
        extra = {a.report_field: (a.output, ...) for a in self.agents if a.report_field not in PrepReport.model_fields}
        return create_model("PrepReport", __base__=PrepReport, **extra) if extra else PrepReport

    @cached_property
    def state(self) -> type:
        """The graph's state: `PrepState`, with a key for each agent it does not have."""
        hints = get_type_hints(PrepState, include_extras=True)
        extra = {a.state_key: a.output for a in self.agents if a.state_key not in hints}
        return TypedDict("PrepState", {**hints, **extra}, total=False) if extra else PrepState

    def planned_calls(self, case=None, prose: bool = True) -> dict[str, int]:
        """The model calls each agent's node makes in a run: as its module plans them for `case`
        (`calls_for(case, prose)`; prose: the model writes the briefing's texts, as on an API backend), else one
        per part (`PARTS`), else one."""
        planned = {}
        for agent in self.agents:
            module = sys.modules[agent.run.__module__]
            if case is not None and hasattr(module, "calls_for"):
                planned[agent.node] = len(module.calls_for(case, prose))
            else:
                planned[agent.node] = len(getattr(module, "PARTS", None) or [None])
        return planned

    def with_agent(self, agent: Agent) -> Registry:
        """This registry with `agent` added after the agents of its stage (or before the lead)."""
        at = next((i for i, a in enumerate(self.agents) if a.stage > agent.stage or a.lead), len(self.agents))
        return Registry((*self.agents[:at], agent, *self.agents[at:]))


PREPARATION = Registry((extractor.AGENT, challenger.AGENT, profiler.AGENT, merger.AGENT))


def at_stage(stage: int) -> list[Agent]:
    return PREPARATION.at_stage(stage)


def premises(sections: Mapping[str, BaseModel]) -> list[Premise]:
    """Every agent's premises in report order, from its outputs by report field."""
    return PREPARATION.premises(sections)


def report_sections(report: PrepReport) -> dict[str, BaseModel]:
    """The agents' sections of a report, by report field."""
    return PREPARATION.report_sections(report)


def report_items(report: PrepReport) -> list[Item]:
    """Every item the checks verify, in report order."""
    return [p.item for p in premises(report_sections(report))]
