"""Reduce the deal profiles of several chunks into one, deterministically."""

from __future__ import annotations

from collections import Counter

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
