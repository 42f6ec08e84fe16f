"""Items a model's answer cut off at its length bound are trimmed to whole sentences or left out."""

from __future__ import annotations

from pipeline.cleanup.cut import whole, without_cut_items
from pipeline.schemas import Item

CUT = ("The board approved the budget in November. It assumes savings of at least two million a year, so the "
       "run cost must stay at or below the ceiling set by")


def test_a_cut_off_text_keeps_its_whole_sentences_and_a_whole_text_is_untouched():
    assert whole(CUT) == "The board approved the budget in November."
    assert whole("A short text without a full stop") == "A short text without a full stop"
    assert whole("x" * 170) is None


def test_cut_off_items_are_trimmed_or_left_out_but_never_a_line_of_our_notes():
    items = [Item(text=CUT), Item(text="y " * 80), Item(text="z " * 80, verification="quoted")]
    assert without_cut_items([items]) == 1
    assert [i.text for i in items] == ["The board approved the budget in November.", ("z " * 80).strip()]
