"""--pseudonymize: names, companies, e-mails and phones never reach the model or the cassette,
and the report has them back. Synthetic transport (labelled synthetic answers)."""

from __future__ import annotations

import json
import re
import shutil

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.prep.graph import compile_graph
from pipeline.case.loading import load_case
from pipeline.llm.client import make_llm
from pipeline.testing.synthetic import SyntheticTransport
from pipeline.resources import attach
from pipeline.case.pseudonymize import build, original_quote, pseudonymize_case
from pipeline.settings import load_settings
from tests.conftest import CASES, CASSETTES, DATA, paused_before_assemble

SENSITIVE = ["Rachel Okafor", "rachel.okafor@vantara-clinical.example", "+44 20 7946 0318", "+44 7700 900418",
             "Vantara Clinical Systems", "Thamesbrook Healthcare Group", "Daniel Whitfield"]


def test_rules_find_people_companies_emails_and_phones():
    mapping = build(load_case(CASES / "licence-renewal")).mapping
    for value in SENSITIVE:
        assert value in mapping, value
    assert mapping["Rachel"] == mapping["Rachel Okafor"]


def test_signature_without_case_yaml_is_caught(tmp_path):
    (tmp_path / "fwd.eml.txt").write_text(
        "---------- Forwarded message ---------\n"
        "From: Jonas Brekke <jonas.brekke@fjordfrakt.example>\n"
        "Subject: Price review\n\n"
        "Hi Silje Moen,\nwe need a 12% increase from 1 May.\n\n"
        "Best regards,\nJonas Brekke\nSales Director, Fjordfrakt Logistikk AS\nMobile: +47 912 34 567\n"
    )
    case = load_case(tmp_path / "fwd.eml.txt")
    hidden, mapping = pseudonymize_case(case)
    text = hidden.documents[0].text
    for value in ["Jonas Brekke", "jonas.brekke@fjordfrakt.example", "Silje Moen", "Fjordfrakt Logistikk AS", "+47 912 34 567"]:
        assert value not in text, value
    assert "12% increase from 1 May" in text
    assert mapping.restore(text) == case.documents[0].text


def test_names_after_a_role_wrapped_names_and_short_party_names_are_caught():
    hidden, _ = pseudonymize_case(load_case(DATA / "cases" / "tiny"))
    text = "\n".join(d.text for d in hidden.documents)
    for value in ["Jonas", "Eklund", "Harbour & Pine", "Lena"]:
        assert value not in text, value
    assert "operations manager, PERSON_1" in text
    assert "EUR 4,800" in text and "1.5% per month" in text


async def test_cassette_has_no_names_and_report_has_them_back(tmp_path):
    cassette = tmp_path / "pseudo.json"
    settings = load_settings(use_cache=False, record=cassette, pseudonymize=True)
    transport = SyntheticTransport()
    llm = make_llm(settings, base_transport=transport)
    settings = attach(settings, llm)
    try:
        result = await compile_graph().ainvoke({"path": str(CASES / "licence-renewal")}, context=settings)
    finally:
        await llm.aclose()
    text = cassette.read_text()
    assert json.loads(text)["interactions"]
    for value in SENSITIVE:
        assert value not in text, value
    assert "PERSON_" in text and "EMAIL_" in text
    report = result["report"]
    dumped = report.model_dump_json()
    assert "PARTY_" not in report.case.our_side + report.case.counterpart
    assert report.case.our_side == "Thamesbrook Healthcare Group"
    assert "pseudonymized" in {w.code for w in report.warnings}
    assert "PERSON_" not in dumped and "EMAIL_" not in dumped


async def test_the_report_is_restored_from_the_checkpointed_mapping_not_from_the_materials(tmp_path):
    """A run stopped before `assemble` and resumed after the materials are gone still restores every name:
    the mapping is kept in the state, and the case is not read again."""
    case = tmp_path / "licence-renewal"
    shutil.copytree(CASES / "licence-renewal", case)
    async with paused_before_assemble(case, pseudonymize=True) as (graph, config, context):
        state = (await graph.aget_state(config)).values
        assert state["pseudonyms"]["Rachel Okafor"].startswith("PERSON_")
        shutil.rmtree(case)
        report = (await graph.ainvoke(None, config=config, context=context))["report"]
    assert report.case.our_side == "Thamesbrook Healthcare Group"
    assert not PLACEHOLDER.search(report.model_dump_json())


PLACEHOLDER = re.compile(r"\b(?:PERSON|COMPANY|EMAIL|PHONE|PARTY)_\d+\b")


def test_recorded_answers_that_use_placeholders_are_restored_in_the_report(tmp_path):
    """A real embedded-model run under --pseudonymize (cassette `tiny+pseudonymize`): the model's
    answers mention the placeholders, and the replayed report has every one of them restored."""
    cassette = CASSETTES / "tiny+pseudonymize.json"
    answers = [json.loads(i["response"]["body"]["choices"][0]["message"]["content"])
               for i in json.loads(cassette.read_text())["interactions"]]
    used = {m for a in answers for m in PLACEHOLDER.findall(json.dumps(a, ensure_ascii=False))}
    assert used, "the recorded model never repeated a placeholder"
    result = CliRunner().invoke(app, ["prepare", str(DATA / "cases" / "tiny"), "--replay", str(cassette),
                                      "--pseudonymize", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    report = (tmp_path / "report.json").read_text()
    assert not PLACEHOLDER.search(report), PLACEHOLDER.findall(report)[:5]
    _, mapping = pseudonymize_case(load_case(DATA / "cases" / "tiny"))
    originals = mapping.reverse()
    for placeholder in used:
        assert originals[placeholder] in report, placeholder


def test_a_name_wrapped_onto_the_next_line_comes_back_wrapped():
    case = load_case(DATA / "cases" / "tiny")
    hidden, mapping = pseudonymize_case(case)
    assert "operations manager, PERSON_1\nPERSON_1, refuses" in hidden.documents[0].text
    assert "operations manager, Jonas\nEklund, refuses" in mapping.restore(hidden.documents[0].text)
    assert mapping.restore("PERSON_1 said no.") == "Jonas Eklund said no."


def test_a_quote_comes_back_as_the_materials_wrote_it():
    case = load_case(DATA / "cases" / "tiny")
    hidden, mapping = pseudonymize_case(case)
    original = case.documents[0].text
    assert mapping.restore("PARTY_1 wants to keep the client.") == "Lena Novak Design wants to keep the client."
    assert original_quote("PARTY_1 wants to keep the client.", mapping, original) == "Lena wants to keep the client."
    assert original_quote("manager, PERSON_1\nPERSON_1, refuses", mapping, original) == "manager, Jonas\nEklund, refuses"
    assert original_quote("PARTY_1 never said this.", mapping, original) is None


def test_a_quote_of_two_passages_comes_back_passage_by_passage():
    """The checker cites a side-by-side item to two lines joined by an ellipsis, which the original lacks."""
    from pipeline.schemas import PASSAGE_JOIN

    case = load_case(DATA / "cases" / "tiny")
    _, mapping = pseudonymize_case(case)
    original = case.documents[0].text
    quote = PASSAGE_JOIN.join(["PARTY_1 (PARTY_1, freelance brand designer) delivered", "Under PARTY_1's terms"])
    assert original_quote(quote, mapping, original) == PASSAGE_JOIN.join(
        ["Lena Novak (Lena Novak Design, freelance brand designer) delivered", "Under Lena's terms"])
    assert original_quote(PASSAGE_JOIN.join(["Under PARTY_1's terms", "PARTY_1 never said this."]), mapping,
                          original) is None
