"""The report view-model: built once, and what the Markdown, HTML and Word renderers show."""

from __future__ import annotations

import io

import docx

from agents.registry import report_items
from pipeline.report.render import load_report, render, render_docx
from pipeline.report.view import build_view, left_out_line, quotes_itself
from pipeline.schemas import Evidence, Item, bare, first_page_passages, said_on_first_page
from tests.conftest import DATA, ROOT

REPORT = load_report(DATA / "reference" / "telco-paysys.report.json")


def _with_one_item_set_apart():
    report = REPORT.model_copy(deep=True)
    item = report.counterpart.pressures[0]
    item.verification, item.issues_found = "unverified", ["quote not found in the materials"]
    return report, item


def test_every_checked_item_is_either_in_its_section_or_set_apart_once():
    report, item = _with_one_item_set_apart()
    view = build_view(report)
    shown = [i for section in view.sections.values() for group in section.groups for i in group.items]
    apart = [entry.item for entry in view.set_apart]
    page = first_page_passages(report)
    again = [i for i in report_items(report) if i not in shown and i not in apart
             and said_on_first_page(i, page)]  # resting on a passage the first page shows already
    assert sorted(map(id, shown + apart + again)) == sorted(map(id, report_items(report)))
    assert [e.where for e in view.set_apart if e.item is item] == ["counterpart \u00b7 Pressures and motives"]
    assert all(not i.set_apart for i in shown)


def test_guidance_rows_hold_every_advice_in_its_column():
    view = build_view(REPORT)
    cp = REPORT.counterpart
    assert len(view.guidance) == max(len(cp.communication), len(cp.interaction), len(cp.negotiation))
    assert [g for g, _, _ in view.guidance if g] == cp.communication
    assert [g for _, _, g in view.guidance if g] == cp.negotiation


def test_each_renderer_lists_the_set_apart_item_where_the_view_puts_it():
    report, item = _with_one_item_set_apart()
    word = docx.Document(io.BytesIO(render_docx(report, kb_dir=ROOT / "knowledge_base")))
    texts = {
        "md": render(report, "md"),
        "html": render(report, "html"),
        "docx": "\n".join(p.text for p in word.paragraphs),
    }
    for fmt, text in texts.items():
        assert "Pressures and motives" in text and item.text in text, fmt
    assert f"*counterpart \u00b7 Pressures and motives:* the model wrote \u201c{item.text}\u201d" in texts["md"]
    assert f"counterpart \u00b7 Pressures and motives: the model wrote \u201c{item.text}\u201d" in texts["docx"]


def test_a_brief_for_the_small_model_counts_and_leaves_out_what_the_checker_could_not_confirm():
    report, item = _with_one_item_set_apart()
    report.provenance.unconfirmed_shown = False
    inference = next(i for i in report.counterpart.pressures[1:] if i.kind == "inference")
    computed = Item(text="Gap: EUR 1 million a year (computed).", kind="inference", basis="a − b", verification="inference")
    report.synthesis.first_page.gap.append(computed)
    view = build_view(report)
    shown = [i for section in view.sections.values() for group in section.groups for i in group.items]
    assert item not in [e.item for e in view.set_apart] and item not in shown and inference not in shown
    assert computed in shown, "the first page's computed lines stay"
    sided = next(i for i in report.deal_profile.interests if i.verification == "verified")
    assert sided in shown, "without our notes on the first page, the model's sides are all the brief has"
    assert view.left_out >= 2
    md = render(report, "md")
    assert left_out_line(view.left_out) in md and item.text not in md and inference.text not in md
    report.synthesis.first_page.position = [Item(text="Our budget: at most EUR 6.2 million a year.", verification="quoted")]
    shown = [i for section in build_view(report).sections.values() for group in section.groups for i in group.items]
    assert sided not in shown, "with our notes quoted on the first page, a small model's side is left out below it"
    report.provenance.unconfirmed_shown = True
    assert item.text in render(report, "md"), "listed under check before use when asked for"


def test_a_line_of_our_notes_on_the_first_page_is_not_quoted_again_below():
    report = REPORT.model_copy(deep=True)
    quote = Evidence(document="02_steering_committee_notes.md", quote="- **Budget:** at most EUR 6.2 million a year.")
    fact = Item(text="Budget: at most EUR 6.2 million a year.", verification="quoted",
                evidence=[quote.model_copy(update={"quote": "Budget: at most EUR 6.2 million a year."})])
    report.deal_profile.key_facts = [fact]
    shown = [i for s in build_view(report).sections.values() for g in s.groups for i in g.items]
    assert fact in shown, "shown in the deal profile while the first page does not quote it"
    line = Item(text=fact.text, verification="quoted", evidence=[quote])
    report.synthesis.first_page.position = [line]
    shown = [i for s in build_view(report).sections.values() for g in s.groups for i in g.items]
    assert line in shown and fact not in shown


def test_a_passage_is_named_not_printed_again_when_the_item_is_its_own_words():
    item = Item(text="Budget: the line is GBP 1,350,000 for next year.", verification="quoted")
    assert quotes_itself(item, "- **Budget:** the line is GBP 1,350,000 for next year.")
    assert not quotes_itself(item, "- **Budget:** the line is GBP 1,350,000 for next year. Priya has confirmed "
                                   "there is no contingency for more, and the board will not move it.")


def test_a_passage_the_item_shows_whole_after_its_date_is_named_not_printed():
    item = Item(text="31 March 2027 (their deadline) — Valid until: 31 March 2027", verification="excerpt")
    assert quotes_itself(item, "Valid until: 31 March 2027")
    assert not quotes_itself(item, "Valid until: 31 March 2027, unless both sides agree in writing to extend it.")


def test_an_item_that_says_part_of_its_passage_shows_the_passage_once_in_its_place():
    from pipeline.report.view import echoes, shown_text
    from pipeline.schemas import Evidence

    def item(text, quote):
        return Item(text=text, verification="quoted", evidence=[Evidence(document="notes.md", quote=quote, locator="l 3")])

    line = "- The county can grant a dispensation, but we must apply by **15 May 2026**; the chance is moderate."
    dated = item("15 May 2026 — The county can grant a dispensation, but we must apply by 15 May 2026", line)
    assert echoes(dated, line) and shown_text(dated) == (
        "15 May 2026 — The county can grant a dispensation, but we must apply by 15 May 2026; the chance is moderate.")
    wrapped = "We propose a meeting at the yard in Gdansk no later than 3 April and ask for your"
    assert not echoes(item("3 April — We propose a meeting at the yard in Gdansk", wrapped), wrapped), \
        "a line cut where its text wraps would show a cut sentence"
    row = "| 5 | Prepare the board paper | I. Moreau | 10 Apr 2026 |"
    assert echoes(item("Prepare the board paper · I. Moreau · 10 Apr 2026", row), row)
    claim = "| Price increase from the battery supplier | 3,100,000 | 1,900,000 |"
    assert not echoes(item("Price increase from the battery supplier · Revised claim (EUR): 1,900,000", claim), claim), \
        "a row that says more than the item keeps its quote"
    other = item("Their ask is EUR 6.2 million.", "- The yard now claims EUR 6.2 million in all.")
    assert not echoes(other, other.evidence[0].quote) and shown_text(other) == other.text
    two = "- Their agent asks GBP 10.20 per sq ft. Operations needs the unit until at least 2031."
    assert not echoes(item("Operations needs the unit until at least 2031.", two), two), \
        "a sentence picked for its side is not widened to the line: the other sentence is theirs"


def test_a_computed_line_the_summary_says_is_not_said_again_below():
    report = REPORT.model_copy(deep=True)
    report.synthesis.executive_summary = "They ask EUR 7.6 million a year; our limit is EUR 6.2 million: a gap of EUR 1.4 million."
    said = Item(text="Gap: EUR 1.4 million a year between their ask and our limit (computed: EUR 7.6 million − EUR 6.2 "
                     "million).", kind="inference", verification="inference",
                basis="EUR 7.6 million (a.md, line 3) − EUR 6.2 million (b.md, line 9)")
    other = Item(text="If the gap held for the whole term of 5 years: EUR 7 million (computed).", kind="inference",
                 verification="inference",
                 basis="EUR 1.4 million × 5 (a.md, line 4)")
    need = Item(text="They need the spring instalment. Their suppliers are paid late.", verification="quoted",
                evidence=[Evidence(document="notes.md", quote="- They need the spring instalment.", locator="line 4")])
    report.synthesis.executive_summary += " What they need: “They need the spring instalment.”"
    report.synthesis.first_page.gap = [said, other]
    report.synthesis.first_page.their_side = [need]
    view = build_view(report)
    assert need in next(g for g in view.sections["synthesis"].groups if g.name == "first_page.their_side").items, \
        "one sentence of two quoted above: the line stays"
    gap = next(g for g in build_view(report).sections["synthesis"].groups if g.name == "first_page.gap").items
    assert [i.text for i in gap] == [other.text], "the summary says the gap with its figures: not said again"


def test_the_first_page_prints_a_passage_once_and_names_it_after():
    report = REPORT.model_copy(deep=True)
    passage = "Legacy contracts expire on 30 September 2027; an extension must be confirmed by 30 June 2027."
    quote = Evidence(document="notes.md", locator="line 27", quote=passage)
    page = report.synthesis.first_page
    page.dates = [Item(text="30 June 2027 — an extension must be confirmed.", verification="quoted", evidence=[quote]),
                  Item(text="30 September 2027 — legacy contracts expire.", verification="quoted",
                       evidence=[quote.model_copy()])]
    md = render(report, "md")
    assert md.count(passage) == 1
    assert md.count("(notes.md, line 27)") == 2, "the second line still names its passage"


def test_the_first_page_opens_with_what_to_do_and_then_the_facts_behind_it():
    report = REPORT.model_copy(deep=True)
    page = report.synthesis.first_page
    page.gap = [Item(text="Their ask (PaySys): EUR 7.6 million a year.", verification="verified")]
    md = render(report, "md")
    move = report.synthesis.next_moves[0].move
    assert md.index(move) < md.index("### The facts behind it") < md.index("Their ask (PaySys)")
    html = render(report, "html")
    assert html.index('<table class="moves">') < html.index("The facts behind it") < html.index("Their ask (PaySys)")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(report))).paragraphs)
    assert text.index(move) < text.index("The facts behind it") < text.index("Their ask (PaySys)")


def test_a_party_named_only_by_its_name_and_a_message_s_date_line_are_not_printed_twice():
    report = REPORT.model_copy(deep=True)
    party = report.deal_profile.parties[0]
    party.text = party.name
    report.synthesis.first_page.latest = [Item(text="Newest: Henrik Vos, 19 March 2027.", verification="read",
                                               evidence=[Evidence(document="mail.txt", locator="line 72",
                                                                  quote="Date: Thu, 19 Mar 2027 18:27 +0100")])]
    md = render(report, "md")
    assert f"**{party.name}** (" in md and f"): {party.name}\n" not in md
    assert "Date: Thu, 19 Mar 2027" not in md and "(mail.txt, line 72)" in md


def test_a_line_of_our_notes_whose_sentence_the_first_page_quotes_is_not_repeated_below():
    line = ("- Lars: the fire-rule change looks genuine. In his view EUR 0.8m of that item is defensible. The pump item "
            "is the yard's own risk.")
    sentence = "Lars: the fire-rule change looks genuine. In his view EUR 0.8m of that item is defensible."
    quoted = Item(text="Lars: the fire-rule change looks genuine.", verification="quoted",
                  evidence=[Evidence(document="notes.md", locator="line 14", quote=line)])
    model = Item(text="The fire-rule change looks genuine to Lars.", verification="verified",
                 evidence=[Evidence(document="notes.md", locator="line 14", quote=line)])
    passages = frozenset({bare(sentence)})
    assert said_on_first_page(quoted, passages), "our notes' line: the first page quotes its sentence"
    assert not said_on_first_page(model, passages), "a model's statement on that line may say more"
