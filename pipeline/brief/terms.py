"""The counterpart's terms on the table, quoted from what the counterpart wrote: its proposals, claims, letters and
e-mails, never our own notes. A term is a line that states a figure with its currency or a percentage, a clause,
a length of time, or what kind of term it is (exclusivity, renewal, indexation, a penalty, payment, notice,
liability): a proposal's table rows and list items, a claim's items, the sentences of a letter that set them.

Where the counterpart sent a newer version of a proposal or claim, the newer one's terms stand: an older version's
items are left out when the newer one revises the same kind of document, an item is shown at the newest figure
written for it, a table's original column gives way to its revised one, and a sentence recalling an earlier
version is dropped. Pure rules, in English, Norwegian and German words, for any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipeline.brief.facts import CURRENCIES, HEADER, NUMBER_WORDS, SENDER, SUBJECT, CaseFacts, Message, Source, key
from pipeline.brief.notes import HEADING, count_words, name_words, speaks_for
from pipeline.case.authorship import is_internal
from pipeline.case.documents import CaseMaterials, Document
from pipeline.case.notes import LIST_MARK, plain_line
from pipeline.checks.quantities import Date, date_spans, number_spans, strip_dates

LIMIT = 8
"""Terms shown at most."""
LONGEST = 320
"""The most characters a term drawn from running text may hold (a table row or list item is shown whole)."""

_CURRENCY = "|".join(sorted(map(re.escape, CURRENCIES), key=len, reverse=True))
_AMOUNT = r"\d[\d.,\u00a0\u202f' ]*\d|\d"
MONEY = re.compile(rf"(?<![\w])(?:{_CURRENCY})\s?(?:{_AMOUNT})|(?:{_AMOUNT})\s?(?:m|k|mn|bn|million|mill\.?|mio\.?|"
                   rf"millioner|millionen)?\s?(?:{_CURRENCY})(?![\w])", re.IGNORECASE)
PERCENT = re.compile(r"\d\s?(?:%|per ?cent(?![\w])|prosent(?![\w])|prozent(?![\w])|percentage points?|prosentpoeng|"
                     r"prozentpunkte?)", re.IGNORECASE)
CLAUSE = re.compile(r"(?<![\w])(?:clause|section|article|art\.|§|punkt|pkt\.|ziffer|klausel|paragraph|schedule|annex|"
                    r"appendix|bilag|vedlegg|anlage|abschnitt)\s*\d+(?:\.\d+)*", re.IGNORECASE)
_COUNT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
DURATION = re.compile(rf"(?<![\w.,])(?:\d{{1,3}}|{_COUNT})\)?[\s-]?(?:years?|months?|weeks?|days?|år|måneder|mnd|uker|"
                      r"dager|virkedager|jahre?n?|monate?n?|wochen|tage?n?|werktage?n?)(?![\w])", re.IGNORECASE)
KINDS = {
    "price": r"prices?|pricing|priced|fee|fees|charges?|rent|rates?|tariffs?|surcharges?|claims?|claimed|increase|uplift|"
             r"pris|priser|prisen|prising|vederlag\w*|gebyr\w*|avgift\w*|leie\w*|krav\w*|økning\w*|tillegg|"
             r"preis\w*|entgelt\w*|gebühr\w*|miete\w*|vergütung\w*|forderung\w*|erhöhung\w*|zuschlag\w*|aufschlag\w*",
    "commitment": r"minimum|commitments?|committed|take[- ]or[- ]pay|minste\w*|minimums\w*|mindest\w*|abnahme\w*",
    "exclusivity": r"exclusiv\w*|sole (?:supplier|provider)|eksklusiv\w*|enerett\w*|exklusiv\w*|alleinvertrieb\w*",
    "term": r"term|duration|lease|avtaleperiode\w*|løpetid\w*|varighet\w*|leieperiode\w*|laufzeit\w*|vertragsdauer\w*|"
            r"mietdauer\w*",
    "renewal": r"renew\w*|auto-?renew\w*|automatic(?:ally)? (?:renew\w*|extend\w*)|roll-?over|extension|extend\w*|"
               r"fornyelse\w*|fornye\w*|forleng\w*|opsjon\w*|verlänger\w*",
    "indexation": r"index\w*|indexed|cpi|rpi|hicp|inflation\w*|escalat\w*|indeks\w*|kpi|prisjuster\w*|"
                  r"konsumprisindeks\w*|indexier\w*|wertsicherung\w*|preisanpassung\w*|preisgleitklausel\w*|vpi",
    "penalty": r"penalt\w*|liquidated damages|damages|service credits?|fines?|terminat\w*|early exit|exit charge\w*|"
               r"dagbot\w*|bøter|mulkt\w*|sanksjon\w*|oppsigelse\w*|heving|vertragsstraf\w*|pönale\w*|"
               r"konventionalstraf\w*|kündigung\w*",
    "payment": r"payments?|payable|pay|paid|instal?lments?|invoic\w*|in advance|upfront|up-front|due|deposits?|escrow|"
               r"guarantees?|betaling\w*|betales|betale|faktur\w*|forskudd\w*|forfall\w*|garanti\w*|depositum|"
               r"zahlung\w*|zahlbar|fällig\w*|rechnung\w*|vorauszahlung\w*|anzahlung\w*|bürgschaft\w*|kaution",
    "notice": r"notice|cancel\w*|varsel|varsling\w*|oppsigelsestid\w*|kündigungsfrist\w*",
    "liability": r"liabilit\w*|liable|indemnit\w*|warrant\w*|caps?|capped|uncapped|ansvar\w*|ansvarsbegrensning\w*|"
                 r"haftung\w*|gewährleistung\w*|obergrenze",
    "discount": r"discounts?|rebates?|incentives?|rent-free|rabatt\w*|avslag|nachlass\w*|skonto|mietfrei\w*",
    "service": r"service levels?|slas?|availability|uptime|tilgjengelighet|tjenestenivå\w*|verfügbarkeit|"
               r"servicelevel\w*",
    "condition": r"precondition|conditional|condition of|conditions of|subject to|not negotiable|non-negotiable|"
                 r"until(?=[^.;]{0,80}(?:signed|agreed|paid))|forutsetning\w*|betingelse\w*|ikke forhandlingsbar\w*|"
                 r"voraussetzung\w*|bedingung\w*|nicht verhandelbar",
}
"""What kind of term a line states, by its words (English, Norwegian, German)."""
WEIGHTS = {"money": 2, "exclusivity": 3, "renewal": 2, "indexation": 2, "commitment": 2, "penalty": 2, "discount": 2,
           "term": 2, "price": 1, "payment": 1, "notice": 1, "liability": 1, "condition": 1, "service": 0}
"""How much each kind of term weighs on the first page: what binds or costs us for years (exclusivity, renewal,
indexation, a minimum commitment, a penalty, a discount for signing) over the detail of service levels."""
TERMS_HEADING = re.compile(r"(?<![\w])(?:proposals?|offer\w*|quot\w*|terms|conditions|price\w*|pricing|fees|claim\w*|"
                           r"scope|commercial|tilbud\w*|vilkår\w*|betingelser|pris\w*|krav\w*|forslag\w*|angebot\w*|"
                           r"bedingungen|konditionen|preis\w*|forderung\w*|vorschlag\w*)(?![\w])", re.IGNORECASE)
"""A heading or lead-in (`Your proposal:`, `Price points`, `Key terms`) under which a list item with a figure is a term."""
KIND_OF_DOCUMENT = {
    "offer": r"proposals?|offer\w*|quot\w*|heads of terms|term sheet|tender|bid|tilbud\w*|forslag\w*|angebot\w*|"
             r"vorschlag\w*|eckpunkte",
    "claim": r"claims?|demand\w*|variation\w*|krav\w*|forderung\w*|nachtrag\w*",
    "price": r"price\w*|pricing|prices|pris\w*|preis\w*",
}
"""What a version of the counterpart's paper is, by the words of its subject or title: a newer version revises an
older one of the same kind."""
_PAPER = "|".join(KIND_OF_DOCUMENT.values())
REVISED_PAPER = re.compile(rf"(?<![\w])(?:(?:revised|updated|amended|replacement|revidert\w*|oppdatert\w*|endret|"
                           rf"endelig\w*|überarbeitet\w*|aktualisiert\w*|geändert\w*|version\s*[2-9]\s+(?:of|av|von)?)"
                           rf"\s+(?:[^\W\d]+\s+)?(?:{_PAPER})|(?:new|final|nytt?|neue[snm]?|finale[snm]?)\s+"
                           rf"(?:{KIND_OF_DOCUMENT['offer']}))(?![\w])", re.IGNORECASE)
"""A paper that says it is a newer version of one (`our revised claim`, `version 2 of our proposal`, `nytt tilbud`;
a `new claim` is another claim)."""
PARTIAL = re.compile(r"(?<![\w])(?:unchanged|otherwise|as before|remain the same|remains the same|all other terms|"
                     r"uendret|uendrede|ellers som før|øvrige vilkår|unverändert|im übrigen|ansonsten)(?![\w])",
                     re.IGNORECASE)
"""A newer version that changes some items and keeps the rest: only the items it names are replaced."""
REVISION = re.compile(r"(?<![\w])(?:revised|revision|updated|amended|new version|version\s*[2-9]|v[2-9]|replac\w*|"
                      r"supersed\w*|revidert\w*|oppdatert\w*|endret|ny versjon|erstatter|überarbeitet\w*|"
                      r"aktualisiert\w*|geändert\w*|neue fassung|ersetzt)(?![\w])", re.IGNORECASE)
OLD = re.compile(r"(?<![\w])(?:original\w*|previous\w*|old|initial\w*|first|former\w*|prior|current\w*|existing|was|"
                 r"opprinnelig\w*|tidligere|forrige|første|gammel\w*|dagens|nåværende|eksisterende|ursprünglich\w*|"
                 r"bisherig\w*|vorherig\w*|alte[snmr]?|erste[snmr]?|derzeitig\w*|heutig\w*)(?![\w])", re.IGNORECASE)
NEW = re.compile(r"(?<![\w])(?:revised|new|updated|amended|proposed|now|final|revidert\w*|ny|nye|nytt|oppdatert\w*|"
                 r"endret|foreslått|nå|neu\w*|überarbeitet\w*|aktualisiert\w*|geändert\w*|vorgeschlagen\w*|jetzt)(?![\w])",
                 re.IGNORECASE)
"""A table column of an earlier version (`Original claim`) and of the newer one (`Revised claim`)."""
RECALLED = re.compile(r"(?<![\w])(?:we refer to|with reference to|referring to|in our (?:letter|e-?mail|offer|claim|"
                      r"proposal)|our (?:letter|e-?mail|offer|claim|proposal|quote) (?:of|dated)|originally|previously|"
                      r"initially|viser til|med henvisning til|vårt (?:brev|tilbud|krav) (?:av|datert)|opprinnelig|"
                      r"tidligere|wir verweisen|bezugnehmend|unser\w* (?:schreiben|angebot|forderung) vom|ursprünglich|"
                      r"bisher)(?![\w])", re.IGNORECASE)
"""A sentence that recalls an earlier version (`We refer to our letter of 4 March, in which we claimed …`)."""
YOURS = re.compile(r"(?<![\w])(?:you (?:offered|proposed|suggested|asked for)|your (?:counter-?)?(?:offer|proposal) of|"
                   r"your budget|dere (?:tilbød|foreslo|ba om)|deres (?:mot)?(?:tilbud|forslag) (?:på|om)|deres budsjett|"
                   r"sie (?:boten|schlugen)|ihr (?:gegen)?(?:angebot|vorschlag) (?:von|über)|ihr budget)(?![\w])",
                   re.IGNORECASE)
"""A sentence that restates our side's figure (`You offered EUR 3.8 million; we cannot accept that`)."""
BILATERAL = re.compile(r"(?<![\w])(?:between|parties|mellom|partene|zwischen|vertragsparteien|parteien)(?![\w])",
                       re.IGNORECASE)
"""Words of a contract's head: a document of both sides, not the counterpart's paper."""
OUR_PAPER = re.compile(r"(?<![\w])(?:our|we|analysis|assessment|review|comments?|vår|vårt|våre|vi|analyse|vurdering|"
                       r"unser\w*|wir|bewertung|einschätzung)(?![\w])", re.IGNORECASE)
ASIDE = re.compile(r"(?<![\w])(?:internal|intern|internt|interne|internes|comments?|observations?|"
                   r"our (?:view|reading|notes?)|legal note|merknad\w*|kommentar\w*|vår vurdering|anmerkung\w*|"
                   r"unsere einschätzung)(?![\w])", re.IGNORECASE)
"""A section of our side's remarks inside a document of theirs (`Internal first observations`, `Merknad`)."""
CLOSING = re.compile(r"^(?:yours|kind regards|best regards|regards|sincerely|med vennlig hilsen|vennlig hilsen|"
                     r"hilsen|mvh|mit freundlichen grüßen|mit freundlichen grüssen|viele grüße|beste grüße)\b",
                     re.IGNORECASE)
GREETING = re.compile(r"^(?:dear|hi|hello|hei|kjære|hallo|liebe|lieber|sehr geehrte\w*)\b", re.IGNORECASE)
REPLY = re.compile(r"^(?:-{2,}|={3,}|_{3,}|.*(?:original message|forwarded message|opprinnelig melding|"
                   r"videresendt melding|ursprüngliche nachricht|weitergeleitete nachricht)|.*(?:wrote|skrev|schrieb):$)",
                   re.IGNORECASE)
"""Where a message's own text ends (an earlier message quoted below it)."""
RECIPIENTS = re.compile(r"^\s*(?:to|cc|bcc|til|kopi|an|att\.?)\s*:", re.IGNORECASE)
ANAPHOR = re.compile(r"^(?:it|this|that|these|those|they|such|the same|den|det|dette|disse|de|slik|es|dies\w*|das)"
                     r"(?![\w])", re.IGNORECASE)
"""A sentence that starts by pointing back (`Den kan vi tilby for …`): shown with the sentence before it."""
ABBREVIATION = re.compile(r"(?<![\w])(?:[A-ZÆØÅÄÖÜ]|art|nr|no|pkt|ca|bzw|mill|mrd|inkl|ekskl|eks|mva|jf|kl|ref|vs|"
                          r"etc|approx|incl|excl|dr|mr|mrs|ms|st|sq|ft|z\.b|d\.h|u\.a|bl\.a|f\.eks|evt)$", re.IGNORECASE)
TOTAL = re.compile(r"(?:total\w*|sum|summe|gesamt\w*|i alt|totalt)(?![\w])", re.IGNORECASE)
UNWRAPPED = re.compile(r"^.{1,44}(?<![.,;:!?])$")
"""A line too short to have been wrapped and without a stop: a title, or a row of a table, never joined to the next."""
LABEL = re.compile(r"^([^\W\d][^:.]{1,40}):\s+\S")
"""An item's own label (`Term: 7 years`, `Annual fee: GBP …`)."""

_SPLIT = re.compile(r"[.!?][\"”»')]?\s+(?=[\"“«(]?[A-ZÆØÅÄÖÜ0-9])")
_TABLE_SEPARATOR = set("|-: ")
_KIND_WORDS = re.compile(  # the word's start checked once per place, not once per kind
    r"(?<![\w])(?:" + "|".join(rf"(?P<{kind}>{pattern})(?![\w])" for kind, pattern in KINDS.items()) + ")", re.IGNORECASE)
CURRENT = re.compile(r"(?<![\w])(?:current\w*|existing|today|dagens|nåværende|eksisterende|derzeitig\w*|bestehend\w*|"
                     r"heutig\w*)(?![\w])", re.IGNORECASE)
"""A sentence about the terms in force today (`Your current term ends on 30 June`), not the ones on the table."""
CONTACT = re.compile(r"@|\+\d{2}|(?<![\w])(?:tel|phone|mobile|direct|fax|mob|telefon|www)(?![\w])", re.IGNORECASE)
"""A line of a signature (`Direct: +44 20 …`): its numbers are no figures."""


def _label(text: str) -> str:
    """A line's own label, of at most four words (`Jeg vil også være ærlig: …` has none)."""
    match = LABEL.match(text)
    return match.group(1) if match and len(match.group(1).split()) <= 4 else ""


@dataclass(frozen=True)
class Term:
    """A term of the counterpart's, as shown (`text`: its line, a table row made readable, or its sentences), the
    passage it stands on (`source`: the first line's locator, and the text of the lines it spans: a sentence wrapped
    over lines, a table row as written), the day of the version it belongs to (`date`, None when the paper gives
    none), and whether it is a revised figure (`revised`: its paper says it revises an earlier one — a revised claim,
    version 2 — or it replaced an older version's item here)."""

    text: str
    source: Source
    date: Date | None = None
    revised: bool = False


@dataclass
class _Version:
    """One paper of the counterpart's: a message of theirs, or a document they wrote, with its lines (blank ones as
    '') and the words that say what it is (subject, title)."""

    document: str
    date: Date | None
    lines: list[tuple[str, str]]
    head: str
    order: int
    email: bool
    revision: bool = field(init=False)
    """It says it revises an earlier paper (`Revised Claim`, `version 2`, `our updated offer`)."""
    kinds: set[str] = field(init=False)
    """What paper it is, and what it revises (`offer`, `claim`, `price`)."""
    whole: bool = field(init=False)
    """It revises the whole paper (no `all other terms unchanged`): the older one's terms are off the table."""

    def __post_init__(self):
        text = "\n".join(line for _, line in self.lines)
        said = [m.group(0) for m in REVISED_PAPER.finditer(text)]
        words = "\n".join([self.head, *said])
        self.revision = bool(said) or REVISION.search(self.head) is not None
        self.kinds = {k for k, pattern in KIND_OF_DOCUMENT.items() if count_words(pattern, words)}
        self.whole = self.revision and not PARTIAL.search(text)

    @property
    def day(self) -> tuple[int, int, int]:
        return key(self.date) if self.date else (0, 0, 0)


@dataclass
class _Candidate:
    """A term found, before the older versions' and the repeated ones are left out and the list is capped."""

    text: str
    source: Source
    version: _Version
    position: int
    score: int
    kinds: frozenset[str]
    label: str = ""
    revised: bool = False
    quantities: frozenset = field(default_factory=frozenset)


def their_terms(case: CaseMaterials, facts: CaseFacts, counterpart: str, our_side: str = "",
                ours: frozenset[str] | None = None, flagged: tuple[str, ...] = (), limit: int = LIMIT) -> list[Term]:
    """The counterpart's terms on the table, at most `limit`, each line once, the newest version's where they sent a
    newer one, in the order they were written (oldest paper first, each paper in its own order). Read from the
    messages their people sent (`facts.messages`) and the documents they wrote (a letterhead or title of theirs, a
    letter signed for them, an attachment of a message of theirs); never from our side's own documents (`ours`,
    by default those `is_internal` finds), a message of ours or a passage `flagged` as planted instructions."""
    ours = frozenset(d.name for d in case.documents if is_internal(d)) if ours is None else ours
    withheld = " ".join(" ".join(plain_line(line).split()) for text in flagged for line in text.splitlines())
    candidates = []
    for version in _versions(case, facts, counterpart, our_side, ours):
        for position, (text, source, score, kinds, label, from_revised) in enumerate(_terms_in(version, withheld)):
            candidates.append(_Candidate(text, source, version, position, score, kinds, label,
                                         from_revised or version.revision, _quantities(text)))
    return [Term(c.text, c.source, c.version.date, c.revised) for c in _chosen(_current(candidates), limit)]


def _names(text: str, side: str) -> bool:
    """A word of `side`'s name stands whole in `text`."""
    words = {w.casefold() for w in name_words(side)}
    return bool(words) and any(w in words for w in re.findall(r"[^\W\d_][\w'-]*", text.casefold()))


def _person(sender: str) -> str:
    return sender.split("<")[0].strip().strip('"').casefold()


def _versions(case: CaseMaterials, facts: CaseFacts, counterpart: str, our_side: str,
              ours: frozenset[str]) -> list[_Version]:
    """The counterpart's papers, oldest first (undated ones first, in the materials' order): each message of theirs
    (its sender's address or name theirs), an attachment of one, and each document they wrote."""
    people = {_person(m.sender) for m in facts.messages
              if speaks_for(m.sender, counterpart) and not speaks_for(m.sender, our_side)} - {""}

    def theirs(sender: str) -> bool:  # their address or name, or the name of one who wrote from their address
        return bool(sender) and not speaks_for(sender, our_side) and (
            speaks_for(sender, counterpart) or _person(sender) in people)

    found: list[_Version] = []
    by_document: dict[str, list[_Version]] = {}
    for doc in case.documents:
        if doc.name in ours:
            continue
        lines = list(_doc_lines(doc))
        messages = [m for m in facts.messages if m.source.document == doc.name and not m.ours]
        versions = []
        if any(m.sender for m in messages):
            versions = [_message_version(m, lines, len(found) + n) for n, m in enumerate(messages) if theirs(m.sender)]
        elif (parent := by_document.get(doc.name.rsplit("/", 1)[0])) and "/" in doc.name:
            versions = [_Version(doc.name, parent[-1].date, lines, f"{parent[-1].head}\n{_head(lines)}", len(found),
                                 False)]  # an attachment of their message: the same version
        elif _written_by_them(doc, lines, counterpart, our_side):
            date = messages[0].date if messages else _head_date(doc, lines)
            versions = [_Version(doc.name, date, lines, f"{doc.name}\n{_head(lines)}", len(found), False)]
        if versions:
            by_document[doc.name] = versions
            found += versions
    return sorted(found, key=lambda v: (v.day, v.order))


def _doc_lines(doc: Document) -> Iterator[tuple[str, str]]:
    for unit in doc.units:
        for line in unit.text.splitlines() or [""]:
            yield unit.locator, line


def _message_version(message: Message, lines: list[tuple[str, str]], order: int) -> _Version:
    """A message as a version: its own lines (with the blank lines between them), up to the earlier message it
    quotes."""
    wanted = {(s.locator, s.text) for s in message.lines}
    kept: list[tuple[str, str]] = []
    for locator, line in lines:
        if (locator, line.strip()) in wanted:
            if REPLY.match(line.strip()):
                break
            kept.append((locator, line))
        elif kept and not line.strip():
            kept.append((locator, ""))
    return _Version(message.source.document, message.date, kept, f"{message.subject}\n{_head(kept)}", order, True)


def _head(lines: list[tuple[str, str]], count: int = 3) -> str:
    """The first lines of a paper and its subject line: the words that say what it is."""
    plain = [plain_line(line) for _, line in lines if line.strip() and not line.strip().startswith("<!--")]
    subject = next((m.group(1) for line in plain[:12] if (m := SUBJECT.match(line))), "")
    return "\n".join([*plain[:count], subject])


def _written_by_them(doc: Document, lines: list[tuple[str, str]], counterpart: str, our_side: str) -> bool:
    """A document of the counterpart's: sent from their address, headed by their name (a letterhead, `PaySys —
    Commercial Proposal`, `Offer from Kettle AG`) and not a contract between both sides, or a letter signed for
    them."""
    sender = next((v for k, v in doc.metadata.items() if k.casefold() in ("from", "fra", "von")), "")
    if sender:
        return _names(sender, counterpart) and not _names(sender, our_side)
    plain = [plain_line(line) for _, line in lines if line.strip() and not line.strip().startswith("<!--")]
    head = plain[:3]
    if head and not BILATERAL.search(" ".join(head)):
        first = head[0]
        starts = re.match(r"[^\w]*([^\W\d_][\w'-]*)", first)
        headed = starts is not None and _names(starts.group(1), counterpart) and not _names(starts.group(1), our_side)
        titled = (_names(first, counterpart) and not _names(first, our_side)
                  and any(count_words(p, first) for p in KIND_OF_DOCUMENT.values()))
        if (headed or titled) and not OUR_PAPER.search(first):
            return True
    tail = plain[-12:]
    closing = next((i for i, line in enumerate(tail) if CLOSING.match(line)), None)
    if closing is None:
        return False
    signed = " ".join(tail[closing + 1:])
    return _names(signed, counterpart) and not _names(signed, our_side)


def _head_date(doc: Document, lines: list[tuple[str, str]]) -> Date | None:
    """The date a document gives itself: its metadata's, else the first of its first lines that is a date alone
    (`Gdańsk, 23 March 2026`, `**Date:** 2 May 2027`), else the first full date of those lines."""
    written = next((v for k, v in doc.metadata.items() if k.casefold() in ("date", "dato", "datum")), "")
    first = [plain_line(line) for _, line in lines if line.strip()][:12]
    dated = [(text, date, end) for text in [written, *first] for _, end, date in date_spans(text) if date.year]
    alone = [date for text, date, end in dated if len(text) <= 60 and not text[end:].strip(" .*")]
    return (alone or [date for _, date, _ in dated] or [None])[0]


def _terms_in(version: _Version, withheld: str = "") -> Iterator[tuple[str, Source, int, frozenset[str], str, bool]]:
    """(text, source, score, kinds, label, from a revised column) of each term of a version, in its order; a line of
    the `withheld` passages read as a blank one."""
    heading, skipping, lead_in = "", False, False
    header: list[str] | None = None
    paragraph: list[tuple[Source, str]] = []
    item: list | None = None  # [its lines, its text]

    def flush():
        nonlocal item
        found = []
        if item is not None:
            found += [(*term, False) for term in _as_term(item[1], _spanned(item[0]), heading, structured=True)]
            item = None
        if paragraph:
            found += [(*term, False) for term in _sentence_terms(paragraph, heading)]
            paragraph.clear()
        return found

    previous_row: tuple[Source, list[str]] | None = None
    held: tuple[Source, list[str]] | None = None  # a table's first row with a figure: its header if a separator follows
    for locator, raw in version.lines:
        line = raw.strip()
        if line and withheld and " ".join(plain_line(line).split()) in withheld:
            line = ""  # a line of a planted instruction
        if held is not None and (not line or not set(line) <= _TABLE_SEPARATOR):
            if not skipping:
                yield from _row_term(held[1], None, held[0], heading)
            held = None
        if not line:
            if lead_in and item is not None:
                heading, lead_in = "", False  # a lead-in (`Your proposal:`) governs the list right below it
            yield from flush()
            header, previous_row = None, None
            continue
        if version.email and line.startswith(">"):
            yield from flush()  # a line of the message it answers
            continue
        if HEADER.match(line) or SENDER.match(line) or SUBJECT.match(plain_line(line)) or RECIPIENTS.match(line):
            yield from flush()
            continue
        source = Source(version.document, locator, line)
        if line.count("|") >= 2 or (line.startswith("|") and line.endswith("|")):
            yield from flush()
            if set(line) <= _TABLE_SEPARATOR:
                if held is not None:
                    header, held = held[1], None  # the row above the separator was the header
                continue
            cells = [plain_line(c) for c in line.strip("|").split("|")]
            first = header is None and previous_row is None
            previous_row = (source, cells)
            if first:  # a table's first row: its header when it holds no figure or a separator follows it
                if re.search(r"\d", line):
                    held = previous_row
                else:
                    header = cells
                continue
            if not skipping:
                yield from _row_term(cells, header, source, heading)
            continue
        previous_row, header = None, None  # a table ends where its rows do
        heading_match = HEADING.match(line)
        if heading_match and not line.startswith(("-", "* ", "|")) and not LIST_MARK.match(line):
            yield from flush()
            heading = next(g for g in heading_match.groups() if g)
            lead_in = heading_match.group(3) is not None
            skipping = ASIDE.search(heading) is not None
            continue
        if skipping:
            continue
        text = plain_line(line)
        if GREETING.match(text) or CLOSING.match(text):
            yield from flush()
            continue
        if LIST_MARK.match(line) or _label(text):
            yield from flush()
            item = [[source], text]
        elif item is not None and (raw[:1].isspace() or (text[:1].islower() and not re.search(r"[.!?;:]$", item[1]))):
            item[0].append(source)
            item[1] = f"{item[1]} {text}"  # the item's wrapped line
        else:
            if item is not None:
                yield from flush()
            elif paragraph and UNWRAPPED.match(last := paragraph[-1][1]) and not text[:1].islower():
                # a short line without a stop, and text starting below it: a title (a Word or PDF heading), or a
                # row of a table without its lines (a PDF's): not wrapped text
                title = len(last.split()) <= 6 and not MONEY.search(last) and not PERCENT.search(last)
                if title:
                    paragraph.pop()
                yield from flush()
                if title:
                    heading, lead_in, skipping = last, False, ASIDE.search(last) is not None
                if skipping:
                    continue
            paragraph.append((source, text))
    if held is not None and not skipping:
        yield from _row_term(held[1], None, held[0], heading)
    yield from flush()


def _row_term(cells: list[str], header: list[str] | None, source: Source, heading: str):
    """A table row made readable: its label and values (a value under its column's name where the columns need
    naming), an earlier version's column left out where the table also holds the revised one."""
    if cells and cells[0].isdigit():
        cells, header = cells[1:], header[1:] if header else header
    names = list(header or [])
    names += [""] * (len(cells) - len(names))
    old = [i for i, h in enumerate(names) if OLD.search(h) and not NEW.search(h)]
    new = [i for i, h in enumerate(names) if NEW.search(h) and not OLD.search(h)]
    dropped = set(old) if old and new else set()
    kept = [(names[i], c) for i, c in enumerate(cells) if i not in dropped and c]
    if len(kept) < 2 or not re.search(r"\d|[^\W\d_]", " ".join(c for _, c in kept[1:])):
        return
    values = kept[1:]
    named = len(values) > 1 or any(re.search(r"\(|\b(?:" + _CURRENCY + r")\b", h, re.IGNORECASE) for h, _ in values)
    text = " · ".join([kept[0][1], *(f"{h}: {c}" if named and h else c for h, c in values)])
    money = any(re.search(rf"(?<![\w])(?:{_CURRENCY})(?![\w])", h, re.IGNORECASE) and re.search(r"\d", c)
                for h, c in values)
    for found in _as_term(text, source, heading, structured=True, money=money, label=kept[0][1]):
        yield (*found, bool(dropped))


def _as_term(text: str, source: Source, heading: str, structured: bool, money: bool = False, label: str = ""):
    """`text` as a term when it states one: [(text, source, score, kinds, label)], else []."""
    text = " ".join(text.split())
    found = _signals(text, heading, structured, money)
    if found is None:
        return []
    score, kinds = found
    if not label and structured:
        label = _label(text)
    return [(text, source, score, kinds, label.casefold().strip())]


def _signals(text: str, heading: str, structured: bool, money: bool) -> tuple[int, frozenset[str]] | None:
    """(score, kinds) of a line that states a term, else None. A term states a figure with its currency, a clause,
    or two kinds of term; or one kind with a percentage, a length of time, or as an item of a list or table; or,
    under a heading of terms (`Your proposal:`), an item with a figure (`Licensed beds: 1,160`). Scored by what it
    states: an amount of money most."""
    if text.endswith("?") or len(text.split()) < 2:
        return None
    kinds = {m.lastgroup for m in _KIND_WORDS.finditer(text)}
    money = money or MONEY.search(text) is not None
    percent, clause, duration = (p.search(text) is not None for p in (PERCENT, CLAUSE, DURATION))
    if not (money or percent or clause) and (CONTACT.search(text) or not structured and CURRENT.search(text)):
        return None  # a signature's phone line; a sentence on the terms in force today
    under_terms = TERMS_HEADING.search(heading) is not None
    quantity = money or percent or duration or _counted(text)
    if not (money or clause or len(kinds) >= 2 or (kinds and (percent or duration or structured))
            or (structured and under_terms and quantity)):
        return None
    clause = clause or CLAUSE.search(heading) is not None
    score = 5 * money + 2 * percent + 2 * clause + duration + min(sum(WEIGHTS[k] for k in kinds), 5) + structured + under_terms
    return score, frozenset(kinds | ({"money"} if money else set()))


def _counted(text: str) -> bool:
    """`text` holds a count (`1,160`, `72,000 sq ft`): a number of at least 10, not a year, a date or part of a
    reference (`PSX-EU-2026-014`)."""
    plain = strip_dates(text)
    return any(values[0] >= 10 and not (1900 <= values[0] <= 2100 and float(values[0]).is_integer())
               and not re.search(r"[-/\w]$", plain[:start]) and not re.match(r"[-/]\w", plain[end:])
               for start, end, values in number_spans(text))


def _sentences(paragraph: list[tuple[Source, str]]) -> list[tuple[str, list[Source]]]:
    """A paragraph's sentences, each with the lines it stands on (a line wrapped in the middle of one joined)."""
    text, starts = "", []
    for source, line in paragraph:
        starts.append((len(text) + (1 if text else 0), source))
        text = f"{text} {line}" if text else line
    found, begin = [], 0
    for match in _SPLIT.finditer(text):
        if ABBREVIATION.search(text[begin:match.start()]):
            continue
        found.append((begin, text[begin:match.start() + 1]))
        begin = match.end()
    found.append((begin, text[begin:]))
    sentences = []
    for start, sentence in found:
        lines = [source for at, source in starts if start - len(source.text) < at < start + len(sentence)] or [
            [source for at, source in starts if at <= start][-1]]
        if len(sentence) > LONGEST and len(lines) > 2:  # no sentence: lines without stops (a PDF's table)
            sentences += [(" ".join(line.text.split()), [line]) for line in lines]
        elif sentence.strip():
            sentences.append((" ".join(sentence.split()), lines))
    return sentences


def _spanned(sources: list[Source]) -> Source:
    """The passage of consecutive lines: the first one's locator, their text joined."""
    lines = list(dict.fromkeys(sources))
    return Source(lines[0].document, lines[0].locator, " ".join(line.text for line in lines))


def _sentence_terms(paragraph: list[tuple[Source, str]], heading: str):
    """The sentences of running text that state a term, with the sentence before one that points back to it (`Den
    kan vi tilby for …`); adjacent ones shown together; a sentence recalling an earlier version or restating ours
    left out. Each with the passage of the lines it stands on."""
    sentences = _sentences(paragraph)
    picked = [i for i, (s, lines) in enumerate(sentences) if not (RECALLED.search(s) and not NEW.search(s))
              and not YOURS.search(s) and _as_term(s, lines[0], heading, structured=False)]
    groups: list[list[int]] = []
    for i in picked:
        start = i
        previous = sentences[i - 1][0] if i else ""
        if (previous and (ANAPHOR.match(sentences[i][0]) or len(sentences[i][0].split()) < 6)
                and not RECALLED.search(previous) and not YOURS.search(previous) and len(previous) + len(sentences[i][0]) < LONGEST):
            start = i - 1
        if groups and start <= groups[-1][-1] + 1 and sum(len(sentences[j][0]) for j in range(groups[-1][0], i + 1)) < LONGEST:
            groups[-1] += [j for j in range(groups[-1][-1] + 1, i + 1)]
        else:
            groups.append(list(range(start, i + 1)))
    for group in groups:
        text = _balanced(" ".join(sentences[j][0] for j in group))
        yield from _as_term(text, _spanned([line for j in group for line in sentences[j][1]]), heading, structured=False)


def _balanced(text: str) -> str:
    """`text` without a quotation mark left open or closed alone at either end."""
    if text.count('"') % 2:
        text = text.strip('"')
    if text.startswith(("“", "«")) and not re.search(r"[”»]", text):
        text = text[1:]
    if text.endswith(("”", "»")) and not re.search(r"[“«]", text):
        text = text[:-1]
    return text.strip()


def _quantities(text: str) -> frozenset:
    return frozenset([values[0] for _, _, values in number_spans(text)] + [key(d) for _, _, d in date_spans(text)])


def _current(candidates: list[_Candidate]) -> list[_Candidate]:
    """The terms still on the table: an older version's left out where a newer version of the same kind revises it
    whole, an item shown at its newest figure (its label written again in a newer version), a total row left out
    beside the sentence that states the total; each line once, and each item once a day (a message's list and its
    attachment's heads of terms)."""
    versions = {id(c.version): c.version for c in candidates}
    counts = {v: sum(1 for c in candidates if c.version is versions[v]) for v in versions}
    revisions = [v for v in versions.values() if v.whole and counts[id(v)] >= 2 and v.kinds]
    kept = [c for c in candidates if not any(r.day > c.version.day and r.kinds & c.version.kinds for r in revisions)]
    replaced = set()
    for c in kept:  # a newer version's item with the same label replaces the older one
        for older in kept:
            if older.version.day < c.version.day and c.label and older.label and _same_label(c.label, older.label):
                replaced.add(id(older))
                c.revised = c.revised or c.quantities != older.quantities
    kept = [c for c in kept if id(c) not in replaced]
    totals = [c for c in kept if TOTAL.match(c.label) and any(
        o is not c and o.version is c.version and o.quantities == c.quantities for o in kept)]
    kept = [c for c in kept if c not in totals]  # a claim's total row beside the sentence that states the total
    result: list[_Candidate] = []
    for c in kept:
        if any(c.text == o.text or c.version.day == o.version.day and c.source.document != o.source.document and (
                (c.label and o.label and _same_label(c.label, o.label))
                or (c.quantities and c.quantities == o.quantities and c.kinds & o.kinds)) for o in result):
            continue
        result.append(c)
    return result


def _same_label(a: str, b: str) -> bool:
    """Two items' labels name the same item: the same words, or half of their words in common (`One-time platform
    setup`, `Platform setup fee`)."""
    x, y = (set(re.findall(r"[^\W\d_]{3,}", label)) for label in (a, b))
    return a == b or bool(x and y) and len(x & y) * 2 >= len(x | y)


def _chosen(candidates: list[_Candidate], limit: int) -> list[_Candidate]:
    """At most `limit` terms: each time the one that adds most (its score, and the weight of each kind of term not
    yet shown;
    the newer paper first among equals), then in the order they were written."""

    def gain(c: _Candidate) -> tuple:
        return c.score + sum(WEIGHTS[k] for k in c.kinds - shown), c.version.day, -c.position

    chosen: list[_Candidate] = []
    shown: set[str] = set()
    left = list(candidates)
    while left and len(chosen) < limit:
        best = max(left, key=gain)
        chosen.append(best)
        shown |= best.kinds
        left.remove(best)
    return sorted(chosen, key=lambda c: (c.version.day, c.version.order, c.position))
