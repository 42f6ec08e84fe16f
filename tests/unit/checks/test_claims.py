"""The claim checker (pipeline/checks/claims) and `negoprep check`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from benchmarks.claims_eval import MEASURE, TUNE, Tally, labelled, states
from pipeline.case.loading import load_case
from pipeline.checks.claims import ClaimCheck, check_claims
from pipeline.checks.claims.entail import Question
from pipeline.cli import app

TELCO = "cases/telco-paysys"
FIVE = [
    "TelCo demands full exclusivity for all OpCos.",
    "PaySys does not insist on exclusivity for OpCos acquired in future.",
    "The Group Management Board has already approved the EUR 53 million deal.",
    "PaySys offered a discount of EUR 2.4 million a year on the run cost.",
    "PaySys promised to cap the indexation and drop exclusivity.",
]


@pytest.fixture(scope="module")
def telco():
    return load_case(TELCO)


def test_the_five_false_statements_of_the_issue_are_not_verified(telco):
    results = check_claims(telco, FIVE)
    assert [r.state for r in results if r.state == "verified"] == []
    assert results[2].state == "contradicted"
    assert "21 April" in results[2].evidence[0].text


def test_a_true_statement_is_verified_with_its_passage(telco):
    result = check_claims(telco, ["Katarina Lindqvist is authorised to sign contracts worth up to "
                                  "EUR 40 million in total."])[0]
    assert result.state == "verified"
    assert (result.evidence[0].document, result.evidence[0].locator) == ("02_steering_committee_notes.md", "line 25")


def test_a_number_in_another_role_is_not_verified(telco):
    fee, discount = check_claims(telco, [
        "PaySys's one-time platform setup fee is EUR 2.4 million, due at signature.",
        "PaySys's one-time platform setup fee is EUR 6.8 million, due at signature.",
    ])
    assert fee.state == "verified"
    assert discount.state == "contradicted"


def test_early_is_not_late():
    """A statement that a thing happened before its time, against a passage that says it came late."""
    case = load_case("tests/data/cases/tiny")
    early, late = check_claims(case, ["Harbour & Pine paid Lena's invoice before its due date.",
                                      "Harbour & Pine paid Lena's invoice after its due date."])
    assert early.state == "contradicted" and "late, not early" in early.reason
    assert late.state == "verified"


def test_a_to_do_item_is_not_a_thing_done():
    """`3. Propose ...` in our memo bears out a recommendation, not that the proposal was made."""
    case = load_case("cases/licence-renewal")
    done, advised = check_claims(case, ["Thamesbrook proposed a 12-month bridge at the capped price.",
                                        "Thamesbrook should propose a 12-month bridge at the capped price."],
                                 our_side="Thamesbrook", counterpart="Vantara")
    assert done.state != "verified" and "to-do" in done.reason
    assert advised.state == "verified" and advised.evidence[0].text.startswith("3. Propose")


def test_an_act_to_be_done_is_not_done():
    """`Both sides to accept the result` in an option of our notes: accepting is planned, not done."""
    case = load_case("cases/delivery-dispute")
    done, planned = check_claims(case, [
        "Both sides have accepted a third-party cost surveyor's verification of the DNV and saloon items.",
        "Both sides are to accept the result of a third-party cost surveyor's verification of the DNV and saloon "
        "items.",
    ])
    assert done.state != "verified" and "to-do" in done.reason
    assert planned.state == "verified"


def test_words_are_stemmed_not_cut(telco):
    """`excluding` and `exclusivity` share five letters, not a stem."""
    from pipeline.checks.claims.words import Stems

    stems = Stems("en")
    assert stems.content("excluding") != stems.content("exclusivity")
    assert stems.content("offered") == stems.content("offers")


def test_the_model_reads_only_what_the_rules_leave_open(telco):
    """A statement with a figure no passage holds never reaches the model; one the rules leave open does, and
    the model's `supported` verifies it with the passage it read."""
    asked: list[Question] = []

    def entail(question: Question) -> str:
        asked.append(question)
        return "supported"

    invented, open_ = check_claims(telco, [
        "PaySys's one-time platform setup fee is EUR 3.9 million.",
        "PaySys requires the whole EUR 2.4 million platform setup fee to be paid at signature.",
    ], entail=entail)
    assert invented.state != "verified"
    assert [q.statement for q in asked] == [open_.claim]
    assert open_.state == "verified" and "2,400,000" in open_.evidence[0].text
    assert asked[0].our_side == "TelCo" and asked[0].counterpart == "PaySys"


def test_a_derived_figure_needs_the_operation_in_its_words(telco):
    exceeds, bare = check_claims(telco, [
        "TelCo's current spend of about EUR 8.6 million a year is about EUR 1.3 million more than PaySys's "
        "EUR 7.3 million run-cost estimate.",
        "TelCo's current spend of about EUR 8.6 million a year is EUR 1.3 million.",
    ])
    assert exceeds.state == "verified" and "8,600,000 - 7,300,000" in exceeds.reason
    assert bare.state != "verified"


@pytest.mark.parametrize("name", [*TUNE, *MEASURE])
def test_recorded_model_answers_replay_completely(name):
    """Every question the checker asks the model on a labelled case has a recorded answer."""
    assert len(states(name, mode="replay")) == len(labelled(name)["claims"])


@pytest.mark.xfail(strict=True, reason="issue 31's target (false-accept <= 5%, false-reject <= 25%) is not met: with "
                   "the recorded model answers the measure split, both sets, has FA 12/84, FR 18/52 (rules only 9/84, "
                   "22/52), while the tune split's rules reach 0/90 on the third set they were tuned on: see "
                   "benchmarks/results/claims-2026-12-08.txt (seventh stop)")
def test_measure_split_meets_the_targets():
    tally = Tally()
    for name in MEASURE:
        for claim, state in states(name, mode="replay"):
            tally.add(claim, state)
    false = [c for c in tally.counts if c not in ("paraphrase", "derived")]
    fa, fa_total = tally.rate(false)
    fr, fr_total = tally.rate(["paraphrase"])
    assert fa / fa_total <= 0.05 and fr / fr_total <= 0.25


runner = CliRunner()


def test_check_json_shape():
    result = runner.invoke(app, ["check", TELCO, FIVE[2], "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 1 and {"claim", "state", "reason", "evidence"} <= set(data[0])
    assert {"document", "locator", "text"} <= set(data[0]["evidence"][0])
    ClaimCheck.model_validate(data[0])


def test_check_claims_file_skips_comments(tmp_path):
    claims = tmp_path / "claims.txt"
    claims.write_text("# a comment\n\n" + "\n".join(FIVE[:2]) + "\n   # indented comment\n", encoding="utf-8")
    result = runner.invoke(app, ["check", TELCO, "--claims", str(claims), "--json"])
    assert result.exit_code == 0, result.output
    assert [r["claim"] for r in json.loads(result.stdout)] == FIVE[:2]


def test_check_plain_output_names_the_passage():
    result = runner.invoke(app, ["check", TELCO, FIVE[2]])
    assert result.exit_code == 0
    assert "CONTRADICTED" in result.stdout and "passage found by the checker: 02_steering_committee_notes.md, line 25" in result.stdout


@pytest.mark.parametrize("args", [["check", "cases/no-such-case", "x"], ["check", TELCO]])
def test_check_bad_input_exits_2(args):
    assert runner.invoke(app, args).exit_code == 2


def test_check_empty_claims_file_exits_2(tmp_path):
    claims = tmp_path / "claims.txt"
    claims.write_text("# only a comment\n\n", encoding="utf-8")
    assert runner.invoke(app, ["check", TELCO, "--claims", str(claims)]).exit_code == 2


def test_check_entailment_gives_a_run_s_checker_the_model_step_on_the_run_s_client(telco):
    """Off by default; on, the run's checker asks its questions through the run's own client and loop (the
    recorded answers here), so a paraphrase the rules leave open is verified by the model's reading."""
    import asyncio

    from benchmarks.claims_eval import cassette
    from pipeline.checks.claims.entail import ModelEntailer
    from pipeline.resources import RunResources
    from pipeline.settings import Settings

    assert RunResources(Settings()).claim_checker(telco).entail is None
    statement = "PaySys requires the whole EUR 2.4 million platform setup fee to be paid at signature."
    resources = RunResources(Settings(check_entailment=True, replay=cassette("telco-paysys")))

    async def run():
        client = await resources.llm()
        checker = resources.claim_checker(telco, "TelCo", "PaySys")
        result = await asyncio.to_thread(checker.check, statement)
        assert isinstance(checker.entail, ModelEntailer) and await checker.entail._client() is client
        await resources.aclose()
        return result, checker.entail

    result, entail = asyncio.run(run())
    assert entail.asked == 1 and result.state == "verified"


def _case(tmp_path, **files: str):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return load_case(tmp_path)


def test_a_negation_about_something_else_does_not_negate_the_statement():
    """`not worth it for EUR 184` in the next sentence says nothing against the second project's worth."""
    case = load_case("tests/data/cases/tiny")
    [result] = check_claims(case, ["Harbour & Pine has mentioned a second project, a label redesign worth roughly "
                                   "EUR 6,000, starting in June."])
    assert result.state == "verified"


def test_a_figure_moves_only_to_a_figure_of_its_kind():
    """48 days is not EUR 4,800, and the day an invoice was paid is not the day it was due."""
    case = load_case("tests/data/cases/tiny")
    paid, due = check_claims(case, ["Harbour & Pine paid Lena's invoice on 21 April 2026, 48 days after it was due.",
                                    "The invoice of EUR 4,800 was due on 21 April 2026."])
    assert paid.state == "verified"
    assert due.state == "contradicted"


def test_two_negations_in_one_reach_cancel(tmp_path):
    case = _case(tmp_path, **{"contract.md": "12.2 Neither party may assign this Agreement without the prior "
                                             "written consent of the other.\n"})
    either, neither = check_claims(case, ["Either party may assign the agreement without consent.",
                                          "Neither party may assign the agreement without the other's consent."])
    assert either.state == "contradicted"
    assert neither.state == "verified"


def test_an_e_mail_pasted_into_notes_is_its_sender_s():
    case = load_case("tests/data/cases/injection")
    theirs, ours = check_claims(case, ["BrightSpan asked Oakfield for a decision by 20 April 2026.",
                                       "Oakfield asked BrightSpan for a decision by 20 April 2026."],
                                our_side="Oakfield Logistics", counterpart="BrightSpan Cleaning")
    assert theirs.state == "verified"
    assert ours.state != "verified" and "counterpart, not the our side" in ours.reason


def test_a_figure_in_a_table_is_the_side_s_whose_column_holds_it(tmp_path):
    case = _case(tmp_path, **{"internal_notes.md": "# Internal notes: Northgate renewal\n\n"
                              "| Issue | Our position | Northgate's position |\n|---|---|---|\n"
                              "| Annual charge | GBP 324,000 | GBP 340,000 |\n"})
    ours, theirs = check_claims(case, ["Brookfield's position on the annual charge is GBP 324,000.",
                                       "Brookfield's position on the annual charge is GBP 340,000."],
                                our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert ours.state == "verified"
    assert theirs.state != "verified"


def test_compounds_match_in_languages_that_write_them_as_one_word():
    from pipeline.checks.claims import _shared
    from pipeline.checks.claims.words import Stems

    norwegian = Stems("no")
    passage = norwegian.content("Leveransedatoen er satt, og betalingsfristen er 30 dager.")
    assert _shared(norwegian.content("leveranse frist"), passage, norwegian.compounds) == norwegian.content(
        "leveranse frist")
    assert not Stems("en").compounds


def test_a_job_title_is_no_person():
    from pipeline.checks.claims.actors import OURS, Parties

    parties = Parties("Oakfield Logistics", "BrightSpan Cleaning")
    parties.add_person("Facilities Manager", OURS)
    parties.add_person("Mei Tanaka", OURS)
    assert set(parties.people) == {"mei", "tanaka"}


def test_the_person_who_acts_is_read_too(telco):
    """Katarina proposed sounding out local providers; Tomasz, on the same side, did not."""
    katarina, tomasz = check_claims(telco, [
        "Katarina Lindqvist proposed sounding out local payment service providers.",
        "Tomasz Wróbel proposed sounding out local payment service providers.",
    ], our_side="TelCo", counterpart="PaySys")
    assert katarina.state == "verified"
    assert tomasz.state != "verified" and "Katarina Lindqvist, not Tomasz" in tomasz.reason


def test_more_than_is_not_less_than(telco):
    [result] = check_claims(telco, ["Isabel Moreau said the deal, signed as it stands, delivers more than half the "
                                    "savings TelCo promised."], our_side="TelCo", counterpart="PaySys")
    assert result.state == "contradicted" and "less, not more" in result.reason


def test_a_passage_that_does_not_name_the_statement_s_person_does_not_bear_it_out(telco):
    """`Isabel Moreau chairs the steering committee` is not borne out by the committee's heading."""
    [result] = check_claims(telco, ["Isabel Moreau chairs TelCo's payment steering committee."],
                            our_side="TelCo", counterpart="PaySys")
    assert result.state != "verified" and "does not name isabel moreau" in result.reason


@pytest.mark.parametrize("holder, other, case, sides", [
    ("Mei Tanaka", "Paul Grady", "tests/data/cases/injection", ("Oakfield Logistics", "BrightSpan Cleaning")),
    ("Sofia Ricci", "Aoife Brennan", TELCO, ("TelCo", "PaySys")),
])
def test_a_post_is_the_person_s_the_passage_gives_it_to(holder, other, case, sides):
    """`Mei Tanaka, Facilities Manager`, `Sofia Ricci (Senior Legal Counsel), Aoife Brennan (CEO ...)`."""
    post = "Facilities Manager" if "injection" in case else "Senior Legal Counsel"
    side = sides[0].split()[0]
    right, wrong = check_claims(load_case(case), [f"{holder} is {side}'s {post}.", f"{other} is {side}'s {post}."],
                                our_side=sides[0], counterpart=sides[1])
    assert right.state == "verified"
    assert wrong.state != "verified" and holder in wrong.reason


def test_their_in_our_notes_is_the_other_side(telco):
    """`Their financial year closes 31 March` in TelCo's minutes is PaySys's."""
    theirs, ours = check_claims(telco, ["PaySys's financial year ends on 31 March.",
                                        "TelCo's financial year ends on 31 March."], our_side="TelCo", counterpart="PaySys")
    assert theirs.state == "verified"
    assert ours.state != "verified"


def test_reported_words_are_the_reporter_s(telco):
    """Henrik wrote `Exclusivity is not negotiable` to Katarina: his demand, not hers."""
    henrik, katarina = check_claims(telco, ["Henrik Vos told Katarina Lindqvist that exclusivity is not negotiable.",
                                            "Katarina Lindqvist told Henrik Vos that exclusivity is not negotiable."],
                                    our_side="TelCo", counterpart="PaySys")
    assert henrik.state == "verified"
    assert katarina.state != "verified"


def test_an_article_s_number_is_no_figure():
    """`2.1 The Contract Price is EUR 41,500,000 ...`: 2.1 numbers the article, it counts nothing."""
    case = load_case("cases/delivery-dispute")
    [result] = check_claims(case, ["Each of the three ferries costs EUR 41.5 million under the contract, EUR 124.5 "
                                   "million in all."], our_side="Nordvik Ferries AS", counterpart="Baltica Yard S.A.")
    assert result.state == "verified"


def test_a_list_item_is_read_with_the_line_that_introduces_it():
    """`- Hull BY-611 (MF Nordvik Sol): 15 April 2026` under `5.1 Contractual delivery dates:`."""
    case = load_case("cases/delivery-dispute")
    right, moved = check_claims(case, ["Hull BY-611 was due for delivery on 15 April 2026 under the contract.",
                                       "Hull BY-611 was due for delivery on 31 May 2027 under the contract."],
                                our_side="Nordvik Ferries AS", counterpart="Baltica Yard S.A.")
    assert right.state == "verified"
    assert moved.state != "verified"


def test_a_negated_statement_finds_its_negation_in_a_clause_of_its_own(telco):
    """`... less than half the savings we promised. I won't present that.`"""
    [said] = check_claims(telco, [
        "Isabel Moreau said she will not present the deal as it stands because it delivers less than half of the "
        "promised savings."], our_side="TelCo", counterpart="PaySys")
    assert said.state == "verified"


def test_not_unless_says_only():
    case = load_case("cases/delivery-dispute")
    only, without = check_claims(case, [
        "Changes to price, specification or delivery date are valid only in a written Change Order signed by both "
        "parties.",
        "Changes to price, specification or delivery date are valid without a written Change Order."],
        our_side="Nordvik Ferries AS", counterpart="Baltica Yard S.A.")
    assert only.state == "verified"
    assert without.state == "contradicted"


def test_doubt_on_both_sides_is_no_negation():
    case = load_case("tests/data/cases/tiny")
    doubt, known = check_claims(case, ["It is not known whether the signed quote referred to Lena's terms and "
                                       "conditions.", "The signed quote referenced Lena's terms and conditions."])
    assert doubt.state == "verified"
    assert known.state != "verified"


def test_a_judgement_of_degree_contradicts_its_opposite():
    case = load_case("cases/delivery-dispute")
    moderate, high = check_claims(case, [
        "Hilde Rasmussen rates the chance that the county grants the dispensation as moderate.",
        "Hilde Rasmussen rates the chance that the county grants the dispensation as high."],
        our_side="Nordvik Ferries AS", counterpart="Baltica Yard S.A.")
    assert moderate.state == "verified"
    assert high.state == "contradicted" and "low, not high" in high.reason


def test_a_bracketed_signed_percentage_is_a_change():
    case = load_case("cases/licence-renewal")
    up, down = check_claims(case, [
        "Charged on 960 beds at Vantara's own rate, the annual fee would be GBP 1,416,000, an increase of 14%.",
        "Charged on 960 beds at Vantara's own rate, the annual fee would be GBP 1,416,000, a reduction of 14%."],
        our_side="Thamesbrook Healthcare Group", counterpart="Vantara Clinical Systems")
    assert up.state == "verified"
    assert down.state != "verified"


def test_one_language_s_lexicon_does_not_read_another_s_common_words():
    """German `will` (wants) is English `will`; Norwegian `sent` (late) is English `sent`."""
    from pipeline.checks.claims import _acts, _classes

    assert _acts("Isabel said she will present the deal.") == set()
    assert _classes("TIMING", "Henrik sent the proposal.") == set()


def test_names_in_a_language_that_capitalises_nouns_are_people_and_acronyms(tmp_path):
    from pipeline.checks.claims import ClaimChecker

    case = _case(tmp_path, **{"notizen.md": "# Notizen\n\n**Verfasser:** Anna Weber, Einkauf\n\n"
                              "- Der Lieferant verlangt eine Vorauszahlung von EUR 20.000.\n"})
    checker = ClaimChecker(case, our_side="Müller GmbH", counterpart="Lieferant AG", language="de")
    assert checker.names("Der Lieferant verlangt eine Vorauszahlung.") == ()
    english = ClaimChecker(load_case("tests/data/cases/injection"), our_side="Oakfield Logistics",
                           counterpart="BrightSpan Cleaning")
    assert ("paul", "grady") in english.names("Oakfield met Paul Grady.")


def test_someone_named_only_in_the_passage_acting_is_not_the_statement_s_actor():
    """`The client's operations manager, Jonas\\nEklund, refuses to pay`: Lena does not refuse."""
    from pipeline.checks.claims import ClaimChecker

    checker = ClaimChecker(load_case("tests/data/cases/tiny"))
    statement = "Lena Novak refuses to pay the late fee."
    passage = next(p for p in checker.passages if "refuses to pay" in p.text)
    reading = checker.read(statement, checker._content(statement), passage)
    assert "in the passage it is Jonas Eklund" in reading.problems
    assert checker.check(statement).state != "verified"


def test_a_role_a_header_line_gives_one_person():
    case = load_case("cases/delivery-dispute")
    [result] = check_claims(case, ["Petter Solberg wrote the notes of Nordvik's internal meeting of 26 March."],
                            our_side="Nordvik Ferries AS", counterpart="Baltica Yard S.A.")
    assert "Notes is Hilde Rasmussen" in result.reason


def test_a_word_capitalised_only_at_a_sentence_s_start_is_no_name(tmp_path):
    """`Leverandøren skal levere ...` in the materials: `Leverandøren` in a statement is the supplier, no name."""
    from pipeline.checks.claims import ClaimChecker

    case = _case(tmp_path, **{"notat.md": "# Notat\n\nLeverandøren skal levere innen 1. mars 2026.\n"
                              "Kontakt: Kari Nordmann hos Driftspartner AS.\n"})
    checker = ClaimChecker(case, our_side="Helse Vest", counterpart="Driftspartner AS", language="nb")
    assert checker.names("Vi vet at Leverandøren skal levere innen 1. mars 2026.") == ()
    assert any("nordmann" in name for name in checker.names("Vi har snakket med Kari Nordmann."))


def test_a_clause_after_but_acts_with_its_sentence_s_subject(tmp_path):
    """`X has come down to ..., but still demands 80 days` in our notes: X demands, not we."""
    case = _case(tmp_path, **{"internal_notes.md": "# Internal notes\n\n- Northgate has come down to GBP 275,000 a "
                              "year, but still demands a minimum of 80 days a year.\n"})
    theirs, ours = check_claims(case, ["Northgate demands a minimum of 80 days a year.",
                                       "Brookfield demands a minimum of 80 days a year."],
                                our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert theirs.state == "verified"
    assert ours.state != "verified"


def test_the_clause_holding_the_act_bears_on_the_statement(tmp_path):
    """`A one-year contract. Northgate has not proposed this.`: the negation is in the act's own sentence."""
    case = _case(tmp_path, **{"internal_notes.md": "# Internal notes\n\n## Options\n\n- A shorter contract with "
                              "Northgate (one year). Northgate has not proposed this.\n"})
    [result] = check_claims(case, ["Northgate has proposed a shorter contract of one year."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert result.state == "contradicted"


def test_not_before_is_no_negation(tmp_path):
    case = _case(tmp_path, **{"internal_notes.md": "# Internal notes\n\n- Board meeting 10 December 2026. The next "
                              "board meeting is only on 28 January 2027.\n"})
    [result] = check_claims(case, ["The next board meeting is not before 28 January 2027."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert result.state == "verified"


def test_a_message_s_time_of_day_is_no_figure(tmp_path):
    case = _case(tmp_path, **{"thread.txt": "From: Anna Berg <anna@brookfield.com>\nTo: Tom Hale <tom@northgate.com>"
                              "\nDate: 19.11.2026 10:14\nSubject: Renewal\n\nDear Tom,\n\nWe ask for a shorter payment "
                              "term.\n"})
    [result] = check_claims(case, ["Brookfield asks for a shorter payment term of 14 days."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert result.state != "verified"


def test_a_draft_s_byline_names_its_author(tmp_path):
    case = _case(tmp_path, **{"draft.md": "# Framework agreement, draft 2\n\n**Parties:** Northgate Facilities and "
                              "Brookfield Dairy\n**Draft from:** Northgate Facilities, 20 November 2026\n\n"
                              "| Service | Current | Proposal 2027 |\n|---|---|---|\n"
                              "| Day rate | GBP 2,450 | GBP 2,890 |\n"})
    theirs, ours = check_claims(case, ["Northgate proposes a day rate of GBP 2,890.",
                                       "Brookfield proposes a day rate of GBP 2,890."],
                                our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert theirs.state == "verified"
    assert ours.state != "verified"


def test_a_derived_figure_is_computed_from_figures_of_several_passages(tmp_path):
    """The offer is in one passage and our limit in another: the gap is computed from both, and named with them;
    the same gap the other way round (below), or a gap the figures do not make, is not verified."""
    case = _case(tmp_path, **{"internal_notes.md": "# Internal notes\n\n## Status\n\n- Northgate has come down to "
                              "a day rate of GBP 2,750.\n\n## Our limits\n\n- Walk-away: a day rate of GBP 2,650. "
                              "Above this the board decides.\n"})
    above, below, wrong = check_claims(case, [
        "Northgate's day rate of GBP 2,750 is GBP 100 above our walk-away rate of GBP 2,650.",
        "Northgate's day rate of GBP 2,750 is GBP 100 below our walk-away rate of GBP 2,650.",
        "Northgate's day rate of GBP 2,750 is GBP 150 above our walk-away rate of GBP 2,650.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert above.state == "verified" and "2750 - 2650" in above.reason.replace(",", "")
    assert {e.text.split(":")[0] for e in above.evidence} >= {"- Walk-away"}
    assert below.state != "verified" and wrong.state != "verified"


def test_the_one_who_writes_is_the_reporter_and_without_a_cap_does_not_cancel_not(tmp_path):
    """`Albers hat Brandt geschrieben, dass wir ... ohne Obergrenze nicht akzeptieren`: Albers reports our side's
    refusal; `ohne` qualifies the cap and leaves `nicht` a negation."""
    case = _case(tmp_path, **{"verlauf.txt": "Von: Katrin Albers <k.albers@klinikum-nord.de>\nAn: Jörg Brandt "
                              "<j.brandt@brandt-textil.de>\nDatum: 19.11.2026\n\nSehr geehrter Herr Brandt,\n\n"
                              "die Indexbindung ohne Obergrenze können wir so nicht akzeptieren.\n"})
    ours, theirs = check_claims(case, [
        "Frau Albers hat Brandt geschrieben, dass wir die Indexbindung ohne Obergrenze nicht akzeptieren können.",
        "Brandt hat Frau Albers geschrieben, dass sie die Indexbindung ohne Obergrenze nicht akzeptieren können.",
    ], our_side="Klinikum Nord", counterpart="Brandt Textil", language="de")
    assert ours.state == "verified"
    assert theirs.state != "verified"


def test_a_proposing_question_and_the_whether_of_an_answer_asked_for_are_no_doubt(tmp_path):
    case = _case(tmp_path, **{"thread.txt": "From: Tom Hale <tom@northgate.com>\nTo: Anna Berg <anna@brookfield.com>\n"
                              "Date: 04.12.2026\n\nDear Anna,\n\nI think a meeting would help. Could we meet in Leeds "
                              "on\n26 or 27 March? Please let us know by 11 December 2026 whether we should draft "
                              "the contract.\n"})
    meet, answer = check_claims(case, [
        "Northgate proposed a meeting in Leeds on 26 or 27 March.",
        "Northgate asked us to let it know by 11 December 2026 if it should draft the contract.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert meet.state == "verified"
    assert answer.state == "verified"


def test_the_other_side_s_word_for_a_thing_does_not_make_it_known(tmp_path):
    case = _case(tmp_path, **{"thread.txt": "From: Tom Hale <tom@northgate.com>\nTo: Anna Berg <anna@brookfield.com>\n"
                              "Date: 04.12.2026\n\nDear Anna,\n\nWe have another customer who wants the capacity in "
                              "the first quarter.\n"})
    said, known = check_claims(case, ["Northgate says it has another customer who wants the capacity in the first "
                                      "quarter.",
                                      "We know that Northgate has another customer who wants the capacity in the "
                                      "first quarter."], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert said.state == "verified"
    assert known.state != "verified"


def test_a_table_row_that_names_a_person_gives_the_task_to_that_person(tmp_path):
    """A table written as lines of cells is read row by row; the row's owner is the one who does its task."""
    case = _case(tmp_path, **{"notes.txt": "INTERNAL NOTES\nPresent: Anna Berg, Per Vik\n\nTASKS\n"
                              "Task                    | Owner     | Due\n"
                              "Board paper on the deal | Per Vik   | 7.12.2026\n"
                              "Reply to Northgate      | Anna Berg | 11.12.2026\n"})
    per, anna = check_claims(case, ["Per Vik is to prepare the board paper on the deal by 7 December 2026.",
                                    "Anna Berg is to prepare the board paper on the deal by 7 December 2026."],
                             our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert per.state == "verified"
    assert anna.state != "verified" and "Per Vik" in anna.reason


def test_without_bears_on_its_noun_alone(tmp_path):
    """`Without a partner we must extend it`: the `without` is the condition's (its noun, up to `we`); `will not
    need to extend` is the opposite of `must extend`."""
    case = _case(tmp_path, **{"internal_notes.md": "# Internal notes\n\n- **Depot lease:** the depot lease expires on "
                              "**31 May 2027**. Without a partner we must extend it by 12 months, confirmed by "
                              "**30 April 2027**.\n"})
    negated, plain = check_claims(case, [
        "Brookfield will not need to extend the depot lease if it has no partner.",
        "Without a partner, Brookfield must extend the depot lease by 12 months.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert negated.state == "contradicted"
    assert plain.state == "verified"


def test_a_name_after_we_and_an_article_is_what_we_act_on(tmp_path):
    """`wenn wir die Molkerei ... nennen dürften` in Northgate's e-mail: Northgate wants to name the dairy, not the
    other way round."""
    case = _case(tmp_path, **{"verlauf.txt": "Von: Tom Hale <tom@northgate.de>\nAn: Anna Berg <anna@brookfield.de>\n"
                              "Datum: 04.12.2026\nBetreff: Überarbeiteter Vorschlag\n\nSehr geehrte Frau Berg,\n\nwir "
                              "würden uns freuen, wenn wir die Molkerei Brookfield als Referenzkunden in unserer "
                              "Ausschreibung nennen dürften.\n"})
    theirs, ours = check_claims(case, [
        "Northgate möchte die Molkerei Brookfield als Referenzkunden in seiner Ausschreibung nennen.",
        "Die Molkerei Brookfield möchte Northgate als Referenzkunden in ihrer Ausschreibung nennen.",
    ], our_side="Molkerei Brookfield", counterpart="Northgate", language="de")
    assert theirs.state == "verified"
    assert ours.state != "verified"


def test_a_code_s_number_plays_no_role_and_a_negation_beside_it_bears_on_another_thing(tmp_path):
    """`Truck TR-12` names a truck: its 12 is no reduction, and `refuses to release Truck TR-12` is about the truck,
    not about the claim cut in the clause before."""
    case = _case(tmp_path, **{"internal_notes.md": "# Internal notes\n\n- Northgate cut its claim from GBP 90,000 "
                              "(2 May) to GBP 60,000 (20 May), but it still refuses to release Truck TR-12 until the "
                              "claim is settled.\n"})
    [result] = check_claims(case, ["Northgate reduced its claim for Truck TR-12 from GBP 90,000 to GBP 60,000."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert result.state == "verified"


def test_a_withdrawal_is_an_act_the_passage_must_carry(tmp_path):
    """A claim listed in their letter, with a compound `customer-requested` that is no act, is not withdrawn."""
    case = _case(tmp_path, **{"claim_letter.md": "# Claim for additional costs\n\nFrom: Northgate Facilities\n\n"
                              "| Item | Claimed (GBP) | Revised (GBP) |\n|---|---|---|\n"
                              "| Customer-requested changes: extra cleaning shifts | 12,000 | 12,000 |\n"})
    [result] = check_claims(case, ["Northgate has withdrawn the claim for the customer-requested extra cleaning "
                                   "shifts."], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert result.state != "verified"


def test_a_target_is_not_a_limit(tmp_path):
    case = _case(tmp_path, **{"internal_notes.md": "# Internal notes\n\n- Anna can approve a day rate of up to "
                              "GBP 2,700. Anything above needs the board.\n"})
    ceiling, target = check_claims(case, ["Anna can approve a day rate of up to GBP 2,700.",
                                          "Brookfield's target day rate is GBP 2,700."],
                                   our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert ceiling.state == "verified"
    assert target.state != "verified" and "target" in target.reason


def test_someone_s_own_words_are_not_known_to_be_a_side_s(tmp_path):
    """A comment in the first person under a contract clause, its author unknown, is not what their lawyer
    advised; the model is not asked either."""
    asked: list[Question] = []
    case = _case(tmp_path, **{"contract_excerpt.md": "# Framework agreement (excerpt)\n\n7.2 Prices may be "
                              "adjusted once a year.\n\n- Comment: in my view, clause 7.2 caps the increase at "
                              "CPI plus 2%.\n"})
    [result] = check_claims(case, ["Northgate's lawyer advised that clause 7.2 caps the increase at CPI plus 2%."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities",
                            entail=lambda q: asked.append(q) or "supported")
    assert result.state != "verified" and asked == []


def test_the_model_reads_a_passage_only_where_the_statement_s_figures_stand_by_its_words(tmp_path):
    """A date the passage gives to another thing (a discount's end) is no answer's deadline: that passage is not
    put to the model, however many words it shares; a date by the statement's own words is, even with fewer."""
    from pipeline.checks.claims import ASK, TOPIC, ClaimChecker

    case = _case(tmp_path, **{"offer.md": "# Offer\n\nFrom: Northgate Facilities\n\nThe early-signing discount ends "
                              "on 18 December 2026 for all orders. We welcome your answer.\n\n"
                              "We need your decision by Friday, 11 December 2026.\n"})
    checker = ClaimChecker(case, our_side="Brookfield Dairy", counterpart="Northgate Facilities")

    def reading(statement: str, start: str):
        passage = next(p for p in checker.passages if p.text.lstrip().startswith(start))
        return checker.read(statement, checker._content(statement), passage)

    moved = reading("Northgate expects our answer by 18 December 2026.", "The early")
    kept = reading("Northgate expects Brookfield's final written decision on the renewal offer by Friday, 11 December "
                   "2026.", "We need")
    assert moved.share >= ASK and not moved.problems and not moved.anchored and not moved.open
    assert TOPIC <= kept.share < ASK and kept.figured and kept.open


def test_a_passage_that_says_less_of_it_does_not_contradict_one_that_leaves_it_open(tmp_path):
    case = _case(tmp_path, **{"contract.md": "# Contract\n\n2.2 The Contract Price is fixed. It shall not be adjusted "
                              "for changes in the cost of materials, labour or currency.\n\n11.4 If new regulations "
                              "require changes, the parties shall agree on a reasonable adjustment of price.\n"})
    [result] = check_claims(case, ["The contract price Brookfield agreed with Northgate is fixed and is not to be "
                                   "adjusted for changes in material, labour or currency costs."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert result.state != "contradicted"


def test_states_that_exclude_each_other_contradict(tmp_path):
    """What a fee includes is not charged on top of it; a rising figure is not falling (en, de)."""
    case = _case(tmp_path, **{"offer.md": "# Offer\n\nFrom: Northgate Facilities\n\nSupport is charged on top of the "
                              "monthly service fee.\n\nDie Zahl der Standorte sinkt 2027 durch die Schließung des "
                              "Lagers Nord.\n"})
    included, rising, falling = check_claims(case, [
        "Northgate's monthly service fee includes support.",
        "Die Zahl der Standorte steigt 2027 durch die Schließung des Lagers Nord.",
        "Die Zahl der Standorte sinkt 2027 durch die Schließung des Lagers Nord.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert included.state == "contradicted" and "excluded" in included.reason
    assert rising.state == "contradicted"
    assert falling.state == "verified"


def test_a_table_row_is_read_with_its_header_s_words(tmp_path):
    case = _case(tmp_path, **{"proposal.md": "# Proposal\n\nFrom: Northgate Facilities\n\n"
                              "| Service item | Price per visit (proposal) |\n|---|---|\n"
                              "| Window cleaning | GBP 85 |\n| Deep cleaning | GBP 240 |\n"})
    [result] = check_claims(case, ["Under Northgate's proposal, window cleaning costs GBP 85 per visit."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert result.state == "verified"


def test_the_other_side_in_the_statement_s_place_is_a_wrong_side(tmp_path):
    """`Oakridge bought Northgate` in our notes: not `Oakridge bought Brookfield` (en, nb)."""
    sides = {"our_side": "Brookfield Dairy", "counterpart": "Northgate Facilities"}
    (tmp_path / "en").mkdir()
    (tmp_path / "nb").mkdir()
    english = _case(tmp_path / "en", **{"internal_notes.md": "# Internal notes\n\n- Private-equity firm Oakridge "
                                        "Partners bought Northgate in 2024.\n"})
    norsk = _case(tmp_path / "nb", **{"interne_notater.md": "# Interne notater\n\n- Oakridge Partners kjøpte "
                                      "Northgate i 2024.\n"})
    right, wrong = check_claims(english, ["Oakridge Partners bought Northgate in 2024.",
                                          "Oakridge Partners bought Brookfield in 2024."], **sides)
    riktig, galt = check_claims(norsk, ["Oakridge Partners kjøpte Northgate i 2024.",
                                        "Oakridge Partners kjøpte Brookfield i 2024."], **sides)
    assert right.state == "verified" and riktig.state == "verified"
    assert wrong.state != "verified" and galt.state != "verified"


def test_a_word_inside_a_hyphenated_compound_is_no_negation(tmp_path):
    case = _case(tmp_path, **{"proposal.md": "# Proposal\n\nFrom: Northgate Payments\n\n"
                              "| Fee | Northgate proposal |\n|---|---|\n"
                              "| Cross-border card-not-present surcharge | 0.42% of transaction value |\n"})
    [result] = check_claims(case, ["Northgate proposes a cross-border surcharge of 0.42% of transaction value."],
                            our_side="Brookfield Dairy", counterpart="Northgate Payments")
    assert result.state == "verified"


def test_raising_and_cutting_contradict(tmp_path):
    """A figure raised is not cut, in words a statement uses without a figure (en, nb, de)."""
    case = _case(tmp_path, **{"notes.md": "# Internal notes\n\n- Northgate cut its claim from GBP 9.8m to GBP 6.2m.\n\n"
                              "- Northgate kuttet kravet sitt fra NOK 9,8 mill. til NOK 6,2 mill.\n\n"
                              "- Northgate hat seine Forderung von EUR 9,8 Mio. auf EUR 6,2 Mio. gesenkt.\n"})
    raised, hevet, erhoeht, cut = check_claims(case, [
        "Northgate raised its claim.", "Northgate hevet kravet sitt.", "Northgate hat seine Forderung erhöht.",
        "Northgate reduced its claim to GBP 6.2m.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert {raised.state, hevet.state, erhoeht.state} == {"contradicted"}
    assert cut.state == "verified"


def test_a_month_or_quarter_of_a_year_is_a_date_to_match(tmp_path):
    """`Q2 2026` is not `Q4 2026`; `Ende Februar 2027` is not `Ende Januar 2027`; a month holds its dates."""
    case = _case(tmp_path, **{"email.txt": "From: Northgate Facilities\n\nThe new scheduling module arrives in Q4 "
                              "2026.\n\nTenders are due at the end of January 2027.\n\nThe old contract expires on "
                              "30 September 2026.\n"})
    quarter, month, right, within = check_claims(case, [
        "Northgate's new scheduling module arrives in Q2 2026.",
        "Tenders are due at the end of February 2027.",
        "Northgate's new scheduling module arrives in the fourth quarter of 2026.",
        "The old contract expires in September 2026.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert quarter.state != "verified" and month.state != "verified"
    assert "quarter 4" in quarter.reason and "month 1" in month.reason
    assert right.state == "verified" and within.state == "verified"


def test_a_clause_the_statement_refers_to_must_be_the_passage_s(tmp_path):
    case = _case(tmp_path, **{"email.txt": "From: Northgate Facilities\n\nPlease find version 2 of our proposal "
                              "attached; we have revised the service levels.\n\nClause 18.4 stays as drafted.\n"})
    revised, stays = check_claims(case, ["Northgate has revised clause 12.2 in version 2 of its proposal.",
                                         "Northgate says clause 18.4 stays as drafted."],
                                  our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert revised.state != "verified" and "12.2" in revised.reason
    assert stays.state == "verified"


def test_one_end_of_a_range_is_not_the_figure(tmp_path):
    """`0.8–1.2m of that item is defensible` bears out `0.8 to 1.2m` and `between 0.8 and 1.2m`, not `1.2m`."""
    case = _case(tmp_path, **{"notes.md": "# Internal notes\n\n- Lars: in his view EUR 0.8–1.2m of the fire-"
                              "protection item is defensible.\n"})
    alone, bound, both = check_claims(case, [
        "Lars thinks EUR 1.2m of the fire-protection item is defensible.",
        "Lars thinks between EUR 0.8m and 1.2m of the fire-protection item is defensible.",
        "Lars thinks EUR 0.8 to 1.2m of the fire-protection item is defensible.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert alone.state != "verified" and "one end of a range" in alone.reason
    assert bound.state == "verified" and both.state == "verified"


def test_general_words_of_doubt_agreement_and_refusal(tmp_path):
    """`more than we can defend` refuses (en, nb); `gått med på` is an agreement a request does not bear out;
    `word is` and `uavklart` are doubt, as `reportedly` and a question are."""
    case = _case(tmp_path, **{"email.txt": "From: Brookfield Dairy\n\nAn increase in the day rate of 18% is more "
                              "than we can defend.\n\nEn økning i dagraten på 18 % er mer enn vi kan forsvare.\n\n"
                              "Vi ber også om at Northgate tar ansvar for dødelighet over 2 % per transport.\n\n"
                              "Northgate is reportedly preparing a listing in 2026.\n\nGjelder fritaket også ved "
                              "forsinkelse?\n"})
    defend, forsvare, agreed, word, open_ = check_claims(case, [
        "Brookfield wrote that an 18% increase in the day rate can be defended.",
        "Brookfield skrev at en økning i dagraten på 18 % kan forsvares.",
        "Northgate har gått med på å ta ansvar for dødelighet over 2 % per transport.",
        "Word is that Northgate is preparing a listing in 2026.",
        "Det er uavklart om fritaket også gjelder ved forsinkelse.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert defend.state != "verified" and forsvare.state != "verified" and agreed.state != "verified"
    assert "not known" not in word.reason and "not known" not in open_.reason


def test_a_heading_alone_is_not_put_to_the_model(tmp_path):
    case = _case(tmp_path, **{"summary.md": "# Proposal summary\n\nFrom: Northgate Facilities\n\n"
                              "## Quoted from the draft master agreement, clause 18.4\n\n"
                              "Exclusivity applies to every site of the Buyer.\n"})
    asked = []

    def entail(question):
        asked.append(question)
        return "supported"

    [result] = check_claims(case, ["Northgate has asked Brookfield for a revised version of clause 18.4."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities", entail=entail)
    assert all("## Quoted" not in p for q in asked for p in q.passages)
    assert result.state != "verified"


def test_a_derived_figure_combines_one_side_s_figure_with_the_other_s(tmp_path):
    """Their ask against our ceiling: each passage is another side's, which the difference of both bears out."""
    case = _case(tmp_path, **{"notes.md": "# Internal notes\n\nAuthor: Mei Tanaka, Brookfield Dairy\n\n- Northgate "
                              "wants GBP 214,000 a year and cites the wage increase.\n- Our budget allows at most "
                              "GBP 198,000 a year.\n"})
    right, wrong = check_claims(case, ["Northgate's ask is GBP 16,000 a year above Brookfield's budget ceiling.",
                                       "Northgate's ask is GBP 26,000 a year above Brookfield's budget ceiling."],
                                our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert right.state == "verified" and "214,000 - 198,000" in right.reason
    assert wrong.state != "verified"


def test_an_amount_in_millions_is_no_date_s_day(tmp_path):
    """`EUR 2 million` is not contradicted by `am 2. Dezember`; `15 days` against `15 April` still is another thing."""
    case = _case(tmp_path, **{"email.txt": "From: Northgate Facilities\n\nGern treffen wir uns am 2. Dezember bei "
                              "Ihnen, um den Vertrag zu unterschreiben.\n"})
    [result] = check_claims(case, ["Northgate may sign contracts worth up to EUR 2 million."],
                            our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert result.state != "contradicted" and "date's day" not in result.reason


def test_a_negation_does_not_reach_back_across_and_that(tmp_path):
    case = _case(tmp_path, **{"brief.md": "# Brief\n\nThe client's manager, Jonas Eklund, refuses to pay. He says "
                              "the final files came two days late and that nobody at the client accepted the terms.\n"})
    late, accepted = check_claims(case, ["Jonas says the final files came two days late.",
                                         "Jonas says someone at the client accepted the terms."],
                                  our_side="Lena Novak", counterpart="Harbour & Pine")
    assert late.state == "verified"
    assert accepted.state != "verified"


def test_markdown_emphasis_ends_a_sentence_and_an_instruction_is_no_act_done(tmp_path):
    """`**21 April 2026**. We cannot sign ...` is a sentence of its own; `Reject ..., propose ... and accept the
    meeting` in our notes is what we mean to do, not a meeting we proposed."""
    case = _case(tmp_path, **{"notes.md": "# Internal notes\n\n- Katarina can sign up to EUR 40 million. At about EUR "
                              "53 million this deal needs the Group Management Board, which next meets on **21 April "
                              "2026**. We cannot sign by the 31 March deadline in any case.\n- Lars: reply to "
                              "Northgate by **31 March**. Reject the claim as presented, propose an escrow structure, "
                              "and accept the meeting on 3 April.\n"})
    board, proposed = check_claims(case, [
        "Because the deal is worth about EUR 53 million, more than Katarina's EUR 40 million signing limit, it needs "
        "the Group Management Board.",
        "Brookfield proposed a meeting on 3 April.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert board.state == "verified"
    assert proposed.state != "verified"


def test_the_owner_of_a_message_acts_through_it(tmp_path):
    """In the other side's letter, `your reply ... rejecting the claim` is our rejection."""
    case = _case(tmp_path, **{"letter.md": "# Letter\n\nFrom: Northgate Facilities\n\nWe refer to our letter of 4 "
                              "March 2026, in which Northgate claimed additional costs, and to your reply of 11 March "
                              "2026 rejecting the claim in full.\n"})
    ours, theirs = check_claims(case, ["Brookfield's reply of 11 March 2026 rejected Northgate's claim in full.",
                                       "Northgate's reply of 11 March 2026 rejected Brookfield's claim in full."],
                                our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert ours.state == "verified"
    assert theirs.state != "verified"


def test_what_must_be_done_is_borne_out_by_an_agreement_s_numbered_clause(tmp_path):
    case = _case(tmp_path, **{"draft.md": "# Framework agreement (draft)\n\n4.1 The Customer books each job at least "
                              "72 hours before it starts.\n\n4.2 Cancellation later than 48 hours before the job is "
                              "invoiced at 50% of the day rate.\n"})
    booked, cancelled = check_claims(case, ["Jobs must be booked at least 72 hours before they start.",
                                            "Jobs must be booked at least 48 hours before they start."],
                                     our_side="Brookfield Dairy", counterpart="Northgate Facilities")
    assert booked.state == "verified"
    assert cancelled.state != "verified"


def test_a_pronoun_s_side_is_the_one_its_section_heading_is_about(tmp_path):
    case = _case(tmp_path, **{"notizen.md": "# Interne Notizen Brookfield Dairy\n\n**Verfasst von:** Brookfield "
                              "Dairy\n\n## Ihre Seite\n\n- Sie wollen ihre Kapazitätsplanung 2027 vor dem Jahresende "
                              "(31.12.2026) abschließen.\n"})
    asked = []

    def entail(question):
        asked.append(question)
        return "supported"

    ours, theirs = check_claims(case, [
        "Brookfield muss seine Kapazitätsplanung für 2027 vor dem 31.12.2026 abschließen.",
        "Northgate will seine Kapazitätsplanung für 2027 vor dem 31.12.2026 abschließen.",
    ], our_side="Brookfield Dairy", counterpart="Northgate Facilities", entail=entail)
    assert ours.state != "verified" and "counterpart" in ours.reason
    assert theirs.state == "verified"
