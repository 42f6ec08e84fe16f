"""The pydantic contract: round trips, the JSON schema a model fills, and its bounds."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from pipeline.testing.synthetic import instance_for
from pipeline.schemas import (
    ChallengeReport, CounterpartProfile, DealFacts, DealProfile, DealStakes, Evidence, Item, Pick, PrepReport, Synthesis,
    WrittenSynthesis,
    llm_schema,
)

NODE_OUTPUTS = [DealFacts, DealStakes, DealProfile, ChallengeReport, CounterpartProfile, WrittenSynthesis, Pick]


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


@pytest.mark.parametrize("model", NODE_OUTPUTS)
def test_llm_schema_is_bounded_and_has_no_pipeline_fields(model):
    schema = llm_schema(model)
    text = json.dumps(schema)
    for field in ("verification", "issues_found", "locator", "match_score"):
        assert f'"{field}"' not in text
    for node in _walk(schema):
        if node.get("type") == "array":
            assert "maxItems" in node, node
        if node.get("type") == "string" and "enum" not in node:
            assert node.get("maxLength", 10**6) <= 400, node
        if "properties" in node:
            assert set(node["required"]) == set(node["properties"])


@pytest.mark.parametrize("model", NODE_OUTPUTS)
def test_a_minimal_instance_of_the_llm_schema_validates_and_round_trips(model):
    data = instance_for(llm_schema(model))
    obj = model.model_validate(data)
    assert model.model_validate_json(obj.model_dump_json()) == obj


def test_citation_enum_is_pinned_to_the_retrieved_ids():
    schema = llm_schema(ChallengeReport, enums={"citations": ["batna", "zopa"]})
    enums = [n["items"]["enum"] for n in _walk(schema) if n.get("type") == "array" and "enum" in n.get("items", {})]
    assert enums and all(e == ["batna", "zopa"] for e in enums)


def test_items_reject_empty_text_and_too_much_evidence():
    with pytest.raises(ValidationError):
        Item(text="   ")
    with pytest.raises(ValidationError):
        Item(text="x", evidence=[Evidence(quote="a"), Evidence(quote="b")])
    assert Item(text="  padded  ").text == "padded"


def test_prep_report_round_trip_and_exact_keys():
    data = {
        "case": {"name": "c"},
        "deal_profile": instance_for(llm_schema(DealProfile)),
        "challenge": instance_for(llm_schema(ChallengeReport)),
        "counterpart": instance_for(llm_schema(CounterpartProfile)),
        "synthesis": instance_for(llm_schema(Synthesis)),
        "provenance": {"negoprep_version": "0", "backend": "x", "model": "y"},
        "warnings": [],
    }
    report = PrepReport.model_validate(data)
    assert list(json.loads(report.model_dump_json())) == list(data)
    assert PrepReport.model_validate_json(report.model_dump_json()) == report
    with pytest.raises(ValidationError):
        PrepReport.model_validate({**data, "extra": 1})


def test_salvage_drops_only_the_invalid_list_items():
    """Hand-written fixture (not model output): whitespace-only entries, an uncited suggestion
    and a lone surrogate escape, as weak models produce them."""
    from pipeline.llm.structured import parse_json_lenient, salvage

    raw = ('{"executive_summary": "Separate delivery from the claim.", "plan": {"process": ["Agree a verification step", "\\n\\r"],'
           ' "relationship": ["\\t"], "substance": ["Price \\udca5 review"]}, "next_moves": [{"move": " ", "dimension": "process",'
           ' "why": "x"}, {"move": "Propose a joint review", "dimension": "process", "why": "tactical consent"}],'
           ' "questions_to_ask": ["What must be verified?"], "verify_before_meeting": []}')
    synthesis, dropped = salvage(Synthesis, parse_json_lenient(raw))
    assert dropped == 3
    assert synthesis.plan.process == ["Agree a verification step"] and synthesis.plan.relationship == []
    assert synthesis.plan.substance == ["Price  review"]
    assert [m.move for m in synthesis.next_moves] == ["Propose a joint review"]

    with pytest.raises(ValidationError):
        salvage(Synthesis, parse_json_lenient(raw.replace('"Separate delivery from the claim."', '"  "')))

    challenge = instance_for(llm_schema(ChallengeReport))
    challenge["widened_elements"].append({**challenge["widened_elements"][0], "citations": []})
    report, dropped = salvage(ChallengeReport, challenge)
    assert dropped == 1 and len(report.widened_elements) == 1


def test_an_answer_cut_off_at_the_token_limit_keeps_its_complete_part():
    """Hand-written fixture (not model output): a deal profile cut off inside the third list."""
    from pipeline.llm.structured import close_truncated_json

    cut = ('{"summary": "Price review \\"urgent\\"", "our_side": "A", "counterpart": "B", "parties": ['
           '{"text": "A buys", "kind": "fact", "evidence": [], "basis": "", "name": "A", "role": "our_side"}], '
           '"issues": [{"text": "price", "kind": "fact", "evidence": [], "basis": ""}, {"text": "term", "ki')
    profile, dropped = salvage_profile(close_truncated_json(cut))
    assert profile.summary == 'Price review "urgent"'
    assert [i.text for i in profile.issues] == ["price", "term"] and dropped == 0
    with pytest.raises(json.JSONDecodeError):
        close_truncated_json('{"summary": "never closed')


def salvage_profile(data):
    from pipeline.llm.structured import salvage

    return salvage(DealProfile, data)


def test_the_case_sides_win_over_the_models_reading():
    """On a held-out Norwegian case the 1.5B model labelled our own company the counterpart."""
    from pipeline.deal_profiles import keep_sides, same_party
    from pipeline.schemas import DealProfile

    profile = DealProfile.model_validate({
        "summary": "s", "our_side": "Driftspartner", "counterpart": "Helse Vestfjord",
        "parties": [{"text": "Buyer", "name": "Helse Vestfjord HF", "role": "counterpart"},
                    {"text": "Supplier", "name": "Driftspartner AS", "role": "our_side"},
                    {"text": "Adviser", "name": "Berg Consulting", "role": "third_party"}],
        "issues": [{"text": "price"}],
    })
    kept = keep_sides(profile, "Helse Vestfjord", "Driftspartner AS")
    assert (kept.our_side, kept.counterpart) == ("Helse Vestfjord", "Driftspartner AS")
    assert [p.role for p in kept.parties] == ["our_side", "counterpart", "third_party"]
    assert keep_sides(profile, "", "") is profile
    assert same_party("TelCo Group Services GmbH", "TelCo") and not same_party("TelCo", "PaySys")


def test_statements_that_the_materials_say_nothing_move_to_missing_information():
    """Fillers of the kind the 1.5B model wrote on norsk-leveranse ("Budgets and mandates not specified in
    documents or internal notes") are not facts of the case (hand-written here in the same words)."""
    from pipeline.deal_profiles import move_absences

    profile = DealProfile.model_validate({
        "summary": "s", "our_side": "A", "counterpart": "B",
        "parties": [{"text": "Buyer", "name": "A", "role": "our_side"}],
        "issues": [{"text": "Dates and terms are not specified in the documents"}],
        "constraints": [{"text": "Budgets and mandates not specified in documents or internal notes"},
                        {"text": "The board must approve any increase above 4 %."},
                        {"text": "There are no specific constraints mentioned in the materials."}],
        "risks": [{"text": "Baltica has not sent any cost documentation for any item."}],
        "missing_information": ["Who at B can approve a deal?"],
    })
    moved = move_absences(profile)
    assert [i.text for i in moved.constraints] == ["The board must approve any increase above 4 %."]
    assert moved.missing_information == [
        "Who at B can approve a deal?", "Budgets and mandates not specified in documents or internal notes",
        "There are no specific constraints mentioned in the materials."]
    assert [i.text for i in moved.issues] == ["Dates and terms are not specified in the documents"], \
        "issues keep their only item"
    assert moved.risks == profile.risks, "a fact about what a party has not done stays"
    assert move_absences(moved) is moved
