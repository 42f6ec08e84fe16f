"""The report's reviewable items and their ids: `<report field>.<group>.<n>` (`deal_profile.issues.2`), numbered
from 1 in report order over every agent's premises (`agents.registry`), then over the item lists of any other
section of the report (`first_page.risks.1`), so a section added later has ids too. Computed from the report as
recorded: the report contract does not change."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from agents import registry
from pipeline.schemas import Item, PrepReport


@dataclass(frozen=True)
class ReportItem:
    id: str
    section: str
    """The agent's section title."""
    group: str
    """The group's title in its section."""
    item: Item
    as_fact: bool
    items: list[Item]
    """The report's list that holds it."""

    @property
    def where(self) -> str:
        """Its report field and group (`deal_profile.issues`), as the checks name it."""
        return self.id.rsplit(".", 1)[0]


SKIPPED = ("case", "provenance", "warnings")
"""Report fields that hold no statements to review."""


def _lists(model: BaseModel, path: str) -> Iterator[tuple[str, list[Item]]]:
    """Every list of items in `model` and the models it holds, with its dotted path."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, list) and value and all(isinstance(v, Item) for v in value):
            yield f"{path}.{name}", value
        elif isinstance(value, BaseModel) and not isinstance(value, Item):
            yield from _lists(value, f"{path}.{name}")


def report_items(report: PrepReport) -> dict[str, ReportItem]:
    """Every reviewable item of `report` by id, in report order (the objects of `report`, not copies): the agents'
    premises first, then the items of any other section (a section computed without a model, say)."""
    found: dict[str, ReportItem] = {}

    def add(where: str, section: str, group: str, items: list[Item], as_fact: bool) -> None:
        for n, item in enumerate(items, 1):
            found[f"{where}.{n}"] = ReportItem(f"{where}.{n}", section, group, item, as_fact, items)

    for agent in registry.PREPARATION:
        for name, items in agent.groups(getattr(report, agent.report_field)).items():
            add(f"{agent.report_field}.{name}", agent.title, agent.titles.get(name, name), items, agent.facts)
    taken = {id(f.items) for f in found.values()}
    for field in type(report).model_fields:
        value = getattr(report, field)
        if field in SKIPPED or not isinstance(value, BaseModel):
            continue
        for where, items in _lists(value, field):
            if id(items) not in taken:
                title = field.replace("_", " ").capitalize()
                add(where, title, where.rsplit(".", 1)[1].replace("_", " ").capitalize(), items, False)
    return found


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def basis_of(item: Item) -> str:
    """A digest of what the item rests on: the checker's state and the passages found."""
    data = [item.verification, [[e.document, e.locator, " ".join(e.quote.split())] for e in item.evidence]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def report_digest(report: PrepReport) -> str:
    return hashlib.sha256(report.model_dump_json().encode()).hexdigest()
