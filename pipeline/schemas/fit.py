"""A value fitted to its model: what a step after a node's validation changed unchecked (a clean-up that
emptied a text, a placeholder restored into a longer name) is repaired or dropped, each change named.

A node's answer is validated against the same models the report is made of; the steps after it (clean-ups,
checks, translation, restoring pseudonyms) edit the validated objects in place. `fit` is the one place where
their result meets the contract again, so a run ends with a report instead of a validation error."""

from __future__ import annotations

from collections import Counter
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.schemas import PrepReport, ReportWarning

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=PrepReport)
EMPTY = "(not given)"
"""A required text outside any list that came out empty: there is no item to drop."""
ELLIPSIS = "\u2026"
MAX_ROUNDS = 50
REPAIRABLE = {"string_too_long", "too_long"}


def _noun(field: str, count: int, is_model: bool) -> str:
    """`parties` -> `party` (one) or `parties`; a list of texts holds entries."""
    if not is_model:
        return "entry" if count == 1 else "entries"
    words = field.replace("_", " ")
    if count != 1:
        return words if words.endswith("s") else f"{words} items"
    if words.endswith("ies"):
        return words[:-3] + "y"
    if words.endswith("s"):
        return words[:-1]
    return f"{words} item"


def _reason(error: dict[str, Any], rest: tuple) -> str:
    """Why an item cannot stand, from its first validation error (`rest`: where in the item it sits)."""
    field = ".".join(str(p) for p in rest if not isinstance(p, int))
    if not field:
        return "" if error["type"] == "string_too_short" else f"that does not fit ({error['msg']})"
    if error["type"] in ("string_too_short", "too_short", "missing"):
        return f"without a {field}" if error["type"] != "too_short" else f"without {field}"
    if error["type"] == "literal_error":
        return f"with an unknown {field}"
    return f"whose {field} does not fit ({error['msg']})"


def _at(data: Any, loc: tuple) -> Any:
    for part in loc:
        data = data[part]
    return data


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if not isinstance(p, int))


def fit(model: type[M], data: dict[str, Any]) -> tuple[M, list[str]]:
    """`data` (JSON-like, changed in place) validated as `model` once what breaks its constraints is fixed:
    a text past its length limit is cut there, a list past its limit keeps its first items, a list item that
    still breaks a constraint is dropped, a required text outside any list left empty reads `EMPTY`. With one
    note per kind of change ("dropped: 1 party without a name (deal_profile.parties)").

    Anything else (a wrong type, an unknown enum value outside a list) is a bug, not an answer: it raises."""
    notes: Counter[tuple] = Counter()
    for _ in range(MAX_ROUNDS):
        try:
            result = model.model_validate(data)
        except ValidationError as exc:
            _repair(exc, data, notes)
            continue
        return result, _texts(notes)
    return model.model_validate(data), _texts(notes)


def _texts(notes: Counter) -> list[str]:
    """One line per kind of change and place: (kind, where, detail) -> how many times."""
    out = []
    for (kind, where, what), n in notes.items():
        if kind == "dropped":
            noun, is_model, reason = what
            described = f"{_noun(noun, n, is_model)} {reason}" if reason else f"empty {_noun(noun, n, is_model)}"
            out.append(f"dropped: {n} {described} ({where})")
        elif kind == "cut":
            out.append(f"shortened: {n} text{'s' if n != 1 else ''} past the report's length limit ({where})")
        elif kind == "trimmed":
            out.append(f"shortened: {where} kept its first {what} (the report's limit)")
        else:
            out.append(f"filled: {where} was empty and reads \u201c{EMPTY}\u201d")
    return out


def fit_report(model: type[R], data: dict[str, Any]) -> R:
    """The report of `data` (a dumped report of `model`, changed in place), fitted (`fit`), with a warning for
    each kind of change."""
    report, notes = fit(model, data)
    report.warnings += [ReportWarning(code=note.split(":", 1)[0], message=note) for note in notes]
    return report


def _repair(exc: ValidationError, data: dict[str, Any], notes: Counter) -> None:
    """One round: the list items that cannot stand dropped, then what can be repaired outside them."""
    errors = [(tuple(e["loc"]), e) for e in exc.errors()]
    doomed: dict[tuple, dict[str, Any]] = {}
    for loc, error in errors:
        positions = [i for i, part in enumerate(loc) if isinstance(part, int)]
        if error["type"] not in REPAIRABLE and positions:
            doomed.setdefault(loc[:positions[-1] + 1], error)
    for loc, error in errors:
        if any(loc[:len(item)] == item for item in doomed):
            continue
        kind, ctx = error["type"], error.get("ctx") or {}
        parent, key = _at(data, loc[:-1]), loc[-1]
        if kind == "string_too_long":
            parent[key] = parent[key][:int(ctx["max_length"]) - 1].rstrip() + ELLIPSIS
            notes[("cut", _where(loc), None)] += 1
        elif kind == "too_long":
            del parent[key][int(ctx["max_length"]):]
            notes[("trimmed", _where(loc), int(ctx["max_length"]))] += 1
        elif kind == "string_too_short":
            parent[key] = EMPTY
            notes[("filled", _where(loc), None)] += 1
        else:
            raise exc
    outermost = [item for item in doomed if not any(item[:len(o)] == o and o != item for o in doomed)]
    for item in sorted(outermost, reverse=True):
        error, container = doomed[item], _at(data, item[:-1])
        notes[("dropped", _where(item), (str(item[-2]), isinstance(container[item[-1]], dict),
                                          _reason(error, tuple(error["loc"])[len(item):])))] += 1
        del container[item[-1]]
