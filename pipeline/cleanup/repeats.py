"""Drop what a small model repeats: a list item whose text is an earlier item's text again, in its own list
or in an earlier list of the same model (the same three items given as hidden trades, partial alternatives and
their dependencies)."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from pipeline.cleanup.lists import Thinning, thin_lists

M = TypeVar("M", bound=BaseModel)


def _key(value) -> str | None:
    """The words an item is about (its first text field), case and spacing ignored."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, BaseModel):
        text = next((v for v in value.__dict__.values() if isinstance(v, str)), None)
    else:
        return None
    return " ".join(text.casefold().split()) if text else None


def _first_of_each() -> Thinning:
    """One model's thinning: each list keeps the items no earlier list of the model (nor itself) said."""
    seen: set[str] = set()

    def thin(items: list) -> list:
        kept = []
        for item in items:
            key = _key(item)
            if key is not None and key in seen:
                continue
            seen.add(key)
            kept.append(item)
        return kept

    return thin


def without_repeats(model: M) -> M:
    """A copy of `model` in which every list, at any depth, keeps only the first of items that say the same
    (the first across the lists of one model)."""
    return thin_lists(model, _first_of_each)
