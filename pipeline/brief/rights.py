"""Our rights in the contract, in its own words: the sentences of a contract between the parties that give our side
a right (we may extend, we hold over until a new lease is granted) or cap what the other side may charge us. A
contract names each party by its role ("Kestrel Freight Ltd (the Tenant)", "Kunde: Helse Vestfjord HF"); a
sentence is ours when our role comes before its verb of right and theirs does not. Pure rules, in English,
Norwegian and German words, for any case."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.brief.compose import _quote
from pipeline.brief.facts import Source
from pipeline.brief.notes import GO_ON, name_words
from pipeline.brief.terms import CLAUSE
from pipeline.case.authorship import is_internal
from pipeline.case.documents import CaseMaterials, Document
from pipeline.case.notes import SENTENCE
from pipeline.schemas import Item

SHOWN_AT_MOST = 3
GOES_ON = 4
"""The weight of a right of ours to go on without a new deal (extend, renew, hold over): the strongest."""
LONGEST = 400
"""The most characters of a clause shown whole; a longer one is shown by its sentence."""
CONTRACT = re.compile(r"(?<![^\W_])(?:agreement|contract|lease|licen[cs]e|\w*(?:avtale|kontrakt|vertrag|vereinbarung)\w*)"
                      r"(?![^\W_])", re.IGNORECASE)
MESSAGE = re.compile(r"^\W*(?:from|fra|von|to|til|an|date|dato|datum|sent|sendt|gesendt|subject|emne|betreff)\W*:",
                     re.IGNORECASE)
OFFER = re.compile(r"(?<![^\W_])(?:proposals?|offer|quot\w*|heads of terms|term sheet|claim|tilbud\w*|forslag\w*|"
                   r"krav\w*|angebot\w*|vorschlag\w*|forderung\w*)(?![^\W_])", re.IGNORECASE)
RIGHT = re.compile(r"(?<![\w])(?:may|can|is entitled|shall be entitled|has the right|hold(?:s|ing)? over|kan|har rett|"
                   r"darf|kann|ist berechtigt|hat das recht)(?![\w])", re.IGNORECASE)
CAP = re.compile(r"(?<![\w])(?:shall not (?:increase|exceed|rise)|(?:not|no) (?:increase|rise|exceed)\w* (?:by )?more than|"
                 r"no more than|may not exceed|not to exceed|skal ikke (?:øke|overstige)|ikke overstige|høyst|"
                 r"darf nicht (?:steigen|übersteigen)|höchstens|nicht mehr als)(?![\w])", re.IGNORECASE)
PRICE = re.compile(r"(?<![\w])(?:fees?|prices?|rent|charges?|vederlag\w*|pris\w*|leie\w*|miete\w*|preis\w*|"
                   r"entgelt\w*|gebühr\w*)(?![\w])", re.IGNORECASE)
_ROLE_AFTER_NAME = (r"[^()\n]{{0,60}}\(\s*[\"“”'„]?(?:the\s+|hereinafter\s+)?[\"“”'„]?([A-ZÆØÅÄÖÜ][\w-]+)[\"“”']?"
                    r"\s*\)")
_ROLE_LABEL = re.compile(r"^\W*([A-ZÆØÅÄÖÜ][\w-]+)\W*:\W*(.+)$")
_HEADING = re.compile(r"^\W*(?:(?:clause|section|article|punkt|ziffer|klausel|§)\s*)?\d+(?:\.\d+)*\.?\s*[—–:-]?\s*"
                      r"[A-ZÆØÅÄÖÜ][^.!?]{0,60}$", re.IGNORECASE)


def rights_on_page(case: CaseMaterials, our_side: str, counterpart: str) -> tuple[list[Item], Item | None, Item | None]:
    """Our rights in the contracts (`contract_rights`) as first-page items in the contract's own words; the one of
    them that lets us go on without a new deal (extend, hold over), if any; and the strongest of them by its
    strongest sentence under its clause's heading (`Clause 14: … the Tenant holds over …`), to open on."""
    found = contract_rights(case, our_side, counterpart)
    items = [_quote(text, source, "excerpt") for text, source, _, _ in found]
    going_on = next((item for item, (_, _, weight, _) in zip(items, found) if weight == GOES_ON), None)
    strongest = max(found, key=lambda f: f[2], default=None)  # the first of the strongest, in the contract's order
    return items, going_on, _quote(strongest[3], strongest[1], "excerpt") if strongest else None


def their_duty(case: CaseMaterials, our_side: str, counterpart: str) -> Item | None:
    """The contract's sentence that obliges the counterpart to go on or deliver (`Art. 29.3: … the Builder shall
    continue the work and deliver …`), under its clause's heading, in the contract's words: the first that says
    they go on, else the first that says they deliver. None when no contract of the parties says so."""
    found: list[tuple[int, int, str, Source]] = []
    for doc in case.documents:
        if not _contract(doc) or _role(doc, our_side) is None or (theirs := _role(doc, counterpart)) is None:
            continue
        role = _named(theirs)
        for heading, text, source in _clauses(doc):
            for sentence in _sentences(text):
                verb = OBLIGE.search(sentence)
                if verb and role.search(sentence[:verb.start()]) and DUTY.search(sentence):
                    found.append((0 if GO_ON_DUTY.search(sentence) else 1, len(found),
                                  f"{heading}: {sentence}" if heading else sentence, source))
    if not found:
        return None
    _, _, text, source = min(found)
    return _quote(text, source, "excerpt")


def contract_rights(case: CaseMaterials, our_side: str, counterpart: str) -> list[tuple[str, Source, int, str]]:
    """Our rights in the contracts of the case, the strongest first kept (`_weight`) and shown in the contract's
    order: each with the clause it stands under, its passage, its weight and its strongest sentence under the
    clause's heading."""
    found: list[tuple[int, int, str, Source]] = []
    for doc in case.documents:
        if not _contract(doc):
            continue
        ours, theirs = _role(doc, our_side), _role(doc, counterpart)
        if ours is None:
            continue
        for heading, text, source in _clauses(doc):
            weighed = [(_weight(s, ours, theirs), s) for s in _sentences(text)]
            if not (said := [s for w, s in weighed if w]):
                continue
            shown = text if len(text) <= LONGEST else " ".join(said)
            weight, core = max(weighed, key=lambda pair: pair[0])
            found.append((weight, len(found), f"{heading}: {shown}" if heading else shown, source,
                          f"{heading}: {core}" if heading else core))
    kept = sorted(sorted(found, key=lambda f: -f[0])[:SHOWN_AT_MOST], key=lambda f: f[1])
    return [(text, source, weight, core) for weight, _, text, source, core in kept]


def _contract(doc: Document) -> bool:
    """A contract of the parties: none of our notes, no message, no offer or claim of theirs."""
    head = "\n".join(u.text for u in doc.units[:6])[:600]
    if is_internal(doc) or sum(bool(MESSAGE.match(line)) for line in head.splitlines()[:8]) >= 2:
        return False
    title = next((line for line in head.splitlines() if line.strip()), "")
    return bool(CONTRACT.search(f"{doc.name} {title}")) and not OFFER.search(f"{doc.name} {title}")


def _role(doc: Document, party: str) -> str | None:
    """The word the contract names `party` by: "(the Tenant)" after its name, or the label of a line that gives
    its name ("Kunde: …")."""
    words = [re.escape(w) for w in name_words(party)]
    if not words:
        return None
    text = "\n".join(u.text for u in doc.units)
    named = re.search(rf"(?:{'|'.join(words)}){_ROLE_AFTER_NAME.format()}", text, re.IGNORECASE)
    if named:
        return named.group(1)
    lines = text.splitlines()
    for at, line in enumerate(lines):
        label = _ROLE_LABEL.match(line.replace("*", ""))
        if label and any(re.search(rf"(?<![\w]){w}(?![\w])", label.group(2), re.IGNORECASE) for w in words):
            used = re.compile(rf"(?<![\w]){re.escape(label.group(1))}\w{{0,3}}(?![\w])")  # a defined term is used
            if any(used.search(other) for other in lines[:at] + lines[at + 1:]):
                return label.group(1)
    return None


def _clauses(doc: Document) -> Iterator[tuple[str, str, Source]]:
    """Each paragraph of the contract with the clause heading it stands under."""
    heading = ""
    for unit in doc.units:
        paragraph: list[str] = []
        for line in unit.text.splitlines() + [""]:
            plain = line.strip().lstrip(">").strip().replace("*", "")
            if _HEADING.match(plain) and (CLAUSE.search(plain) or re.match(r"\d", plain)):
                yield from _paragraph(heading, paragraph, unit, doc)
                paragraph, heading = [], plain.rstrip(":")
            elif not plain:
                yield from _paragraph(heading, paragraph, unit, doc)
                paragraph = []
            else:
                paragraph.append(plain)


def _paragraph(heading: str, lines: list[str], unit, doc: Document) -> Iterator[tuple[str, str, Source]]:
    if lines:
        text = " ".join(lines)
        yield heading, text, Source(doc.name, unit.locator, text)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


def _weight(sentence: str, ours: str, theirs: str | None) -> int:
    """How much a sentence of the contract protects us: a right of ours to go on (extend, renew, hold over) 4; a
    cap on what they may charge, a fixed price, or a duty of theirs to go on 3; a duty of theirs to deliver or pay
    damages, a claim of theirs waived, a penalty where we are the customer 2; another right of ours, or a guarantee
    they owe, 1; else 0."""
    role, other = _named(ours), _named(theirs) if theirs else None
    verb = RIGHT.search(sentence)
    if verb is not None and role.search(sentence[:verb.start()]) and not (other and other.search(sentence[:verb.start()])):
        return GOES_ON if GO_ON.search(sentence) else 1
    if (CAP.search(sentence) and PRICE.search(sentence)) or FIXED.search(sentence):
        return 3
    owed = bool(other and other.search(sentence) and OBLIGE.search(sentence))
    if owed and GO_ON_DUTY.search(sentence):
        return 3
    if WAIVED.search(sentence) or (owed and DUTY.search(sentence)) or (CUSTOMER.fullmatch(ours) and PENALTY.search(sentence)):
        return 2
    return 1 if owed and SECURITY.search(sentence) else 0


def _named(role: str) -> re.Pattern:
    """A party's role word in any of its forms ("Kunde", "Kunden")."""
    return re.compile(rf"(?<![\w]){re.escape(role)}\w{{0,3}}(?![\w])", re.IGNORECASE)


FIXED = re.compile(r"(?<![\w])(?:(?:price|fee|rent) is fixed|fixed price|shall not be adjusted|fastpris\w*|"
                   r"skal ikke justeres|festpreis\w*|wird nicht angepasst)(?![\w])", re.IGNORECASE)
OBLIGE = re.compile(r"(?<![\w])(?:shall|must|pays|provides|skal|må|muss|hat|leistet|zahlt)(?![\w])", re.IGNORECASE)
GO_ON_DUTY = re.compile(r"(?<![\w])(?:continue\w*|fortsett\w*|fortsetz\w*|fortführ\w*|weiterführ\w*)(?![\w])",
                        re.IGNORECASE)
DUTY = re.compile(r"(?<![\w-])(?:deliver\w*|liquidated damages|damages|levere\w*|bistå|erstatning\w*|liefer\w*|"
                  r"schadenersatz\w*)(?![\w])", re.IGNORECASE)
SECURITY = re.compile(r"(?<![\w])(?:refund\w*|guarantee\w*|garanti\w*|bürgschaft\w*)(?![\w])", re.IGNORECASE)
WAIVED = re.compile(r"(?<![\w])(?:claim is waived|is waived|claim lapses|bortfaller|faller bort|verfällt|"
                    r"ist ausgeschlossen)(?![\w])", re.IGNORECASE)
PENALTY = re.compile(r"(?<![\w])(?:penalt\w*|liquidated damages|service credits?|dagbøt\w*|bøter?|"
                     r"vertragsstraf\w*|pönale\w*)(?![\w])", re.IGNORECASE)
CUSTOMER = re.compile(r"customer|buyer|purchaser|tenant|lessee|licensee|client|kunde|kjøper|leietaker|lisenstaker|"
                      r"oppdragsgiver|käufer|mieter|lizenznehmer|auftraggeber|besteller", re.IGNORECASE)
"""The roles of the side that buys: a penalty in its contract is paid to it."""
