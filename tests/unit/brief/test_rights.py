"""What the contract between the parties gives us, in its own words (hand-written contracts, not a sample case)."""

from __future__ import annotations

from pipeline.brief.rights import contract_rights, rights_on_page
from pipeline.case.documents import CaseMaterials, Document, Unit


def _doc(name: str, text: str) -> Document:
    return Document(name=name, kind="md", units=[Unit(locator=f"line {i}", text=line)
                                                 for i, line in enumerate(text.splitlines(), 1)])


LEASE = _doc("01_lease.md", "# Lease of Hall 7\n\nMade between Quayside Estates Ltd (the Landlord) and Larkspur Foods "
                            "Ltd (the Tenant).\n\n**Clause 3 — Rent**\n\nThe rent is GBP 400,000 a year. On review the "
                            "rent shall not increase by more than 5%.\n\n**Clause 9 — Forfeiture**\n\nThe Landlord may "
                            "re-enter if the Tenant fails to pay the rent for 30 days.\n\n**Clause 12 — Renewal**\n\n"
                            "Until a new lease is granted the Tenant holds over at the passing rent.")
NOTES = _doc("02_internal_notes.md", "# Internal notes\n- The Tenant may hold over: we need not sign by their date.")
MAIL = _doc("03_mail.txt", "From: Ann Quay <ann@quayside.example>\nDate: Mon, 8 March 2027 10:00\nSubject: Lease\n\n"
                           "Under the lease the Tenant may not sublet.")
OFFER = _doc("04_proposal.md", "# Proposal for a new lease\nLarkspur Foods Ltd (the Tenant) may extend for five years.")


def test_our_rights_and_caps_are_quoted_under_their_clause_and_theirs_are_not():
    case = CaseMaterials(name="hand-written", language="en", our_side="Larkspur Foods", counterpart="Quayside Estates",
                         documents=[LEASE, NOTES, MAIL, OFFER])
    rights = contract_rights(case, "Larkspur Foods", "Quayside Estates")
    assert [text for text, _, _, _ in rights] == [
        "Clause 3 — Rent: The rent is GBP 400,000 a year. On review the rent shall not increase by more than 5%.",
        "Clause 12 — Renewal: Until a new lease is granted the Tenant holds over at the passing rent."], \
        "the landlord's right is not ours; our notes, their mail and their proposal are no contract"
    assert [(s.document, s.locator) for _, s, _, _ in rights] == [("01_lease.md", "line 7"), ("01_lease.md", "line 15")]
    assert rights[0][3] == "Clause 3 — Rent: On review the rent shall not increase by more than 5%.", \
        "the clause's strongest sentence under its heading"
    [cap, hold], going_on, strongest = rights_on_page(case, "Larkspur Foods", "Quayside Estates")
    assert hold.verification == "excerpt" and hold.evidence[0].locator == "line 15"
    assert going_on is hold, "holding over goes on without a new deal; a cap does not"
    assert strongest.text == hold.text, "going on without a new deal is the strongest right to open on"


def test_a_role_given_by_a_label_and_a_penalty_paid_to_the_customer_count():
    contract = _doc("01_kontraktsutdrag.md", "# Utdrag fra driftsavtale\n**Kunde:** Fjordsykehuset HF\n"
                                             "**Leverandør:** Nordnett AS\n\n**Punkt 2.3 Opsjoner**\n\nKunden kan "
                                             "forlenge avtalen med ett år. Ved forlengelse gjelder de samme prisene.\n\n"
                                             "**Punkt 7.5 Lisenser**\n\nLeverandøren kan kreve at vederlaget justeres.\n\n"
                                             "**Punkt 11.2 Tjenestenivå**\n\nVed brudd utgjør dagbøter 2 % av vederlaget.")
    case = CaseMaterials(name="hand-written", language="no", documents=[contract])
    rights = [text for text, _, _, _ in contract_rights(case, "Fjordsykehuset HF", "Nordnett AS")]
    assert rights == ["Punkt 2.3 Opsjoner: Kunden kan forlenge avtalen med ett år. Ved forlengelse gjelder de samme "
                      "prisene.", "Punkt 11.2 Tjenestenivå: Ved brudd utgjør dagbøter 2 % av vederlaget."]
    assert contract_rights(case, "Someone Else AS", "Nordnett AS") == [], "a party the contract does not name has no role"


def test_the_counterpart_s_duty_to_go_on_is_found_under_its_clause():
    from pipeline.brief.rights import their_duty
    contract = _doc("01_contract.md", "# Supply contract\nLarkspur Foods Ltd (the Buyer) and Quayside Mills Ltd (the "
                                      "Supplier)\n\n**Clause 4 — Delivery**\n\nThe Supplier shall deliver the flour "
                                      "weekly.\n\n**Clause 9 — Disputes**\n\nWhile a dispute is pending, the Supplier "
                                      "shall continue to deliver and the Buyer shall pay undisputed amounts.")
    case = CaseMaterials(name="hand-written", language="en", documents=[contract])
    duty = their_duty(case, "Larkspur Foods", "Quayside Mills")
    assert duty.text.startswith("Clause 9 — Disputes: While a dispute is pending, the Supplier shall continue"), \
        "going on while a dispute is pending before a plain duty to deliver"
    assert their_duty(case, "Someone Else", "Quayside Mills") is None
