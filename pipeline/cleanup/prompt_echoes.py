"""Drop list items that only repeat the prompt's own words: a small model copies the examples of its
instructions as items ("Timing", "Documentation", "Buy time"), which say nothing about the case."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from pipeline.checks.evidence import content_words, statement, states_facts
from pipeline.cleanup.lists import thin_lists
from pipeline.schemas import Item

M = TypeVar("M", bound=BaseModel)


def echoes_prompt(item: Item, vocabulary: set[str]) -> bool:
    """Every content word of the item is a word of the prompt, and it states no number, date or quote."""
    stated = statement(item)
    words = content_words(stated)
    return bool(words) and words <= vocabulary and not states_facts(stated)


def without_prompt_echoes(model: M, wording: str) -> M:
    """A copy of `model` in which every list, at any depth, drops the items that echo `wording` (the
    prompt's own text)."""
    vocabulary = content_words(wording)

    def keep(items: list) -> list:
        return [v for v in items if not (isinstance(v, Item) and echoes_prompt(v, vocabulary))]

    return thin_lists(model, lambda: keep)
