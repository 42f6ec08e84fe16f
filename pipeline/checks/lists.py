"""Thin every list of a model's output, at any depth, by one rule."""

from __future__ import annotations

from typing import Callable, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def thin_lists(model: M, thin: Callable[[list], list]) -> M:
    """A copy of `model` in which every list, at any depth, keeps the items `thin` returns (each of them
    thinned the same way)."""
    updates = {}
    for name, value in model.__dict__.items():
        if isinstance(value, BaseModel):
            updates[name] = thin_lists(value, thin)
        elif isinstance(value, list):
            updates[name] = [thin_lists(v, thin) if isinstance(v, BaseModel) else v for v in thin(value)]
    return model.model_copy(update=updates)
