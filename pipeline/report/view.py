"""The report as every renderer shows it, built once: the agents' sections and their item groups, the
items set apart and the sentences removed under "check before use", the guidance rows, the warnings and the cited
knowledge, and the words of the brief's language (`pipeline.report.wording`, each agent's `Agent.words`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from agents import registry
from pipeline.agent_kit import Agent
from pipeline.knowledge import Entry, read_kb
from pipeline.brief.compose import uncomputed
from pipeline.brief.facts import HEADER
from pipeline.case.notes import SENTENCE, plain_line
from pipeline.report.wording import Wording, wording
from pipeline.review import Brief, Review, apply_review
from pipeline.schemas import (SAID_CHARS, Guidance, Item, PrepReport, ReportWarning, bare, first_page_passages,
                              said_on_first_page)

ENGLISH = wording("en")
EVIDENCE_CODES = ("unverified", "weak", "contradicted")
PASSAGE_LABELS = {"quoted": "from_notes", "inference": "passage_inference", "read": "passage_read",
                  "excerpt": "passage_excerpt", "contradicted": "passage_contradicted", "weak": "passage_weak"}
"""The label of the passage shown with an item, by the item's verification (`passage` for the others)."""


LEFT_OUT_KEYS = ("repeats", "cut", "advice", "inferences", "missing")
"""The kinds of "left-out" warning the brief sums up in its one line on what it leaves out."""


def left_out_line(count: int, words: Wording = ENGLISH, warnings: Sequence[ReportWarning] = ()) -> str:
    """The brief's one line on what it leaves out: the model's statements not confirmed (`count`), and each kind
    of item the cleaning left out (`warnings`, of `LEFT_OUT_KEYS`), with how many."""
    parts = [words("left_statements", count)] if count else []
    for w in warnings:
        n = sum(w.values.get("reasons", {}).values()) if w.key == "advice" else w.values.get("n")
        parts.append(words(f"left_{w.key}", n, **{k: v for k, v in w.values.items() if k != "n"}))
    return words("left_brief", parts="; ".join(parts)) if parts else ""


HEADER_LINE = 60
"""The most characters of a message's header line (`Date: Thu, 19 Mar 2026 18:27 +0100`)."""


def quotes_itself(item: Item, quote: str) -> bool:
    """The item's text is its passage's own words, whole (a line of our notes, a sentence of a message): the passage
    is then named, not printed again; so too when the text holds the whole passage (a date before its line), and
    for a message's header line (its date)."""
    text, passage = bare(item.text), bare(quote)
    if HEADER.match(quote) and len(quote) < HEADER_LINE:  # a message's date line: named, its words say nothing more
        return True
    return (len(text) > 20 and text in passage and len(text) >= 0.9 * len(passage)) or (len(passage) > 12 and passage in text)


LABEL_SEP = " — "
"""Between a date or label of the brief's and the words of its line (`15 May 2026 — The county can …`)."""


def echoes(item: Item, quote: str) -> bool:
    """The item says part of its passage in the passage's own words after a date or label of the brief's (a date
    ahead and the sentence it is in), and the passage says more, or the item is a table's row as it reads: the
    passage is then shown once, in the item's place (`shown_text`). A sentence picked from a line for its side is
    not: the line's other sentences may be the other side's."""
    if "|" in quote and len(item.evidence) == 1:  # a table's row: only where the item is its cells, as they read
        return _squeezed(plain_line(quote)) == _squeezed(item.text)
    if (len(item.evidence) != 1 or quotes_itself(item, quote)
            or not plain_line(quote).endswith(WHOLE)):  # a line cut where its text wraps would show a cut sentence
        return False
    passage, head, _, said = _squeezed(quote), *item.text.rpartition(LABEL_SEP)
    return bool(head) and len(t := _squeezed(said)) > 8 and t in passage and len(passage) > len(t)


WHOLE = (".", "!", "?", ")", "”", "»", '"')
"""How a passage that ends its last sentence ends (a stop, or a bracket or quote closed after one)."""


def _squeezed(text: str) -> str:
    """`text` bare and without spaces: emphasis marks taken out leave none where there were none."""
    return bare(text).replace(" ", "")


def shown_text(item: Item) -> str:
    """The item's text as the brief shows it: where it echoes its passage (`echoes`), the date or label before it
    and then the passage's whole line."""
    if not item.evidence or not echoes(item, quote := item.evidence[0].quote):
        return item.text
    head = item.text.rpartition(LABEL_SEP)[0]
    line = plain_line(quote)
    return f"{head}{LABEL_SEP}{line}" if head and "|" not in quote else line


def passage_label(item: Item, words: Wording = ENGLISH) -> str:
    """What the passage shown with an item is: found by the claim checker (it says it, or says otherwise, or is
    only about it), or the line of our own notes the item copies."""
    return words[PASSAGE_LABELS.get(item.verification, "passage")]


@dataclass(frozen=True)
class Group:
    """One list of an agent's items, as shown in its section: only the items the materials support."""

    name: str
    title: str
    items: list[Item]


@dataclass(frozen=True)
class Section:
    field: str
    title: str
    groups: list[Group]


@dataclass(frozen=True)
class SetApart:
    """An item listed under "check before use" instead of in its section."""

    section: str
    group: str
    item: Item

    @property
    def where(self) -> str:
        return f"{self.section} \u00b7 {self.group}"


@dataclass(frozen=True)
class ReportView:
    report: PrepReport
    """The brief as reviewed (the report itself when nobody has changed an item)."""
    brief: Brief
    """The review: each item's mark, the notes, the state and who reviewed it."""
    sections: dict[str, Section]
    set_apart: list[SetApart]
    left_out: int
    """Statements the checker could not confirm, left out of the brief (`Provenance.unconfirmed_shown`)."""
    removed: list[ReportWarning]
    """Warnings for sentences the echo check took out of the brief."""
    contradicted_removed: list[ReportWarning]
    """Warnings for sentences taken out of the brief because the materials say otherwise (each with the passage)."""
    guidance: list[tuple[Guidance | None, Guidance | None, Guidance | None]]
    """The counterpart guidance as table rows: communication, interaction, negotiation."""
    evidence_warnings: list[ReportWarning]
    other_warnings: list[ReportWarning]
    left_out_warnings: list[ReportWarning]
    """The items the cleaning left out, by kind: summed up in the brief's one line on what it leaves out."""
    cited: list[str]
    """Every knowledge-base id the report cites, first citation first."""
    kb: dict[str, Entry]
    """The cited entries found in the knowledge base used for rendering."""
    lead: list[Agent]
    """The agents whose sections open the report (their partials, `<name>.<format>.j2`)."""
    numbered: list[Agent]
    """The agents whose sections follow, numbered from 1 (a section with nothing left to show is left out when the
    brief leaves the model's unconfirmed statements out)."""
    words: Wording
    """The report's fixed labels in the brief's language."""
    section_words: dict[str, dict[str, str]]
    """Each agent's section words in the brief's language (`Agent.words`), by report field."""

    @property
    def byline(self) -> str:
        """The review's state and who reviewed, in the brief's language."""
        return self.brief.byline_in(self.words)

    def mark(self, item: Item):
        """The review of `item` (an `ItemReview`), or None."""
        return self.brief.mark(item)

    def kb_title(self, entry_id: str) -> str:
        return self.kb[entry_id].title if entry_id in self.kb else entry_id


def cited_ids(report: PrepReport) -> list[str]:
    groups = report.challenge.suggestion_lists().values()
    return list(dict.fromkeys(c for group in groups for s in group for c in s.citations))


def _kb_entries(cited: list[str], kb_dir: Path | None) -> dict[str, Entry]:
    if kb_dir is None:
        return {}
    entries = {e.id: e for e in read_kb(kb_dir)[0]}  # the titles only: no search index built, no problem raised
    return {cid: entries[cid] for cid in cited if cid in entries}


def _guidance_rows(report: PrepReport) -> list[tuple[Guidance | None, Guidance | None, Guidance | None]]:
    cols = (report.counterpart.communication, report.counterpart.interaction, report.counterpart.negotiation)
    return [tuple(c[i] if i < len(c) else None for c in cols) for i in range(max(map(len, cols)))]


def said_above(item: Item, above: str) -> bool:
    """`item` of the facts behind the first page says what the text above them (`above`: the summary and the moves,
    `bare`) already says: a computed line in its words or with each of its figures whole, or a line each sentence of
    which (after a date of the brief's) the summary or a move quotes. It is not said again."""
    said = bare(uncomputed(item.text))
    if item.kind == "inference" and item.basis:
        figures = FIGURE.findall(said)
        return len(said) >= SAID_CHARS and (said in above or bool(figures) and all(
            re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", above) for f in figures))
    text = item.text.rpartition(LABEL_SEP)[2] if LABEL_SEP in item.text else item.text
    sentences = [bare(s) for s in SENTENCE.split(plain_line(text))]
    return len(bare(text)) >= SAID_CHARS and all(s in above for s in sentences)


FIGURE = re.compile(r"\d(?:[\d,.\u00a0\u202f ]*\d)?")
"""A figure as written, to find it again in another text."""


def build_view(report: PrepReport, kb_dir: Path | None = None, review: Review | None = None) -> ReportView:
    """The view of the brief `review` makes of `report` (rejected items out, edited ones as edited, checked
    check-before-use items back in their sections; an item resting on a passage the first page shows not shown
    again)."""
    brief = apply_review(report, review)
    report = brief.report
    language = report.case.language
    section_words = {agent.report_field: agent.words(language) for agent in registry.PREPARATION}
    sections, set_apart, view_words = {}, [], wording(language)
    left_out = 0 if report.provenance.unconfirmed_shown else sum(w.code == "contradicted-removed" for w in report.warnings)
    on_page = first_page_passages(report)
    above = bare(" ".join([report.synthesis.executive_summary,
                           *(f"{m.move} {m.why}" for m in report.synthesis.next_moves)]))
    for agent in registry.PREPARATION:
        groups, words = [], section_words[agent.report_field]
        where = words.get("where", agent.report_field.replace("_", " "))
        for name, items in agent.groups(getattr(report, agent.report_field)).items():
            title = words[name]
            shown = [i for i in items if not brief.set_apart(i) and not brief.left_out(i, agent.lead, agent.sided)
                     and (agent.lead or not said_on_first_page(i, on_page) or brief.vouched(i))]  # shown once
            if agent.lead:  # what the summary or a move says is not said again below them
                shown = [i for i in shown if not said_above(i, above)]
            if shown:
                groups.append(Group(name, title, shown))
            apart = [i for i in items if brief.set_apart(i) and not brief.left_out(i, agent.lead, agent.sided)]
            if report.provenance.unconfirmed_shown or agent.lead:
                set_apart += [SetApart(where, title, i) for i in apart]
            else:  # the materials contradict them: counted, not printed, with the model's other unconfirmed words
                listed = [i for i in apart if i.verification == "echo" or brief.vouched(i)]  # planted text; a person's edit
                left_out += len(apart) - len(listed)
                set_apart += [SetApart(where, title, i) for i in listed]
            left_out += sum(brief.left_out(i, agent.lead, agent.sided) for i in items)
        sections[agent.report_field] = Section(agent.report_field, words["title"], groups)
    cited = cited_ids(report)
    left = [w for w in report.warnings if w.code == "left-out" and w.key in LEFT_OUT_KEYS]
    return ReportView(
        report=report, brief=brief, sections=sections, set_apart=set_apart, left_out=left_out,
        removed=[w for w in report.warnings if w.code == "echo-removed"],
        contradicted_removed=[w for w in report.warnings if w.code == "contradicted-removed"
                              and report.provenance.unconfirmed_shown],
        guidance=_guidance_rows(report),
        evidence_warnings=[w for w in report.warnings if w.code in EVIDENCE_CODES
                           and (w.code == "contradicted" or report.provenance.unconfirmed_shown)],
        other_warnings=[w for w in report.warnings if w.code not in EVIDENCE_CODES and w not in left],
        left_out_warnings=left,
        cited=cited, kb=_kb_entries(cited, kb_dir), lead=registry.PREPARATION.lead,
        numbered=[a for a in registry.PREPARATION.numbered
                  if report.provenance.unconfirmed_shown or sections[a.report_field].groups],
        words=view_words, section_words=section_words,
    )
