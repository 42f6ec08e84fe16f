"""What the first page's figures come to against each other (hand-written figures and lines, not a sample case)."""

from __future__ import annotations

from pipeline.brief.compose import Context
from pipeline.brief.facts import Money, Source
from pipeline.brief.reckon import after_discount, indexed_today, reckoned, terms_above
from pipeline.brief.terms import Term

CTX = Context("Larkspur", "Mereford Mills", "en")
ASK = Money("EUR 1.5 million", 1_500_000, "EUR", "year",
            Source("offer.md", "line 2", "Fee: EUR 1.5 million a year from 2028"))
LIMIT = Money("EUR 1.2 million", 1_200_000, "EUR", "year",
              Source("notes.md", "line 3", "Budget: at most EUR 1.2 million a year"))


def _term(locator: str, text: str) -> Term:
    return Term(text=text, source=Source("offer.md", locator, text))


def test_a_yearly_term_of_theirs_that_alone_breaks_our_limit_is_named():
    row = "| Minimum annual volume | EUR 1,300,000 |"
    commitment = Money("EUR 1,300,000", 1_300_000, "EUR", "year", Source("offer.md", "line 5", row))
    setup = Money("EUR 400,000", 400_000, "EUR", "", Source("offer.md", "line 6", "| Setup | EUR 400,000 |"))
    ours = Money("EUR 1,250,000", 1_250_000, "EUR", "year", Source("notes.md", "line 7", "We pay EUR 1,250,000 a year"))
    terms = [_term("line 5", "Minimum annual volume · EUR 1,300,000"), _term("line 6", "Setup · EUR 400,000")]
    lines = terms_above(ASK, LIMIT, terms, [ASK, commitment, setup, ours], CTX)
    assert [i.text for i in lines] == ["Of their terms, “Minimum annual volume · EUR 1,300,000” alone is EUR 100,000 "
                                       "a year above our limit of EUR 1.2 million (computed)."], \
        "a one-off fee is no yearly figure, and a figure of our notes is no term of theirs"
    assert lines[0].kind == "inference" and "offer.md, line 5" in lines[0].basis


def test_their_ask_after_the_discount_they_offer_is_set_against_our_limit():
    offer = _term("line 8", "Early signing: 6% off the fee if signed by 30 April")
    [line] = after_discount(ASK, LIMIT, [offer], CTX)
    assert line.text == ("Even with their 6% off, their ask comes to EUR 1.41 million a year: still EUR 210,000 a "
                         "year above our limit of EUR 1.2 million (computed).")
    assert "offer.md, line 8" in line.basis
    deeper = _term("line 8", "Early signing: 25% off the fee")
    assert "within our limit" in after_discount(ASK, LIMIT, [deeper], CTX)[0].text
    first = _term("line 8", "Early signing: 6% off year 1 if signed by 30 April")
    assert after_discount(ASK, LIMIT, [first], CTX)[0].text == (
        "Even with their 6% off the first year, that year comes to EUR 1.41 million: still EUR 210,000 above our "
        "limit of EUR 1.2 million (computed)."), "a first-year discount is no yearly figure"


def test_a_line_that_could_mean_two_things_gives_no_computation():
    two = _term("line 8", "Discount of 3% in year 1 and 5% in year 2")
    priced = _term("line 9", "Volume discount: 5% off above EUR 2 million")
    points = Source("notes.md", "line 4", "We expect CPI + 2 percentage points")
    today = Money("EUR 1.1 million", 1_100_000, "EUR", "year",
                  Source("notes.md", "line 5", "Today's fee: EUR 1.1 million a year"))
    assert after_discount(ASK, LIMIT, [two, priced], CTX) == []
    assert indexed_today(ASK, LIMIT, [today], [points], CTX) == []


def test_todays_price_with_the_index_our_notes_expect_is_set_against_our_limit():
    index = Source("notes.md", "line 4", "- The option runs on the contract's terms with CPI indexation (about 4%).")
    today = Money("EUR 1.1 million", 1_100_000, "EUR", "year",
                  Source("contract.md", "line 9", "The fixed fee for 2027 is EUR 1.1 million a year."))
    other = Money("EUR 1.0 million", 1_000_000, "EUR", "year",
                  Source("notes.md", "line 6", "A rival quoted EUR 1.0 million a year."))
    [line] = indexed_today(ASK, LIMIT, [other, today], [index], CTX)
    assert line.text == ("Today's price of EUR 1.1 million with the indexation your notes expect (4%) comes to about "
                         "EUR 1.14 million a year: EUR 56,000 a year within our limit of EUR 1.2 million (computed)."), \
        "today's price is the one set for a year before their ask starts, not any lower figure"
    assert "contract.md, line 9" in line.basis and "notes.md, line 4" in line.basis


def test_nothing_is_reckoned_without_an_ask_and_a_limit_of_one_kind():
    per_unit = Money("EUR 0.08", 0.08, "EUR", "", Source("offer.md", "line 3", "EUR 0.08 per item"), unit="item")
    assert reckoned(None, LIMIT, [], [], [], CTX) == []
    assert reckoned(per_unit, LIMIT, [_term("line 8", "5% off")], [], [], CTX) == []


def test_the_amount_our_notes_judge_fair_is_set_against_their_ask_and_our_approval_thresholds():
    from pipeline.brief.reckon import our_view

    claim = Money("EUR 5,000,000", 5_000_000, "EUR", "", Source("claim.md", "line 4", "Revised claim: EUR 5,000,000"))
    line = "- Anna: the fire-rule item looks genuine. In her view EUR 0.6–0.9m of that item is defensible."
    low = Money("EUR 0.6–0.9m", 600_000, "EUR", "", Source("notes.md", "line 8", line))
    high = Money("EUR 0.6–0.9m", 900_000, "EUR", "", Source("notes.md", "line 8", line))
    other = Money("EUR 2m", 2_000_000, "EUR", "", Source("notes.md", "line 9", "- Last year we paid EUR 2m for repairs."))
    lender = Money("EUR 700,000", 700_000, "EUR", "", Source("notes.md", "line 11", "Above EUR 700,000 the bank must consent."))
    board = Money("EUR 1.5m", 1_500_000, "EUR", "", Source("notes.md", "line 12", "The CEO can approve up to EUR 1.5m."))
    [view] = our_view(claim, [claim, low, high, other], frozenset({"notes.md"}), [lender, board], CTX)
    assert view.text == ("Your notes: “In her view EUR 0.6–0.9m of that item is defensible.” (notes.md, line 8): "
                         "EUR 0.6–0.9m is at most 18% of their ask of EUR 5,000,000; the EUR 700,000 threshold falls "
                         "inside it; within the EUR 1.5m threshold (computed).")
    assert view.kind == "inference" and "claim.md, line 4" in view.basis
    odd = Money("EUR 6,200,000", 6_200_000, "EUR", "", Source("claim.md", "line 4", "Revised claim: EUR 6,200,000"))
    [view] = our_view(odd, [low, high], frozenset({"notes.md"}), [], CTX)
    assert "is at most 15% of their ask" in view.text, "0.9 / 6.2 = 14.5%: rounded up, since it says at most"
    assert our_view(claim, [claim, other], frozenset({"notes.md"}), [board], CTX) == [], "a figure not judged fair"
    assert our_view(claim, [low, high], frozenset({"other.md"}), [], CTX) == [], "only our own notes' judgement"


def test_what_our_alternative_would_cost_is_its_yearly_price_against_our_limit_and_its_one_off_cost():
    from pipeline.brief.notes import NoteLine
    from pipeline.brief.reckon import alternative_cost

    text = "- **Switch to MillCo:** around EUR 1,000,000 a year in fees, but about EUR 0.5m to implement."
    source = Source("notes.md", "line 9", text)
    line = NoteLine("alternatives", text.lstrip("- ").replace("**", ""), source)
    yearly = Money("EUR 1,000,000", 1_000_000, "EUR", "year", source)
    once = Money("EUR 0.5m", 500_000, "EUR", "year", source)  # the line's period read for both, as the reader does
    item = alternative_cost([line], LIMIT, [yearly, once], CTX)
    assert item.text == ("Our alternative Switch to MillCo: EUR 1,000,000, EUR 200,000 a year below our limit, but "
                         "EUR 500,000 once to take it up (computed).")
    assert item.kind == "inference" and "notes.md, line 9" in item.basis
    against = alternative_cost([line], LIMIT, [yearly, once], CTX, ASK).text
    assert against == ("Our alternative Switch to MillCo: EUR 1,000,000, EUR 500,000 a year below their ask and EUR "
                       "200,000 a year below our limit, but EUR 500,000 once to take it up (computed)."), \
        "against what they ask as well"
    dearer = Source("notes.md", "line 9", "- Switch to MillCo: around EUR 1,400,000 a year.")
    plain = Money("EUR 1,400,000", 1_400_000, "EUR", "year", dearer)
    assert alternative_cost([line], LIMIT, [plain], CTX).text == (
        "Our alternative Switch to MillCo: EUR 1,400,000, EUR 200,000 a year above our limit (computed).")
    far = Money("EUR 90,000", 90_000, "EUR", "year", Source("notes.md", "line 9", "- Switch to MillCo: EUR 90,000 a year."))
    assert alternative_cost([line], LIMIT, [far], CTX) is None, "a figure of another scale is no yearly price"
    assert alternative_cost([line], None, [yearly], CTX) is None
