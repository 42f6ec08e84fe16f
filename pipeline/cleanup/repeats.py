"""Drop what a small model repeats: a list item whose text is an earlier item's text again, in its own list
or in an earlier list of the same model (the same three items given as hidden trades, partial alternatives and
their dependencies)."""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel

from pipeline.checks.evidence import content_words
from pipeline.cleanup.lists import Thinning, thin_lists
from pipeline.schemas import Item

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


NEAR = 0.8
"""Share of the shorter item's content words the other must hold to say the same in other words."""
MIN_WORDS = 4


def _rank(item: Item) -> int:
    """Which of two items saying the same is kept: a checked line of the materials before a model's statement."""
    return {"quoted": 0, "verified": 1}.get(item.verification, 2)


def without_near_repeats(leading: list[list[Item]], rest: list[list[Item]]) -> int:
    """Across the whole brief, in place: of items that say the same in other words (most of the shorter one's
    content words in the other), only one is kept: one of the `leading` lists (the first page), else a quoted or
    verified one, else the earlier; items set apart for checking stay, and so do the first page's lines computed in
    code (their fixed wording shares words with each other, not a meaning). A model's item of the `rest` with a
    figure or date, however short, is dropped where one first-page item or quoted line of our notes (with its
    passage) shows all its figures and most of its words. The number dropped."""
    groups = [*leading, *rest]
    order = [(g, i, item) for g, items in enumerate(groups) for i, item in enumerate(items)]
    order.sort(key=lambda entry: (entry[0] >= len(leading), _rank(entry[2]), entry[0], entry[1]))
    kept: list[set[str]] = []
    dropped: set[int] = set()
    for g, _, item in order:
        if item.set_apart:
            continue  # listed apart under "check before use", with what the checker found
        words = content_words(item.text)
        if g < len(leading) and item.basis:  # a first-page line computed in code says its own sum, in set words
            kept.append(words)
        elif len(words) >= MIN_WORDS and any(len(words & seen) >= NEAR * min(len(words), len(seen))
                                            for seen in kept if len(seen) >= MIN_WORDS):
            dropped.add(id(item))
        else:
            kept.append(words)
    first = {id(item) for items in leading for item in items}
    told = [(id(item), *_said(item)) for items in groups for item in items
            if id(item) not in dropped and not item.set_apart and (id(item) in first or item.verification == "quoted")]
    for items in rest:
        for item in items:
            words, figures = _said(item, quotes=False)
            if (not item.set_apart and item.verification != "quoted" and figures
                    and any(figures <= f and len(words & w) >= NEAR * len(words) for at, w, f in told if at != id(item))):
                dropped.add(id(item))  # its figures and most of its words: the first page or a quoted line shows it
    for items in groups:
        items[:] = [item for item in items if id(item) not in dropped]
    return len(dropped)


_FIGURE = re.compile(r"\d[\d.,\u00a0\u202f ]*\d|\d")


def _said(item: Item, quotes: bool = True) -> tuple[set[str], set[str]]:
    """An item's content words and figures (digits only), with its passages' when `quotes`."""
    text = " ".join([item.text, *(e.quote for e in item.evidence)] if quotes else [item.text])
    figures = {re.sub(r"\D", "", f) for f in _FIGURE.findall(text)}
    return content_words(_FIGURE.sub(" ", text)), figures
