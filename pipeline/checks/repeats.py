"""Drop what a small model repeats: a list item whose text is an earlier item's text again."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from pipeline.checks.lists import thin_lists

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


def _first_of_each(items: list) -> list:
    seen, kept = set(), []
    for item in items:
        key = _key(item)
        if key is not None and key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept


def without_repeats(model: M) -> M:
    """A copy of `model` in which every list, at any depth, keeps only the first of items that say the same."""
    return thin_lists(model, _first_of_each)
