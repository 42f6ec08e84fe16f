"""Answer keys (`cases/<case>/expected.yaml`): what a competent brief on a case must say, and must not.

A key lists `points` and `must_not` entries. Each has an `id`, a one-line `what`, the report
`sections` it belongs in (the agents' report fields, `deal_profile`, `challenge`, `counterpart`,
`synthesis`, or `any`) and `match` alternatives: the point is found when any alternative holds in one text of those sections.
An alternative is one term or a list of terms that must all hold in that same text; a term is a
regex (case-insensitive, on text with quotes, dashes and whitespace unified), `{number: 6200000}`
(any way of writing that value: `6.2 million`, `6,2 mill.`, `6 200 000`) or `{date: 2026-03-31}`
(`31 March 2026`, `31.03.2026`, `31. mars`; `MM-DD` for any year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Union

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents import registry

from pipeline.errors import InputError
from pipeline.checks.quantities import Date, dates_in, numbers_in, parse_date, same_number
from pipeline.checks.evidence import normalise

KEY_FILE = "expected.yaml"


def _section(name: str) -> str:
    """A report section (an agent's report field, `agents.registry`) or `any`."""
    known = (*registry.PREPARATION.fields, "any")
    if name not in known:
        raise ValueError(f"Input should be {', '.join(repr(k) for k in known[:-1])} or 'any'")
    return name


Section = Annotated[str, AfterValidator(_section)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NumberTerm(_Strict):
    number: float


class DateTerm(_Strict):
    date: str

    @field_validator("date", mode="before")
    @classmethod
    def _yaml_date(cls, value):
        """YAML reads an unquoted 2026-03-31 as a date."""
        return value.isoformat() if hasattr(value, "isoformat") else value


Term = Union[str, NumberTerm, DateTerm]


class KeyPoint(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    what: str = Field(min_length=1)
    sections: list[Section] = Field(default_factory=lambda: ["any"], min_length=1)
    match: list[Union[Term, list[Term]]] = Field(min_length=1)

    @field_validator("sections", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, str) else value

    def covers(self, section: str) -> bool:
        return "any" in self.sections or section in self.sections


class AnswerKey(_Strict):
    case: str = ""
    language: str = ""
    points: list[KeyPoint] = Field(min_length=1)
    must_not: list[KeyPoint] = Field(default_factory=list)


@dataclass(frozen=True)
class Matcher:
    """One compiled term."""

    pattern: re.Pattern | None = None
    number: float | None = None
    date: Date | None = None

    def holds(self, raw: str, folded: str) -> bool:
        if self.pattern is not None:
            return self.pattern.search(folded) is not None
        if self.number is not None:
            return any(same_number(v, self.number) for v in numbers_in(raw))
        return any(self.date.same_day(d) for d in dates_in(raw))


@dataclass(frozen=True)
class CompiledPoint:
    point: KeyPoint
    alternatives: tuple[tuple[Matcher, ...], ...]

    def found_in(self, raw: str, folded: str) -> bool:
        return any(all(m.holds(raw, folded) for m in alternative) for alternative in self.alternatives)


@dataclass(frozen=True)
class CompiledKey:
    key: AnswerKey
    path: Path
    points: tuple[CompiledPoint, ...]
    must_not: tuple[CompiledPoint, ...]


def fold(text: str) -> str:
    """The text regex terms are matched against."""
    return normalise(text).text


def _lines(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    """1-based line of every value in a composed YAML document, by its path."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines.update(_lines(value, (*path, key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            lines.update(_lines(value, (*path, i)))
    return lines


def _line_of(lines: dict[tuple, int], loc: tuple) -> int:
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return 1


def _where(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def _matcher(term: Term) -> Matcher:
    if isinstance(term, NumberTerm):
        return Matcher(number=term.number)
    if isinstance(term, DateTerm):
        return Matcher(date=parse_date(term.date))
    return Matcher(pattern=re.compile(term, re.IGNORECASE))


def _compile(point: KeyPoint, loc: tuple, path: Path, lines: dict) -> CompiledPoint:
    alternatives = []
    for i, alternative in enumerate(point.match):
        terms = alternative if isinstance(alternative, list) else [alternative]
        compiled = []
        for j, term in enumerate(terms):
            where = (*loc, "match", i, *((j,) if isinstance(alternative, list) else ()))
            try:
                compiled.append(_matcher(term))
            except (re.error, ValueError) as exc:
                raise InputError(f"{path}: line {_line_of(lines, where)}: {_where(where)}: {exc}") from None
        alternatives.append(tuple(compiled))
    return CompiledPoint(point, tuple(alternatives))


def load_key(path: Path) -> CompiledKey:
    """Read and check an answer key; InputError naming the line of the first problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the answer key ({exc.strerror or exc})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark else ""
        raise InputError(f"{path}: {line}not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if node is None or not isinstance(data, dict):
        raise InputError(f"{path}: line 1: an answer key is a mapping with `points` (and optionally `must_not`)")
    lines = _lines(node)
    try:
        key = AnswerKey.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p in _UNION_BRANCHES))
        raise InputError(f"{path}: line {_line_of(lines, loc)}: {_where(loc) or 'key'}: {error['msg']}"
                         + _allowed(error)) from None
    seen: set[str] = set()
    for group in ("points", "must_not"):
        for i, point in enumerate(getattr(key, group)):
            if point.id in seen:
                raise InputError(f"{path}: line {_line_of(lines, (group, i, 'id'))}: duplicate id '{point.id}'")
            seen.add(point.id)
    return CompiledKey(
        key, path,
        tuple(_compile(p, ("points", i), path, lines) for i, p in enumerate(key.points)),
        tuple(_compile(p, ("must_not", i), path, lines) for i, p in enumerate(key.must_not)),
    )


_UNION_BRANCHES = {"str", "NumberTerm", "DateTerm", "list[union[str,NumberTerm,DateTerm]]"}


def _allowed(error: dict) -> str:
    if error["type"] == "literal_error":
        return f" (got '{error['input']}')"
    return ""


def key_for_case(case_dir: Path) -> Path | None:
    """The case folder's answer key, if it has one."""
    path = Path(case_dir) / KEY_FILE
    return path if path.is_file() else None
