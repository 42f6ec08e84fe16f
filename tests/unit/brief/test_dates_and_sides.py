"""The first page's dates ahead and our notes' lines by side (hand-written materials, not a sample case)."""

from __future__ import annotations

from dataclasses import replace

from pipeline.brief.compose import (Context, Picks, against_figures, compose_synthesis, newest_ask, timeline, to_ask,
                                    their_offers, tradeable, yardsticks)
from pipeline.brief.facts import CaseFacts, Money, Source
from pipeline.brief.notes import PAST, NoteLine, note_lines
from pipeline.schemas import FirstPage
from pipeline.case.documents import CaseMaterials, Document, Unit


def _doc(name: str, text: str) -> Document:
    return Document(name=name, kind="md", units=[Unit(locator=f"line {i}", text=line)
                                                 for i, line in enumerate(text.splitlines(), 1)])


CASE = CaseMaterials(name="hand-written", language="en", our_side="Larkspur", counterpart="Mereford Mills", documents=[
    _doc("01_internal_notes.md", "# Internal notes\n**Date:** 3 March 2027\nMereford Mills has asked for a 12% "
                                 "price rise from July. Our plant needs their flour until at least 2029.\n"
                                 "- The board meets on 20 April 2027; papers are due on 6 April 2027.\n"
                                 "## Actions\n| 1 | Call the broker | R. Ames | 1 Feb 2027 |"),
    _doc("02_mail.txt", "From: Jo Reed <jo@mereford.example>\nDate: Mon, 8 March 2027 10:00\nSubject: Prices\n\n"
                        "We would like to meet you at our mill on\n15 March 2027 to settle the new price list.\n"
                        "Kind regards"),
])


def test_each_date_ahead_is_listed_once_in_order_with_its_whole_sentence():
    facts = CaseFacts.of(CASE)
    items = timeline(facts.upcoming, Picks(None, None, None, None), Context("Larkspur", "Mereford Mills", "en"),
                     frozenset({"01_internal_notes.md"}), facts.messages)
    texts = [i.text for i in items]
    assert texts[0] == ("15 March 2027 — Mereford Mills: “We would like to meet you at our mill on 15 March 2027 to "
                        "settle the new price list.”"), "an e-mail's wrapped sentence is joined, their we attributed"
    assert items[0].verification == "excerpt" and items[1].verification == "quoted"
    assert texts[1].startswith("6 April 2027, 20 April 2027 — The board meets on 20 April 2027"), \
        "one line with two dates is shown once"
    assert not any("1 February 2027" in t for t in texts), "a date before the newest message is not ahead"
    assert len(items) == 2


def test_a_line_on_their_demand_and_our_need_gives_each_its_side():
    lines = note_lines(CASE, "Mereford Mills")
    assert [n.text for n in lines["their_side"]] == ["Mereford Mills has asked for a 12% price rise from July."]
    assert [n.text for n in lines["position"]] == ["Our plant needs their flour until at least 2029."]


def _line(text: str, role: str = "their_side") -> NoteLine:
    return NoteLine(role, text, Source("notes.md", "line 1", text))


def test_what_they_need_is_traded_for_the_gap_unless_our_notes_keep_it_apart():
    need = _line("They need a reference customer for their tender in May.")
    assert tradeable(need, [need, _line("We keep the budget fixed.", "position")])
    assert not tradeable(need, [need, _line("We may give them a reference letter, not tied to the price.", "levers")])
    ctx = Context("Larkspur", "Mereford Mills", "en")
    ask = Money("EUR 1.2 million", 1_200_000, "EUR", "year", Source("offer.md", "line 2", "EUR 1.2 million a year"))
    limit = Money("EUR 1 million", 1_000_000, "EUR", "year", Source("notes.md", "line 3", "at most EUR 1 million a year"))
    synthesis = compose_synthesis(FirstPage(), Picks(ask, limit, None, None), None, ctx, their_lines=[need],
                                  all_lines=[need])
    trade = synthesis.next_moves[0]
    assert "well below our limit of EUR 1 million" in trade.move and "reference customer" in trade.why
    target = Money("EUR 900,000", 900_000, "EUR", "year", Source("notes.md", "line 4", "Our target: EUR 900,000 a year"))
    anchored = compose_synthesis(FirstPage(), Picks(ask, limit, None, None, yardsticks=(("target", target),)), None, ctx,
                                 their_lines=[need], all_lines=[need])
    assert "down to EUR 900,000 (our target)" in anchored.next_moves[0].move, "the lowest of our figures, not the walk-away"


def test_our_open_questions_about_them_are_asked_and_those_about_others_are_not():
    ctx = Context("Larkspur", "Mereford Mills", "en")
    assert to_ask("Who at Mereford Mills can sign above the list price?", ctx)
    assert to_ask("Is their capacity claim for July real?", ctx)
    assert not to_ask("What would Oakhill Farms charge for the same volume?", ctx), "a third party is not theirs to answer"
    assert not to_ask("Their capacity in July is unknown.", ctx), "not written as a question"


def test_a_step_already_past_is_kept_apart_so_no_section_shows_it_as_ahead():
    lines = note_lines(CASE, "Mereford Mills", CaseFacts.of(CASE).newest.date)
    assert [n.text for n in lines[PAST]] == ["Call the broker · R. Ames · 1 Feb 2027"]
    assert not any("broker" in n.text for role in ("agreed", "position", "open") for n in lines[role])


def test_their_ask_is_set_against_our_other_named_figures_of_its_kind():
    ask = Money("EUR 1.2 million", 1_200_000, "EUR", "year", Source("offer.md", "line 2", "Fee: EUR 1.2 million a year"))
    limit = Money("EUR 1 million", 1_000_000, "EUR", "year", Source("notes.md", "line 3", "Budget: EUR 1 million a year"))
    target = Money("EUR 900,000", 900_000, "EUR", "year", Source("notes.md", "line 4", "Our target is EUR 900,000 a year"))
    spend = Money("EUR 800,000", 800_000, "EUR", "year", Source("notes.md", "line 5", "We spend EUR 800,000 a year today"))
    lines = against_figures(ask, yardsticks(ask, limit, [limit, target, spend]), Context("Larkspur", "Mereford Mills", "en"))
    assert [i.text for i in lines] == [
        "Against our target of EUR 900,000: their ask is EUR 300,000 a year above it (computed)."], \
        "a figure no word names as a yardstick (today's spend) is not one"
    assert lines[0].kind == "inference" and "notes.md, line 4" in lines[0].basis


def test_their_newest_message_states_their_ask_over_an_older_figure():
    revised = CaseMaterials(name="hand-written", language="en", our_side="Larkspur", counterpart="Mereford Mills",
                            documents=[
        _doc("01_offer.md", "Offer from Mereford Mills\nDate: 1 March 2027\nFlour: EUR 1.4 million a year from July."),
        _doc("02_internal_notes.md", "# Internal notes\n**Date:** 3 March 2027\n- Budget: at most EUR 1.2 million a year."),
        _doc("03_mail.txt", "From: Jo Reed <jo@mereford.example>\nDate: Mon, 8 March 2027 10:00\nSubject: Prices\n\n"
                            "After our call we can supply for EUR 1.3 million a year, all else unchanged."),
    ])
    facts = CaseFacts.of(revised)
    money = {m.written: m for m in facts.money}
    picks = Picks(money["EUR 1.4 million"], money["EUR 1.2 million"], None, None)
    newest = newest_ask(picks, facts.newest, facts.money)
    assert newest.their_ask.written == "EUR 1.3 million" and newest.their_ask.source.document == "03_mail.txt"
    assert newest_ask(newest, facts.newest, facts.money) == newest, "an ask their newest message states stands"
    assert newest_ask(Picks(money["EUR 1.4 million"], None, None, None), facts.newest, facts.money).their_ask.written \
        == "EUR 1.4 million", "without our limit there are no terms to read their figure in"


def test_a_hard_wrapped_line_of_our_notes_is_read_whole():
    wrapped = CaseMaterials(name="hand-written", language="de", our_side="Klinikum", counterpart="Brandt", documents=[
        _doc("01_interne_notizen.md", "# Interne Notizen\n**Datum:** 7. Dezember 2026\n\n## Unsere Grenzen\n"
                                      "- Budget: höchstens EUR 1.290.000 pro Jahr\n(inkl. neuer Station). Darüber braucht es\n"
                                      "einen Beschluss.\n- Ziel: EUR 1.250.000 pro Jahr.\n\n## Ideen\n- Referenz nur gegen einen besseren Preis zusagen."),
    ])
    lines = note_lines(wrapped, "Brandt")
    assert [n.text for n in lines["position"]] == [
        "Budget: höchstens EUR 1.290.000 pro Jahr (inkl. neuer Station). Darüber braucht es einen Beschluss.",
        "Ziel: EUR 1.250.000 pro Jahr."]
    assert [n.text for n in lines["levers"]] == ["Referenz nur gegen einen besseren Preis zusagen."], "a German heading of ideas"


def test_their_other_price_is_set_against_our_figure_of_the_same_unit():
    ctx = Context("Larkspur", "Mereford Mills", "en")
    mail = CaseMaterials(name="hand-written", language="en", our_side="Larkspur", counterpart="Mereford Mills", documents=[
        _doc("01_notes.md", "# Internal notes\n**Date:** 1 March 2027\n| Walk-away | £9.60 | £691,200 | 10 years |"),
        _doc("02_mail.txt", "From: Jo Reed <jo@mereford.example>\nDate: Mon, 8 March 2027 10:00\nSubject: Rent\n\n"
                            "The rent is £734,400 a year. If you commit by 3 April we could go to £9.90 per sq ft."),
    ])
    facts = CaseFacts.of(mail)
    money = {m.written: m for m in facts.money}
    lines = their_offers(money["£734,400"], facts.newest, facts.money, [("limit", money["£691,200"])],
                         [money["£9.60"], money["£691,200"]], ctx)
    assert [i.text for i in lines] == ["Their other figure £9.90 is still GBP 0.30 per sq ft above our limit of £9.60. "
                                       "At the same sq ft count that comes to GBP 712,800, GBP 21,600 above our limit "
                                       "of £691,200 (computed)."], \
        "a rate per unit is set against our rate on the limit's row, and at the row's count against its total"
    assert "02_mail.txt" in lines[0].basis and "01_notes.md" in lines[0].basis and "£9.90 × (£691,200 ÷ £9.60)" in lines[0].basis


def test_a_red_line_of_our_position_is_kept_out_of_trades_and_steps_toward_them_come_first():
    ctx = Context("Larkspur", "Mereford Mills", "en")
    red = _line("Clause 9 (exit only after payment) will not pass our audit: a hard red line.", "position")
    budget = _line("We keep the budget fixed.", "position")
    own = _line("Prepare the board paper by 2 April.", "agreed")
    toward = _line("Tell Mereford Mills we will not sign by March.", "agreed")
    synthesis = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, agreed=[own, toward],
                                  position_lines=[budget, red], read_limit=True)
    moves = [m.move for m in synthesis.next_moves]
    steps = [m for m in moves if m in ("Tell Mereford Mills we will not sign by March.", "Prepare the board paper by 2 April.")]
    assert steps[0] == "Tell Mereford Mills we will not sign by March.", "a step toward them before our own preparation"
    assert moves.index(steps[0]) > moves.index(next(m for m in moves if "red line" in m)), "what we hold before steps"
    red_move = next(m for m in synthesis.next_moves if m.move.startswith("Keep our red line out of any trade"))
    assert "will not pass our audit" in red_move.why and "line" in red_move.why
    plain = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, position_lines=[budget],
                              read_limit=True)
    assert not any("red line" in m.move for m in plain.next_moves), "no red line where our notes set none"


def test_the_trade_also_asks_for_a_cap_on_an_uncapped_term_and_phasing_of_one_paid_at_once():
    from pipeline.brief.compose import term_ask
    from pipeline.schemas import Item

    ctx = Context("Larkspur", "Mereford Mills", "en")
    assert term_ask("Annual price indexation · CPI + 2 points, no cap", ctx) == "a cap on the annual price indexation"
    assert term_ask("Setup fee: EUR 300,000, 100% due at signature", ctx) == "the setup fee phased"
    assert term_ask("Term: five years", ctx) is None and term_ask("Mereford Mills: “No cap applies.”", ctx) is None
    need = _line("They need a reference customer for their tender in May.")
    ask = Money("EUR 1.2 million", 1_200_000, "EUR", "year", Source("offer.md", "line 2", "EUR 1.2 million a year"))
    limit = Money("EUR 1 million", 1_000_000, "EUR", "year", Source("notes.md", "line 3", "at most EUR 1 million a year"))
    page = FirstPage(their_terms=[Item(text="Annual price indexation · CPI + 2 points, no cap", verification="excerpt"),
                                  Item(text="Term: five years", verification="excerpt")])
    trade = compose_synthesis(page, Picks(ask, limit, None, None), None, ctx, their_lines=[need],
                              all_lines=[need]).next_moves[0]
    assert trade.move.endswith("; ask with it for a cap on the annual price indexation")


def test_the_summary_gives_the_first_thing_the_figures_come_to_without_its_tag():
    from pipeline.schemas import Item

    ctx = Context("Larkspur", "Mereford Mills", "en")
    ask = Money("EUR 1.2 million", 1_200_000, "EUR", "year", Source("offer.md", "line 2", "EUR 1.2 million a year"))
    limit = Money("EUR 1 million", 1_000_000, "EUR", "year", Source("notes.md", "line 3", "at most EUR 1 million a year"))
    first = Item(text="Today's price with the index comes to EUR 980,000: within our limit (computed).", kind="inference",
                 basis="EUR 950,000 × 1.03")
    second = Item(text="Their discount needs a signature before our decision (computed).", kind="inference", basis="x")
    summary = compose_synthesis(FirstPage(), Picks(ask, limit, None, None), None, ctx, insights=[first, second],
                                read_limit=True).executive_summary
    assert "Today's price with the index comes to EUR 980,000: within our limit." in summary
    assert "(computed)" not in summary and "signature" not in summary


def test_a_date_offered_with_another_day_is_shown_as_either():
    case = CASE.model_copy(update={"documents": [CASE.documents[0], _doc(
        "02_mail.txt", "From: Jo Reed <jo@mereford.example>\nDate: Mon, 8 March 2027 10:00\nSubject: Prices\n\n"
                       "We can meet at our mill on 15 or 16 March 2027.\nKind regards")]})
    facts = CaseFacts.of(case)
    items = timeline(facts.upcoming, Picks(None, None, None, None), Context("Larkspur", "Mereford Mills", "en"),
                     frozenset({"01_internal_notes.md"}), facts.messages)
    assert items[0].text.startswith("15 or 16 March 2027 — "), "two days offered, neither agreed"


def test_the_summary_says_the_contract_lets_us_go_on_and_warns_against_threatening_with_a_weak_alternative():
    from pipeline.schemas import Evidence, Item, SidedItem

    ctx = Context("Larkspur", "Mereford Mills", "en")
    late = SidedItem(text="A second supplier is not possible before 2029.", side="ours", verification="quoted",
                     evidence=[Evidence(document="notes.md", quote="A second supplier is not possible before 2029.",
                                        locator="line 7")])
    strong = SidedItem(text="Two other mills have quoted lower prices.", side="ours", verification="quoted")
    going_on = Item(text="Clause 12 — Renewal: Until a new lease is granted the Tenant holds over.", verification="excerpt")
    summary = compose_synthesis(FirstPage(alternatives=[strong, late]), Picks(None, None, None, None), None, ctx,
                                read_limit=True, going_on=going_on).executive_summary
    assert "The contract lets us go on without a new deal (Clause 12 — Renewal)" in summary
    assert "Our alternatives are weak, partial or late (your notes, line 7): do not threaten to leave, nor present " \
           "them as a walk-away." in summary
    plain = compose_synthesis(FirstPage(alternatives=[strong]), Picks(None, None, None, None), None, ctx,
                              read_limit=True).executive_summary
    assert "threaten" not in plain and "contract" not in plain
    shows = SidedItem(text="We have enough partial options to show we are not locked in for ever.", side="ours",
                      verification="quoted")
    used = compose_synthesis(FirstPage(alternatives=[late, shows]), Picks(None, None, None, None), None, ctx,
                             read_limit=True).executive_summary
    assert "as your notes say, they show we are not locked in; never use them as a threat." in used, \
        "where our notes use them to show we are not locked in, the summary does not forbid it"


def test_only_an_idea_that_trades_one_thing_for_another_is_the_summarys_trade_idea():
    ctx = Context("Larkspur", "Mereford Mills", "de")
    stance = _line("Wir sagen klar, dass wir die Option ziehen wollen.", "levers")
    trade = _line("Referenz zusagen gegen Preis: nur bei EUR 1.270.000 pro Jahr oder darunter.", "levers")
    summary = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, ideas_lines=[stance, trade],
                                read_limit=True).executive_summary
    assert "Eine Tauschidee unserer Notizen: Referenz zusagen gegen Preis" in summary and "Option ziehen" not in summary
    alone = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, ideas_lines=[stance],
                              read_limit=True).executive_summary
    assert "Tauschidee" not in alone, "a stance is no trade"


def test_on_our_decision_s_day_another_document_s_line_is_listed_too():
    case = CaseMaterials(name="same-day", language="en", our_side="Larkspur", counterpart="Mereford Mills", documents=[
        _doc("01_internal_notes.md", "# Notes\n**Date:** 1 March 2027\n- The board decides on 20 April 2027."),
        _doc("02_contract.md", "Delivery of the first mill line: 20 April 2027\nSecond line: 20 May 2027")])
    facts = CaseFacts.of(case)
    decision = next(d for d in facts.upcoming if d.source.document == "01_internal_notes.md")
    items = timeline(facts.upcoming, Picks(None, None, None, decision), Context("Larkspur", "Mereford Mills", "en"),
                     frozenset({"01_internal_notes.md"}), facts.messages)
    texts = [i.text for i in items]
    assert texts[0].startswith("20 April 2027 (our decision) — The board decides")
    assert texts[1].startswith("20 April 2027 — ") and "first mill line" in texts[1], "the delivery date is not hidden"
    assert len([t for t in texts if t.startswith("20 May 2027")]) == 1, "an untagged day: one line"


def test_the_moves_open_on_our_strongest_contract_right_and_a_step_relying_on_it_is_not_repeated():
    from pipeline.schemas import Item

    ctx = Context("Larkspur", "Mereford Mills", "en")
    right = Item(text="Clause 12 — Renewal: Until a new lease is granted the Tenant holds over at the passing rent.",
                 verification="excerpt")
    step = _line("Reply to Mereford Mills by 2 April.", "agreed")
    synthesis = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, agreed=[step], right=right,
                                  read_limit=True)
    first = synthesis.next_moves[0]
    assert first.move.startswith("Open on Clause 12 — Renewal") and "holds over at the passing rent" in first.why
    assert "Reply to Mereford Mills by 2 April." in [m.move for m in synthesis.next_moves], "a step fills in"
    named = _line("Reply to Mereford Mills relying on clause 12 by 2 April.", "agreed")
    again = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, agreed=[named], right=right,
                              read_limit=True)
    assert [m.move for m in again.next_moves][0].startswith("Open on Clause 12")
    assert not any("relying on clause 12" in m.move for m in again.next_moves), "the step adds nothing to the opening"


def test_our_notes_steps_only_fill_in_below_three_moves():
    ctx = Context("Larkspur", "Mereford Mills", "en")
    ideas = [_line("Offer a longer term for a lower fee.", "levers"), _line("Offer an escrow for the disputed part.", "levers")]
    red = _line("Clause 9 will not pass our audit: a hard red line.", "position")
    step = _line("Tell Mereford Mills we will not sign by March.", "agreed")
    full = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, agreed=[step], ideas_lines=ideas,
                             position_lines=[red], read_limit=True)
    assert len(full.next_moves) >= 3 and not any("Tell Mereford" in m.move for m in full.next_moves)
    short = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, agreed=[step], ideas_lines=ideas[:1],
                              read_limit=True)
    assert [m.move for m in short.next_moves][-1] == "Tell Mereford Mills we will not sign by March."


def test_the_summary_says_by_when_to_use_the_right_to_go_on_or_that_their_deadline_does_not_force_a_signature():
    from pipeline.brief.facts import Dated
    from pipeline.checks.quantities import Date
    from pipeline.schemas import Item

    ctx = Context("Larkspur", "Mereford Mills", "en")
    option = Item(text="Clause 2.3 — Options: The Customer may extend the agreement by one year.", verification="excerpt")
    dated = Item(text="30 June 2027 — The deadline to exercise the option is 30 June 2027.", verification="quoted")
    summary = compose_synthesis(FirstPage(dates=[dated]), Picks(None, None, None, None), None, ctx, read_limit=True,
                                going_on=option).executive_summary
    assert "lets us go on without a new deal (Clause 2.3 — Options) if we use it by 30 June 2027." in summary
    deadline = Dated("3 April 2027", Date(4, 3, 2027), Source("mail.txt", "line 5", "Answer by 3 April 2027."), False)
    hold = Item(text="Clause 12 — Renewal: Until a new lease is granted the Tenant holds over.", verification="excerpt")
    summary = compose_synthesis(FirstPage(), Picks(None, None, deadline, None), None, ctx, read_limit=True,
                                going_on=hold).executive_summary
    assert "(Clause 12 — Renewal): their deadline (3 April 2027) does not force a signature." in summary


def test_a_step_that_trades_is_a_trade_our_notes_agreed_without_its_label():
    ctx = Context("Larkspur", "Mereford Mills", "en")
    trade = _line("Agreed: ask for a longer notice period in exchange for a price within 4%.", "agreed")
    synthesis = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, agreed=[trade], read_limit=True)
    move = next(m for m in synthesis.next_moves if "notice period" in m.move)
    assert move.move.startswith("Ask for a longer notice period") and move.dimension == "substance"
    assert move.why.startswith("A trade your notes agreed")


def test_their_hold_back_is_answered_by_their_duty_in_the_contract_and_comes_first():
    from pipeline.schemas import Evidence, Item

    ctx = Context("Larkspur", "Mereford Mills", "en")
    held = Item(text="Mereford Mills: “We are not in a position to deliver the flour until the new price is signed.”",
                verification="excerpt", evidence=[Evidence(document="mail.txt", locator="line 4", quote=(
                    "We are not in a position to deliver the flour until the new price is signed."))])
    duty = Item(text="Clause 9 — Disputes: While a dispute is pending the Supplier shall continue to deliver.",
                verification="excerpt")
    idea = _line("Offer an escrow for the disputed amount.", "levers")
    synthesis = compose_synthesis(FirstPage(their_terms=[held]), Picks(None, None, None, None), None, ctx,
                                  ideas_lines=[idea], duty=duty, read_limit=True)
    first = synthesis.next_moves[0]
    assert first.move.startswith("Answer their hold-back with Clause 9 — Disputes")
    assert "not in a position to deliver" in first.why and "shall continue to deliver" in first.why
    calm = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, ideas_lines=[idea], duty=duty,
                             read_limit=True)
    assert not any("hold-back" in m.move for m in calm.next_moves), "no hold-back of theirs: nothing to answer"


def test_their_pressure_is_answered_by_our_right_to_go_on_in_its_strongest_words():
    from pipeline.schemas import Evidence, Item

    ctx = Context("Larkspur", "Mereford Mills", "en")
    said = "We have another buyer looking at the mill in April, so we would like an answer soon."
    pressing = Item(text=f"Mereford Mills: “{said}”", verification="excerpt",
                    evidence=[Evidence(document="mail.txt", locator="line 6", quote=said)])
    hold = Item(text="Clause 12 — Renewal: Either party may propose terms. Until a new lease is granted the Tenant "
                     "holds over. On holding over the same rent and terms apply.", verification="excerpt")
    strongest = Item(text="Clause 12 — Renewal: Until a new lease is granted the Tenant holds over.", verification="excerpt")
    moves = compose_synthesis(FirstPage(latest=[pressing]), Picks(None, None, None, None), None, ctx, read_limit=True,
                              going_on=hold, right=strongest).next_moves
    assert moves[0].move.startswith("Answer their pressure with Clause 12 — Renewal")
    assert said in moves[0].why and ("“Until a new lease is granted the Tenant holds over. On holding over the same "
                                     "rent and terms apply.”") in moves[0].why, "and the sentence keeping today's terms"
    assert not any(m.move.startswith("Open on Clause 12") for m in moves), "the clause answers them: not opened twice"
    board = _line("The board must approve the extension.", "position")
    terms = _line("We can extend on the lease's terms, with rent indexed at 3% under clause 7.", "position")
    why = compose_synthesis(FirstPage(latest=[pressing]), Picks(None, None, None, None), None, ctx, read_limit=True,
                            going_on=hold, right=strongest, position_lines=[board, terms]).next_moves[0].why
    assert why.endswith("Your notes (notes.md, line 1): “We can extend on the lease's terms, with rent indexed at 3% "
                        "under clause 7.”"), "our notes' line on the terms we go on at, not any line on going on"
    calm = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, read_limit=True, going_on=hold,
                             right=strongest).next_moves
    assert calm[0].move.startswith("Open on Clause 12"), "no pressure of theirs: the clause is what we open on"
    terms = "The rent stays as it is unless both sides agree otherwise."
    plain = Item(text=f"Mereford Mills: “{terms}”", verification="excerpt",
                 evidence=[Evidence(document="mail.txt", locator="line 7", quote=terms)])
    assert compose_synthesis(FirstPage(latest=[plain]), Picks(None, None, None, None), None, ctx, read_limit=True,
                             going_on=hold, right=strongest).next_moves[0].move.startswith("Open on Clause 12"), \
        "a condition without a consequence for us is no pressure"


def test_a_step_of_our_notes_due_by_their_deadline_comes_first_with_its_date():
    from pipeline.brief.facts import Dated
    from pipeline.checks.quantities import Date

    ctx = Context("Larkspur", "Mereford Mills", "en")
    deadline = Dated("30 April 2027", Date(4, 30, 2027), Source("mail.txt", "line 5", "Answer by 30 April 2027."), False)
    idea = _line("Offer an escrow for the disputed amount.", "levers")
    notice = replace(_line("Send a protective notice by 31 March.", "agreed"), dates=(Date(3, 31),))
    later = replace(_line("Call their CFO by 20 May.", "agreed"), dates=(Date(5, 20),))
    sooner = replace(_line("Ask the bank for a quote by 25 March.", "agreed"), dates=(Date(3, 25),))
    assert compose_synthesis(FirstPage(), Picks(None, None, deadline, None), None, ctx, read_limit=True,
                             agreed=[notice, sooner]).next_moves[0].move == "Ask the bank for a quote by 25 March.", \
        "the earliest step is the one first due"
    refusal = replace(_line("No signature by 31 March.", "agreed"), dates=(Date(3, 31),))
    moves = compose_synthesis(FirstPage(), Picks(None, None, deadline, None), None, ctx, read_limit=True,
                              ideas_lines=[idea], agreed=[later, notice]).next_moves
    assert moves[0].move == "Send a protective notice by 31 March."
    assert moves[0].why.startswith("First due: 31 March 2027. A step of your notes")
    assert [m.move for m in moves].count("Send a protective notice by 31 March.") == 1
    assert not compose_synthesis(FirstPage(), Picks(None, None, deadline, None), None, ctx, read_limit=True,
                                 ideas_lines=[idea], agreed=[later, refusal]).next_moves[0].why.startswith("First due"), \
        "a step after their deadline, or a refusal, is no step due before it"


def test_their_deadline_before_our_decision_gives_a_dated_path_where_a_move_is_free():
    from pipeline.brief.facts import Dated
    from pipeline.checks.quantities import Date
    from pipeline.schemas import Item

    ctx = Context("Larkspur", "Mereford Mills", "en")
    deadline = Dated("31 March 2027", Date(3, 31, 2027), Source("mail.txt", "line 5", "Sign by 31 March 2027."), False)
    board = Dated("21 April 2027", Date(4, 21, 2027), Source("notes.md", "line 9", "Board on 21 April 2027."), True)
    conflict = Item(text="Their deadline (31 March 2027) comes before our decision (21 April 2027) (computed).",
                    kind="inference", basis="31 March 2027 → 21 April 2027")
    moves = compose_synthesis(FirstPage(dates=[conflict]), Picks(None, None, deadline, board), None, ctx,
                              read_limit=True).next_moves
    assert "Offer them a dated path to our decision on 21 April 2027 instead of their deadline of 31 March 2027" in [
        m.move for m in moves]
    assert not any("dated path" in m.move for m in compose_synthesis(
        FirstPage(), Picks(None, None, deadline, board), None, ctx, read_limit=True).next_moves), "no conflict: no path"


def test_what_each_day_from_a_date_ahead_costs_us_is_read_from_one_line_of_our_notes_and_set_beside_their_need():
    from pipeline.brief.compose import delay_cost
    from pipeline.brief.facts import Dated
    from pipeline.checks.quantities import Date

    line = Source("notes.md", "line 18", "- The permit needs a new mill from **1 July 2027**. Non-compliance costs "
                                         "EUR 9,000 per day in penalties.")
    rate = Source("notes.md", "line 20", "- A consultant is available from 1 August 2027 at EUR 1,200 per day.")
    july = Dated("1 July 2027", Date(7, 1, 2027), line, True)
    august = Dated("1 August 2027", Date(8, 1, 2027), rate, True)
    penalty = Money("EUR 9,000", 9000, "EUR", "day", line)
    day_rate = Money("EUR 1,200", 1200, "EUR", "day", rate)
    ours = frozenset({"notes.md"})
    assert delay_cost([august, july], [day_rate, penalty], ours) == (penalty, july)
    assert delay_cost([august], [day_rate], ours) is None, "a day rate is no cost of delay"
    assert delay_cost([july], [penalty], frozenset()) is None, "only a line of our own notes"
    ctx = Context("Larkspur", "Mereford Mills", "en")
    need = _line("They need the spring instalment to pay their suppliers.")
    summary = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, read_limit=True,
                                their_lines=[need], clock=(penalty, july)).executive_summary
    assert ("Time presses us from 1 July 2027: “The permit needs a new mill from 1 July 2027. Non-compliance costs "
            "EUR 9,000 per day in penalties.” (your notes, line 18).") in summary
    assert "What they need: “They need the spring instalment to pay their suppliers.” (your notes, line 1)." in summary


def test_an_open_point_that_goes_on_to_who_decides_for_them_is_asked():
    ctx = Context("Larkspur", "Mereford Mills", "en")
    open_point = _line("We do not know their cost base, or who at Mereford Mills can approve a deal.", "open")
    asked = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, read_limit=True,
                              open_lines=[open_point]).questions_to_ask
    assert asked == ["Who at Mereford Mills can approve a deal."]
    from pipeline.brief.facts import Message
    from pipeline.checks.quantities import Date

    mandate = _line("Can Ines Kettle decide the price alone? She seems to have a limited mandate.", "open")
    mail = Message(Date(3, 9, 2027), "9 March 2027", "Ines Kettle <ines@mereford.example>", "Price",
                   Source("mail.txt", "line 1", "From: Ines Kettle"))
    assert compose_synthesis(FirstPage(), Picks(None, None, None, None), mail, ctx, read_limit=True,
                             open_lines=[mandate], theirs=mail).questions_to_ask == [
        "Can Ines Kettle decide the price alone?"], \
        "the one who writes their messages is theirs to name, no third party; our remark on them is not asked"
    assert compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, read_limit=True,
                             open_lines=[mandate]).questions_to_ask == []


def test_the_argument_the_materials_expect_from_them_is_found_by_its_words_and_their_name():
    from pipeline.brief.notes import expected_argument

    case = CaseMaterials(name="hand-written", language="en", documents=[Document(
        name="legal_note.md", kind="md", text="", units=[Unit(locator="line 4", text=(
            "- The scope has not changed. Mereford will probably argue that the new mill is a different product."))])])
    found = expected_argument(case, "Mereford Mills Ltd")
    assert found.text == "Mereford will probably argue that the new mill is a different product."
    assert found.source.locator == "line 4"
    assert expected_argument(case, "Larkspur Foods") is None, "another party's argument is not theirs"
    reply = CaseMaterials(name="hand-written", language="en", documents=[Document(
        name="notes.md", kind="md", text="", units=[Unit(locator="line 2", text="- Mereford will reply by Friday.")])])
    assert expected_argument(reply, "Mereford Mills Ltd") is None, "a reply announced is no argument foreseen"


def test_their_items_our_notes_speak_of_are_set_out_in_the_summary_each_with_our_words_and_said_once():
    from pipeline.schemas import Item

    ctx = Context("Larkspur", "Mereford Mills", "en")
    terms = [Item(text="Flour surcharge · Claim (EUR): 90,000", verification="excerpt"),
             Item(text="Your notes on it: The surcharge is their own supplier's risk.", verification="quoted"),
             Item(text="Extra sacks · Claim (EUR): 30,000", verification="excerpt"),
             Item(text="Your notes on it: Weak spot: we did order the sacks.", verification="quoted"),
             Item(text="Transport · Claim (EUR): 10,000", verification="excerpt")]
    page = FirstPage(their_terms=list(terms))
    summary = compose_synthesis(page, Picks(None, None, None, None), None, ctx, read_limit=True).executive_summary
    assert ("Their items, with your notes on each: Flour surcharge · Claim (EUR): 90,000 — “The surcharge is their own "
            "supplier's risk.”; Extra sacks · Claim (EUR): 30,000 — “Weak spot: we did order the sacks.”.") in summary
    assert [i.text for i in page.their_terms] == [terms[0].text, terms[2].text, terms[4].text], "our words said once"
    one = FirstPage(their_terms=list(terms[:2]))
    assert "Their items" not in compose_synthesis(one, Picks(None, None, None, None), None, ctx,
                                                  read_limit=True).executive_summary, "one item: no list"


def test_an_open_point_we_need_to_find_out_is_asked_unless_it_names_a_third_party():
    from pipeline.brief.compose import to_question

    ctx = Context("Larkspur", "Mereford Mills", "en")
    line = "We do not know whether the new flour rule applies to a contract signed in 2024."
    assert to_question(line) == "Whether the new flour rule applies to a contract signed in 2024."
    assert to_ask(to_question(line), ctx)
    assert to_ask("When MillCloud becomes available, which matters for clause 14.", ctx, theirs=frozenset({"millcloud"})), \
        "a product their own papers name is theirs to answer"
    assert not to_ask("When MillCloud becomes available.", ctx), "a name nobody of theirs uses: a third party"
    assert to_ask("Do Mereford Mills' buyers have exclusive terms? Unknown.", ctx), "a sentence's first word is no name"
    assert to_question("Their capacity in July is unknown.") == "Their capacity in July is unknown."


def test_a_step_that_tables_a_proposal_is_a_move_of_substance_before_filler_steps():
    ctx = Context("Larkspur", "Mereford Mills", "en")
    notice = _line("Send Mereford Mills a protective notice by 31 March.", "agreed")
    proposal = _line("Propose either a one-year bridge at the capped price or a three-year deal on the new volume.",
                     "agreed")
    ideas = [_line("Offer a longer term for a lower fee.", "levers")]
    synthesis = compose_synthesis(FirstPage(), Picks(None, None, None, None), None, ctx, agreed=[notice, proposal],
                                  ideas_lines=ideas, read_limit=True)
    moves = {m.move: m for m in synthesis.next_moves}
    table = moves["Propose either a one-year bridge at the capped price or a three-year deal on the new volume."]
    assert table.dimension == "substance" and table.why.startswith("A proposal your notes make")
