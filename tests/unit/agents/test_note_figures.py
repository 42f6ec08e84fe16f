"""The key facts of our side's notes: the lines that state a figure, without the document's head, headings,
list, table and emphasis marks. The documents below are written for the test."""

from __future__ import annotations

from pipeline.case.readers import read_text
from pipeline.note_figures import figures_of_notes

MINUTES = """# Steering committee: supplier renewal
**Date:** 4 March 2026, 10:00-11:30
**Present:** Ana (CFO), Ben (Procurement), Chloe (Legal)

## 1. Where we stand
- Current spend is **EUR 1.2 million** a year across 14 sites.
- The supplier asks for EUR 1.5 million, a rise of 25%, from 1 July.
- Ben thinks the supplier needs the renewal more than we do.

## 2. Actions
| # | Action | Owner | Due |
|---|--------|-------|-----|
| 1 | Send the counter-proposal to the supplier | Ben | 18 March 2026 |
| 2 | Check clause 7.3 | Chloe | 11 March 2026 |
"""


def _doc(name: str, text: str):
    return read_text(name, text.encode())


def _facts(*documents, limit: int = 16) -> list[str]:
    return [f.text for f in figures_of_notes(list(documents), limit)]


def test_figure_lines_are_taken_clean_and_in_order():
    facts = _facts(_doc("minutes.md", MINUTES))
    assert facts == [
        "Current spend is EUR 1.2 million a year across 14 sites.",
        "The supplier asks for EUR 1.5 million, a rise of 25%, from 1 July.",
        "Send the counter-proposal to the supplier \u00b7 Ben \u00b7 18 March 2026",
        "Check clause 7.3 \u00b7 Chloe \u00b7 11 March 2026",
    ]  # no date or attendance field, heading, table header or figure-less line


def test_only_our_sides_own_documents_are_read_the_first_two():
    letter = _doc("offer.md", "Dear Ana,\nOur price for next year is EUR 1.5 million for all sites.\n")
    memo = _doc("memo_budget.md", "Memo\nThe budget for next year is EUR 1.3 million at most.\n")
    notes = _doc("notes_call.md", "Call notes\nThey said 3 other clients accepted the new price list.\n")
    facts = _facts(letter, _doc("minutes.md", MINUTES), memo, notes)
    assert "Our price for next year is EUR 1.5 million for all sites." not in facts
    assert "The budget for next year is EUR 1.3 million at most." in facts
    assert not any("3 other clients" in f for f in facts)


def test_beyond_the_bound_the_lines_with_most_figures_are_kept_in_order():
    text = "Notes\n" + "\n".join([
        "We were told the answer comes on 3 May.",
        "Their offer: EUR 90,000 a year for 3 years, 5% off if signed by 1 June.",
        "Our ceiling stays at EUR 80,000 a year for 2 years.",
        "The next meeting is on 12 May in Oslo.",
    ])
    facts = _facts(_doc("notes.md", text), limit=2)
    assert facts == ["Their offer: EUR 90,000 a year for 3 years, 5% off if signed by 1 June.",
                     "Our ceiling stays at EUR 80,000 a year for 2 years."]


def test_a_paragraph_is_read_sentence_by_sentence_and_day_numbers_are_kept():
    paragraph = ("Internal memo\n" + "The team met to review the renewal and the options we have. " * 6
                 + "Our walk-away price is NOK 4,2 mill. per year. The rest was general discussion without figures.\n"
                 + "4. juni 2026 er fristen for styrets vedtak om opsjonen.\n")
    facts = _facts(_doc("memo.md", paragraph))
    assert facts == ["Our walk-away price is NOK 4,2 mill. per year.", "4. juni 2026 er fristen for styrets vedtak om opsjonen."]


def test_hard_wrapped_notes_are_joined_back_into_sentences():
    """Plain-text notes and e-mails wrap at a fixed width: a figure's sentence is read whole, across the wrap."""
    text = ("Notat fra telefonmøte\n"
            "Avtalen med Müller løper ut 30. april 2026. Müller krever 7 % høyere pris fra 1. mai,\n"
            "det vil si NOK 15 200 per tonn mot dagens NOK 14 200. Vi kjøper rundt 1 800\n"
            "tonn i året. De skrev: \"Wir brauchen bis zum 20. März 2026 eine Antwort von Ihnen.\"\n"
            "- Neste møte: 12. mars 2026 i Bergen.\n")
    facts = _facts(_doc("notat.txt", text))
    assert facts == [
        "Avtalen med Müller løper ut 30. april 2026.",
        "Müller krever 7 % høyere pris fra 1. mai, det vil si NOK 15 200 per tonn mot dagens NOK 14 200.",
        "Vi kjøper rundt 1 800 tonn i året.",
        "De skrev: \"Wir brauchen bis zum 20. März 2026 eine Antwort von Ihnen.\"",
        "Neste møte: 12. mars 2026 i Bergen.",
    ]
