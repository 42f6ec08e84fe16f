"""Fitting a report to its contract: what a step after a node's validation left outside it is repaired or
dropped, each change named (`pipeline/schemas/fit.py`)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import ValidationError

from agents import challenger, extractor
from pipeline.schemas import CounterpartProfile, DealProfile, Sides, Synthesis, llm_schema
from pipeline.schemas.fit import EMPTY, fit
from tests.answers import answers

ASKED = [Sides, *extractor.PARTS.values(), *challenger.PARTS.values(), CounterpartProfile, Synthesis]
"""Every model a request asks a model to fill."""


@pytest.mark.parametrize("model", ASKED, ids=lambda m: m.__name__)
@settings(max_examples=25, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_what_the_grammar_admits_the_node_s_model_accepts(model, data):
    """The JSON schema sent with a request is derived from the model that validates its answer (`llm_schema`),
    with no looser bound: an answer within the schema (blank texts aside, which validation strips and drops
    from lists) validates as it stands."""
    answer = data.draw(answers(llm_schema(model), blanks=False))
    model.model_validate(answer)


def test_what_breaks_the_report_s_limits_is_repaired_or_dropped_and_named():
    data = {
        "summary": "", "our_side": "Lena Novak Design", "counterpart": "Harbour & Pine Coffee Co.",
        "parties": [{"text": "x", "name": "", "role": "counterpart",
                     "evidence": [{"quote": "q" * 700}]},
                    {"text": "y", "name": "Jonas Eklund", "role": "counterpart", "evidence": [{"quote": "q" * 700}]}],
        "issues": [{"text": "Late fee " * 100}], "missing_information": ["", "the signed quote", ""],
    }
    profile, notes = fit(DealProfile, data)
    assert profile.summary == EMPTY
    assert [p.name for p in profile.parties] == ["Jonas Eklund"]
    assert len(profile.parties[0].evidence[0].quote) == 600 and profile.issues[0].text.endswith("\u2026")
    assert profile.missing_information == ["the signed quote"]
    assert sorted(notes) == sorted([
        f"filled: summary was empty and reads \u201c{EMPTY}\u201d",
        "dropped: 1 party without a name (parties)",
        "shortened: 1 text past the report's length limit (parties.evidence.quote)",
        "shortened: 1 text past the report's length limit (issues.text)",
        "dropped: 2 empty entries (missing_information)",
    ])


def test_what_is_no_answer_s_doing_still_fails_loudly():
    """A wrong type or an unknown value outside any list is a bug in the pipeline, not something to hide."""
    with pytest.raises(ValidationError):
        fit(CounterpartProfile, {"name": "BrightSpan", "style": "hostile", "pressures": [], "tomorrow_morning": [],
                                 "communication": [], "interaction": [], "negotiation": []})
