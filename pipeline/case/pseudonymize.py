"""Local, deterministic pseudonymisation of case materials before anything reaches a model.

Rules, not a model (no NER model ships in a well-kept package): e-mail addresses, phone
numbers, companies with a legal-form suffix, the parties named in case.yaml, and people
found by their context (mail headers, e-mail local parts, titles, greetings, signatures,
"Name (Role)" / "Name, Role" and attendee lists). The mapping is never sent to a model: the
graph keeps it in its state (checkpointed beside the report, with the materials) to restore the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.case.documents import CaseMaterials
from pipeline.schemas import PASSAGE_JOIN

CAP = r"[A-ZÆØÅÄÖÜÉ][A-Za-zæøåäöüéèáíóúß'\-]*[a-zæøåäöüéèáíóúß]"
GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # a name may be wrapped onto the next line
FULL_NAME = rf"{CAP}(?:{GAP}(?:(?:van|von|de|der|da|di|le)[ \t]+)?{CAP}){{1,2}}"
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
PHONE = re.compile(r"(?:\+\d{1,3}[\s.\-]?(?:\(0\)\s?)?\d[\d\s.\-]{6,16}\d)|(?:(?<=Tel:\s)|(?<=Phone:\s)|(?<=Mobile:\s)|(?<=Tlf:\s)|(?<=Mob:\s))\d[\d\s.\-]{6,16}\d", re.I)
SUFFIXES = r"(?:AS|ASA|AB|A/S|GmbH|AG|Ltd\.?|Limited|plc|PLC|Inc\.?|LLC|S\.A\.|SA|SE|HF|KF|IKS|Oy|BV|B\.V\.|N\.V\.|Co\.|Corp\.?|Group|Holding|Holdings)"
COMPANY = re.compile(rf"\b(?:{CAP}|[A-Z]{{2,}})(?:[ \-&]+(?:{CAP}|[A-Z]{{2,}}|&))*\s+{SUFFIXES}(?![\w])")
ROLES = (r"CEO|CFO|CPO|CIO|CTO|COO|Director|Manager|Head of [A-Z][\w ]+|Counsel|Lawyer|Partner|Chair|President|"
         r"VP|Vice President|Account Director|Procurement|direktør|leder|sjef|rådgiver|advokat|innkjøpssjef")
PERSON_PATTERNS = [
    re.compile(rf"^(?:From|To|Cc|Fra|Til|Kopi|Von|An)\s*:\s*\"?(?P<n>{FULL_NAME})\"?\s*<", re.M),
    re.compile(rf"\b(?:Mr|Mrs|Ms|Dr|Prof|Herr|Frau)\.?\s+(?P<n>{CAP}(?:\s+{CAP})?)"),
    re.compile(rf"\b(?:Dear|Hi|Hello|Hei|Kjære|Hallo)\s+(?P<n>{FULL_NAME})\b"),
    re.compile(rf"(?:regards|Regards|Sincerely|Thanks|Cheers|hilsen|Hilsen|Mvh|MVH|Grüße)[,.!]?\s*\n+\s*(?P<n>{FULL_NAME})\s*$", re.M),
    re.compile(rf"(?P<n>{FULL_NAME})\s*(?:\(|,\s*|\s+[-\u2013\u2014]\s+)(?:{ROLES})\b"),
    re.compile(rf"^\s*[-*\u2022]?\s*(?P<n>{FULL_NAME})\s*[(,\u2013\u2014-]\s*(?:{ROLES})", re.M),
    re.compile(rf"\b(?i:{ROLES}),?[ \t]+(?P<n>{FULL_NAME})\b"),
]
ATTENDEES = re.compile(r"^[\s*_>-]*(?:Attendees|Present|Participants|Deltakere|Til stede|Teilnehmer)[*_]*\s*:[*_]*\s*(?P<list>.+)$", re.M | re.I)
PLACEHOLDER = r"(?:PERSON|COMPANY|EMAIL|PHONE|PARTY)_\d+"
NOT_NAMES = {"The", "This", "That", "Our", "Their", "We", "They", "Re", "Fw", "Fwd", "Subject", "Date", "Best", "Kind",
             "Mr", "Mrs", "Ms", "Dr", "Prof", "Herr", "Frau", "Dear", "Hi", "Hello", "Hei"}


@dataclass
class Pseudonymizer:
    """Original value -> placeholder, in order of first discovery (deterministic)."""

    mapping: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, value: str, kind: str) -> None:
        value = " ".join(value.split()).strip(" \t,.;:")
        if len(value) < 3 or value in self.mapping or value.split()[0] in NOT_NAMES:
            return
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.mapping[value] = f"{kind}_{self.counts[kind]}"

    def apply(self, text: str) -> str:
        """Replace every known value, longest first, on word boundaries."""
        for value in sorted(self.mapping, key=len, reverse=True):
            text = re.sub(rf"(?<![\w@.]){re.escape(value)}(?![\w@])", self.mapping[value], text)
        return text

    def reverse(self) -> dict[str, str]:
        """Each placeholder with the longest original value it stands for."""
        reverse: dict[str, str] = {}
        for value, placeholder in self.mapping.items():
            if len(value) > len(reverse.get(placeholder, "")):
                reverse[placeholder] = value
        return reverse

    def restore(self, text: str, reverse: dict[str, str] | None = None) -> str:
        """Placeholders back to their values. A two-word name wrapped onto the next line was replaced part
        by part (`PERSON_1\nPERSON_1`): it comes back as itself, wrapped the same way (`Jonas\nEklund`)."""
        reverse = self.reverse() if reverse is None else reverse

        def wrapped(m: re.Match) -> str:
            words = reverse.get(m.group(1), "").split()
            return f"{words[0]}{m.group(2)}{words[1]}" if len(words) == 2 else m.group()

        text = re.sub(rf"\b({PLACEHOLDER})([ \t]*\n[ \t]*)\1\b", wrapped, text)
        return re.sub(rf"\b{PLACEHOLDER}\b", lambda m: reverse.get(m.group(), m.group()), text)


def build(case: CaseMaterials) -> Pseudonymizer:
    """Find what to hide in the original materials."""
    p = Pseudonymizer()
    for party in (case.our_side, case.counterpart):
        if party:
            p.add(party, "PARTY")
    texts = [doc.text for doc in case.documents] + [v for doc in case.documents for v in doc.metadata.values()]
    for text in texts:
        for match in EMAIL.finditer(text):
            p.add(match.group(), "EMAIL")
            local = match.group().split("@")[0]
            parts = ["-".join(h.capitalize() for h in w.split("-")) for w in local.split(".") if w.replace("-", "").isalpha()]
            for candidate in (" ".join(parts), " ".join(parts).replace("-", " ")):
                if len(parts) >= 2 and candidate in text:
                    p.add(candidate, "PERSON")
        for match in PHONE.finditer(text):
            if sum(c.isdigit() for c in match.group()) >= 8:
                p.add(match.group(), "PHONE")
        for match in COMPANY.finditer(text):
            p.add(match.group(), "COMPANY")
        for pattern in PERSON_PATTERNS:
            for match in pattern.finditer(text):
                p.add(match.group("n"), "PERSON")
        for match in ATTENDEES.finditer(text):
            for name in re.split(r"[,;]|\band\b|\bog\b", match.group("list")):
                found = re.match(rf"\s*({FULL_NAME})", name)
                if found:
                    p.add(found.group(1), "PERSON")
    _merge_person_parts(p)
    _add_short_names(p, "\n".join(texts))
    return p


def _add_short_names(p: Pseudonymizer, text: str) -> None:
    """A party's or company's shorter forms: its leading words as they occur in the materials
    ("Harbour & Pine" for "Harbour & Pine Coffee Co."), and its first word used alone ("Baltica"
    for "Baltica Yard S.A.") when that is a proper noun here (never written in lower case)."""
    for value, placeholder in list(p.mapping.items()):
        if placeholder.startswith(("PARTY", "COMPANY")) and " " in value:
            words = value.split()
            for n in range(2, len(words)):
                prefix = " ".join(words[:n])
                if words[n - 1][0].isalnum() and prefix in text and prefix not in p.mapping:
                    p.mapping[prefix] = placeholder
            first = words[0]
            if len(first) >= 4 and first[0].isupper() and first.lower() not in text and first not in p.mapping:
                p.mapping[first] = placeholder


def _merge_person_parts(p: Pseudonymizer) -> None:
    """A name that is part of a longer known name (surname, first names) gets its placeholder."""
    people = sorted((v for v, k in p.mapping.items() if k.startswith("PERSON")), key=len, reverse=True)
    assigned: set[str] = set()
    for full in people:
        if full in assigned:
            continue
        words = full.split()
        if len(words) < 2:
            continue
        parts = [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
        for part in parts:
            if part != full and len(part) >= 4 and part not in NOT_NAMES and part not in assigned:
                if part not in p.mapping or p.mapping[part].startswith("PERSON"):
                    p.mapping[part] = p.mapping[full]
                    assigned.add(part)


def pseudonymize_case(case: CaseMaterials) -> tuple[CaseMaterials, Pseudonymizer]:
    """A copy of the case with every found value replaced by its placeholder."""
    p = build(case)
    docs = [
        doc.model_copy(update={
            "units": [u.model_copy(update={"text": p.apply(u.text)}) for u in doc.units],
            "metadata": {k: p.apply(v) for k, v in doc.metadata.items()},
        })
        for doc in case.documents
    ]
    return case.model_copy(update={
        "documents": docs, "our_side": p.apply(case.our_side), "counterpart": p.apply(case.counterpart),
        "title": p.apply(case.title),
    }), p


def restore_value(value, p: Pseudonymizer, reverse: dict[str, str] | None = None):
    """Placeholders back to the original values in any JSON-like value."""
    reverse = p.reverse() if reverse is None else reverse
    if isinstance(value, str):
        return p.restore(value, reverse)
    if isinstance(value, list):
        return [restore_value(v, p, reverse) for v in value]
    if isinstance(value, dict):
        return {k: restore_value(v, p, reverse) for k, v in value.items()}
    return value


def original_quote(quote: str, p: Pseudonymizer, original: str) -> str | None:
    """The words of the original document a pseudonymized quote stands for, or None if they are not there.
    Restoring a placeholder gives its longest value ("Lena" comes back as "Lena Novak Design"); a quote must
    come back as written, so it is looked up in the original with each placeholder standing for any of its values.
    A quote of two passages is restored passage by passage."""
    if PASSAGE_JOIN in quote:
        parts = [original_quote(part, p, original) for part in quote.split(PASSAGE_JOIN)]
        return None if None in parts else PASSAGE_JOIN.join(parts)
    values: dict[str, list[str]] = {}
    for value, placeholder in p.mapping.items():
        values.setdefault(placeholder, []).append(value)

    def pattern(chunk: str) -> str:
        pieces = re.split(rf"\b({PLACEHOLDER})\b", chunk)
        return "".join(
            "(?:" + "|".join(r"\s+".join(map(re.escape, v.split())) for v in sorted(values[piece], key=len, reverse=True)) + ")"
            if piece in values else re.escape(piece)
            for piece in pieces
        )

    found = re.search(r"\s+".join(pattern(chunk) for chunk in quote.split()), original)
    return found.group() if found else None


def restore_quotes(report: dict, p: Pseudonymizer, originals: dict[str, str]) -> None:
    """Every evidence quote of a dumped report put back to the original words it stands for, in place."""
    if isinstance(report, list):
        for value in report:
            restore_quotes(value, p, originals)
    elif isinstance(report, dict):
        if isinstance(report.get("quote"), str) and report.get("document") in originals:
            report["quote"] = original_quote(report["quote"], p, originals[report["document"]]) or report["quote"]
        for value in report.values():
            restore_quotes(value, p, originals)
