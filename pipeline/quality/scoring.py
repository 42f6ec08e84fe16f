"""Score a report against its answer key: recall per section and overall, `must_not` violations, support.

A key point is looked for in the report's texts (one item, guidance line, move or summary at a
time), never in its evidence quotes: a copied quote is the materials' words, not the brief's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from pydantic import BaseModel

from agents import registry
from pipeline.checks.echoes import text_field
from pipeline.quality.answer_key import CompiledKey, CompiledPoint, fold
from pipeline.schemas import Item, PrepReport


def _item_text(item: Item) -> str:
    parts = [getattr(item, "name", ""), item.text, getattr(item, "date", ""), item.basis,
             getattr(item, "we_give", ""), getattr(item, "we_get", "")]
    return " \u2014 ".join(p for p in parts if p)


def _field_texts(output: BaseModel, spec: str) -> list[str]:
    owner, name, parts = text_field(output, spec)
    value = getattr(owner, name)
    if parts:
        return [" \u2014 ".join(getattr(entry, part) for part in parts) for entry in value]
    return [value] if isinstance(value, str) else list(value)


def section_texts(report: PrepReport) -> dict[str, list[str]]:
    """The texts a reader sees in each agent's section, one per item (evidence quotes left out): its free texts,
    its subject line and its items."""
    texts = {}
    for agent in registry.PREPARATION:
        output = getattr(report, agent.report_field)
        single = [s for s in agent.texts if isinstance(getattr(*text_field(output, s)[:2]), str)]
        texts[agent.report_field] = (
            [t for s in single for t in _field_texts(output, s)]
            + ([agent.label(output)] if agent.label else [])
            + [_item_text(i) for items in agent.groups(output).values() for i in items]
            + [t for s in agent.texts if s not in single for t in _field_texts(output, s)])
    return texts


@dataclass
class PointResult:
    id: str
    what: str
    sections: list[str]
    found_in: list[str] = field(default_factory=list)
    evidence: str = ""

    @property
    def found(self) -> bool:
        return bool(self.found_in)


@dataclass
class Score:
    case: str
    key: str
    recall: float
    sections: dict[str, dict]
    points: list[PointResult]
    violations: list[PointResult]
    support: float | None

    def to_dict(self) -> dict:
        data = asdict(self)
        for group in ("points", "violations"):
            for result, row in zip(getattr(self, group), data[group]):
                row["found"] = result.found
        return data


def _search(point: CompiledPoint, texts: dict[str, list[tuple[str, str]]]) -> PointResult:
    result = PointResult(point.point.id, point.point.what, list(point.point.sections))
    for section in registry.PREPARATION.fields:
        if not point.point.covers(section):
            continue
        hit = next((raw for raw, folded in texts[section] if point.found_in(raw, folded)), None)
        if hit is not None:
            result.found_in.append(section)
            result.evidence = result.evidence or hit[:160]
    return result


def score_report(report: PrepReport, key: CompiledKey) -> Score:
    """Recall of the key's points (overall and per section), the must-not violations, the support figure."""
    texts = {s: [(t, fold(t)) for t in ts if t] for s, ts in section_texts(report).items()}
    points = [_search(p, texts) for p in key.points]
    violations = [r for r in (_search(p, texts) for p in key.must_not) if r.found]
    sections: dict[str, dict] = {}
    for section in (*registry.PREPARATION.fields, "any"):
        owned = [r for r in points if section in r.sections]
        if owned:
            found = sum(r.found if section == "any" else section in r.found_in for r in owned)
            sections[section] = {"found": found, "total": len(owned), "recall": round(found / len(owned), 3)}
    recall = round(sum(r.found for r in points) / len(points), 3)
    return Score(report.case.name, str(key.path), recall, sections, points, violations, report.provenance.support)


def _figure(value: float | None) -> str:
    return "\u2014" if value is None else f"{value:.2f}"


def score_text(score: Score) -> str:
    """The score as a reader's summary: figures first, then the points missed and the violations."""
    lines = [f"{score.case}: recall {_figure(score.recall)} ({sum(p.found for p in score.points)}/{len(score.points)} "
             f"key points) · must-not violations {len(score.violations)} · support {_figure(score.support)}",
             "  by section: " + ", ".join(f"{s} {v['recall']:.2f} ({v['found']}/{v['total']})"
                                          for s, v in score.sections.items())]
    missed = [p for p in score.points if not p.found]
    if missed:
        lines.append("  missed:")
        lines += [f"    - {p.id} [{', '.join(p.sections)}]: {p.what}" for p in missed]
    if score.violations:
        lines.append("  must not, but does:")
        lines += [f"    - {v.id} in {', '.join(v.found_in)}: {v.what} \u2014 \u201c{v.evidence}\u201d" for v in score.violations]
    return "\n".join(lines)
