"""The first page's facts read by rules and composed in code (hand-written materials, not a sample case)."""

from __future__ import annotations

from pipeline.brief.compose import (Context, amount_options, compose_first_page, compose_synthesis, date_options,
                                    first_sentence, resolve, written_amount)
from pipeline.brief.facts import CaseFacts, dated_lines, money_in
from pipeline.case.documents import CaseMaterials, Document, Unit
from pipeline.schemas import Alternative, DealProfile, Item, Readings


def _doc(name: str, text: str) -> Document:
    return Document(name=name, kind="md", units=[Unit(locator=f"line {i}", text=line)
                                                 for i, line in enumerate(text.splitlines(), 1)])


CASE = CaseMaterials(name="hand-written", language="en", our_side="Borealis", counterpart="Kettle AG", documents=[
    _doc("01_offer.md", "Offer from Kettle AG\nDate: 2 May 2027\nService fee: EUR 4.5 million a year, valid until "
                        "30 June 2027.\nSetup: EUR 900,000 once.\nTerm: five years."),
    _doc("02_internal_notes.md", "# Internal notes\n**Date:** 10 May 2027\n- Our budget allows at most EUR 3.9 "
                                 "million a year.\n- The board decides on 15 July 2027."),
    _doc("03_mail.txt", "From: Ines Kettle <ines@kettle.example>\nDate: Mon, 17 May 2027 10:00\nSubject: Next steps\n\n"
                        "We can meet in Basel on 24 May 2027 and discuss the setup fee."),
])


def test_amounts_are_read_with_currency_and_period():
    money = {m.written: m for m in money_in(CASE)}
    assert money["EUR 4.5 million"].value == 4_500_000 and money["EUR 4.5 million"].period == "year"
    assert money["EUR 900,000"].period == ""
    assert money["EUR 3.9 million"].currency == "EUR" and money["EUR 3.9 million"].source.document == "02_internal_notes.md"


def test_the_newest_message_is_the_latest_dated_one_with_its_sender_and_body():
    last = CaseFacts.of(CASE).newest
    assert (last.date.month, last.date.day) == (5, 17)
    assert last.sender.startswith("Ines Kettle") and last.subject == "Next steps"
    assert any("Basel" in line for line in last.body)


def _page(readings: Readings):
    amounts, dates = amount_options(money_in(CASE)), date_options(dated_lines(CASE))
    picks = resolve(readings, amounts, dates, {d.written: d for d in CaseFacts.of(CASE).durations},
                    frozenset({"02_internal_notes.md"}))
    profile = DealProfile(summary="s", our_side="Borealis", counterpart="Kettle AG", parties=[], issues=[],
                          alternatives=[Alternative(text="Extend the current contract for a year.", side="ours",
                                                    type="partial", strength="moderate", verification="verified")])
    ctx = Context("Borealis", "Kettle AG", "en")
    page, picks = compose_first_page(picks, CaseFacts.of(CASE).newest, "Kettle AG offers a meeting in Basel on 24 May 2027.",
                                     profile, ctx, lambda item, source, written: setattr(item, "verification", "verified"))
    return page, compose_synthesis(page, picks, CaseFacts.of(CASE).newest, ctx)


def test_the_gap_is_computed_from_the_two_readings_and_the_dates_are_ordered_with_their_conflict():
    page, synthesis = _page(Readings(their_ask="EUR 4.5 million", our_limit="EUR 3.9 million",
                                     their_deadline="30 June 2027", our_decision="15 July 2027", term="five years"))
    gap, total = page.gap[-2:]
    assert "EUR 3 million" in total.text and "five years" in total.text
    assert "EUR 600,000 a year" in gap.text and gap.kind == "inference" and "01_offer.md" in gap.basis
    assert [d.text.split(":")[0] for d in page.dates][:2] == ["30 June 2027", "15 July 2027"]
    assert "comes before our decision" in page.dates[-1].text
    assert page.latest[0].evidence[0].document == "03_mail.txt"
    assert "EUR 600,000 a year" in synthesis.executive_summary
    assert synthesis.next_moves[0].move.startswith("Answer Ines Kettle's message of 17 May 2027")
    assert any("15 July 2027" in m.move for m in synthesis.next_moves)
    assert not page.to_decide[1:], "a limit and an alternative were found"


def test_what_the_materials_do_not_give_is_named_as_a_decision_not_guessed():
    page, synthesis = _page(Readings(their_ask="EUR 4.5 million", our_limit="none", their_deadline="none",
                                     our_decision="none"))
    assert len(page.gap) == 1 and not page.dates
    assert any("Our limit" in line and "settle it before the meeting" in line for line in page.to_decide)
    assert any("limit" in m.move for m in synthesis.next_moves)


def test_one_figure_is_never_both_their_ask_and_our_limit():
    page, _ = _page(Readings(their_ask="EUR 4.5 million", our_limit="EUR 4.5 million", their_deadline="none",
                             our_decision="none"))
    assert not any("Gap" in item.text for item in page.gap)


def test_amounts_and_sentences_are_written_whole():
    assert written_amount(600_000, "EUR", "en") == "EUR 600,000"
    assert written_amount(3_900_000, "NOK", "no") == "NOK 3,9 mill."
    assert first_sentence("They offer a meeting. And more.") == "They offer a meeting."
    assert first_sentence("a sentence that never ends " * 20) == ""


def test_a_limit_read_from_their_document_is_not_taken_as_ours():
    amounts = amount_options(money_in(CASE))
    picks = resolve(Readings(their_ask="EUR 900,000", our_limit="EUR 4.5 million"), amounts, {}, {},
                    frozenset({"02_internal_notes.md"}))
    assert picks.their_ask.written == "EUR 900,000" and picks.our_limit is None


def test_nothing_is_computed_from_a_fact_line_the_checker_does_not_verify():
    amounts, dates = amount_options(money_in(CASE)), date_options(dated_lines(CASE))
    picks = resolve(Readings(their_ask="EUR 4.5 million", our_limit="EUR 3.9 million", their_deadline="30 June 2027",
                             our_decision="15 July 2027"), amounts, dates, {}, frozenset({"02_internal_notes.md"}))
    profile = DealProfile(summary="s", our_side="Borealis", counterpart="Kettle AG", parties=[], issues=[])

    def check(item, source, written):
        item.verification = "contradicted" if "limit" in item.text or "decision" in item.text else "verified"

    page, kept = compose_first_page(picks, None, "", profile, Context("Borealis", "Kettle AG", "en"), check)
    assert [i.verification for i in page.gap] == ["verified", "contradicted"], "no gap computed from a contradicted limit"
    assert kept.our_limit is None and kept.our_decision is None and kept.their_ask is not None
    assert not any("comes before" in i.text for i in page.dates)


def test_a_fact_line_the_checker_finds_weak_is_confirmed_by_the_line_it_was_read_from():
    from pipeline.brief.compose import check_line
    from pipeline.brief.facts import Source

    item = Item(text="Their ask (Kettle AG): EUR 4.5 million a year.")
    line = Source("01_offer.md", "line 3", "Service fee: EUR 4.5 million a year, valid until 30 June 2027.")
    check_line(item, line, "EUR 4.5 million", lambda i: setattr(i, "verification", "weak"))
    assert item.verification == "read" and item.evidence[0].locator == "line 3"
    other = Item(text="Their ask (Kettle AG): EUR 5 million a year.")
    check_line(other, line, "EUR 5 million", lambda i: setattr(i, "verification", "weak"))
    assert other.verification == "weak", "a line without the figure confirms nothing"
    wrong = Item(text="Their ask (Kettle AG): EUR 4.5 million a year.")
    check_line(wrong, line, "EUR 4.5 million", lambda i: setattr(i, "verification", "contradicted"))
    assert wrong.verification == "contradicted"
