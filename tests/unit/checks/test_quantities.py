"""Numbers and dates read the same whatever their format or language."""

from __future__ import annotations

import pytest

from pipeline.checks.quantities import Date, dates_in, numbers_in, parse_date, same_number


@pytest.mark.parametrize("text", ["EUR 2.58 million", "2,58 mill.", "2 580 000", "2.58M", "2.580.000 kr",
                                  "2,580,000", "NOK 2\u00a0580\u00a0000", "2'580'000 CHF", "2,58 millioner"])
def test_one_amount_in_many_formats(text):
    assert any(same_number(v, 2_580_000) for v in numbers_in(text)), numbers_in(text)


@pytest.mark.parametrize("text, value", [("EUR 0.085 per transaction", 0.085), ("12,5 %", 12.5),
                                         ("0.42% surcharge", 0.42), ("EUR 1.5 bn", 1.5e9), ("7 years", 7)])
def test_decimals_and_scales(text, value):
    assert any(same_number(v, value) for v in numbers_in(text))


def test_single_letter_scales_only_attached():
    assert not any(same_number(v, 18e6) for v in numbers_in("a hull 18 m long"))
    assert any(same_number(v, 18e6) for v in numbers_in("a EUR 18m claim"))


def test_a_thousands_group_is_read_both_ways():
    assert {1500.0, 1.5} <= set(numbers_in("1.500"))


@pytest.mark.parametrize("text", ["31 March 2026", "31. mars 2026", "31.03.2026", "2026-03-31", "March 31, 2026",
                                  "31 Mar 2026", "31. März 2026", "le 31 mars 2026", "31.3. 2026"])
def test_one_date_in_many_formats(text):
    assert any(d.same_day(Date(3, 31, 2026)) for d in dates_in(text)), dates_in(text)


@pytest.mark.parametrize("text", ["due 31stMarch 2026", "the 31 of March, 2026", "31 de marzo de 2026", "am 31.März 2026",
                                  "Frist: 31 MAR 2026", "by 2026-03-31", "on 31/3/2026", "Signed Mar. 31, 2026"])
def test_a_date_is_read_wherever_its_month_stands(text):
    assert [d for d in dates_in(text) if d.same_day(Date(3, 31, 2026))], dates_in(text)


def test_dates_without_year_match_any_year_but_not_another_year():
    assert dates_in("by 30 June")[0].same_day(Date(6, 30, 2026))
    assert not dates_in("30 June 2025")[0].same_day(Date(6, 30, 2026))


@pytest.mark.parametrize("text", ["5 markets", "3.4 million", "14 months", "Q1 2027", "12 OpCos"])
def test_things_that_are_not_dates(text):
    assert dates_in(text) == []


def test_parse_date_forms():
    assert parse_date("2026-04-21") == Date(4, 21, 2026)
    assert parse_date("04-21") == Date(4, 21)
    with pytest.raises(ValueError):
        parse_date("21 April")
