"""Thin every list of a model's output, at any depth, by one rule."""

from __future__ import annotations

from typing import Callable, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

Thinning = Callable[[list], list]


def thin_lists(model: M, rule: Callable[[], Thinning]) -> M:
    """A copy of `model` in which every list, at any depth, keeps the items its thinning returns (each of
    them thinned the same way). `rule()` gives one model's thinning, called on its lists in field order, so
    the lists of one model can share what it has seen."""
    thin = rule()
    updates = {}
    for name, value in model.__dict__.items():
        if isinstance(value, BaseModel):
            updates[name] = thin_lists(value, rule)
        elif isinstance(value, list):
            updates[name] = [thin_lists(v, rule) if isinstance(v, BaseModel) else v for v in thin(value)]
    return model.model_copy(update=updates)
