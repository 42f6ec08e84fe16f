"""A small model's repeated items are dropped; different items and the list's first item stay."""

from pipeline.checks.repeats import without_repeats
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
