"""The report's reviewable items and their ids: `<report field>.<group>.<n>` (`deal_profile.issues.2`), numbered
from 1 in report order over every agent's premises (`agents.registry`), so a section an agent adds has ids too.
Computed from the report as recorded: the report contract does not change."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

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


def report_items(report: PrepReport) -> dict[str, ReportItem]:
    """Every reviewable item of `report` by id, in report order (the objects of `report`, not copies)."""
    found: dict[str, ReportItem] = {}
    for agent in registry.PREPARATION:
        for name, items in agent.groups(getattr(report, agent.report_field)).items():
            for n, item in enumerate(items, 1):
                item_id = f"{agent.report_field}.{name}.{n}"
                found[item_id] = ReportItem(item_id, agent.title, agent.titles.get(name, name), item, agent.facts,
                                            items)
    return found


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def basis_of(item: Item) -> str:
    """A digest of what the item rests on: the checker's state and the passages found."""
    data = [item.verification, [[e.document, e.locator, " ".join(e.quote.split())] for e in item.evidence]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def report_digest(report: PrepReport) -> str:
    return hashlib.sha256(report.model_dump_json().encode()).hexdigest()
