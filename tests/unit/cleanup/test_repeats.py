"""A small model's repeated items are dropped; different items and the list's first item stay."""

from pipeline.cleanup.repeats import without_repeats
from pipeline.schemas import CounterpartProfile, Guidance, Inference


def test_repeated_items_are_dropped_at_any_depth():
    pressure = "Their onboarding team is booked after March."
    profile = CounterpartProfile(
        name="PaySys", style="competitive",
        pressures=[Inference(text=pressure), Inference(text="  their ONBOARDING team is booked after march. "),
                   Inference(text="They need a flagship client.")],
        tomorrow_morning=[Inference(text="Idle capacity in Q2.")],
        communication=[Guidance(advice="Ask about the slot.", dimension="process")] * 3,
        interaction=[Guidance(advice="Acknowledge the deadline.", dimension="relationship"),
                     Guidance(advice="Acknowledge the deadline.", dimension="process")],
        negotiation=[Guidance(advice="Offer phasing.", dimension="substance")],
    )
    cleaned = without_repeats(profile)
    assert [p.text for p in cleaned.pressures] == [pressure, "They need a flagship client."]
    assert len(cleaned.communication) == 1 and len(cleaned.interaction) == 1
    assert cleaned.tomorrow_morning == profile.tomorrow_morning
    assert len(profile.pressures) == 3, "the original is left as it was"


def test_an_item_given_again_in_a_later_list_of_the_same_model_is_dropped():
    """The recorded delivery-dispute challenge gave the same three items as hidden trades, partial alternatives
    and their dependencies (these are hand-written items in that shape): each stays only where it came first;
    lists of other models (each item's evidence) are thinned on their own."""
    from pipeline.schemas import ChallengeReport, Evidence, HiddenTrade, Suggestion

    claim = "DNV rule amendment on battery-room fire protection (Jan 2025)"
    quote = Evidence(document="02_claim.md", quote="DNV rule amendment")
    suggestion = Suggestion(text=claim, dimension="substance", citations=["framing"], evidence=[quote])
    report = ChallengeReport(
        reframe="Deliver the ferry and settle the claim separately.",
        widened_elements=[Suggestion(text="The summer timetable", dimension="process", citations=["framing"],
                                     evidence=[quote])],
        hidden_trades=[HiddenTrade(text=claim, dimension="substance", citations=["framing"], we_give="a",
                                   we_get="b")],
        partial_alternatives=[suggestion, Suggestion(text="Charter a vessel from 1 August", dimension="substance",
                                                     citations=["batna"])],
        their_dependencies=[suggestion.model_copy(update={"text": f"  {claim.upper()} "})],
    )
    cleaned = without_repeats(report)
    assert [t.text for t in cleaned.hidden_trades] == [claim]
    assert [s.text for s in cleaned.partial_alternatives] == ["Charter a vessel from 1 August"]
    assert cleaned.their_dependencies == []
    assert cleaned.widened_elements[0].evidence == [quote]


def test_a_foreign_script_slipped_into_the_brief_is_dropped_unless_it_is_the_brief_language():
    from pipeline.schemas import Synthesis
    from pipeline.cleanup.stray_script import without_stray_script

    synthesis = Synthesis.model_validate({
        "executive_summary": "Build a mutually beneficial relationship, and确保 the price holds.",
        "plan": {"process": ["Agree the timeline."], "relationship": ["Acknowledge the deadline."],
                 "substance": ["Phase the setup fee 分期."]},
        "next_moves": [{"move": "Ask about the slot.", "dimension": "process", "why": "It is unverified."}],
        "questions_to_ask": ["What happens after 31 March?"],
    })
    cleaned = without_stray_script(synthesis, "en")
    assert cleaned.executive_summary == "Build a mutually beneficial relationship, and the price holds."
    assert cleaned.plan.substance == ["Phase the setup fee."]
    assert cleaned.questions_to_ask == synthesis.questions_to_ask
    assert without_stray_script(synthesis, "zh") == synthesis


def test_an_item_said_again_in_other_words_is_kept_once_the_first_page_and_checked_lines_first():
    from pipeline.cleanup.repeats import without_near_repeats
    from pipeline.schemas import Item

    page = [Item(text="Their deadline of 31 March comes before our board meeting on 21 April.")]
    profile = [Item(text="The board meeting on 21 April comes after their deadline of 31 March.", verification="verified"),
               Item(text="The supplier employs fourteen engineers in the northern office.", verification="inference"),
               Item(text="The supplier employs fourteen engineers in its northern office.", verification="unverified"),
               Item(text="Fourteen engineers in the northern office are employed by the supplier.", verification="quoted")]
    assert without_near_repeats([page], [profile]) == 2
    assert [i.text for i in page] == ["Their deadline of 31 March comes before our board meeting on 21 April."]
    assert [i.verification for i in profile] == ["unverified", "quoted"], "an item set apart for checking stays"


def test_a_bare_figure_or_date_the_first_page_shows_with_its_passage_is_dropped():
    from pipeline.cleanup.repeats import without_near_repeats
    from pipeline.schemas import Evidence, Item

    limit = Item(text="Our limit (Larkspur): at most GBP 1,350,000.", verification="verified",
                 evidence=[Evidence(document="notes.md", quote="Our approved budget line is GBP 1,350,000.")])
    date = Item(text="1 April 2027 — last day for notice (clause 9.5).", verification="quoted")
    profile = [Item(text="Budget line is GBP 1,350,000", verification="verified"),
               Item(text="1 April 2027", verification="verified"),
               Item(text="Budget line is GBP 1,400,000", verification="verified"),
               Item(text="Licence fee: 1 April 2027", verification="verified")]
    assert without_near_repeats([[limit, date]], [profile]) == 2
    assert [i.text for i in profile] == ["Budget line is GBP 1,400,000", "Licence fee: 1 April 2027"], \
        "another figure, or words the first page's line does not hold, stay"
    fact = Item(text="We hold the guarantee, and penalties start running after 15 May (EUR 30,000/day).",
                verification="quoted")
    constraint = Item(text="Penalties start after 15 May (EUR 30,000/day)", verification="verified")
    profile = [constraint, fact]
    assert without_near_repeats([[]], [profile]) == 1 and profile == [fact], "a quoted line of our notes says it whole"


def test_first_page_lines_computed_in_code_are_not_taken_for_repeats_of_each_other():
    from pipeline.cleanup.repeats import without_near_repeats
    from pipeline.schemas import Item

    total = Item(text="If the gap held for the whole term of 7 years: EUR 9.8 million (computed).", kind="inference",
                 basis="EUR 1.4 million a year × 7")
    leaving = Item(text="Their ask over the whole term of 7 years comes to about EUR 53 million, above the EUR 40 "
                        "million that can be signed at our level (computed).", kind="inference", basis="EUR 7.6 million × 7")
    model = Item(text="Over the whole term of 7 years the gap held comes to EUR 9.8 million.", verification="verified")
    page, rest = [total, leaving], [model]
    assert without_near_repeats([page], [rest]) == 1
    assert page == [total, leaving] and rest == [], "the model's repeat of a computed line goes, both lines stay"
