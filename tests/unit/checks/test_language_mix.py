"""The brief's language check: texts in another language than the brief's are counted and named once.
The briefs below are hand-written for the test."""

from __future__ import annotations

from pipeline.checks.language_mix import check_language, foreign_texts
from pipeline.schemas import DealProfile, Evidence, Item, Party, SidedItem

NORWEGIAN = [
    "Leverandøren krever en økning på fjorten prosent fra første januar neste år.",
    "Helseforetaket kan utløse opsjonen på de vilkårene som står i avtalen i dag.",
    "Styret må godkjenne opsjonen før fristen, og styrepapirene skal være klare tidlig i juni.",
]
ENGLISH = [
    "The supplier demands an increase of fourteen percent from the first of January next year.",
    "The trust can exercise the option on the terms that the contract sets out today.",
]


def _profile(texts: list[str], quote: str = "kort sitat") -> DealProfile:
    return DealProfile(
        summary=texts[0], our_side="Helse Vestfjord HF", counterpart="Driftspartner Norge AS",
        parties=[Party(text="Helse Vestfjord HF", name="Helse Vestfjord HF", role="our_side")],
        issues=[Item(text=t, evidence=[Evidence(document="notat.md", quote=quote)]) for t in texts[1:]],
        interests=[SidedItem(text="Lavere pris", side="ours")],
    )


def test_english_texts_in_a_norwegian_brief_are_counted_and_named():
    warnings = check_language({"deal_profile": _profile(NORWEGIAN[:1] + ENGLISH)}, "no")
    assert [w.code for w in warnings] == ["language"]
    assert warnings[0].message.startswith("2 of 3 texts of this brief are not in Norwegian (bokmål) but English")
    assert "deal_profile.issues[0].text" in warnings[0].message


def test_a_brief_in_its_own_language_raises_nothing():
    assert check_language({"deal_profile": _profile(NORWEGIAN)}, "no") == []
    assert check_language({"deal_profile": _profile(ENGLISH + ENGLISH[:1])}, "en") == []


def test_evidence_quotes_and_short_texts_are_not_the_brief_s_words():
    """A Norwegian quote of the materials in an English brief is the materials' text, and a two-word label
    cannot be read reliably: neither counts."""
    profile = _profile(ENGLISH + ENGLISH[:1], quote=NORWEGIAN[1])
    assert check_language({"deal_profile": profile}, "en") == []


def test_one_misread_text_is_not_a_mix():
    """langdetect reads this line of the mixed-formats brief as French; one such text among many is noise."""
    misread = "Rent per sq ft: our side proposes \u00a39.00, counterpart suggests \u00a310.20."
    sections = {f"part{n}": _profile(ENGLISH + ENGLISH) for n in range(3)}
    sections["deal_profile"] = _profile(ENGLISH + [misread])
    assert check_language(sections, "en") == []


def test_no_language_no_check():
    assert check_language({"deal_profile": _profile(NORWEGIAN[:1] + ENGLISH)}, "") == []


def test_a_line_shown_in_the_materials_own_words_is_neither_translated_nor_counted():
    from pipeline.checks.language_mix import foreign_texts
    profile = _profile(ENGLISH + ENGLISH[:1])
    profile.key_facts = [Item(text=t, verification="quoted") for t in NORWEGIAN]
    assert check_language({"deal_profile": profile}, "en") == []
    assert foreign_texts({"deal_profile": profile}, "en") == []
    profile.key_facts[0].verification = "verified"  # the same text written by a model: translated
    assert foreign_texts({"deal_profile": profile}, "en") == [NORWEGIAN[0]]


def test_what_the_pipeline_composed_is_not_sent_to_translation():
    from pipeline.schemas import FirstPage, Item, Plan, Synthesis

    other = "Vi har tatt en betydelig del av dette selv, men vi må dessverre justere driftsvederlaget til neste år."
    page = FirstPage(latest=[Item(text=f"Newest: Henrik Vos, 19 March 2026 — “{other}”.")])
    composed = Synthesis(executive_summary=other, plan=Plan(process=[], relationship=[], substance=[]),
                         next_moves=[], questions_to_ask=[], first_page=page, composed=True)
    assert foreign_texts({"synthesis": composed}, "en") == []
    written = composed.model_copy(update={"composed": False})
    assert foreign_texts({"synthesis": written}, "en") == [other], "a model's summary is, the first page never"
