"""The counterpart's standing, kept by rule from each turn's labels (the model is only told it).

A threat hardens the reply to it and the next one; a turn that earns trust (an open question, listening,
a calm warning) earns the next private item in the persona's order of value, unless the counterpart is
still hardened: then it only thaws them back to guarded. Anything else leaves them guarded.
"""

from __future__ import annotations

from pipeline.rehearsal.schemas import Label, Persona, PrivateItem, Standing

EARNS: frozenset[Label] = frozenset({"open_question", "listening", "warning"})
HARDENED_AFTER = 1
"""Replies after the reply to a threat that stay hardened."""


def after(standing: Standing, labels: list[Label]) -> Standing:
    """The standing for the reply to a turn with `labels`, from the standing after the previous turn."""
    if "threat" in labels:
        return standing.model_copy(update={"stance": "hardened", "hardened_for": HARDENED_AFTER})
    if standing.hardened_for > 0:
        thawed = bool(EARNS & set(labels))
        return standing.model_copy(update={"stance": "guarded" if thawed else "hardened",
                                           "hardened_for": 0 if thawed else standing.hardened_for - 1})
    if EARNS & set(labels):
        return standing.model_copy(update={"stance": "open", "earned": standing.earned + 1})
    return standing.model_copy(update={"stance": "guarded"})


def to_reveal(standing: Standing, persona: Persona) -> PrivateItem | None:
    """The one private item the reply may disclose: the next not yet disclosed, when the user has earned
    more than the replies disclosed and the counterpart is not hardened."""
    if standing.stance == "hardened" or standing.earned <= len(standing.revealed):
        return None
    return next((item for item in persona.private if item.id not in standing.revealed), None)


def recorded(before: Standing, labels: list[Label], revealed: list[str]) -> Standing:
    """The standing after a turn: its final labels (the coach's where the rules found none) applied to the
    standing before it, with the items its reply disclosed."""
    standing = after(before, labels)
    return standing.model_copy(update={"revealed": [*standing.revealed, *(i for i in revealed if i not in standing.revealed)]})
