"""The translate step: texts a model wrote in another language than the brief's are reworded in it, and a
rewording replaces a text only when it keeps the text's facts. The texts and translations below are written
for the test (hand-written, not model output)."""

from __future__ import annotations

import json

import httpx

from pipeline.checks.language_mix import foreign_texts, with_texts
from pipeline.checks.translation import rejection
from pipeline.schemas import DealProfile, Evidence, Item, Party
from pipeline.testing.synthetic import SyntheticTransport, completion_for, instance_for
from tests.conftest import DATA, run_prep

ENGLISH = "The supplier demands NOK 43.8 million per year from 2027 onwards, an increase of 14 percent."
NORWEGIAN = "Leverandøren krever NOK 43,8 millioner per år fra 2027, en økning på 14 prosent."
INVENTED = "Leverandøren krever NOK 43,8 millioner per år fra 2027 til 2030, en økning på 14 prosent."
PLAN = "We should ask who decides the price before the board meets on 18 June 2026."
PLAN_NO = "Vi bør spørre hvem som avgjør prisen før styret møtes 18. juni 2026, og vente på svar."


def test_a_rewording_that_keeps_the_facts_in_another_format_is_used():
    assert rejection(ENGLISH, NORWEGIAN, "no") == ""
    assert rejection(PLAN, PLAN_NO, "no") == ""


def test_a_rewording_that_adds_or_changes_a_figure_is_not_used():
    assert rejection(ENGLISH, INVENTED, "no") == "a number or date differs"
    assert rejection(ENGLISH, NORWEGIAN.replace("14", "4"), "no") == "a number or date differs"
    assert rejection(PLAN, PLAN_NO.replace("18. juni", "19. juni"), "no") == "a number or date differs"


def test_a_rewording_that_loses_a_placeholder_or_stays_in_the_wrong_language_is_not_used():
    assert rejection("PERSON_1 asks for a written offer before the meeting with COMPANY_2 next week.",
                     "Han ber om et skriftlig tilbud før møtet med COMPANY_2 neste uke.", "no") == "a placeholder differs"
    assert rejection(PLAN, PLAN.replace("We should", "We must"), "no") == "still in English"
    assert rejection(PLAN, "  ", "no") == "empty"
    assert rejection(PLAN, PLAN, "no") == "unchanged"


def _profile(summary: str, issue: str, quote: str = "Driftspartner krever NOK 43,8 mill. per år fra 2027 (+14 %)") -> DealProfile:
    return DealProfile(summary=summary, our_side="Helse Vestfjord HF", counterpart="Driftspartner Norge AS",
                       parties=[Party(text="Helse Vestfjord HF", name="Helse Vestfjord HF", role="our_side")],
                       issues=[Item(text=issue, evidence=[Evidence(document="referat.md", quote=quote)])])


def test_foreign_texts_are_found_once_and_evidence_quotes_are_left_alone():
    profile = _profile(ENGLISH, ENGLISH, quote=PLAN)
    assert foreign_texts({"deal_profile": profile}, "no") == [ENGLISH]
    short = _profile(NORWEGIAN, "Involve our team in the negotiation process.")
    assert foreign_texts({"deal_profile": short}, "no") == ["Involve our team in the negotiation process."], (
        "a short sentence is translated too (too short for the language count)")
    assert foreign_texts({"deal_profile": _profile(NORWEGIAN, PLAN_NO)}, "no") == []
    assert foreign_texts({"deal_profile": profile}, "") == []


def test_with_texts_replaces_every_occurrence_but_not_quotes_and_keeps_a_text_too_long_for_its_field():
    profile = _profile(ENGLISH, ENGLISH, quote=ENGLISH)
    replaced = with_texts(profile, {ENGLISH: NORWEGIAN})
    assert replaced.summary == NORWEGIAN and replaced.issues[0].text == NORWEGIAN
    assert replaced.issues[0].evidence[0].quote == ENGLISH
    assert profile.summary == ENGLISH, "the original is not changed in place"
    too_long = with_texts(profile, {"Helse Vestfjord HF": "x" * 2000})
    assert too_long.parties[0].name == "Helse Vestfjord HF"


class Answering(SyntheticTransport):
    """Synthetic answers; the merge writes two English texts with figures, and the translate calls answer
    with hand-written Norwegian: one faithful, one with a year the text did not have."""

    TRANSLATIONS = {ENGLISH: NORWEGIAN, PLAN: INVENTED.replace("2027 til 2030", "2026 til 2030")}

    def __init__(self):
        super().__init__()
        self.translated: list[str] = []

    async def handle_async_request(self, request):
        node = request.headers.get("x-negoprep-node", "")
        body = json.loads(request.content)
        if node == "merge" and body.get("response_format", {}).get("json_schema", {}).get("schema", {}).get("title") == "Synthesis":
            answer = instance_for(body["response_format"]["json_schema"]["schema"])
            answer["executive_summary"], answer["plan"]["process"] = ENGLISH, [PLAN]
            return httpx.Response(200, json=completion_for(body, json.dumps(answer)))
        if node == "translate":  # a synthetic text the detector misreads comes back as it is
            text = body["messages"][-1]["content"]
            self.translated.append(text)
            assert "response_format" not in body and body["stop"] == ["\n"], "a rewording is asked for as one line"
            assert "into Norwegian" in body["messages"][0]["content"]
            return httpx.Response(200, json=completion_for(body, self.TRANSLATIONS.get(text, text)))
        return await super().handle_async_request(request)


async def test_the_graph_translates_the_brief_s_foreign_texts_and_keeps_the_ones_whose_facts_changed():
    transport = Answering()
    report = await run_prep(DATA / "cases" / "tiny", transport, language="no")
    assert {ENGLISH, PLAN} <= set(transport.translated)
    assert report.synthesis.executive_summary == NORWEGIAN
    assert report.synthesis.plan.process == [PLAN], "the rewording added a year: the text stays as written"
    records = {r.original: r for r in report.provenance.translations}
    assert records[ENGLISH].used and not records[PLAN].used
    assert records[PLAN].why == "a number or date differs"
    assert [c.node for c in report.provenance.calls].count("translate") == len(transport.translated)
    sent = len(transport.translated)
    assert [w.message[:80] for w in report.warnings if w.code == "translated"] == [
        f"1 of {sent} texts the models wrote in another language were reworded in Norwegian (bok"[:80]]
    assert f"; {sent - 1} stay" in [w.message for w in report.warnings if w.code == "translated"][0]


def test_a_plain_text_answer_is_one_line_without_the_quotes_around_it():
    from pipeline.llm.text import one_line

    assert one_line('  "Prisen øker med 14 %\n per år."  ') == "Prisen øker med 14 % per år."
    assert one_line("«Vi betaler 38 400 000 kr»") == "Vi betaler 38 400 000 kr"
    assert one_line('"Nei", sa han, "ikke i år"') == '"Nei", sa han, "ikke i år"', "quotes inside the text stay"
