"""The first page's facts read by rules and composed in code (hand-written materials, not a sample case)."""

from __future__ import annotations

from pipeline.brief.compose import (Context, amount_options, asks_and_offers, compose_first_page, compose_synthesis,
                                    cue_score, date_options, ranked, resolve, sure, written_amount)
from pipeline.brief.notes import note_lines
from pipeline.brief.facts import CaseFacts, Source, dated_lines, money_in
from pipeline.case.documents import CaseMaterials, Document, Unit
from pipeline.schemas import Alternative, DealProfile, Item, Readings


def _doc(name: str, text: str) -> Document:
    return Document(name=name, kind="md", units=[Unit(locator=f"line {i}", text=line)
                                                 for i, line in enumerate(text.splitlines(), 1)])


CASE = CaseMaterials(name="hand-written", language="en", our_side="Borealis", counterpart="Kettle AG", documents=[
    _doc("01_offer.md", "Offer from Kettle AG\nDate: 2 May 2027\nService fee: EUR 4.5 million a year, valid until "
                        "30 June 2027.\nSetup: EUR 900,000 once.\nTerm: five years."),
    _doc("02_internal_notes.md", "# Internal notes\n**Date:** 10 May 2027\n- Our budget allows at most EUR 3.9 "
                                 "million a year.\n- The board decides on 15 July 2027.\n- Prepare the board paper by "
                                 "1 July 2027.\n\n## Ideas\n- Offer a longer term for a lower fee.\n\n## Alternatives\n- Extend the current contract with Nordlys for one "
                                 "more year.\n\n## Actions\n- Send the reply to Kettle AG by 20 May 2027.\n- Ask for the "
                                 "fee breakdown by 1 April 2027.\n\n## Open questions\n- Who at Kettle AG can approve a "
                                 "discount?"),
    _doc("03_mail.txt", "From: Ines Kettle <ines@kettle.example>\nDate: Mon, 17 May 2027 10:00\nSubject: Next steps\n\n"
                        "We can meet in Basel on 24 May 2027 and discuss the setup fee."),
])


def test_amounts_are_read_with_currency_and_period():
    money = {m.written: m for m in money_in(CASE)}
    assert money["EUR 4.5 million"].value == 4_500_000 and money["EUR 4.5 million"].period == "year"
    assert money["EUR 900,000"].period == ""
    assert money["EUR 3.9 million"].currency == "EUR" and money["EUR 3.9 million"].source.document == "02_internal_notes.md"


def test_a_range_of_money_gives_both_ends_at_the_range_s_scale():
    case = CaseMaterials(name="hand-written", language="en", documents=[_doc(
        "notes.md", "- Lars: EUR 0.8–1.2m of the claim is defensible.\n- Arbitration costs NOK 6-8m.\n"
                    "- Fees rose from EUR 5 to EUR 7 per hour in 2025-2026.")])
    money = sorted((m.value, m.currency, m.written) for m in money_in(case))
    assert (800_000, "EUR", "EUR 0.8–1.2m") in money and (1_200_000, "EUR", "EUR 0.8–1.2m") in money
    assert (6_000_000, "NOK", "NOK 6-8m") in money and (8_000_000, "NOK", "NOK 6-8m") in money
    assert (5, "EUR", "EUR 5") in money, "a range needs a scale on its upper end to lend it"


def test_the_newest_message_is_the_latest_dated_one_with_its_sender_and_body():
    last = CaseFacts.of(CASE).newest
    assert (last.date.month, last.date.day) == (5, 17)
    assert last.sender.startswith("Ines Kettle") and last.subject == "Next steps"
    assert any("Basel" in line for line in last.body)


def _options(case: CaseMaterials = CASE):
    amounts, dates = amount_options(money_in(case)), date_options(dated_lines(case))
    return {"their_ask": amounts, "our_limit": amounts, "their_deadline": dates, "our_decision": dates,
            "term": {d.written: d for d in CaseFacts.of(case).durations}}


def _page(readings: Readings, case: CaseMaterials = CASE):
    picks = resolve(readings, _options(case), frozenset({"02_internal_notes.md"}))
    notes = note_lines(case, "Kettle AG", CaseFacts.of(case).newest.date)
    profile = DealProfile(summary="s", our_side="Borealis", counterpart="Kettle AG", parties=[], issues=[],
                          alternatives=[Alternative(text="Extend the current contract for a year.", side="ours",
                                                    type="partial", strength="moderate", verification="verified")])
    ctx = Context("Borealis", "Kettle AG", "en")
    newest = CaseFacts.of(case).newest
    page, picks = compose_first_page(picks, newest, newest, notes, profile, ctx,
                                     lambda item, source, written: setattr(item, "verification", "verified"),
                                     CaseFacts.of(case).upcoming, frozenset({"02_internal_notes.md"}))
    return page, compose_synthesis(page, picks, newest, ctx, open_lines=notes["open"], agreed=notes["agreed"], theirs=newest,
                                   ideas_lines=notes["levers"])


def test_the_gap_is_computed_from_the_two_readings_and_the_dates_are_ordered_with_their_conflict():
    page, synthesis = _page(Readings(their_ask="EUR 4.5 million", our_limit="EUR 3.9 million",
                                     their_deadline="30 June 2027", our_decision="15 July 2027", term="five years"))
    gap, total = page.gap[-2:]
    assert "EUR 3 million" in total.text and "5 years" in total.text
    assert "EUR 600,000 a year" in gap.text and gap.kind == "inference" and "01_offer.md" in gap.basis
    heads = [d.text.split(" — ")[0] for d in page.dates[:-1]]
    assert heads == ["24 May 2027", "30 June 2027 (their deadline)", "1 July 2027",
                     "15 July 2027 (our decision)"], "every date ahead once, in order, the readings tagged"
    assert page.dates[0].text.endswith("Kettle AG: “We can meet in Basel on 24 May 2027 and discuss the setup fee.”")
    assert page.dates[0].verification == "excerpt" and page.dates[-2].verification == "quoted"
    assert "comes before our decision" in page.dates[-1].text
    assert page.latest[0].evidence[0].document == "03_mail.txt"
    assert "EUR 600,000 a year" in synthesis.executive_summary
    assert "Their deadline (30 June 2027) comes before our decision (15 July 2027)." in synthesis.executive_summary, \
        "the conflict, not the bare dates, and without its computed tag"
    assert "Nearest: 24 May 2027 — Kettle AG: “We can meet in Basel on 24 May 2027" in synthesis.executive_summary
    assert synthesis.executive_summary.endswith(
        "Newest: Ines Kettle, 17 May 2027: “We can meet in Basel on 24 May 2027 and discuss the setup fee.”")
    moves = [m.move for m in synthesis.next_moves]
    assert not any(m.startswith("Answer Ines Kettle") for m in moves), "our notes plan the reply"
    assert "Send the reply to Kettle AG by 20 May 2027." in moves, "a step of ours is a move, not a date ahead"
    assert [m for m in moves if "15 July 2027" in m] == [
        "Offer them a dated path to our decision on 15 July 2027 instead of their deadline of 30 June 2027"], \
        "our decision in a move only where their deadline comes before it"
    assert not page.to_decide[1:], "a limit and an alternative were found"
    assert [a.text for a in page.alternatives] == ["Extend the current contract with Nordlys for one more year."]
    assert page.alternatives[0].verification == "quoted" and page.alternatives[0].side == "ours"
    assert "Ask for the fee breakdown by 1 April 2027." not in [m.move for m in synthesis.next_moves] + [
        a.text for a in page.agreed], "a step already past is left out"
    assert synthesis.questions_to_ask == ["Who at Kettle AG can approve a discount?"], \
        "our notes' open question about them is put to them (the merger takes it off the open list)"
    idea = next(m for m in synthesis.next_moves if m.move == "Offer a longer term for a lower fee.")
    assert idea.dimension == "substance" and "02_internal_notes.md" in idea.why
    assert page.latest[-1].text == "Kettle AG: “We can meet in Basel on 24 May 2027 and discuss the setup fee.”", \
        "their words that say we are attributed to them"
    assert page.latest[-1].evidence[0].document == "03_mail.txt"
    opening = next(m for m in synthesis.next_moves if m.move.startswith("Take up what Ines Kettle opened on 17 May 2027"))
    assert opening.why.endswith("Kettle AG: “We can meet in Basel on 24 May 2027 and discuss the setup fee.”"), \
        "the subject their newest message opens is taken up, in their words"


def test_our_own_notes_being_newest_is_no_development_to_report():
    later = CASE.model_copy(update={"documents": [CASE.documents[0], _doc(
        "02_internal_notes.md", "\n".join(u.text for u in CASE.documents[1].units).replace(
            "**Date:** 10 May 2027", "**Date:** 20 May 2027")), CASE.documents[2]]})
    readings = Readings(their_ask="EUR 4.5 million", our_limit="EUR 3.9 million")
    assert CaseFacts.of(later).newest.source.document == "02_internal_notes.md"
    assert not any(i.text.startswith("Newest") for i in _page(readings, later)[0].latest)
    assert any(i.text.startswith("Newest: Ines Kettle") for i in _page(readings)[0].latest), "their newest message is"


def test_a_decision_date_with_a_sooner_way_to_decide_is_no_conflict():
    sooner = CASE.model_copy(update={"documents": [CASE.documents[0], _doc(
        "02_internal_notes.md", "\n".join(u.text for u in CASE.documents[1].units).replace(
            "The board decides on 15 July 2027.",
            "The board decides on 15 July 2027; an extraordinary meeting can be called at 5 days' notice.")),
        CASE.documents[2]]})
    readings = Readings(their_ask="EUR 4.5 million", our_limit="EUR 3.9 million", their_deadline="30 June 2027",
                        our_decision="15 July 2027", term="five years")
    page, _ = _page(readings, sooner)
    dates = " ".join(d.text for d in page.dates)
    assert "15 July 2027 — The board decides" in dates and "(our decision)" not in dates, \
        "a board that can meet sooner is no date of ours to wait for"
    assert not any("comes before our decision" in d.text for d in page.dates)
    assert any("comes before our decision" in d.text for d in _page(readings)[0].dates)


def test_what_the_materials_do_not_give_is_named_as_a_decision_not_guessed():
    page, synthesis = _page(Readings(their_ask="EUR 4.5 million", our_limit="none", their_deadline="none",
                                     our_decision="none"))
    assert len(page.gap) == 1 and not any("(their deadline)" in d.text or "(our decision)" in d.text or
                                          "comes before" in d.text for d in page.dates)
    assert any("Our walk-away" in line and "decide it before the meeting" in line for line in page.to_decide)
    assert any("limit" in m.move for m in synthesis.next_moves)


def test_one_figure_is_never_both_their_ask_and_our_limit():
    page, _ = _page(Readings(their_ask="EUR 4.5 million", our_limit="EUR 4.5 million", their_deadline="none",
                             our_decision="none"))
    assert not any("Gap" in item.text for item in page.gap)


def test_amounts_and_sentences_are_written_whole():
    assert written_amount(600_000, "EUR", "en") == "EUR 600,000"
    assert written_amount(3_900_000, "NOK", "no") == "NOK 3,9 mill."
    assert written_amount(1_400_000, "EUR", "de") == "EUR 1,4 Mio."
    assert written_amount(40_000, "EUR", "de") == "EUR 40.000" and written_amount(310_000, "NOK", "no") == "NOK 310 000"


def test_a_limit_read_from_their_document_is_not_taken_as_ours():
    picks = resolve(Readings(their_ask="EUR 900,000", our_limit="EUR 4.5 million"), _options(),
                    frozenset({"02_internal_notes.md"}))
    assert picks.their_ask.written == "EUR 900,000" and picks.our_limit is None


def test_nothing_is_computed_from_a_fact_line_the_checker_does_not_verify():
    picks = resolve(Readings(their_ask="EUR 4.5 million", our_limit="EUR 3.9 million", their_deadline="30 June 2027",
                             our_decision="15 July 2027"), _options(), frozenset({"02_internal_notes.md"}))
    profile = DealProfile(summary="s", our_side="Borealis", counterpart="Kettle AG", parties=[], issues=[])

    def check(item, source, written):
        item.verification = "contradicted" if "limit" in item.text or "decision" in item.text else "verified"

    page, kept = compose_first_page(picks, None, None, {}, profile, Context("Borealis", "Kettle AG", "en"), check)
    assert [i.verification for i in page.gap] == ["verified"], "a contradicted limit is neither shown nor computed from"
    assert any("none the materials set" in line for line in page.to_decide)
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


def test_the_words_around_a_date_decide_its_reading_and_a_paper_for_the_board_is_no_decision():
    dates = date_options([d for d in dated_lines(CASE) if d.source.document == "02_internal_notes.md"])
    assert cue_score("our_decision", dates["15 July 2027"]) > 0 > cue_score("our_decision", dates["1 July 2027"])
    offered = ranked("our_decision", dates)
    assert list(offered)[0] == "15 July 2027" and "1 July 2027" not in offered
    assert sure("our_decision", offered) == "15 July 2027", "one date the words point to: no question to the model"


def test_a_reading_no_words_point_to_is_not_offered_and_a_tie_is_left_to_the_model():
    amounts = amount_options(money_in(CASE))
    assert "EUR 900,000" not in ranked("our_limit", amounts), "a setup fee is no limit"
    tied = {k: amounts[k] for k in ("EUR 4.5 million", "EUR 3.9 million")}
    assert cue_score("their_ask", tied["EUR 4.5 million"]) > 0
    assert sure("their_ask", {**tied, "EUR 900,000": amounts["EUR 900,000"]}) in (None, "EUR 4.5 million")


def test_an_amount_counted_per_unit_is_not_subtracted_from_a_yearly_one():
    from pipeline.brief.compose import comparable
    from pipeline.case.documents import CaseMaterials
    case = CaseMaterials(name="units", language="en", documents=[_doc("a.md", "Rent: GBP 10.20 per sq ft.\nOur cap is GBP 9.60 per sq ft.\nBudget: GBP 600,000 a year.")])
    money = {m.written: m for m in money_in(case)}
    assert money["GBP 10.20"].unit == "sq ft" and money["GBP 600,000"].unit == ""
    assert comparable(money["GBP 10.20"], money["GBP 9.60"]) == "" and comparable(money["GBP 10.20"], money["GBP 600,000"]) is None


def test_their_newest_message_is_quoted_where_it_asks_or_offers():
    newest = CaseFacts.of(CASE).newest
    [(sentence, line)] = asks_and_offers(newest)
    assert sentence == "We can meet in Basel on 24 May 2027 and discuss the setup fee." and line.locator == "line 5"
    wrapped = newest.__class__(newest.date, newest.written, newest.sender, newest.subject, newest.source, lines=tuple(
        Source("m.txt", f"line {i}", text) for i, text in enumerate(
            ["Thanks for your note.", "Our proposal:", "- Price: EUR 4 million a year", "Could we meet on",
             "24 May to close it?"], 1)))
    assert [s for s, _ in asks_and_offers(wrapped)] == ["Could we meet on 24 May to close it?"], \
        "wrapped lines joined; a heading ending in a colon is no sentence"


def test_their_ask_over_the_term_is_compared_with_what_can_be_signed_at_our_level():
    from dataclasses import replace
    from pipeline.brief.compose import authority_of
    notes = _doc("02_internal_notes.md", "- Our budget allows at most EUR 3.9 million a year.\n"
                                         "- Ines can sign up to EUR 10 million in total; above that the board decides.")
    case = CASE.model_copy(update={"documents": [CASE.documents[0], notes]})
    ours = frozenset({"02_internal_notes.md"})
    authority = authority_of(money_in(case), ours)
    assert authority.written == "EUR 10 million", "a signing authority, not the budget"
    amounts = amount_options(money_in(case))
    picks = replace(resolve(Readings(their_ask="EUR 4.5 million", term="five years"),
                            {"their_ask": amounts, "term": {d.written: d for d in CaseFacts.of(case).durations}}, ours),
                    authority=authority)
    profile = DealProfile(summary="s", our_side="Borealis", counterpart="Kettle AG", parties=[], issues=[])
    page, _ = compose_first_page(picks, None, None, {}, profile, Context("Borealis", "Kettle AG", "en"),
                                 lambda item, source, written: setattr(item, "verification", "verified"))
    line = next(i for i in page.gap if "signing or approval threshold" in i.text)
    assert "about EUR 23 million" in line.text and line.kind == "inference" and "× 5" in line.basis, "rounded: an estimate"
    small = replace(picks, authority=replace(authority, value=30_000_000, written="EUR 30 million"))
    page, _ = compose_first_page(small, None, None, {}, profile, Context("Borealis", "Kettle AG", "en"),
                                 lambda item, source, written: setattr(item, "verification", "verified"))
    assert not any("signing or approval threshold" in i.text for i in page.gap), "within the authority: nothing to say"


def test_a_limit_is_taken_in_the_terms_of_their_ask_from_its_own_line():
    from pipeline.case.documents import CaseMaterials
    case = CaseMaterials(name="rows", language="en", documents=[
        _doc("01_offer.md", "Rent: GBP 734,400 a year for the new lease."),
        _doc("02_notes.md", "| Walk-away | GBP 9.60 | GBP 691,200 | 10 years |")])
    options = amount_options(money_in(case))
    picks = resolve(Readings(their_ask="GBP 734,400", our_limit="GBP 9.60"),
                    {"their_ask": options, "our_limit": options}, frozenset({"02_notes.md"}))
    assert picks.our_limit.written == "GBP 691,200", "the row's yearly figure, which can be set against the ask"


def test_every_approval_threshold_our_ask_passes_is_named_lowest_first():
    from dataclasses import replace
    from pipeline.brief.compose import approvals_of, authority_of
    notes = _doc("02_internal_notes.md", "- Ines can approve settlements up to EUR 1.5m; above that the board decides.\n"
                                         "- Any price increase above EUR 800,000 needs the lender's prior consent.\n"
                                         "- Approvals above EUR 3m took six weeks last year; the offer is EUR 2.4m.")
    offer = _doc("01_claim.md", "Our revised claim is EUR 6,200,000.")
    case = CASE.model_copy(update={"documents": [offer, notes]})
    ours = frozenset({"02_internal_notes.md"})
    money = money_in(case)
    approvals = approvals_of(money, ours)
    assert [m.written for m in approvals] == ["EUR 800,000", "EUR 1.5m", "EUR 3m"], \
        "lowest first; only the first such amount of a line (EUR 2.4m is compared with it, no threshold)"
    picks = replace(resolve(Readings(their_ask="EUR 6,200,000"), {"their_ask": amount_options(money)}, ours),
                    authority=authority_of(money, ours), approvals=approvals)
    profile = DealProfile(summary="s", our_side="Borealis", counterpart="Kettle AG", parties=[], issues=[])
    page, _ = compose_first_page(picks, None, None, {}, profile, Context("Borealis", "Kettle AG", "en"),
                                 lambda item, source, written: setattr(item, "verification", "verified"))
    line = next(i for i in page.gap if "approval threshold" in i.text)
    assert line.text.index("EUR 800,000") < line.text.index("EUR 1.5m") < line.text.index("EUR 3m")
    assert "lowest binds first" in line.text and line.kind == "inference"
    one = replace(picks, approvals=approvals[1:2])
    page, _ = compose_first_page(one, None, None, {}, profile, Context("Borealis", "Kettle AG", "en"),
                                 lambda item, source, written: setattr(item, "verification", "verified"))
    assert not any("each approval threshold" in i.text for i in page.gap), "one threshold: the single line"


def test_each_labelled_term_of_theirs_is_followed_by_what_our_notes_say_of_it():
    from pipeline.brief.notes import views_on
    claim = _doc("01_claim.md", "| Item | Claim (EUR) |\n|---|---|\n| Price rise of the pump supplier (HydroMax) | 900,000 |\n"
                                "| Flood-rule amendment on the pump room | 700,000 |\n| Extra paint work | 300,000 |")
    notes = _doc("02_internal_notes.md", "- The HydroMax item is the yard's own supplier risk.\n"
                                         "- The flood-rule amendment looks genuine. Of that item EUR 0.3m is fair.\n"
                                         "- We must reply by Friday and keep the tone calm.")
    case = CaseMaterials(name="views", language="en", documents=[claim, notes])
    terms = ["Price rise of the pump supplier (HydroMax) · Claim (EUR): 900,000",
             "Flood-rule amendment on the pump room · Claim (EUR): 700,000", "Extra paint work · Claim (EUR): 300,000",
             "Baltic Yard: “We will not deliver until the claim is settled.”"]
    views = views_on(terms, case, ("Borealis", "Baltic Yard"))
    assert views[0].text == "The HydroMax item is the yard's own supplier risk.", "a name shared with the term"
    assert views[1].text == "The flood-rule amendment looks genuine. Of that item EUR 0.3m is fair.", \
        "two rare words shared; the next sentence pointing back to it kept with it"
    assert views[1].source.locator == "line 2"
    assert views[2] is None, "our notes say nothing of the paint work"
    assert views[3] is None, "a quoted sentence has no label to match"


def test_plain_text_notes_with_capital_headings_a_rate_per_day_and_a_written_by_line_are_read():
    """A Norwegian plain-text case: headings in capitals, rates `per døgn`, the notes dated on a `Skrevet av` line."""
    from pipeline.brief.compose import yardsticks
    mail = _doc("01_epost.txt", "From: Kari Lie <kari@slepebat.example>\nDate: Wed, 02 Dec 2026 15:20:00 +0100\n"
                                "Subject: Slepebåt 2027\n\nVi kan gå ned til NOK 118 000 per døgn hvis dere binder dere "
                                "til minst 40 døgn.\nTillegget for drivstoff kan vi sette til NOK 15 000 per døgn.")
    notes = _doc("02_interne_notater.txt", "INTERNE NOTATER\nSkrevet av: Ola Dahl, 4. desember 2026\n\nVÅRE RAMMER\n"
                                           "- Smertegrense: NOK 110 000 per døgn.\n- Mål: NOK 104 000 per døgn.\n"
                                           "- Drivstoff: et tak på NOK 10 000 per døgn kan vi leve med.\n\n"
                                           "DERES SITUASJON\n- Slepebåtselskapet må fylle kapasiteten på den nye båten.\n\n"
                                           "OPPGAVER\nOppgave | Ansvarlig | Frist\nSvar med motbud | Ola Dahl | 11.12.2026")
    case = CaseMaterials(name="plain", language="no", our_side="Fjellfisk AS", counterpart="Slepebåt AS",
                         documents=[mail, notes])
    facts = CaseFacts.of(case)
    rate = next(m for m in facts.money if m.written == "NOK 118 000")
    assert rate.period == "day" and not rate.unit, "per døgn is a day"
    assert facts.newest.source.document == "02_interne_notater.txt", "the notes are dated by their Skrevet av line"
    assert not any(d.source.text.startswith("Skrevet av") for d in facts.upcoming), "the writing date is not ahead"
    lines = note_lines(case, "Slepebåt AS")
    assert any("Smertegrense" in n.text for n in lines["position"]) and any("fylle kapasiteten" in n.text
                                                                          for n in lines["their_side"])
    assert any("Svar med motbud" in n.text for n in lines["agreed"]), "a heading in capitals gives the role"
    ask, limit = rate, next(m for m in facts.money if m.written == "NOK 110 000")
    ours = [m for m in facts.money if m.source.document == "02_interne_notater.txt"]
    assert [m.written for _, m in yardsticks(ask, limit, ours)] == ["NOK 104 000"], \
        "the cap on a surcharge is no yardstick for the day rate"
