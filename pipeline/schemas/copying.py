"""A deep copy of a pydantic model of the report's contract, the same as `model_copy(deep=True)` gives, made without
`copy.deepcopy`'s general dispatch for the models, lists, dicts and plain values that make up a report's sections."""

from __future__ import annotations

import copy
from typing import TypeVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

M = TypeVar("M", bound=BaseModel)
_ATOMS = (str, int, float, bool, type(None))
_DEEPCOPY = BaseModel.__deepcopy__


def deep_copy(model: M) -> M:
    """`model.model_copy(deep=True)`: every model, list and dict copied, an object met twice copied once (as
    `copy.deepcopy` shares it); any other kind of value copied by `copy.deepcopy` itself."""
    return _copied(model, {})


def _copied(value, memo: dict):
    if type(value) in _ATOMS:
        return value
    done = memo.get(id(value))
    if done is not None:
        return done
    kind = type(value)
    if kind is list:
        memo[id(value)] = out = []
        out.extend(_copied(v, memo) for v in value)
    elif kind is dict:
        memo[id(value)] = out = {}
        for k, v in value.items():
            out[_copied(k, memo)] = _copied(v, memo)
    elif isinstance(value, BaseModel) and kind.__deepcopy__ is _DEEPCOPY:
        out = kind.__new__(kind)
        memo[id(value)] = out
        setattr_ = object.__setattr__
        setattr_(out, "__dict__", _copied(value.__dict__, memo))
        setattr_(out, "__pydantic_extra__", _copied(value.__pydantic_extra__, memo))
        setattr_(out, "__pydantic_fields_set__", copy.copy(value.__pydantic_fields_set__))
        private = getattr(value, "__pydantic_private__", None)
        setattr_(out, "__pydantic_private__", None if private is None else copy.deepcopy(
            {k: v for k, v in private.items() if v is not PydanticUndefined}, memo))
    else:
        return copy.deepcopy(value, memo)
    return out
