"""Quote and number verification against the case materials (pipeline/checks/evidence.py).

Every item below is a hand-written fixture, not model output: the tests build
CaseMaterials from in-memory text and check what `verify_item` makes of it.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from pipeline.case.documents import CaseMaterials
from pipeline.case.loading import load_case
from pipeline.case.readers import read_text
from pipeline.schemas import Evidence, Item
from pipeline.checks.evidence import SourceIndex, inference_share, normalise, recite, support, verify_item

from tests.conftest import ROOT

ENGLISH = """# Supplier notes
The supplier's offer is EUR 7.3m for the full scope.
The offer is valid until 31 March 2026.
Their account manager wrote: \u201cWe won\u2019t move on price unless the volume changes.\u201d
Our legal team said "it's a fixed-price contract" in the meeting.
We need a fair negoti-
ation outcome before the board
meets in April.
"""

NORWEGIAN = """# Notater om driftsavtalen
Leverandøren krever NOK 43,8 millioner per år fra 2027.
Fristen for å utløse opsjonen er 30. juni 2026.
Økonomidirektøren sier at taket er NOK 39,9 millioner.
Siri: «Vi har ikke en fullverdig plan B, men vi har delalternativer.»
"""

# The same facts in English, line for line, for the language comparison.
ENGLISH_TWIN = """# Notes on the operations contract
The supplier demands NOK 43.8 million per year from 2027.
The deadline for exercising the option is 30 June 2026.
The finance director says the ceiling is NOK 39.9 million.
Siri: "We do not have a full plan B, but we have partial alternatives."
"""


def case_of(*docs: tuple[str, str]) -> CaseMaterials:
    return CaseMaterials(name="test", documents=[read_text(name, text.encode("utf-8")) for name, text in docs])


def index_of(*docs: tuple[str, str]) -> SourceIndex:
    return SourceIndex(case_of(*docs))


def fact(text: str, quote: str | None = None, document: str = "", kind: str = "fact") -> Item:
    """A hand-written fixture, not model output."""
    evidence = [Evidence(document=document, quote=quote)] if quote is not None else []
    return Item(text=text, kind=kind, evidence=evidence)


def line_of(source: str, needle: str) -> int:
    """1-based number of the first line of `source` containing `needle`."""
    for number, line in enumerate(source.split("\n"), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in source")


# -- exact quotes ------------------------------------------------------------------


def test_exact_quote_is_verified_with_span_and_line_locator():
    index = index_of(("notes.md", ENGLISH))
    item = fact("The offer is valid to the end of March.", "The offer is valid until 31 March 2026", "notes.md")

    warnings = verify_item(item, index, "deal_profile.issues[0]")

    assert item.verification == "verified"
    assert warnings == []
    assert item.issues_found == []
    ev = item.evidence[0]
    assert ev.document == "notes.md"
    assert ev.quote == "The offer is valid until 31 March 2026"
    assert ev.match_score == 100.0
    expected = line_of(ENGLISH, "valid until 31 March")
    assert expected == 3
    assert ev.locator == f"line {expected}"


def test_locator_points_at_the_line_in_the_right_document():
    index = index_of(("a.md", "Intro line.\nNothing to see here at all.\n"), ("b.txt", ENGLISH))
    # The evidence names the wrong document: verification finds the real one.
    item = fact("Offer amount.", "The supplier's offer is EUR 7.3m", "a.md")

    verify_item(item, index, "x")

    assert item.verification == "verified"
    assert item.evidence[0].document == "b.txt"
    assert item.evidence[0].locator == f"line {line_of(ENGLISH, 'EUR 7.3m')}"


def test_verified_quote_is_replaced_by_the_exact_source_span():
    index = index_of(("notes.md", ENGLISH))
    # straight apostrophes and quote marks in the quote, curly ones in the source
    item = fact("They refuse to move on price.", '"We won\'t move on price unless the volume changes."', "notes.md")

    verify_item(item, index, "x")

    assert item.verification == "verified"
    assert item.evidence[0].quote == "We won\u2019t move on price unless the volume changes"
    assert item.evidence[0].locator == f"line {line_of(ENGLISH, 'move on price')}"


# -- tolerated differences ----------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "needle", "span_part"),
    [
        # curly apostrophe in the quote, straight one in the source
        ("Our legal team said \u201cit\u2019s a fixed-price contract\u201d", "fixed-price",
         'Our legal team said "it\'s a fixed-price contract'),
        # straight apostrophe in the quote, curly one in the source
        ("We won't move on price", "move on price", "We won\u2019t move on price"),
        # a line break inside the quoted passage (source wraps differently)
        ("before the board\nmeets in April", "before the board", "before the board\nmeets in April"),
        # the quote runs on one line where the source breaks it
        ("before the board meets in April", "before the board", "before the board\nmeets in April"),
        # different case
        ("THE SUPPLIER'S OFFER IS EUR 7.3M", "EUR 7.3m", "The supplier's offer is EUR 7.3m"),
        # a word hyphenated across a line break in the source
        ("We need a fair negotiation outcome", "negoti-", "We need a fair negoti-\nation outcome"),
    ],
    ids=["curly-quote", "straight-quote", "line-break", "joined-lines", "case", "hyphenation"],
)
def test_normalised_differences_still_verify(quote, needle, span_part):
    index = index_of(("notes.md", ENGLISH))
    item = fact(quote, quote, "notes.md")

    warnings = verify_item(item, index, "x")

    assert item.verification == "verified", item.issues_found
    assert warnings == []
    ev = item.evidence[0]
    assert ev.match_score == 100.0
    assert ev.quote == span_part
    assert ev.locator == f"line {line_of(ENGLISH, needle)}"


def test_decomposed_letters_match_composed_ones():
    # Source text in NFD (as some exports/PDF extractions produce it), quote in NFC.
    source = unicodedata.normalize("NFD", NORWEGIAN)
    assert source != NORWEGIAN
    index = index_of(("notat.md", source))
    item = fact("Frist.", "Fristen for å utløse opsjonen er 30. juni 2026", "notat.md")

    verify_item(item, index, "x")

    assert item.verification == "verified"
    assert item.evidence[0].match_score == 100.0
    assert unicodedata.normalize("NFC", item.evidence[0].quote) == "Fristen for å utløse opsjonen er 30. juni 2026"
    # a short quote made of æøå words works too, and the span keeps the final ring
    short = fact("År.", "per år", "notat.md")
    verify_item(short, index, "x")
    assert short.verification == "verified"
    assert unicodedata.normalize("NFC", short.evidence[0].quote) == "per år"


# -- failures -----------------------------------------------------------------------


def test_invented_quote_is_unverified_with_issue_and_warning():
    index = index_of(("notes.md", ENGLISH))
    # hand-written fixture, not model output: the quote appears nowhere in the source
    item = fact("The supplier agreed to a discount.", "The supplier agreed to cut the price by a third", "notes.md")

    warnings = verify_item(item, index, "deal_profile.positions[1]")

    assert item.verification == "unverified"
    assert item.evidence[0].match_score == 0.0
    assert item.evidence[0].locator == ""
    assert len(item.issues_found) == 1
    assert item.issues_found[0].startswith("quote not found in the materials")
    assert len(warnings) == 1
    assert warnings[0].code == "unverified"
    assert "deal_profile.positions[1]" in warnings[0].message
    assert "quote not found" in warnings[0].message


def test_invented_number_in_item_text_is_flagged():
    index = index_of(("notes.md", ENGLISH))
    # hand-written fixture, not model output: the source says 7.3m, the item says 7.9m
    item = fact("The supplier's offer is EUR 7.9m.", "The supplier's offer is EUR 7.3m", "notes.md")

    warnings = verify_item(item, index, "x")

    assert item.verification == "unverified"
    assert item.evidence[0].match_score == 100.0  # the quote itself is fine
    assert item.issues_found == ["number not found in the materials: 7.9"]
    assert len(warnings) == 1 and "number not found in the materials: 7.9" in warnings[0].message


def test_number_present_in_the_source_is_not_flagged():
    index = index_of(("notes.md", ENGLISH))
    item = fact("The offer expires on 31 March 2026 and is EUR 7.3m.", "The offer is valid until 31 March 2026", "notes.md")

    warnings = verify_item(item, index, "x")

    assert not any("number not found" in issue for issue in item.issues_found)
    # 7.3m is in the materials, but not in the line cited for it
    assert item.verification == "weak" and [w.code for w in warnings] == ["weak"]
    assert index.unknown_numbers("31 March 2026") == []
    assert index.unknown_numbers("due 30 April 2027") == ["30", "2027"]


def test_inference_without_evidence_is_inference():
    index = index_of(("notes.md", ENGLISH))
    item = fact("They probably need the volume more than the margin.", kind="inference")

    warnings = verify_item(item, index, "x")

    assert item.verification == "inference"
    assert warnings == []


def test_fact_without_evidence_is_unverified():
    index = index_of(("notes.md", ENGLISH))
    item = fact("The supplier is losing money on this contract.")

    warnings = verify_item(item, index, "counterpart.observed_behaviour[0]")

    assert item.verification == "unverified"
    assert len(warnings) == 1
    assert "no passage of the materials holds" in warnings[0].message
    assert "counterpart.observed_behaviour[0]" in warnings[0].message


def test_reverifying_clears_old_issues():
    index = index_of(("notes.md", ENGLISH))
    item = fact("The offer is valid until 31 March 2026.", "The offer is valid until 31 March 2026", "notes.md")
    item.issues_found = ["stale issue from an earlier pass"]

    verify_item(item, index, "x")

    assert item.issues_found == []
    assert item.verification == "verified"


# -- support ------------------------------------------------------------------------


def test_support_share_over_a_mixed_list():
    index = index_of(("notes.md", ENGLISH))
    items = [
        fact("Offer: EUR 7.3m", "The supplier's offer is EUR 7.3m", "notes.md"),            # verified
        fact("Valid to 31 March 2026", "The offer is valid until 31 March 2026", "notes.md"),  # verified
        fact("A fair outcome", "fair negotiation outcome", "notes.md"),                    # verified
        fact("The legal team sees a fixed price", "The supplier's offer is EUR 7.3m", "notes.md"),  # weak
        fact("bad", "The supplier will walk away on Friday", "notes.md"),                  # unverified
        fact("no evidence"),                                                               # unverified
        fact("a guess", kind="inference"),                                                 # inference: not counted
    ]
    for i, item in enumerate(items):
        verify_item(item, index, f"items[{i}]")

    assert [i.verification for i in items] == ["verified"] * 3 + ["weak"] + ["unverified"] * 2 + ["inference"]
    assert support(items) == 0.5
    assert inference_share(items) == round(1 / 7, 3)


def test_support_ignores_inferences_and_pending_and_handles_empty():
    assert support([]) is None
    inference = Item(text="guess", kind="inference", verification="inference")
    pending = Item(text="later", verification="pending")
    assert support([inference, pending]) is None
    verified = Item(text="v", verification="verified")
    unverified = Item(text="u", verification="unverified")
    assert support([verified, inference, unverified, unverified]) == round(1 / 3, 3)
    assert support([verified, inference]) == 1.0


# -- Norwegian and English give equal results ---------------------------------------


LANGUAGE_CASES = {
    "no": {
        "source": NORWEGIAN,
        "exact": ("Leverandøren krever NOK 43,8 millioner per år fra 2027", "Leverandøren krever"),
        "quoted_speech": ("Vi har ikke en fullverdig plan B", "fullverdig plan B"),
        "invented": "Leverandøren har godtatt å holde prisen uendret i tre år",
        "known_number_text": "Kravet fra leverandøren er NOK 43,8 millioner i året fra 2027.",
        "invented_number_text": "Kravet er NOK 47,5 millioner.",
        "invented_number": "47,5",
    },
    "en": {
        "source": ENGLISH_TWIN,
        "exact": ("The supplier demands NOK 43.8 million per year from 2027", "The supplier demands"),
        "quoted_speech": ("We do not have a full plan B", "full plan B"),
        "invented": "The supplier has agreed to keep the price unchanged for three years",
        "known_number_text": "The supplier's demand is NOK 43.8 million a year from 2027.",
        "invented_number_text": "The demand is NOK 47.5 million.",
        "invented_number": "47.5",
    },
}


def run_language_checks(lang: str) -> dict[str, object]:
    data = LANGUAGE_CASES[lang]
    source = data["source"]
    index = index_of(("notes.md", source))
    outcome: dict[str, object] = {}

    for key in ("exact", "quoted_speech"):
        quote, needle = data[key]
        item = fact("x", quote, "notes.md")
        verify_item(item, index, "x")
        assert item.evidence[0].quote == quote
        outcome[key] = (item.verification, item.evidence[0].locator == f"line {line_of(source, needle)}")

    invented = fact("x", data["invented"], "notes.md")
    warnings = verify_item(invented, index, "x")
    outcome["invented"] = (invented.verification, len(warnings), invented.evidence[0].match_score)

    known = fact(data["known_number_text"], data["exact"][0], "notes.md")
    verify_item(known, index, "x")
    outcome["known_number"] = (known.verification, known.issues_found)

    wrong = fact(data["invented_number_text"], data["exact"][0], "notes.md")
    verify_item(wrong, index, "x")
    outcome["invented_number"] = (wrong.verification, wrong.issues_found == [f"number not found in the materials: {data['invented_number']}"])
    return outcome


@pytest.mark.parametrize("lang", ["no", "en"])
def test_language_checks(lang):
    outcome = run_language_checks(lang)
    assert outcome["exact"] == ("verified", True)
    assert outcome["quoted_speech"] == ("verified", True)
    assert outcome["invented"] == ("unverified", 1, 0.0)
    assert outcome["known_number"] == ("verified", [])
    assert outcome["invented_number"] == ("unverified", True)


def test_norwegian_and_english_give_equal_results():
    assert run_language_checks("no") == run_language_checks("en")


def test_norwegian_uppercase_letters_match_case_insensitively():
    index = index_of(("notes.md", NORWEGIAN))
    item = fact("x", "ØKONOMIDIREKTØREN SIER AT TAKET ER NOK 39,9 MILLIONER", "notes.md")

    verify_item(item, index, "x")

    assert item.verification == "verified"
    assert item.evidence[0].quote == "Økonomidirektøren sier at taket er NOK 39,9 millioner"
    assert item.evidence[0].locator == f"line {line_of(NORWEGIAN, 'Økonomidirektøren')}"


# -- the real sample case -----------------------------------------------------------


def test_real_norwegian_case_quote_is_verified_in_the_right_document():
    case = load_case(ROOT / "cases" / "norsk-leveranse")
    doc = case.by_name("03_moetereferat_2026-04-14.md")
    assert doc is not None
    # pick a real line from the document instead of copying it into the test
    lines = doc.text.split("\n")
    number, line = next((n, l) for n, l in enumerate(lines, 1) if "Styremøtet er" in l)
    quote = line.split("Styremøtet er", 1)[1].split(",")[0]
    quote = "Styremøtet er" + quote  # "Styremøtet er **18. juni 2026**"
    assert "18. juni 2026" in quote

    index = SourceIndex(case)
    # the model would drop the Markdown bold markers and name no document
    item = fact("Styret møtes 18. juni 2026.", quote.replace("**", ""))
    warnings = verify_item(item, index, "deal_profile.deadlines[0]")

    assert item.verification == "verified"
    assert warnings == []
    ev = item.evidence[0]
    assert ev.document == "03_moetereferat_2026-04-14.md"
    assert ev.locator == f"line {number}"
    assert ev.quote in line
    assert ev.quote.startswith("Styremøtet er **18. juni 2026")


def test_real_norwegian_case_line_from_email_and_invented_amount():
    case = load_case(ROOT / "cases" / "norsk-leveranse")
    index = SourceIndex(case)
    doc = case.by_name("02_epost_driftspartner.txt")
    assert doc is not None
    number, line = next((n, l) for n, l in enumerate(doc.text.split("\n"), 1) if "NOK 41 200 000" in l)

    item = fact("Treårsavtalen koster NOK 41,2 mill. per år.", line.strip(), "02_epost_driftspartner.txt")
    verify_item(item, index, "x")
    assert item.verification == "verified"
    assert item.evidence[0].document == "02_epost_driftspartner.txt"
    assert item.evidence[0].locator == f"line {number}"

    # hand-written fixture, not model output: an amount that is in none of the documents
    wrong = fact("Treårsavtalen koster NOK 45,6 mill. per år.", line.strip(), "02_epost_driftspartner.txt")
    verify_item(wrong, index, "x")
    assert wrong.verification == "unverified"
    assert "number not found in the materials: 45,6" in wrong.issues_found


def test_normalise_folds_mixed_text_and_maps_each_character_to_its_source():
    # plain ASCII runs (the fast path) mixed with everything that needs care
    source = "Ærlig  TALT:\n\u201ePreis\u201c \u2013 7,3 Mio. *fett* co-\n  operate \ufb01ne, a\u030angstrom"

    norm = normalise(source)

    assert norm.text == '\u00e6rlig talt: "preis" - 7,3 mio. fett cooperate fine, \u00e5ngstrom'
    assert len(norm.offsets) == len(norm.text)
    assert norm.offsets == sorted(norm.offsets)
    assert source[norm.offsets[norm.text.index("talt")]:].startswith("TALT")
    assert source[norm.offsets[norm.text.index("preis")] - 1] == "\u201e"
    assert source[norm.offsets[norm.text.index("cooperate")]:].startswith("co-\n")
    assert source[norm.offsets[norm.text.index("operate")]:].startswith("operate")
    assert source[norm.offsets[norm.text.index("fine")]] == "\ufb01"
    assert source[norm.offsets[norm.text.index("\u00e5ngstrom")]:].startswith("a\u030angstrom")


# -- support that means support (the cited text must support the item) ----------------------------------


INJECTION = ROOT / "tests" / "data" / "cases" / "injection"


def test_a_one_word_quote_does_not_verify_an_unrelated_claim():
    """The "Doncaster" case: a claim about assets 'verified' by a one-word quote of a place name."""
    index = SourceIndex(load_case(INJECTION))
    item = fact("BrightSpan holds over \u00a35 billion in assets", "Doncaster", "notes.md")
    warnings = verify_item(item, index, "counterpart.pressures[0]")
    assert item.evidence[0].match_score == 100.0  # the quote exists ...
    assert item.verification != "verified"  # ... but it supports nothing
    assert warnings and warnings[0].code in ("weak", "unverified")
    related = fact("BrightSpan cleans our Leeds and Doncaster warehouses", "Doncaster", "notes.md")
    verify_item(related, index, "x")
    assert related.verification == "verified"


DATA_EXPORT = """# Licence notes
Clause 17.3: on termination the vendor returns all customer data within 30 days in an open format.
The vendor's price rises by 38% from 1 April.
Our budget for the year is GBP 1.35 million.
The vendor needs a flagship private hospital group for its Cloud launch.
"""


def test_one_line_cited_for_unrelated_items_verifies_only_the_related_one():
    """The data-export case: one line about data export cited as the evidence of eight unrelated suggestions."""
    index = index_of(("notes.md", DATA_EXPORT))
    quote = "on termination the vendor returns all customer data within 30 days"
    unrelated = ["Ask for a price cap below the 38% rise", "Offer to be the Cloud launch reference customer",
                 "Keep the year's spend within the GBP 1.35 million budget", "Propose a phased renewal over two years",
                 "Escalate to the vendor's managing director", "Warn that a 38% rise puts the renewal at risk",
                 "Separate the Cloud move from the renewal price", "Benchmark the price against other vendors"]
    items = [fact(text, quote, "notes.md") for text in unrelated]
    related = fact("The vendor must return our data within 30 days of termination", quote, "notes.md")
    for item in items + [related]:
        verify_item(item, index, "challenge.widened_elements[0]")
    assert [i.verification for i in items] == ["weak"] * len(items)
    assert related.verification == "verified"
    assert support(items + [related]) == round(1 / 9, 3)


@pytest.mark.parametrize("text", ["The offer is EUR 7,3 mio.", "The offer is EUR 7.3 million.", "Offer of 7 300 000 euro"])
def test_numbers_in_other_formats_are_supported(text):
    index = index_of(("notes.md", ENGLISH))
    item = fact(text, "The supplier's offer is EUR 7.3m", "notes.md")
    verify_item(item, index, "x")
    assert item.verification == "verified", item.issues_found


def test_a_number_from_elsewhere_in_the_materials_is_weak_even_single_digits():
    index = index_of(("notes.md", ENGLISH + "The project has 3 phases.\n"))
    item = fact("The offer of EUR 7.3m covers 3 phases", "The supplier's offer is EUR 7.3m", "notes.md")
    verify_item(item, index, "x")
    assert item.verification == "weak"
    assert "the number 3 is not in the cited text" in item.issues_found


def test_a_date_in_another_format_is_supported_and_a_wrong_one_is_not():
    index = index_of(("notes.md", ENGLISH))
    same = fact("Valid until 31.03.2026", "The offer is valid until 31 March 2026", "notes.md")
    other = fact("Valid until 30 March 2026", "The offer is valid until 31 March 2026", "notes.md")
    verify_item(same, index, "x")
    verify_item(other, index, "x")
    assert same.verification == "verified"
    assert other.verification in ("weak", "unverified")


def test_norwegian_paraphrase_with_another_number_format_is_supported():
    index = index_of(("notat.md", NORWEGIAN))
    item = fact("Leverandøren krever 43,8 mill. kroner i året", "Leverandøren krever NOK 43,8 millioner per år fra 2027",
                "notat.md")
    verify_item(item, index, "x")
    assert item.verification == "verified", item.issues_found
    wrong = fact("Økonomidirektøren vil ha nytt anbud", "Leverandøren krever NOK 43,8 millioner per år fra 2027",
                 "notat.md")
    verify_item(wrong, index, "x")
    assert wrong.verification == "weak"


def test_a_fact_labelled_inference_is_still_a_fact():
    """The 0.5B model labelled every item an inference and so escaped verification."""
    index = index_of(("notes.md", ENGLISH))
    numbers = fact("The offer is EUR 7.3m and valid until 31 March", kind="inference")
    speech = fact('Their account manager said "we will not move on price"', kind="inference")
    opinion = fact("They probably need the volume more than the margin", kind="inference")
    for item in (numbers, speech, opinion):
        verify_item(item, index, "x")
    assert numbers.verification == "unverified" and speech.verification == "unverified"
    assert opinion.verification == "inference"
    assert support([numbers, speech, opinion]) == 0.0
    assert inference_share([numbers, speech, opinion]) == round(1 / 3, 3)


def test_a_wrapped_email_sentence_is_cited_as_its_paragraph():
    email = ("Dear Ann,\n\nWe can hold the onboarding team for you until\n31 March. After that it moves to "
             "other clients.\n\nBest,\nHenrik\n")
    index = index_of(("mail.txt", email))
    item = fact("They hold the onboarding team only until 31 March", "other clients", "mail.txt")
    verify_item(item, index, "x")
    assert item.verification == "verified", item.issues_found


# -- re-citation: the checker finds the passage that says what the model's citation did not -------------


def test_a_fact_the_materials_say_elsewhere_is_re_cited_and_marked():
    index = index_of(("notes.md", ENGLISH))
    item = fact("The offer is valid until 31 March 2026", "The supplier's offer is EUR 7.3m", "notes.md")
    verify_item(item, index, "x")
    assert item.verification == "weak"
    assert recite(item, index)
    ev = item.evidence[0]
    assert item.verification == "verified" and item.issues_found == [] and ev.located
    assert ev.locator == f"line {line_of(ENGLISH, 'valid until')}" and "31 March 2026" in ev.quote


def test_what_the_materials_do_not_say_is_not_re_cited():
    index = index_of(("notes.md", DATA_EXPORT))
    unsupported_claim = fact("Escalate to the vendor's managing director", "returns all customer data", "notes.md")
    invented_number = fact("The budget is GBP 1.5 million", "Our budget for the year", "notes.md")
    guess = fact("They probably fear losing the flagship", kind="inference")
    for item in (unsupported_claim, invented_number, guess):
        verify_item(item, index, "x")
        assert not recite(item, index)
    assert unsupported_claim.verification == "weak" and invented_number.verification == "unverified"
    assert guess.verification == "inference"


def test_a_deal_profile_item_cannot_escape_verification_by_its_label():
    """The deal profile says what the materials say: an item there labelled `inference` is still checked
    (and re-cited when the materials say it); elsewhere a plain inference stays an inference."""
    case = CaseMaterials(name="c", documents=[read_text("notes.md", (
        "The supplier said exclusivity is not negotiable for them.\nThe board meets in May.\n").encode())])
    index = SourceIndex(case)
    said = Item(text="The supplier says exclusivity is not negotiable.", kind="inference", basis="their e-mail")
    guessed = Item(text="The supplier fears losing its flagship client.", kind="inference", basis="tone")
    for item in (said, guessed):
        verify_item(item, index, "deal_profile.positions", as_fact=True)
        assert item.verification == "unverified"
    assert recite(said, index, as_fact=True) and said.verification == "verified"
    assert not recite(guessed, index, as_fact=True) and guessed.set_apart
    elsewhere = Item(text="The supplier fears losing its flagship client.", kind="inference", basis="tone")
    verify_item(elsewhere, index, "counterpart.pressures")
    assert elsewhere.verification == "inference"


def test_an_item_that_sets_two_lines_side_by_side_is_re_cited_to_both():
    """An offer beside a counter-offer: no one line holds both figures, two lines of one document do."""
    text = ("Lease notes.\nThe landlord asks GBP 10.20 per sq ft on a 15-year lease.\nParking is shared.\n"
            "Our agent puts the market at GBP 9.60 per sq ft.\n")
    case = CaseMaterials(name="c", documents=[read_text("notes.md", text.encode())])
    index = SourceIndex(case)
    item = Item(text="Rent: the landlord asks GBP 10.20 per sq ft, the market is GBP 9.60 per sq ft.")
    verify_item(item, index, "deal_profile.issues", as_fact=True)
    assert recite(item, index, as_fact=True) and item.verification == "verified"
    ev = item.evidence[0]
    assert ev.located and "10.20" in ev.quote and "9.60" in ev.quote
    assert ev.locator == f"line {line_of(text, '10.20')} and line {line_of(text, '9.60')}"


def test_two_lines_do_not_make_up_a_number_neither_holds():
    text = "The landlord asks GBP 10.20 per sq ft.\nOur agent puts the market at GBP 9.60 per sq ft.\n"
    index = SourceIndex(CaseMaterials(name="c", documents=[read_text("notes.md", text.encode())]))
    item = Item(text="Rent: the landlord asks GBP 10.20 per sq ft, we offer GBP 9.00 per sq ft.")
    verify_item(item, index, "deal_profile.issues", as_fact=True)
    assert not recite(item, index, as_fact=True) and item.verification == "unverified"


def test_lines_of_different_documents_are_not_paired():
    index = SourceIndex(CaseMaterials(name="c", documents=[
        read_text("a.md", b"The landlord asks GBP 10.20 per sq ft for the unit.\n"),
        read_text("b.md", b"The market rate for the unit is GBP 9.60 per sq ft.\n")]))
    item = Item(text="The landlord asks GBP 10.20 per sq ft; the market rate is GBP 9.60 per sq ft.")
    verify_item(item, index, "deal_profile.issues", as_fact=True)
    assert not recite(item, index, as_fact=True)


def test_a_party_is_supported_by_its_name():
    from pipeline.schemas import Party

    index = SourceIndex(CaseMaterials(name="c", documents=[read_text("notes.md", (
        "Kestrel Freight Ltd leases Unit 4 from Harbourside Estates plc.\nThe lease ends in June.\n").encode())]))
    named = Party(text="Our side", name="Kestrel Freight Ltd", role="our_side")
    invented = Party(text="Our side", name="Osprey Logistics", role="our_side")
    for party in (named, invented):
        verify_item(party, index, "deal_profile.parties", as_fact=True)
        recite(party, index, as_fact=True)
    assert named.verification == "verified" and invented.set_apart
