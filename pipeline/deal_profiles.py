"""Deal-profile operations without a model: chunks' profiles reduced into one, sides kept, absences moved."""

from __future__ import annotations

import re
from collections import Counter

from pipeline.case.authorship import LEGAL_FORMS
from pipeline.schemas import DealProfile


def _key(value) -> str:
    text = value if isinstance(value, str) else getattr(value, "name", "") or value.text
    return " ".join(text.lower().split())


ABSENCE = re.compile(
    r"\b(not|no|nothing|none)\b[^.;]{0,60}?\b(specified|mentioned|stated|given|provided|found|available|included|"
    r"indicated|described|listed|clear)\b(\s+\w+){0,2}?\s+(in|by|from)\s+(the\s+)?(\w+\s+)?"
    r"(documents?|materials?|notes|case|texts?|sources?|e-?mails?|minutes)\b", re.IGNORECASE)
"""A statement that the materials do not give something ("Budgets and mandates not specified in the
documents"): what a small model writes to fill a list (English, the language it falls back to)."""


def list_limit(name: str) -> int | None:
    """The most items the schema allows in the deal-profile list `name`."""
    return next((m.max_length for m in DealProfile.model_fields[name].metadata if hasattr(m, "max_length")), None)


def move_absences(profile: DealProfile) -> DealProfile:
    """Items that only say the materials do not give something are not facts of the case: they move to
    `missing_information`, which is what they are (after the model's own entries, within the list's bound)."""
    moved: dict = {}
    absent: list[str] = []
    for name, items in profile.item_lists().items():
        absences = [i for i in items if ABSENCE.search(i.text)]
        if absences and (len(absences) < len(items) or name not in ("parties", "issues")):  # these need one item
            moved[name] = [i for i in items if i not in absences]
            absent += [i.text for i in absences]
    if not moved:
        return profile
    missing = list(dict.fromkeys(profile.missing_information + absent))
    return profile.model_copy(update={**moved, "missing_information": missing[:list_limit("missing_information")]})


def merge_profiles(profiles: list[DealProfile]) -> DealProfile:
    """Lists concatenated without duplicates and cut to their schema bounds; names by majority."""
    if len(profiles) == 1:
        return profiles[0]
    merged: dict = {
        "summary": profiles[0].summary,
        "our_side": Counter(p.our_side for p in profiles).most_common(1)[0][0],
        "counterpart": Counter(p.counterpart for p in profiles).most_common(1)[0][0],
    }
    for name in DealProfile.model_fields:
        if name in merged:
            continue
        limit = list_limit(name)
        seen, items = set(), []
        for profile in profiles:
            for item in getattr(profile, name):
                if _key(item) not in seen:
                    seen.add(_key(item))
                    items.append(item)
        merged[name] = items[:limit] if limit else items
    return DealProfile.model_validate(merged)




def _name_words(name: str) -> set[str]:
    return {w for w in name.casefold().replace(",", " ").split() if w not in LEGAL_FORMS}


def same_party(name: str, side: str) -> bool:
    """`TelCo Group Services GmbH` names the side `TelCo`: every word of the shorter name is in the longer."""
    a, b = _name_words(name), _name_words(side)
    return bool(a and b) and (a <= b or b <= a)


def _named_side(text: str, our_side: str, counterpart: str) -> str | None:
    """The side whose whole name a party's description carries (`TelCo Group Services GmbH, Group Procurement`
    is of `TelCo`), when it carries one side's name only."""
    words = _name_words(text)
    ours = bool(our_side) and bool(_name_words(our_side)) and _name_words(our_side) <= words
    theirs = bool(counterpart) and bool(_name_words(counterpart)) and _name_words(counterpart) <= words
    return "our_side" if ours and not theirs else "counterpart" if theirs and not ours else None


def keep_sides(profile: DealProfile, our_side: str, counterpart: str) -> DealProfile:
    """The sides already settled (named by case.yaml, or answered first on their own) win over the
    extractor's reading: the profile's side names are set from them, and a party that carries one side's
    name gets that side's role."""
    if not (our_side or counterpart):
        return profile
    parties = []
    for party in profile.parties:
        role = party.role
        if our_side and same_party(party.name, our_side):
            role = "our_side"
        elif counterpart and same_party(party.name, counterpart):
            role = "counterpart"
        elif (named := _named_side(party.text, our_side, counterpart)) is not None:
            role = named
        parties.append(party.model_copy(update={"role": role}) if role != party.role else party)
    return profile.model_copy(update={"our_side": our_side or profile.our_side,
                                      "counterpart": counterpart or profile.counterpart, "parties": parties})
