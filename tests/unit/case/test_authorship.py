"""Which side wrote the internal documents: the sides a model names are turned round when it swapped them."""

from __future__ import annotations

from pipeline.case.authorship import internal_author, is_internal, oriented
from pipeline.case.documents import CaseMaterials
from pipeline.case.readers import read_text

MINUTES = "# Møtereferat — forhandlingsforberedelse\n\n**Helse Vestfjord HF, IKT-divisjonen**\n\n- Driftspartner krever NOK 43,8 mill.\n"
SUPPLIER_MAIL = "Fra: Thomas Berg\nTil: Jon Erik Strand\n\nVi i Driftspartner Norge AS må øke prisen.\n"


def case(*docs: tuple[str, str]) -> CaseMaterials:
    return CaseMaterials(name="t", documents=[read_text(name, text.encode("utf-8")) for name, text in docs])


def test_a_swapped_pair_is_turned_round_by_the_internal_minutes():
    materials = case(("02_epost.txt", SUPPLIER_MAIL), ("03_moetereferat.md", MINUTES))
    assert internal_author(materials, ("Driftspartner Norge AS", "Helse Vestfjord HF")) == "Helse Vestfjord HF"
    assert oriented(materials, "Driftspartner Norge AS", "Helse Vestfjord HF") == ("Helse Vestfjord HF", "Driftspartner Norge AS")
    assert oriented(materials, "Helse Vestfjord HF", "Driftspartner Norge AS") == ("Helse Vestfjord HF", "Driftspartner Norge AS")


def test_a_party_named_further_down_an_internal_memo_is_not_its_author():
    memo = "# MEMO — Internal and confidential\n\n**To:** Executive Committee\n**From:** CIO\n**Re:** renewal\n\nVantara wants +38%.\n"
    materials = case(("03_cio_memo.md", memo))
    assert internal_author(materials, ("Vantara", "Thamesbrook Healthcare")) is None
    assert oriented(materials, "Vantara", "Thamesbrook Healthcare") == ("Vantara", "Thamesbrook Healthcare")


def test_documents_that_are_not_internal_do_not_vote():
    letter = "**BALTICA YARD S.A.**\nul. Stoczniowa 14\n\nNordvik Ferries AS\nDear Sir,\n"
    assert internal_author(case(("02_builder_claim_letter.md", letter)), ("Nordvik Ferries AS", "Baltica Yard S.A.")) is None


def test_a_tie_between_internal_documents_decides_nothing():
    ours = "# Nordvik Ferries AS — Internal meeting\n\nnotes\n"
    theirs = "# Baltica Yard S.A. — internal memo\n\nnotes\n"
    materials = case(("a_notes.md", ours), ("b_notes.md", theirs))
    assert internal_author(materials, ("Nordvik Ferries AS", "Baltica Yard S.A.")) is None


def test_internal_documents_are_told_by_their_name_or_first_lines_in_several_languages():
    internal = [("03_moetereferat.md", MINUTES), ("acta.txt", "Reunión del comité\nPrecio máximo: 40 000 EUR\n"),
                ("brief.md", "Aktennotiz zur Verhandlung\nObergrenze 2,1 Mio. EUR\n"),
                ("x.md", "# Nota interna\nLímite: 12 %\n")]
    outside = [("02_epost.txt", SUPPLIER_MAIL), ("offer.md", "Dear Sir,\nPlease find our contact details below.\n")]
    assert [is_internal(d) for d in case(*internal).documents] == [True] * 4
    assert [is_internal(d) for d in case(*outside).documents] == [False] * 2
