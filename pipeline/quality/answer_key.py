"""Answer keys (`cases/<case>/expected.yaml`): what a competent brief on a case must say, and must not.

A key lists `points` and `must_not` entries. Each has an `id`, a one-line `what`, the report
`sections` it belongs in (the agents' report fields: `deal_profile`, `challenge`, `counterpart`, `synthesis`; or `any`) and
`match` alternatives: the point is found when any alternative holds in one text of those sections.
An alternative is one term or a list of terms that must all hold in that same text. Terms are matched
on the text folded (lowercase; quotes, dashes and whitespace unified); regexes are case-insensitive.

A point must need its statement, not its vocabulary: a figure with its role, a date with its event,
a move with its conclusion. The strict terms say so:

- `"cannot sign by (31 march|the 31st)"`: a regex. Write the conclusion, not a keyword: a bare
  `"exclusiv\\w*"` matches every text that names the topic, true or not.
- `{number: 6200000, near: "ceiling|cap|at most", window: 6, side: ours, not: "below|under"}`: the
  value in any notation (`6.2 million`, `6,2 mill.`, `6 200 000`), with `near` found within `window`
  words (default 6) of it in the same text. `side` (`ours` or `theirs`, spelt by the key's `sides`)
  requires the text to give it to that side: the nearest side named before it (its owner or
  subject: "TelCo's EUR 6.2M ceiling"), or when none is, the nearest named after it, is that side's;
  a figure given to the wrong party does not count (`ours?`/`theirs?`: no side named, or that one).
  `not` fails the term when its regex occurs in the window.
- `{date: 2026-03-31, near: ..., side: ..., not: ...}`: a date (`31 March 2026`, `31.03.2026`,
  `31. mars`; `MM-DD` for any year), with the same optional guards.
- `{re: "extend\\w*", near: "spanish|polish", ...}`: a regex anchor with the same guards.
- `{before: [A, B]}`: A and B (each a regex, or a `{number}`/`{date}` term) are both in the text and
  A is stated as before B: A, then a word of precedence (`before`, `ahead of`, `but ... only`, `while`
  ...), then B; or B, then a word of sequence (`after`, `not until`, `only on` ...), then A. `by:`
  replaces those words with a regex of its own.
- `{not: REGEX}`: a guard on the alternative: it fails when the regex occurs anywhere in the text
  (a negation or a contradiction of the point).

`sides: {ours: REGEX, theirs: REGEX}` at the top of the key names the sides for `side:` (names,
short names, pronouns; in every language the brief may come in). Must-not entries use the same terms;
give each several phrasings, in each language of the brief.

The scorer (`pipeline.quality.scoring`) never counts a text the checker found `contradicted`, and
reports recall twice: over the whole brief, and over the texts the model wrote itself (lines quoted
from the materials left out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal, Optional, Union

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents import registry

from pipeline.errors import InputError
from pipeline.checks.quantities import Date, date_spans, number_spans, parse_date, same_number
from pipeline.checks.evidence import normalise



def _section(name: str) -> str:
    """A report section (an agent's report field, `agents.registry`) or `any`."""
    known = (*registry.PREPARATION.fields, "any")
    if name not in known:
        raise ValueError(f"Input should be {', '.join(repr(k) for k in known[:-1])} or 'any'")
    return name


Section = Annotated[str, AfterValidator(_section)]
KEY_FILE = "expected.yaml"
WINDOW = 6
"""Default words either side of a term's anchor within which `near`, `side` and `not` are looked for."""
RELATION_WINDOW = 25
"""At most this many words between the two parts of a `before` relation."""
BEFORE = (r"\b(before|ahead of|earlier than|prior to|preced\w*|until|but|while|whereas|yet|although|too early|"
          r"f\u00f8r|innen|men|mens)\b")
AFTER = r"\b(after|later than|not until|only (on|in|at|after)|following|etter|f\u00f8rst|ikke f\u00f8r)\b"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _Guarded(_Strict):
    near: Optional[str] = None
    window: int = Field(WINDOW, ge=1, le=40)
    side: Optional[Literal["ours", "theirs", "ours?", "theirs?"]] = None
    not_: Optional[str] = Field(None, alias="not")


class NumberTerm(_Guarded):
    number: float


class DateTerm(_Guarded):
    date: str

    @field_validator("date", mode="before")
    @classmethod
    def _yaml_date(cls, value):
        """YAML reads an unquoted 2026-03-31 as a date."""
        return value.isoformat() if hasattr(value, "isoformat") else value


class RegexTerm(_Guarded):
    re: str


class BeforeTerm(_Strict):
    before: list[Union[str, NumberTerm, DateTerm, RegexTerm]] = Field(min_length=2, max_length=2)
    by: Optional[str] = None
    after_by: Optional[str] = None
    window: int = Field(RELATION_WINDOW, ge=1, le=80)


class NotTerm(_Strict):
    not_: str = Field(alias="not")


Term = Union[str, NumberTerm, DateTerm, RegexTerm, BeforeTerm, NotTerm]


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


class SideNames(_Strict):
    ours: str
    theirs: str


class AnswerKey(_Strict):
    case: str = ""
    language: str = ""
    sides: Optional[SideNames] = None
    points: list[KeyPoint] = Field(min_length=1)
    must_not: list[KeyPoint] = Field(default_factory=list)


def _word(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Text:
    """A folded text and where its words start and end."""

    folded: str
    words: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, folded: str) -> "Text":
        return cls(folded, tuple((m.start(), m.end()) for m in re.finditer(r"\S+", folded)))

    @cached_property
    def numbers(self) -> list:
        """`number_spans` of the text, read once for all the terms matched against it."""
        return number_spans(self.folded)

    @cached_property
    def dates(self) -> list:
        """`date_spans` of the text, read once for all the terms matched against it."""
        return date_spans(self.folded)

    def word_at(self, offset: int) -> int:
        for index, (start, end) in enumerate(self.words):
            if end > offset:
                return index
        return max(len(self.words) - 1, 0)

    def window(self, start: int, end: int, words: int) -> tuple[int, int, int, int]:
        """(first word, last word) of the span and the character bounds `words` words either side."""
        first, last = self.word_at(start), self.word_at(max(end - 1, start))
        lo, hi = max(first - words, 0), min(last + words, len(self.words) - 1)
        return first, last, self.words[lo][0], self.words[hi][1]


@dataclass(frozen=True)
class Matcher:
    """One compiled term: `spans` finds where it holds; a guard (`not`) or relation (`before`) holds or not."""

    pattern: re.Pattern | None = None
    number: float | None = None
    date: Date | None = None
    near: re.Pattern | None = None
    window: int = WINDOW
    side: str | None = None
    sides: tuple[re.Pattern, re.Pattern] | None = None
    guard: re.Pattern | None = None
    absent: re.Pattern | None = None
    relation: tuple["Matcher", "Matcher", re.Pattern, re.Pattern] | None = None

    def _anchors(self, text: Text) -> list[tuple[int, int]]:
        if self.pattern is not None:
            return [m.span() for m in self.pattern.finditer(text.folded)]
        if self.number is not None:
            return [(s, e) for s, e, values in text.numbers if any(same_number(v, self.number) for v in values)]
        return [(s, e) for s, e, date in text.dates if self.date.same_day(date)]

    def _side_ok(self, text: Text, first: int, last: int) -> bool:
        """The side the text gives the anchor to: the nearest side named before it (its owner or subject),
        else the nearest named after it."""
        nearest: tuple[int, int, str] | None = None
        for name, pattern in zip(("ours", "theirs"), self.sides):
            for m in pattern.finditer(text.folded):
                at = text.word_at(m.start())
                rank = (0, first - at, name) if at <= first else (1, at - last, name)
                if nearest is None or rank[:2] < nearest[:2]:
                    nearest = rank
        if self.side.endswith("?"):  # only that no other side is named for it
            return nearest is None or nearest[2] == self.side[:-1]
        return nearest is not None and nearest[2] == self.side

    def spans(self, text: Text) -> list[tuple[int, int]]:
        """Where the term's anchor stands with every guard of the term met."""
        found = []
        for start, end in self._anchors(text):
            if self.near or self.side or self.guard:
                first, last, lo, hi = text.window(start, end, self.window)
                if self.near is not None and not self.near.search(text.folded, lo, hi):
                    continue
                if self.guard is not None and self.guard.search(text.folded, lo, hi):
                    continue
                if self.side is not None and not self._side_ok(text, first, last):
                    continue
            found.append((start, end))
        return found

    def holds_in(self, text: Text) -> bool:
        if self.absent is not None:
            return self.absent.search(text.folded) is None
        if self.relation is not None:
            first, second, before, after = self.relation
            a_spans, b_spans = first.spans(text), second.spans(text)
            for a in a_spans:
                for b in b_spans:
                    if a[1] <= b[0] and _joined(text, a[1], b[0], before, self.window):
                        return True
                    if b[1] <= a[0] and _joined(text, b[1], a[0], after, self.window):
                        return True
            return False
        if self.pattern is not None and not (self.near or self.side or self.guard):
            return self.pattern.search(text.folded) is not None  # a bare regex: its first match is enough
        return bool(self.spans(text))

    def holds(self, raw: str, folded: str) -> bool:
        return self.holds_in(Text.of(folded))


def _joined(text: Text, start: int, end: int, words: re.Pattern, most: int) -> bool:
    """The text between `start` and `end` holds one of `words` and at most `most` words."""
    between = text.folded[start:end]
    return len(between.split()) <= most and words.search(between) is not None


@dataclass(frozen=True)
class CompiledPoint:
    point: KeyPoint
    alternatives: tuple[tuple[Matcher, ...], ...]

    def found_in(self, raw: str, folded: str) -> bool:
        return self.found_in_text(Text.of(folded))

    def found_in_text(self, text: Text) -> bool:
        return any(all(m.holds_in(text) for m in alternative) for alternative in self.alternatives)


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


def _matcher(term: Term, sides: tuple[re.Pattern, re.Pattern] | None) -> Matcher:
    if isinstance(term, str):
        return Matcher(pattern=re.compile(term, re.IGNORECASE))
    if isinstance(term, NotTerm):
        return Matcher(absent=re.compile(term.not_, re.IGNORECASE))
    if isinstance(term, BeforeTerm):
        first, second = (_matcher(t, sides) for t in term.before)
        return Matcher(window=term.window, relation=(
            first, second, re.compile(term.by or BEFORE, re.IGNORECASE), re.compile(term.after_by or AFTER, re.IGNORECASE)))
    if term.side is not None and sides is None:
        raise ValueError("`side` needs the key's `sides: {ours: ..., theirs: ...}`")
    guards = dict(near=re.compile(term.near, re.IGNORECASE) if term.near else None, window=term.window,
                  side=term.side, sides=sides, guard=re.compile(term.not_, re.IGNORECASE) if term.not_ else None)
    if isinstance(term, NumberTerm):
        return Matcher(number=term.number, **guards)
    if isinstance(term, DateTerm):
        return Matcher(date=parse_date(term.date), **guards)
    return Matcher(pattern=re.compile(term.re, re.IGNORECASE), **guards)


def _compile(point: KeyPoint, loc: tuple, path: Path, lines: dict,
             sides: tuple[re.Pattern, re.Pattern] | None) -> CompiledPoint:
    alternatives = []
    for i, alternative in enumerate(point.match):
        terms = alternative if isinstance(alternative, list) else [alternative]
        compiled = []
        for j, term in enumerate(terms):
            where = (*loc, "match", i, *((j,) if isinstance(alternative, list) else ()))
            try:
                compiled.append(_matcher(term, sides))
            except (re.error, ValueError) as exc:
                raise InputError(f"{path}: line {_line_of(lines, where)}: {_where(where)}: {exc}") from None
        alternatives.append(tuple(compiled))
    return CompiledPoint(point, tuple(alternatives))


def _parsed(text: str, loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) -> tuple:
    """The YAML document's node (its lines) and its data, parsed once (libyaml's parser where PyYAML has it)."""
    reading = loader(text)
    try:
        node = reading.get_single_node()
        return node, (reading.construct_document(node) if node is not None else None)
    finally:
        reading.dispose()


def _problem(text: str, exc: yaml.YAMLError) -> str:
    """Where and why `text` is not valid YAML, as PyYAML's own parser words it (libyaml words some problems
    differently)."""
    try:
        _parsed(text, yaml.SafeLoader)
    except yaml.YAMLError as own:
        exc = own
    mark = getattr(exc, "problem_mark", None)
    line = f"line {mark.line + 1}: " if mark else ""
    return f"{line}not valid YAML: {getattr(exc, 'problem', None) or exc}"


def load_key(path: Path) -> CompiledKey:
    """Read and check an answer key; InputError naming the line of the first problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the answer key ({exc.strerror or exc})") from None
    try:
        node, data = _parsed(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: {_problem(text, exc)}") from None
    if node is None or not isinstance(data, dict):
        raise InputError(f"{path}: line 1: an answer key is a mapping with `points` (and optionally `must_not`)")
    lines = _lines(node)
    try:
        key = AnswerKey.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(p for p in error["loc"] if not _union_branch(p))
        raise InputError(f"{path}: line {_line_of(lines, loc)}: {_where(loc) or 'key'}: {error['msg']}"
                         + _allowed(error)) from None
    seen: set[str] = set()
    for group in ("points", "must_not"):
        for i, point in enumerate(getattr(key, group)):
            if point.id in seen:
                raise InputError(f"{path}: line {_line_of(lines, (group, i, 'id'))}: duplicate id '{point.id}'")
            seen.add(point.id)
    try:
        sides = (_word(key.sides.ours), _word(key.sides.theirs)) if key.sides else None
    except re.error as exc:
        raise InputError(f"{path}: line {_line_of(lines, ('sides',))}: sides: {exc}") from None
    return CompiledKey(
        key, path,
        tuple(_compile(p, ("points", i), path, lines, sides) for i, p in enumerate(key.points)),
        tuple(_compile(p, ("must_not", i), path, lines, sides) for i, p in enumerate(key.must_not)),
    )


def _union_branch(part) -> bool:
    """A part of a validation error's location that names a branch of the term union, not a place in the key."""
    return isinstance(part, str) and (part == "str" or part.endswith("Term") or part.startswith("list["))


def _allowed(error: dict) -> str:
    if error["type"] == "literal_error":
        return f" (got '{error['input']}')"
    return ""


def key_for_case(case_dir: Path) -> Path | None:
    """The case folder's answer key, if it has one."""
    path = Path(case_dir) / KEY_FILE
    return path if path.is_file() else None
