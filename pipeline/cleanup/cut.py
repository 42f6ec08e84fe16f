"""Sentences a model's answer cut off at its length bound: trimmed back to their last whole sentence, or left out."""

from __future__ import annotations

import re

from pipeline.schemas import Item

NEAR_BOUND = 150
"""An item text this long (the answers' bound is 160 characters) that does not end a sentence was cut off."""
ENDS = re.compile(r"[.!?)\"'\u201d\u2019\u00bb\]]\s*$")
LAST_END = re.compile(r"^(.*[.!?])\s", re.DOTALL)
MIN_KEPT = 40


def whole(text: str) -> str | None:
    """`text` when it is whole; its last whole sentence(s) when it was cut off; None when nothing whole is left."""
    if len(text) < NEAR_BOUND or ENDS.search(text):
        return text
    match = LAST_END.match(text)
    return match.group(1) if match and len(match.group(1)) >= MIN_KEPT else None


def without_cut_items(groups: list[list[Item]]) -> int:
    """In place: each cut-off item trimmed to its whole sentences, or left out when it has none (a line copied from
    our notes is never cut). The number left out."""
    dropped = 0
    for items in groups:
        kept = []
        for item in items:
            text = item.text if item.verification == "quoted" else whole(item.text)
            if text is None:
                dropped += 1
                continue
            if text != item.text:
                item.text = text
            kept.append(item)
        items[:] = kept
    return dropped
