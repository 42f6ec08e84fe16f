"""Checks over the report's items and free texts: each statement checked once by the claim checker
(`pipeline.checks.claims`), the lines quoted from our notes located, the contradicted sentences of the free texts
taken out, the synthesis's numbers looked up."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from pydantic import BaseModel

from pipeline.case.pseudonymize import PLACEHOLDER
from pipeline.case.notes import plain_line
from pipeline.checks.claims import ClaimCheck, ClaimChecker
from pipeline.checks.evidence import WARNING_QUOTE, SourceIndex, escapes_as_inference, item_warnings, states_facts, statement
from pipeline.checks.free_texts import SentenceFilter, field_path
from pipeline.schemas import Evidence, Item, ReportWarning, Synthesis

QUOTE_CHARS = 600
"""The longest quote `Evidence` takes: a longer passage is cut there (its start stays a verbatim span)."""
REMOVED = "(Removed: the materials say otherwise; see \u201ccheck before use\u201d.)"
EVIDENCE_WARNINGS = ("unverified", "weak", "contradicted")
_PLACEHOLDER = re.compile(rf"\b{PLACEHOLDER}\b")
"""A pseudonymised name (`COMPANY_1`): its digit is no figure."""
NOT_STATEMENTS = ("missing_information", "questions_to_ask", "verify_before_meeting")
"""Free-text fields that list what is not known or is to be asked: their entries state no fact to check (a question
is not checked wherever it stands)."""


class Premise(NamedTuple):
    """An item an agent states as a premise: where it sits in the report, and whether it is checked as a
    fact whatever the model labelled it."""

    where: str
    item: Item
    as_fact: bool = False


def passage_of(result: ClaimCheck) -> list[Evidence]:
    """The passage the checker found for a statement, as the item's evidence."""
    return [Evidence(document=e.document, quote=e.text[:QUOTE_CHARS], locator=e.locator, located=True)
            for e in result.evidence[:1]]


def check_item(item: Item, checker: ClaimChecker, where: str, *, as_fact: bool = False) -> list[ReportWarning]:
    """Check one item in place by the claim checker; the warning it raises. An inference that states no
    figure, date or party's words is left as one; an item that copies a whole line of the materials is
    `verified` by that line (the model's statement, said there word for word); else the state is the checker's,
    with its passage as evidence (none when nothing in the materials says it) and its reason as the issue found."""
    stated = statement(item)
    item.issues_found = []
    if escapes_as_inference(item, stated, as_fact):
        item.verification, item.evidence = "inference", []
        return []
    line = checker.index.whole_line(stated)
    if line is not None:
        doc, offset, text = line
        item.verification = "verified"
        item.evidence = [Evidence(document=doc.name, quote=text.strip()[:QUOTE_CHARS], locator=doc.locator_at(offset),
                                  located=True)]
        return []
    result = checker.check(stated)
    item.verification = result.state
    item.evidence = passage_of(result) if result.state != "unverified" else []
    if result.state != "verified":
        item.issues_found.append(result.reason)
    return item_warnings(item, where)


def locate_quoted(item: Item, index: SourceIndex) -> None:
    """A line quoted from our notes given its locator (and the materials' own words, where found)."""
    if item.verification != "quoted" or not item.evidence or item.evidence[0].locator:
        return
    ev = item.evidence[0]
    wanted = " ".join(ev.quote.split())
    for doc, text, _ in index.docs:  # the line itself, cleaned as the quote was (a table row's cells joined)
        if doc.name == ev.document:
            line = next((m for m in re.finditer(r"[^\n]+", text) if " ".join(plain_line(m.group()).split()) == wanted), None)
            if line is not None:
                item.evidence = [Evidence(document=doc.name, quote=line.group().strip()[:QUOTE_CHARS],
                                          locator=doc.locator_at(line.start()), match_score=100.0)]
                return
    hit = index.find(ev.quote, ev.document)
    if hit is not None and hit[0].name == ev.document:
        doc, span, offset, score = hit
        item.evidence = [Evidence(document=doc.name, quote=span[:QUOTE_CHARS], locator=doc.locator_at(offset),
                                  match_score=score)]


def verify_premises(checker: ClaimChecker, premises: list[Premise]) -> list[ReportWarning]:
    """Every premise not checked yet (`pending`: as the model wrote it, or reworded since) checked against the
    materials, in place; the warnings of those."""
    return [w for p in premises if p.item.verification == "pending"
            for w in check_item(p.item, checker, p.where, as_fact=p.as_fact)]


def ground_premises(checker: ClaimChecker, premises: list[Premise]) -> list[ReportWarning]:
    """The last check before the report, after every agent has run: a premise not checked yet checked, a line
    quoted from our notes located. The evidence warnings of the final items."""
    verify_premises(checker, premises)
    for _, item, _ in premises:
        locate_quoted(item, checker.index)
    return [w for where, item, _ in premises for w in item_warnings(item, where)]


class SentenceChecks(NamedTuple):
    warnings: list[ReportWarning]
    checked: int
    removed: int


def remove_contradicted(checker: ClaimChecker,
                        sections: Iterable[tuple[str, BaseModel, Iterable[str]]]) -> SentenceChecks:
    """Every sentence of the sections' free texts that states a figure, a date or a party's words checked (not the
    `NOT_STATEMENTS` fields, not a question); one the materials contradict taken out (a required text left empty
    replaced by a note, an entry of a list dropped whole), in place, with a warning that quotes the passage."""
    warnings: list[ReportWarning] = []
    checked = 0

    def judge(sentence: str) -> ClaimCheck | None:
        nonlocal checked
        if not states_facts(_PLACEHOLDER.sub("", sentence)) or sentence.rstrip().endswith("?"):
            return None
        checked += 1
        result = checker.check(sentence)
        return result if result.state == "contradicted" else None

    def removed(where: str, text: str, result: ClaimCheck) -> None:
        passage = result.evidence[0] if result.evidence else None
        said = f": \u201c{passage.text[:WARNING_QUOTE]}\u201d ({passage.document}, {passage.locator})" if passage else ""
        warnings.append(ReportWarning(
            code="contradicted-removed", document=passage.document if passage else "",
            locator=passage.locator if passage else "",
            message=f"{where}: removed \u201c{text.strip()}\u201d \u2014 the materials say otherwise ({result.reason}){said}"))

    statements = [(field, output, [s for s in specs if field_path(s) not in NOT_STATEMENTS])
                  for field, output, specs in sections]
    SentenceFilter(judge, removed, REMOVED).apply(statements)
    return SentenceChecks(warnings, checked, len(warnings))


def check_synthesis_numbers(index: SourceIndex, synthesis: Synthesis) -> list[ReportWarning]:
    """Amounts, dates and percentages in the synthesis that appear nowhere in the materials, apart from the first
    page's computed figures (shown there with their inputs) and the locators of its passages ("line 49")."""
    page = synthesis.first_page
    computed = set(index.unknown_numbers(" ".join(i.text for i in [*page.gap, *page.dates] if i.kind == "inference")))
    texts = [("executive summary", synthesis.executive_summary)]
    texts += [(f"plan.{d}", t) for d in ("process", "relationship", "substance") for t in getattr(synthesis.plan, d)]
    texts += [("next move", f"{m.move} {m.why}") for m in synthesis.next_moves]
    texts += [("question", q) for q in synthesis.questions_to_ask + synthesis.verify_before_meeting]
    return [
        ReportWarning(code="number", message=f"synthesis {where}: number not found in the materials: {number} \u2014 \u201c{text[:80]}\u201d")
        for where, text in texts for number in index.unknown_numbers(LOCATOR.sub(" ", text)) if number not in computed
    ]


LOCATOR = re.compile(r"(?<![\w])(?:line|linje|zeile|paragraph|avsnitt|absatz|row|rad|table|tabell|tabelle|page|side|"
                     r"seite)\s+\d+", re.IGNORECASE)
"""Where a passage stands, as the brief names it: no figure of the case."""
