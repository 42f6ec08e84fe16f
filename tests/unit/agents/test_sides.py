"""A party's side follows the organisation its description names, when its name names neither side."""

from __future__ import annotations

from pipeline.deal_profiles import keep_sides
from pipeline.schemas import DealProfile, Party


def test_a_unit_of_our_organisation_is_never_the_counterpart():
    profile = DealProfile(summary="s", our_side="x", counterpart="y", issues=[], parties=[
        Party(name="Group Procurement", role="counterpart", text="Northwind Holding AG, Group Procurement"),
        Party(name="Account director", role="our_side", text="Account director at Blue Ridge Systems"),
        Party(name="Arbiter", role="third_party", text="Named by Northwind Holding AG and Blue Ridge Systems jointly"),
    ])
    kept = keep_sides(profile, "Northwind Holding AG", "Blue Ridge Systems")
    assert [p.role for p in kept.parties] == ["our_side", "counterpart", "third_party"]
