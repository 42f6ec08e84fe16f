"""The brief reads in its own language: a Norwegian or German report renders (Markdown, HTML, Word) with none of the
report's English fixed labels left, and the English brief keeps its words."""

from __future__ import annotations

import html
import io
import re

import docx
import pytest

from agents import registry
from pipeline.case.loading import load_case
from pipeline.checks.claims import ClaimChecker
from pipeline.knowledge import read_kb
from pipeline.report.footnotes import read_footnotes
from pipeline.report.render import load_report, render, render_docx
from pipeline.report.view import left_out_line
from pipeline.report.wording import LABELS, wording
from pipeline.review import Desk, report_items
from pipeline.schemas import ReportWarning
from tests.conftest import CASES, ROOT

NORWEGIAN = load_report(ROOT / "tests" / "cassettes" / "norsk-leveranse.report.json")
ENGLISH = load_report(ROOT / "tests" / "cassettes" / "telco-paysys.report.json")


def _reviewed(report):
    """A review of `report` with every mark a brief shows: an edit, an acceptance, a checked check-before-use item,
    notes on an item and on the brief, a basis changed since, and the approval."""
    checker = lambda: ClaimChecker(load_case(CASES / "norsk-leveranse"), our_side=report.deal_profile.our_side,
                                   counterpart=report.deal_profile.counterpart)
    desk = Desk(report, None, checker)
    shown = [i for i, found in report_items(report).items() if not found.item.set_apart]
    apart = next(i for i, found in report_items(report).items() if found.item.set_apart)
    desk.edit(shown[0], "Kari Nygård", "Driftspartner krever NOK 43,8 mill. per år fra 2027.")
    desk.accept(shown[1], "Kari Nygård")
    desk.check(apart, "Kari Nygård")
    desk.note("Sjekk tallene med økonomi.", "Kari Nygård", shown[1])
    desk.note("Klar for møtet.", "Øyvind Lie")
    desk.review.items[shown[1]].flag = "basis-changed"
    desk.approve("Øyvind Lie")
    return desk.review


def _in(language: str, report=NORWEGIAN, shown: bool = False):
    """`report` as a brief in `language`, with the model's unconfirmed statements listed when `shown` (every
    section and the check-before-use list then render)."""
    return report.model_copy(update={
        "case": report.case.model_copy(update={"language": language}),
        "provenance": report.provenance.model_copy(update={"unconfirmed_shown": shown})})


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (tuple, list)):
        return [s for v in value for s in _strings(v)]
    return []


def _fragments(texts: list[str]) -> set[str]:
    """The fixed words of labels: each label split at its placeholders and Markdown marks."""
    pieces = (p.strip(" .,:;()*`\u201c\u201d\"-\u2014") for t in texts for p in re.split(r"\{[^}]*\}|\*\*|`", t))
    return {p for p in pieces if len(p) >= 4 and re.search(r"[A-Za-z]", p)}


def _english_labels(language: str, report) -> set[str]:
    """Every English fixed label of the report and of the agents' sections, less the words the other language
    writes the same (`Cache`, `BATNA`) and those the report's own contents hold (a model's or the materials' words,
    the checker's findings, the knowledge base's; not the originals of translated texts, which no brief shows)."""
    english = _strings(LABELS["en"]) + [s for a in registry.PREPARATION for s in a.words("en").values()]
    same = {f.lower() for f in _fragments(_strings(LABELS[language]) + [
        s for a in registry.PREPARATION for s in a.words(language).values()])}
    kb = [f"{e.title} {e.gist} {' '.join(e.sources)}" for e in read_kb(ROOT / "knowledge_base")[0]]
    contents = "\n".join(_strings(report.model_dump(exclude={"provenance": {"translations"}})) + kb).lower()
    return {f for f in _fragments(english) if f.lower() not in same and f.lower() not in contents}


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs] + [document.core_properties.title]
    lines += [c.text for t in document.tables for row in t.rows for c in row.cells]
    lines += [p.text for s in document.sections for p in s.header.paragraphs]
    return "\n".join(lines + list(read_footnotes(document).values()))


def _html_text(page: str) -> str:
    """The page's text and tooltips, without its style sheet and markup."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return html.unescape(" ".join(re.findall(r'title="([^"]*)"', page)) + re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("language", ["no", "de"])
@pytest.mark.parametrize("shown", [False, True])
def test_a_norwegian_or_german_brief_has_no_english_label_left(language, shown):
    report = _in(language, shown=shown)
    review = _reviewed(report) if shown else None
    labels = _english_labels(language, report)
    if not shown:
        assert {"from your notes", "Next wise moves", "Key facts from our notes", "match"} <= labels, "checked"
    kb = ROOT / "knowledge_base"
    rendered = {"md": render(report, "md", kb, review=review),
                "html": _html_text(render(report, "html", kb, rehearsals=(1,), review=review)),
                "docx": _docx_text(render_docx(report, kb_dir=kb, review=review))}
    if review:
        assert all("Kari Nygård" in text and "Øyvind Lie" in text for text in rendered.values()), "the marks render"
    for fmt, text in rendered.items():
        left = sorted(f for f in labels if re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text, re.IGNORECASE))
        assert not left, (fmt, left)


def test_what_the_model_and_the_materials_wrote_is_shown_as_written():
    report = _in("de")
    md = render(report, "md")
    page = report.synthesis.first_page
    assert all(item.text in md for item in page.position + page.their_side)
    assert wording("de").places(report.synthesis.executive_summary) in md, "as written, its places in the brief's words"
    assert "## Erste Seite" in md and "**Unsere Seite:**" in md


def test_the_english_brief_keeps_its_words():
    md = render(ENGLISH, "md")
    dp = ENGLISH.deal_profile
    assert f"**Our side:** {dp.our_side} · **Counterpart:** {dp.counterpart} · **Documents:** " in md
    assert "# Negotiation preparation: " in md and "\n*Provenance:* negoprep " in md
    assert "— *from your notes (" in md and "**Next wise moves**" in md
    assert left_out_line(1).endswith(": 1 statement of the model the claim checker did not confirm.")
    assert left_out_line(0) == ""


def test_the_left_out_line_sums_up_each_kind_the_cleaning_left_out_in_the_briefs_language():
    """One line, not a warning per kind: how many of each, with the names the warnings carry."""
    left = [ReportWarning(code="left-out", message="m", key="repeats", values={"n": 3}),
            ReportWarning(code="left-out", message="m", key="inferences", values={"n": 1, "them": "Vantara"}),
            ReportWarning(code="left-out", message="m", key="advice", values={"where": "x", "reasons": {"a": 2, "b": 4}})]
    line = left_out_line(2, wording("en"), left)
    assert ("2 statements of the model the claim checker did not confirm; 3 items repeating others; "
            "1 inference about Vantara that no line suggests; 6 pieces of advice") in line
    assert "3 punkter som gjentok andre" in left_out_line(0, wording("no"), left)


def test_the_language_is_read_from_its_code_and_falls_back_to_english():
    assert wording("nb").our_side == wording("no-NO").our_side == "Vår side" and wording("de").our_side == "Unsere Seite"
    assert wording("fr").our_side == wording("").our_side == "Our side"


def test_places_named_in_composed_texts_are_in_the_brief_language():
    words = wording("nb")
    assert words.places("NOK 43 800 000 (02_epost.txt, line 15) − NOK 39,9 mill (03_notat.md, table 1, row 4)") == \
        "NOK 43 800 000 (02_epost.txt, linje 15) − NOK 39,9 mill (03_notat.md, tabell 1, rad 4)"
    assert wording("en").places("(notes.md, line 3)") == "(notes.md, line 3)"
    assert words.places("a line of text (not a place)") == "a line of text (not a place)"


def test_the_pipeline_s_notices_read_in_the_brief_s_language_and_keep_their_english_for_the_analyst():
    from pipeline.checks.advice import CONCEDES, SMALL, dropped_warning
    from pipeline.schemas import ReportWarning

    no, en = wording("no"), wording("en")
    advice = dropped_warning({CONCEDES: 1, SMALL: 4}, "the counterpart guidance")
    assert no.notice(advice) == ("råd utelatt fra rådene om motparten: 1 gir noe for ingenting; 4 skrevet av en modell "
                                 "for liten til å gi råd (`model_prose` av)")
    assert en.notice(advice) == advice.message and advice.message.startswith("advice left out of the counterpart")
    one = ReportWarning(code="left-out", key="repeats", values={"n": 1}, message="1 item that repeated another")
    assert no.notice(one) == "1 punkt som gjentok et annet med andre ord er utelatt", "singular by n"
    assert wording("de").notice(one).startswith("1 Punkt, der")
    unknown = ReportWarning(code="budget", message="3 texts were left in another language")
    assert no.notice(unknown) == unknown.message, "a notice without words in the language stays as written"
    md = render(NORWEGIAN, "md")
    warnings = md[md.index("## " + no.warnings):md.index("---", md.index("## " + no.warnings))]
    assert "left out" not in warnings and "oversatt" in warnings
    left = md[md.index("Utelatt fra notatet"):md.index("\n", md.index("Utelatt fra notatet"))]
    assert "left out" not in left and "punkter som gjentok andre" in left, "what is left out, summed up in Norwegian"
