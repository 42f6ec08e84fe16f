"""Case materials as prompt data: delimited documents, split into chunks that fit a budget."""

from __future__ import annotations

from pipeline.case.documents import CaseMaterials, Document, Unit
from pipeline.tokens import TokenCounter


def _escape(text: str) -> str:
    """Materials cannot close their own delimiters."""
    return text.replace("</document>", "<\\/document>").replace("</materials>", "<\\/materials>")


def _attribute(value: str) -> str:
    """A file name or header value as a delimiter attribute: it cannot end its quotes or a tag."""
    return _escape(value).replace('"', "&quot;")


def render_documents(documents: list[Document]) -> str:
    """Documents wrapped as data: `<document name="...">...</document>`."""
    parts = []
    for doc in documents:
        meta = "".join(f' {k.lower()}="{_attribute(v)[:120]}"' for k, v in doc.metadata.items())
        parts.append(f'<document name="{_attribute(doc.name)}"{meta}>\n{_escape(doc.text.strip())}\n</document>')
    return "\n".join(parts)


def chunk_documents(case: CaseMaterials, budget: int, counter: TokenCounter) -> list[list[Document]]:
    """Groups of (partial) documents, each within `budget` tokens; nothing is dropped.

    A document too large for one chunk is split between units; a single unit larger
    than the budget is split by characters.
    """
    if sum(len(doc.text.encode()) + 20 for doc in case.documents) <= budget:  # a token is at least one byte
        return [list(case.documents)]
    chunks: list[list[Document]] = [[]]
    spent = 0

    def add(doc: Document, units: list[Unit], cost: int) -> None:
        nonlocal spent
        if spent and spent + cost > budget:
            chunks.append([])
            spent = 0
        chunks[-1].append(doc.model_copy(update={"units": units}))
        spent += cost

    for doc in case.documents:
        cost = counter.count(doc.text) + 20
        if cost <= budget:
            add(doc, doc.units, cost)
            continue
        group: list[Unit] = []
        group_cost = 0
        for unit in _split_units(doc.units, budget, counter):
            unit_cost = counter.count(unit.text) + 1
            if group and group_cost + unit_cost > budget - 20:
                add(doc, group, group_cost + 20)
                group, group_cost = [], 0
            group.append(unit)
            group_cost += unit_cost
        if group:
            add(doc, group, group_cost + 20)
    return [c for c in chunks if c]


def _split_units(units: list[Unit], budget: int, counter: TokenCounter) -> list[Unit]:
    out = []
    for unit in units:
        cost = counter.count(unit.text)
        if cost <= budget - 40:
            out.append(unit)
            continue
        step = max(200, len(unit.text) * (budget - 40) // max(cost, 1))
        out += [Unit(locator=unit.locator, text=unit.text[i:i + step]) for i in range(0, len(unit.text), step)]
    return out
