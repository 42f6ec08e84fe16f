"""Score a report against its answer key: recall per section and overall, `must_not` violations, support.

A key point is looked for in the report's texts (one item, guidance line, move or summary at a
time), never in its evidence quotes: a copied quote is the materials' words, not the brief's. A text
the checker found `contradicted` counts for nothing, nor one the brief leaves out (`pipeline.schemas.left_out`). Recall is given twice: `recall` over the whole
brief, `own_recall` over the texts written for the brief (by the model, or composed by the pipeline from
checked facts with a small model), leaving out the lines quoted from the
materials (the deal profile's `key_facts`, copied from our notes without a model; items the checker
marks `quoted` or shows in the materials' own words, `excerpt`, such as a dated line; in a composed text, each
sentence that quotes a line; and any text that is, normalised, a passage of three words or more of one line of the
materials or of its own evidence quote). Must-not violations are looked for in every text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel

from pipeline.case.loading import load_case
from pipeline.case.notes import SENTENCE
from pipeline.errors import InputError
from agents import registry
from pipeline.checks.free_texts import text_field
from pipeline.quality.answer_key import CompiledKey, CompiledPoint, Text, fold
from pipeline.schemas import Item, PrepReport, first_page_passages, left_out, said_on_first_page, sides_from_notes

QUOTED_FIELDS = ("key_facts",)
"""Item lists whose texts are lines of the materials copied without a model."""
MIN_QUOTED_WORDS = 3
LABEL_CHARS = 60
"""The longest label before a quoted line in a composed text."""


@dataclass(frozen=True)
class ScoredText:
    """One text of a section, folded, and whether it is quoted from the materials."""

    raw: str
    folded: str
    quoted: bool = False

    @cached_property
    def text(self) -> Text:
        """The folded text with its words found, once for every point of the key."""
        return Text.of(self.folded)


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
        single = [s for s in agent.texts if isinstance(getattr(*text_field(output, s)[:2]), str)
                  and (report.provenance.unconfirmed_shown or s not in agent.prose)]  # what the brief shows
        texts[agent.report_field] = (
            [t for s in single for t in _field_texts(output, s)]
            + ([agent.label(output)] if agent.label else [])
            + [_item_text(i) for items in agent.groups(output).values() for i in items]
            + [t for s in agent.texts if s not in single and s not in agent.prose for t in _field_texts(output, s)])
    return texts


def _items(value, field_name: str = "") -> Iterator[tuple[str, Item]]:
    """Every item of a report, with the name of the field that holds it."""
    if isinstance(value, Item):
        yield field_name, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _items(getattr(value, name), name)
    elif isinstance(value, (list, tuple)):
        for element in value:
            yield from _items(element, field_name)


def _verbatim(folded: str) -> str:
    return folded.strip(" .;:,!?\"'()…")


def material_lines(case_dir: Path | None, report: PrepReport) -> list[str]:
    """The folded lines of the case's materials, when `case_dir` holds the documents the report was made from."""
    if case_dir is None or not Path(case_dir).is_dir():
        return []
    names = {d.name for d in report.case.documents}
    try:
        materials = load_case(case_dir)
    except InputError:
        return []
    if not names or not names <= {d.name for d in materials.documents}:
        return []
    return [folded for doc in materials.documents for line in doc.text.splitlines()
            if (folded := _verbatim(fold(line)))]


def _is_quoted(folded: str, lines: Iterable[str]) -> bool:
    text = _verbatim(folded)
    return len(text.split()) >= MIN_QUOTED_WORDS and any(text in line for line in lines)


def scored_texts(report: PrepReport, materials: Iterable[str] = ()) -> dict[str, list[ScoredText]]:
    """`section_texts` folded, each marked quoted or not; texts of contradicted items left out."""
    lines = list(materials)
    on_page, notes = first_page_passages(report), sides_from_notes(report)
    hidden = {id(i) for agent in registry.PREPARATION
              for items in agent.groups(getattr(report, agent.report_field)).values() for i in items
              if left_out(i, report.provenance.unconfirmed_shown, agent.lead, agent.sided, notes)
              or (not agent.lead and said_on_first_page(i, on_page))}  # not in the brief a reader sees
    states: dict[str, set[str]] = {}
    for name, item in _items(report):
        text = _item_text(item)
        verification = str(getattr(item, "verification", ""))
        if verification == "contradicted" or id(item) in hidden:
            states.setdefault(text, set()).add("contradicted")
        elif (verification in ("quoted", "excerpt") or name in QUOTED_FIELDS
              or any(_is_quoted(fold(item.text), [_verbatim(fold(e.quote))]) for e in item.evidence)):
            states.setdefault(text, set()).add("quoted")
        else:
            states.setdefault(text, set()).add("own")
    texts: dict[str, list[ScoredText]] = {}
    for section, raws in section_texts(report).items():
        texts[section] = []
        for raw in raws:
            if not raw:
                continue
            state = states.get(raw, set())
            if state == {"contradicted"}:
                continue
            folded = fold(raw)
            lead = fold(raw.split(" \u2014 ")[0])  # a move is its own words when its move is, whatever its why
            quoted = "own" not in state and ("quoted" in state or _is_quoted(folded, lines) or _is_quoted(lead, lines))
            texts[section] += [ScoredText(raw, folded, quoted)] if quoted or state else _pieces(raw, lines)
    return texts


def _pieces(raw: str, lines: list[str]) -> list[ScoredText]:
    """A free text (a summary, a move) as its own words and the lines of the materials it quotes: each sentence, or
    what follows its label (`A trade idea of your notes: …`), that is a passage of a line counts as quoted."""
    own, quoted = [], []
    for sentence in (s for chunk in raw.split(" \u2014 ") for s in SENTENCE.split(chunk)):
        label, _, rest = sentence.partition(": ")
        said = any(_is_quoted(fold(part).strip('"'), lines) for part in (sentence, rest if len(label) <= LABEL_CHARS else "")
                   if part)
        (quoted if said else own).append(sentence)
    return [ScoredText(text, fold(text), flag) for text, flag in ((" ".join(own), False), (" ".join(quoted), True)) if text]


@dataclass
class PointResult:
    id: str
    what: str
    sections: list[str]
    found_in: list[str] = field(default_factory=list)
    evidence: str = ""
    own_found_in: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.found_in)

    @property
    def own_found(self) -> bool:
        return bool(self.own_found_in)


@dataclass
class Score:
    case: str
    key: str
    recall: float
    sections: dict[str, dict]
    points: list[PointResult]
    violations: list[PointResult]
    support: float | None
    own_recall: float = 0.0
    own_sections: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        data = asdict(self)
        for group in ("points", "violations"):
            for result, row in zip(getattr(self, group), data[group]):
                row["found"] = result.found
                row["own_found"] = result.own_found
        return data


def _search(point: CompiledPoint, texts: dict[str, list[ScoredText]]) -> PointResult:
    result = PointResult(point.point.id, point.point.what, list(point.point.sections))
    for section in registry.PREPARATION.fields:
        if not point.point.covers(section):
            continue
        hits = (t for t in texts.get(section, ()) if point.found_in_text(t.text))  # read until an own one is found
        first = next(hits, None)
        if first is None:
            continue
        result.found_in.append(section)
        result.evidence = result.evidence or first.raw[:160]
        if not first.quoted or any(not t.quoted for t in hits):
            result.own_found_in.append(section)
    return result


def _by_section(points: list[PointResult], attribute: str) -> dict[str, dict]:
    sections: dict[str, dict] = {}
    for section in (*registry.PREPARATION.fields, "any"):
        owned = [r for r in points if section in r.sections]
        if owned:
            found = sum(bool(getattr(r, attribute)) if section == "any" else section in getattr(r, attribute)
                        for r in owned)
            sections[section] = {"found": found, "total": len(owned), "recall": round(found / len(owned), 3)}
    return sections


def score_texts(texts: dict[str, list[ScoredText]], key: CompiledKey, case: str = "",
                support: float | None = None) -> Score:
    """Recall of the key's points in `texts` (by section), both over every text and over the own ones,
    and the must-not violations."""
    points = [_search(p, texts) for p in key.points]
    violations = [r for r in (_search(p, texts) for p in key.must_not) if r.found]
    recall = round(sum(r.found for r in points) / len(points), 3)
    own = round(sum(r.own_found for r in points) / len(points), 3)
    return Score(case, str(key.path), recall, _by_section(points, "found_in"), points, violations, support,
                 own, _by_section(points, "own_found_in"))


def score_report(report: PrepReport, key: CompiledKey, materials: Iterable[str] = ()) -> Score:
    """Recall of the key's points (overall and per section; whole brief and own texts), the must-not
    violations, the support figure. `materials`: the folded lines of the case (`material_lines`)."""
    return score_texts(scored_texts(report, materials), key, report.case.name, report.provenance.support)


def _figure(value: float | None) -> str:
    return "\u2014" if value is None else f"{value:.2f}"


def score_text(score: Score) -> str:
    """The score as a reader's summary: figures first, then the points missed and the violations."""
    lines = [f"{score.case}: recall {_figure(score.recall)} ({sum(p.found for p in score.points)}/{len(score.points)} "
             f"key points) · own recall {_figure(score.own_recall)} ({sum(p.own_found for p in score.points)} found "
             f"outside quoted lines) · must-not violations {len(score.violations)} · support {_figure(score.support)}",
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
