"""Who speaks in each passage and who is named in a text: the sides of the case and the people of each.

A passage's author is the sender of the e-mail message that holds it (a `From:` line or header), our side
for an internal document, or the one side named in a document's first lines. People are placed on a side by
their e-mail address or signature (the domain or the next line names the side) and, in internal documents,
by the attendee lines (present, chair, deltakere ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.case.authorship import LEGAL_FORMS, is_internal
from pipeline.case.documents import CaseMaterials, Document
from pipeline.checks.claims.lexicon import pattern

OURS, THEIRS = "our side", "counterpart"
_FROM = re.compile(r"^\s*(?:\*\*)?(?:(?:draft|offer|proposal|utkast|tilbud|forslag|entwurf|angebot|vorschlag)\s+)?"
                   r"(?:from|fra|från|von|de|van)\s*:\s*(?:\*\*)?\s*(?P<who>.+)$", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.+-]+@(?P<domain>[\w.-]+)")
_NAME = re.compile(r"\b[A-ZÆØÅÄÖÜ][a-zæøåäöüéèáíóúß]+(?:[ -](?:van |von |de )?[A-ZÆØÅÄÖÜ][a-zæøåäöüéèáíóúß]+)+\b")
_ALIAS = re.compile(r"(?P<before>[^()\n]{3,120}?)\(\s*(?:the\s+|hereinafter\s+|heretter\s+|nachfolgend\s+|"
                    r"herefter\s+|nedan\s+)?[\"\u201c\u201e\u00ab']\s*(?:the\s+)?(?P<alias>[^\W\d_][\w-]{2,30})"
                    r"\s*[\"\u201d\u00bb']\s*\)", re.IGNORECASE)
_ADDRESSED = re.compile(rf"(?P<name>{_NAME.pattern})\s*<[^>]*@(?P<domain>[\w.-]+)>")
_INITIAL = re.compile(r"\b[A-ZÆØÅÄÖÜ]\. ?(?P<last>[A-ZÆØÅÄÖÜ][a-zæøåäöüéèáíóúß]+)\b")


def name_words(name: str) -> set[str]:
    """The words that name a side (legal forms left out)."""
    return {w for w in re.findall(r"[^\W\d_]{3,}", name.casefold()) if w not in LEGAL_FORMS}


@dataclass
class Parties:
    """The two sides by name and the people known to belong to each."""

    our_side: str = ""
    counterpart: str = ""
    people: dict[str, str] = field(default_factory=dict)
    """A person's first or last name (casefolded) -> OURS or THEIRS."""
    persons: dict[str, str] = field(default_factory=dict)
    """A person's first or last name (casefolded) -> the person's full name ("" when two people share it)."""

    def __post_init__(self):
        self.words = {OURS: name_words(self.our_side), THEIRS: name_words(self.counterpart)}
        shared = self.words[OURS] & self.words[THEIRS]
        self.words = {side: words - shared for side, words in self.words.items()}

    def side_of_text(self, text: str) -> str | None:
        """The one side `text` names (a side's name, a person's or an address's domain), if exactly one."""
        found = {side for side, _ in self.mentions(text)}
        return found.pop() if len(found) == 1 else None

    def mentions(self, text: str) -> list[tuple[str, int]]:
        """(side, position) of every mention of a side or a known person in `text`, in order."""
        hits = []
        for match in re.finditer(r"[^\W\d_]{3,}", text):
            word = match.group().casefold()
            for side, words in self.words.items():
                if word in words:
                    hits.append((side, match.start()))
            if self.people.get(word) and match.group()[0].isupper():
                hits.append((self.people[word], match.start()))
        for match in _ADDRESS.finditer(text):
            side = self._side_of_domain(match["domain"])
            if side:
                hits.append((side, match.start()))
        return sorted(hits, key=lambda h: h[1])

    def _side_of_domain(self, domain: str) -> str | None:
        parts = set(re.split(r"[.-]", domain.casefold()))
        found = {side for side, words in self.words.items() if words & parts}
        return found.pop() if len(found) == 1 else None

    def add_person(self, name: str, side: str | None) -> None:
        if not side or pattern("TITLES").search(name):  # `Facilities Manager` names a post, not a person
            return
        for word in re.findall(r"[^\W\d_]{3,}", name):
            key = word.casefold()
            if key in self.words[OURS] | self.words[THEIRS] or key in LEGAL_FORMS:
                continue
            if self.people.get(key, side) != side:
                self.people[key] = ""  # a name on both sides says nothing
            else:
                self.people[key] = side
            full = " ".join(name.split())
            if self.persons.get(key, full) != full and not _same_person(self.persons[key], full):
                self.persons[key] = ""
            else:
                self.persons[key] = max(self.persons.get(key, ""), full, key=len)

    def person_mentions(self, text: str) -> list[tuple[int, str]]:
        """(position, full name) of every mention of a known person in `text` by a name of theirs, in order."""
        return [(m.start(), self.persons[m.group().casefold()]) for m in re.finditer(r"[^\W\d_]{3,}", text)
                if m.group()[0].isupper() and self.persons.get(m.group().casefold())]


def _same_person(a: str, b: str) -> bool:
    """`Katarina Lindqvist` and `Katarina` or `K. Lindqvist` name one person (one name holds the other's words)."""
    words_a, words_b = set(re.findall(r"[^\W\d_]{3,}", a)), set(re.findall(r"[^\W\d_]{3,}", b))
    return words_a <= words_b or words_b <= words_a


def _sender(line: str, parties: Parties) -> tuple[str, str | None] | None:
    """(sender's name, side) of a `From:` line."""
    match = _FROM.match(line)
    if not match:
        return None
    who = match["who"]
    address = _ADDRESS.search(who)
    side = parties._side_of_domain(address["domain"]) if address else None
    name = _NAME.search(who)
    return (name.group() if name else who.strip()), side


def learn_people(case: CaseMaterials, parties: Parties) -> None:
    """Place the people of the materials on a side (addresses, signatures, attendee lines)."""
    header = pattern("PEOPLE_HEADERS")
    for doc in case.documents:
        lines = [u.text for u in doc.units]
        if doc.metadata.get("From"):
            lines = [f"From: {doc.metadata['From']}"] + lines
        internal = is_internal(doc)
        for i, line in enumerate(lines):
            for addressed in _ADDRESSED.finditer(line) if "@" in line else ():
                parties.add_person(addressed["name"], parties._side_of_domain(addressed["domain"]))
            name = _NAME.fullmatch(line.strip())
            if name and i + 1 < len(lines):  # a signature: the name, then a line naming the side
                parties.add_person(name.group(), parties.side_of_text(" ".join(lines[i + 1:i + 3])))
            for alias in _ALIAS.finditer(line) if "(" in line else ():  # the pattern is slow on a long line
                named = parties.mentions(alias["before"])
                if named:
                    parties.add_person(alias["alias"], named[-1][0])
            if internal:
                head = re.match(r"\W*([^:]{2,40}):", line)
                if head and header.search(head.group(1)) and not _FROM.match(line):
                    listed = re.sub(r"\([^)]*\)", "", line[head.end():])
                    for part in re.split(r"[,;/]|\band\b|\bog\b|\bund\b|\boch\b", listed):
                        person = _NAME.search(part) or _INITIAL.search(part)
                        if person:
                            parties.add_person(person.groupdict().get("last") or person.group(), OURS)


_SENT = re.compile(r"^\s*(?:date|sent|dato|sendt|datum|gesendet|skickat|skickad)\s*:\s*.+$", re.IGNORECASE)


def authors(doc: Document, parties: Parties) -> list[tuple[str | None, str]]:
    """The side that wrote each unit of `doc` (None where it cannot tell), and the date line of the e-mail
    message that holds it ("" outside e-mail). A quoted line (`> ...`) is the words of the message it answers
    (the other side's, in an e-mail; unknown elsewhere), or of the sender its quote block names (`> From:`, an
    e-mail pasted into notes)."""
    lines = [u.text for u in doc.units if u.text.strip()]
    default = OURS if is_internal(doc) else (parties.side_of_text(lines[0] if lines else "")
                                             or parties.side_of_text("\n".join(lines[:3])))
    if doc.metadata.get("From"):
        default = parties.side_of_text(doc.metadata["From"]) or default
    sides: list[tuple[str | None, str]] = []
    current, sent = default, doc.metadata.get("Date", "")
    quoted: tuple[str | None, str] | None = None
    """The sender and date line a quote block names (None outside one, or when it names none)."""
    for unit in doc.units:
        inner = _QUOTED.match(unit.text)
        if inner:
            header = _sender(inner["rest"], parties)
            if header:
                quoted = (header[1] or parties.side_of_text(header[0]), "")
            if quoted and _SENT.match(inner["rest"]):
                quoted = (quoted[0], inner["rest"])
            answered = {OURS: THEIRS, THEIRS: OURS}.get(current or "") if sent else None
            sides.append(quoted or (answered, sent))
            continue
        if unit.text.strip():
            quoted = None
        sender = _sender(unit.text, parties)
        if sender:
            current = sender[1] or parties.side_of_text(sender[0]) or default
        if _SENT.match(unit.text):
            sent = unit.text
        sides.append((current, sent))
    return sides


_QUOTED = re.compile(r"^\s*>\s?(?P<rest>.*)$", re.DOTALL)


def speaker(text: str, parties: Parties, author: str | None) -> str | None:
    """The side acting in `text`: whichever comes first of a side or person named, `we` (the author) and
    `you` (the author's counterpart); the author when none is there."""
    found = [(pos, side) for side, pos in parties.mentions(text)]
    if author:
        other = THEIRS if author == OURS else OURS
        for name, side in (("FIRST_PERSON", author), ("SECOND_PERSON", other)):
            match = pattern(name).search(text)
            if match:
                found.append((match.start(), side))
    return min(found)[1] if found else author
