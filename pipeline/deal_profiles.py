"""Reduce the deal profiles of several chunks into one, deterministically."""

from __future__ import annotations

from collections import Counter

from pipeline.case.authorship import LEGAL_FORMS
from pipeline.schemas import DealProfile


def _key(value) -> str:
    text = value if isinstance(value, str) else getattr(value, "name", "") or value.text
    return " ".join(text.lower().split())


def merge_profiles(profiles: list[DealProfile]) -> DealProfile:
    """Lists concatenated without duplicates and cut to their schema bounds; names by majority."""
    if len(profiles) == 1:
        return profiles[0]
    merged: dict = {
        "summary": profiles[0].summary,
        "our_side": Counter(p.our_side for p in profiles).most_common(1)[0][0],
        "counterpart": Counter(p.counterpart for p in profiles).most_common(1)[0][0],
    }
    for name, field in DealProfile.model_fields.items():
        if name in merged:
            continue
        limit = next((m.max_length for m in field.metadata if hasattr(m, "max_length")), None)
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
        parties.append(party.model_copy(update={"role": role}) if role != party.role else party)
    return profile.model_copy(update={"our_side": our_side or profile.our_side,
                                      "counterpart": counterpart or profile.counterpart, "parties": parties})
