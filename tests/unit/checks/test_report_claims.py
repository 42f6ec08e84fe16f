"""The report's items and free texts checked by the claim checker as the graph assembles them (issue 31)."""

from __future__ import annotations

import pytest

from agents import registry
from pipeline.case.loading import load_case
from pipeline.checks.claims import ClaimChecker
from pipeline.note_figures import figures_of_notes
from pipeline.prep.graph import _report
from pipeline.report.render import load_report, render
from pipeline.report.view import build_view
from pipeline.schemas import SidedItem
from tests.conftest import CASSETTES
from tests.unit.checks.test_claims import FIVE, TELCO

APPROVED = FIVE[2]
"""The third statement of the issue: the materials say the board decides on 21 April."""
TRUE_LINE = "Katarina Lindqvist is authorised to sign contracts worth up to EUR 40 million in total."


@pytest.fixture(scope="module")
def assembled():
    """The recorded telco-paysys report re-assembled with the five statements as positions, the key facts of our
    notes and a synthesis holding the third statement beside a true one."""
    recorded = load_report(CASSETTES / "telco-paysys.report.json")
    case = load_case(TELCO)
    profile = recorded.deal_profile.model_copy(deep=True)
    profile.positions = [SidedItem(text=text, side="theirs") for text in FIVE[:3]]  # three at most
    profile.interests = [SidedItem(text=text, side="theirs") for text in FIVE[3:]]
    profile.key_facts = figures_of_notes(list(case.documents), 16)
    synthesis = recorded.synthesis.model_copy(deep=True)
    synthesis.executive_summary = f"{APPROVED} {TRUE_LINE}"
    synthesis.composed = False  # a model's briefing: its sentences are checked
    state = {"case": case, "case_info": recorded.case, "deal_profile": profile, "challenge": recorded.challenge,
             "counterpart_profile": recorded.counterpart, "synthesis": synthesis}
    checker = ClaimChecker(case, our_side=profile.our_side, counterpart=profile.counterpart)
    return _report(state, checker, "replay", "test")


def test_the_five_statements_as_report_items_none_verified_the_third_contradicted_and_set_apart(assembled):
    five = assembled.deal_profile.positions + assembled.deal_profile.interests
    assert [p.text for p in five] == FIVE
    assert not [p for p in five if p.verification == "verified"]
    third = five[2]
    assert third.verification == "contradicted" and third.set_apart
    assert "21 April" in third.evidence[0].quote and third.evidence[0].locator and third.issues_found
    warning = next(w for w in assembled.warnings if w.code == "contradicted" and APPROVED[:60] in w.message)
    assert "21 April" in warning.message and warning.document == third.evidence[0].document
    view = build_view(assembled)
    assert third in [entry.item for entry in view.set_apart]
    assert all(third is not i for s in view.sections.values() for g in s.groups for i in g.items)


def test_key_facts_are_quoted_lines_of_our_notes_counted_apart(assembled):
    facts = assembled.deal_profile.key_facts
    assert facts and all(f.verification == "quoted" and not f.set_apart for f in facts)
    notes = load_case(TELCO)
    for fact in facts:
        ev = fact.evidence[0]
        assert ev.locator.startswith("line ") and ev.quote in notes.by_name(ev.document).text and not ev.located
    prov = assembled.provenance
    items = [p.item for p in registry.premises(registry.report_sections(assembled))]
    assert prov.quoted == sum(i.verification == "quoted" for i in items) >= len(facts), "the first page's too"
    checked = [i for i in items if i.verification in ("verified", "weak", "unverified", "contradicted", "echo")]
    assert prov.support == round(sum(i.verification == "verified" for i in checked) / len(checked), 3)
    assert prov.support_with_quoted > prov.support
    assert "from your notes" in render(assembled, "md")


def test_a_contradicted_synthesis_sentence_is_removed_and_listed_with_its_passage(assembled):
    summary = assembled.synthesis.executive_summary
    assert APPROVED not in summary and summary == TRUE_LINE
    removed = [w for w in assembled.warnings if w.code == "contradicted-removed"]
    mine = next(w for w in removed if APPROVED in w.message)
    assert mine.message.startswith("synthesis.executive_summary: removed") and "21 April" in mine.message
    assert assembled.provenance.checked_sentences >= 2
    assert assembled.provenance.contradicted >= 1 + len(removed)
    markdown = render(assembled, "md")
    listed = markdown.split("## Unverified items", 1)[1]
    assert "Removed from the brief: the materials say otherwise" in listed and APPROVED in listed
    assert APPROVED not in markdown.split("## Unverified items", 1)[0]


def test_no_label_says_the_model_cited_anything(assembled):
    import io

    import docx

    from pipeline.report.footnotes import read_footnotes
    from pipeline.report.word import render_docx

    word = docx.Document(io.BytesIO(render_docx(assembled)))
    texts = [render(assembled, "md"), render(assembled, "html"),
             "\n".join([p.text for p in word.paragraphs] + list(read_footnotes(word).values()))]  # passages: footnotes
    for text in texts:
        lowered = text.lower()
        assert "passage found by the checker" in lowered
        assert "model cited" not in lowered and "cited another" not in lowered and "the citation" not in lowered


def test_an_item_that_copies_a_whole_line_is_verified_by_that_line():
    from pipeline.checks.item_checks import check_item

    case = load_case(TELCO)
    checker = ClaimChecker(case)
    doc = case.by_name("02_steering_committee_notes.md")
    line = next(u.text for u in doc.units if "no real second integrator" in u.text)
    item = SidedItem(text="  " + line.lstrip("-* ").upper().rstrip(".") + " ", side="ours")
    assert check_item(item, checker, "x") == []
    assert item.verification == "verified" and item.evidence[0].quote == line.strip()
    assert item.evidence[0].locator == "line 21"


def test_a_pseudonymised_name_is_no_figure_to_check():
    from pipeline.checks.free_texts import sentences
    from pipeline.checks.item_checks import remove_contradicted
    from pipeline.schemas import Synthesis

    checker = ClaimChecker(load_case(TELCO))
    advice = "We should meet COMPANY_2 in person and offer them some flexibility."
    synthesis = Synthesis.model_validate({
        "executive_summary": f"{advice} {APPROVED}", "plan": {"process": ["a"], "relationship": ["b"], "substance": ["c"]},
        "next_moves": [{"move": "m", "dimension": "process", "why": "w"}], "questions_to_ask": ["q?"]})
    checks = remove_contradicted(checker, [("synthesis", synthesis, ("executive_summary",))])
    assert checks.checked == 1 and checks.removed == 1
    assert sentences(synthesis.executive_summary) == [advice]
