"""Is a statement true by the case's materials? `verified`, `contradicted`, `weak` or `unverified`.

Retrieval is lexical (stemmed words and numbers); the verdict reads meaning on top of it, per passage:
- every number and date of the statement is in the passage, each with a compatible role (the words around
  it: a fee is not a discount, per hour is not per day, a ceiling is not a minimum);
- the actor matches: the side that demands, offers, approves or decides in the statement is the one that
  does so in the passage (named there, or the passage's author: the sender of its e-mail, our side in an
  internal document), and the passage carries the statement's act (a question about a demand is not one);
- the polarity matches: a negation on one side only, an `unknown`/`whether`/question line, or a pending
  state (`needs the board`) against a completed one (`has approved`) never supports a statement;
- enough of the statement's content words (Snowball stems, not cut-off prefixes) are in the passage.
A passage on the same topic that negates the statement, opposes its act or gives another figure for the
same role contradicts it.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

from pipeline.case.documents import CaseMaterials, Document
from pipeline.case.injection import Cue, instruction_cue
from pipeline.case.language import detect_language
from pipeline.checks.claims.arithmetic import derivation, figures, value
from pipeline.checks.claims.entail import Entail, Question
from pipeline.checks.claims.actors import OURS, THEIRS, Parties, authors, learn_people, speaker
from pipeline.checks.claims.lexicon import classes, found, number_words, opposed, pattern
from pipeline.checks.claims.words import Stems
from pipeline.checks.evidence import SourceIndex
from pipeline.checks.quantities import (NUMBER, Date, FigureIndex, Held, Stated, date_matches, dates_in, missing_figures,
                                        missing_quantities, number_readings, number_spans, part_within, same_number,
                                        strip_dates, year_parts)
from pipeline.memo import per_run

ClaimState = Literal["verified", "contradicted", "weak", "unverified"]
SUPPORT = 0.6
"""Share of the statement's content words a supporting passage must hold (tuned on the tuning split: see
benchmarks/results/claims-2026-12-07.txt)."""
FIGURE_WEIGHT = 2
"""How many words a number or date of the statement counts for in a passage's share of it (a figure found, in a
compatible role, says more than a word)."""
TOPIC = 0.4
"""Share above which a passage is about the statement (enough to contradict it, or to make it `weak`)."""
ASK = 0.5
"""Share above which a passage nothing rules out is put to the model (with `entail`)."""
DERIVED_TOPIC = 0.1
"""Share above which a passage may give a figure a derived figure is computed from (a statement that combines
passages holds few of each one's words)."""
DERIVED_PASSAGES = 6
"""Passages whose figures a derived figure may combine."""
ASKED_PASSAGES = 2
"""Passages the model reads a statement against at most."""
CANDIDATES = 8
LONG_PASSAGE = 400
"""Characters above which a passage is read sentence by sentence."""
NEGATION_SCOPE = 8
"""Words after a negation of a passage that it bears on."""
NEGATION_BEFORE = 3
"""Words before a negation it bears on (`exclusivity is not negotiable`)."""
NEGATED_LEAD = 2
"""Content words right after a negation that say what it negates (`refuses to deliver`, `no upper limit`)."""
SUBJECT_WORDS = 3
"""Words at the opening of a clause where its actor is looked for."""
COUNTED_WORDS = 3
"""Words after a number read as what it counts."""
DATE_LEAD = 2
"""Content words before a date that say what happens on it (`paid ... invoice on`, `confirmed by`)."""
NOUNS_CAPITALISED = frozenset({"de"})
"""Languages that capitalise every noun: a name there is a known person's or an acronym."""
UNREFERRED = "the passage does not refer to"
"""What a passage lacking a clause or article the statement refers to is told (another passage of a derived
figure's may hold it)."""
OTHER_OPERAND = (UNREFERRED, "in the passage it is the ", "the passage does not name ")
"""Problems of a passage a derived figure is computed from that another of its passages may answer (the other
side's figure, a reference or a name the statement gives once for all of them)."""
ROLE_WINDOW = 64
"""Characters on each side of a number read as its qualifiers (unit, period, the thing it counts)."""


class ClaimEvidence(BaseModel):
    document: str
    locator: str
    text: str


class ClaimCheck(BaseModel):
    """One statement checked against the materials."""

    claim: str
    state: ClaimState
    reason: str
    evidence: list[ClaimEvidence] = Field(default_factory=list, description="the passage(s) found by the checker")


@dataclass
class Passage:
    doc: Document
    offset: int
    text: str
    author: str | None
    sent: str = ""
    """The date line of the e-mail message holding the passage: its dates are the passage's too."""
    head: str = ""
    """The document's name and first lines (a proposal's lines are offers), and a table row's header row."""
    stems: set[str] = field(default_factory=set)
    held: Held | None = None
    """The passage's dates and numbers (read with the checker's figure index)."""
    header: str = ""
    """A table row's header row ("" outside a table)."""
    context: str = ""
    words: frozenset[str] | None = None
    """The words of its `_context_of` (read on first use)."""


@dataclass
class Reading:
    """What the verdict reads in one passage for one statement."""

    passage: Passage
    coverage: float
    problems: list[str]
    """What rules it out (a figure missing or in another role, another actor, the opposite polarity ...)."""
    contradiction: str = ""
    gaps: list[str] = field(default_factory=list)
    """What only keeps the rules from confirming it (too few shared words, the act in other words): the
    model may still read it as support."""
    whole: bool = True
    """The passage holds every number and date of the statement."""
    share: float = 0.0
    """The share of the statement's words and figures in the passage, a figure counted as one word (what decides
    whether the model is asked)."""
    anchored: bool = True
    """Each figure of the statement that the passage holds stands there by a word it stands by in the statement
    (`Antwort bis zum 18.12.` is not borne out by `Nach dem 18.12. ... Nachlass`)."""
    figured: bool = False
    """The statement has figures, the passage holds each of them by the statement's words for it, and its actor is
    the statement's (where the statement names one)."""

    @property
    def supports(self) -> bool:
        return not self.problems and not self.gaps and not self.contradiction and self.coverage >= SUPPORT

    @property
    def open(self) -> bool:
        """Nothing rules it out and its figures stand by the statement's words: a passage the model may read the
        statement against (with fewer shared words where every figure of the statement is there so)."""
        return not self.problems and not self.contradiction and self.anchored and (
            self.share >= ASK or self.figured and self.share >= TOPIC)


@lru_cache(maxsize=None)
def _written_number() -> re.Pattern[str]:
    """A written number before a period or a hyphen (the lexicon's words, compiled once)."""
    periods = "|".join(p.pattern for p in classes("PERIODS").values())
    names = "|".join(sorted(map(re.escape, number_words()), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({names})(?!-time|-off)([-\s]+(?={periods}|percent|per cent|prosent|prozent))",
                      re.IGNORECASE)  # `one-time` says once


@per_run
def _number_words(text: str) -> str:
    """`seven-year` -> `7-year`, `three years` -> `3 years` (a written number before a period or a hyphen); a
    bracketed signed change `(+14%)` -> `(increase 14%)`, `(-6%)` -> `(reduction 6%)`."""
    words = number_words()
    text = _SIGNED.sub(lambda m: "increase " if m.group() == "+" else "reduction ", text)
    return _written_number().sub(lambda match: str(words[match.group(1).casefold()]) + match.group(2), text)


_SIGNED = re.compile(r"(?<=\()[+\-\u2212](?=\d[\d.,]*\s?%)")


GENERIC_ROLES = frozenset({"price"})
"""Roles too general to set a number apart (a fee, a cost, a payment): a statement's figure is checked by its
specific role (a discount, a ceiling, a penalty)."""


CHANGE_ROLES = frozenset({"increase", "discount"})
_LEVEL = re.compile(r"(?i)(?<![\w])(?:from|to|fra|til|von|auf|zu)\s+(?:[A-Z]{3}|kr\.?|[€$£])?\s*$")
"""A figure that a change starts from or ends at (`from GBP \x00`, `til \x00`)."""


def _nearest_period(window: str) -> str | None:
    """The period written closest to the number at the middle of `window` (`a year`, `per hour`), not after the
    next number (`GBP 750, up to a maximum of GBP 9,000 per month`: the month is the 9,000's)."""
    middle = window.find(" \x00 ")
    following = NUMBER.search(strip_dates(window), middle + 3)
    if following:
        window = window[:following.start()]
    best = None
    for name, pat in classes("PERIODS").items():
        for match in pat.finditer(window):
            distance = abs(match.start() - middle) if match.start() > middle else abs(middle - match.end())
            rank = (distance, -len(match.group()))  # `one-time` before the `time` inside it
            if best is None or rank < best[0]:
                best = (rank, name)
    return best[1] if best else None


def _classes(group: str, text: str) -> set[str]:
    return found(group, text)


@per_run
def _without_roles(text: str) -> str:
    """`text` without the ceiling and floor phrases, deadlines and starts, whose `not`/`no` is not a negation (`not
    exceed`, `no later than`, `not before`), nor the words inside a hyphenated compound (`card-not-present`)."""
    negation = pattern("NEGATION")
    text = _INSIDE_COMPOUND.sub(lambda m: "x" * len(m.group()), text)  # `card-not-present` negates nothing
    for name in ("ceiling", "floor"):
        text = classes("ROLES")[name].sub(lambda m: " " if negation.search(m.group()) else m.group(), text)
    return pattern("NOT_UNTIL").sub(" ", pattern("DEADLINE").sub(" ", text))


_INSIDE_COMPOUND = re.compile(r"(?<=[^\W\d_]-)[^\W\d_]+(?=-[^\W\d_])")
"""A word joined by hyphens on both sides (`not` in `card-not-present`)."""


def _negated(text: str) -> bool:
    return pattern("NEGATION").search(_without_roles(text)) is not None


def _uncertain(text: str) -> bool:
    """`text` asks or says a thing is not known; not a question that proposes (`Could we meet ...?`) nor the
    `whether` of an answer asked for (`let us know by Friday whether ...`)."""
    answer = pattern("ANSWER").search(text)
    doubt = pattern("UNCERTAIN")
    found = next((m for m in doubt.finditer(text) if not (answer and 0 <= m.start() - answer.end() <= 40)), None)
    if found is not None:
        return True
    if not text.rstrip().endswith("?"):
        return False
    question = re.split(r"(?<=[.!?:])\s+", text.rstrip())[-1]
    return not pattern("SUGGESTING").match(question.lstrip("-*• "))


def _clauses(text: str) -> list[str]:
    """`text`'s clauses: split at a sentence's end (not at the full stop of `30. juni`, `Art. 2`, nor of an
    abbreviation a lowercase word follows: `EUR 9,8 Mio. auf`; after Markdown emphasis, `**21 April 2026**. We`), a
    semicolon,
    `but`, and a line's end that closes a line of its own (a list item, a table row, a heading: not a line
    wrapped inside a sentence)."""
    return [c for c in _CLAUSE_END.split(text) if c and c.strip()]


_CLAUSE_END = re.compile(r"(?<=[^\W\d_]{3}[.!?])\s+(?![a-zæøåäöüß])|"
                         r"(?:(?<=\d{3}[.!?])|(?<=[)%\x22\u201d*_][.!?]))\s+(?=[A-ZÆØÅÄÖÜ])|"
                         r"(?<=;)\s+|\s+(?:but|men|aber|however|although)\s+|"
                         r"(?<=[.!?:;|])[ \t]*\n|\n(?=\s*(?:[-*\u2022>|#]|\d+(?:\.\d+)+[.)]?\s|\d+[.)]\s|\n))|\n\s*\n")


def _windows(text: str) -> list[tuple[tuple[float, ...], str]]:
    """Each number of `text` (its readings) with the words around it, within its clause."""
    found = []
    plain = _uncoded(strip_dates(text))  # `Hull BY-611` names, it plays no role
    for match in NUMBER.finditer(plain):
        start = max(0, match.start() - ROLE_WINDOW)
        end = min(len(text), match.end() + ROLE_WINDOW)
        left = _SENTENCE_END.split(text[start:match.start()])[-1]
        right = _SENTENCE_END.split(text[match.end():end])[0]
        found.append((number_readings(match.group(0))[0], f"{left} \x00 {right}"))
    return found


_UNREAD = object()


class ClaimChecker:
    """Checks statements against one case's materials (the passages read once)."""

    def __init__(self, case: CaseMaterials, index: SourceIndex | None = None, *, our_side: str = "",
                 counterpart: str = "", language: str = "", entail: Entail | None = None, cue: Cue = instruction_cue):
        """`entail` (e.g. a `ModelEntailer`) reads the statements the rules neither confirm nor rule out;
        without it the verdict is the rules' alone. `cue` tells a passage that addresses the model."""
        self.case = case
        self.entail = entail
        self.index = index or SourceIndex(case)
        self.parties = Parties(our_side or case.our_side, counterpart or case.counterpart)
        self._read: dict[tuple, object] = {}
        learn_people(case, self.parties)
        language = language or case.language or detect_language(" ".join(d.text for d in case.documents))
        self.stems = Stems(language)
        self.side_words = (self.parties.words[OURS] | self.parties.words[THEIRS]
                           | self.stems.content(" ".join(p for p, side in self.parties.people.items() if side)))
        author_of = {doc.name: authors(doc, self.parties) for doc in case.documents}
        layout_of: dict[str, _Layout] = {}
        self.passages: list[Passage] = []
        for doc, offset, text in self.index.passages():
            if cue(text):
                continue  # text that addresses the model is no evidence of anything
            unit_authors = author_of.get(doc.name, [])  # the index may hold an equal case loaded before
            if doc.name not in layout_of:
                layout_of[doc.name] = _Layout.of(doc)
            layout = layout_of[doc.name]
            for start, part in _sentences(text):
                last = self.passages[-1] if self.passages else None
                if (last is not None and last.doc is doc and part.strip() != last.text.strip()
                        and part.strip() in last.text and offset + start < last.offset + len(last.text)):
                    continue  # the end of the paragraph just read (`... Unknown: whether the\nsigned quote ...`)
                unit = layout.unit_at(offset + start)
                author, sent = unit_authors[unit] if unit < len(unit_authors) else (None, "")
                header = layout.headers[unit] if unit < len(layout.headers) else ""
                lead = _lead_in(doc, unit)
                self.passages.append(Passage(doc, offset + start, part, author, sent,
                                             f"{layout.head}\n{header}\n{layout.subjects[unit]}",
                                             self._content(part) | self._content(_common_words(lead))
                                             | self._content(_common_words(header)),
                                             header=header))
        plain = [re.sub(r"\S+@\S+|\w+://\S+", " ", doc.text) for doc in case.documents]  # addresses: lower case
        written = [w for text in plain for w in re.findall(r"(?<![\w-])[^\W\d_]{3,}", text)]
        self._lowercase = {w.casefold() for w in written if w[0].islower()}
        self._written = {w.casefold() for w in written}
        self._inside = {m.group(1).casefold() for doc in case.documents  # capitalised inside a sentence
                        for m in re.finditer(r"(?:(?<=[^\W\d_] )|(?<=, ))([^\W\d_]{3,})", doc.text)
                        if m.group(1)[0].isupper()}
        self.idf = self.stems.idf([p.stems for p in self.passages])
        self._by_stem: dict[str, list[int]] = {}
        for i, passage in enumerate(self.passages):
            for stem in passage.stems:
                self._by_stem.setdefault(stem, []).append(i)
        self._figures: FigureIndex | None = None

    def _content(self, text: str) -> frozenset[str]:
        return self._once(self._content_of, text)

    def _content_of(self, text: str) -> frozenset[str]:
        """The content words of `text` without the sides' names (`PaySys`, `BrightSpan Cleaning`: the name's
        words left out as written, so `cleaned` stays a word)."""
        names = self.parties.words[OURS] | self.parties.words[THEIRS]
        plain, folded = text, text.casefold()
        if any(name in folded for name in names):  # else no word of the text is a name's
            plain = re.sub(r"[^\W\d_]{3,}", lambda m: " " if m.group().casefold() in names else m.group(), text)
        return self.stems.content(plain) - self.side_words

    def _figure_index(self) -> FigureIndex:
        """The passages' dates and numbers, read and indexed on first use."""
        if self._figures is None:
            for passage in self.passages:
                passage.held = self.index.held(passage.text)
            self._figures = FigureIndex([passage.held for passage in self.passages])
        return self._figures

    def _once(self, how: Callable, *args):
        """`how(*args)`, worked out once per checker: the same statements and passages come back check after
        check (`how` is a pure function of its arguments; the result is shared, never changed). A method of the
        checker is kept by its function, not bound to the checker: the checker holds no cycle through itself, so
        a run's checker is freed when the run ends rather than by the garbage collector's full collection."""
        key = (getattr(how, "__func__", how), *args)
        found = self._read.get(key, _UNREAD)
        if found is _UNREAD:
            found = self._read[key] = how(*args)
        return found

    # -- retrieval -------------------------------------------------------------------------------
    def candidates(self, statement: str, stems: set[str], limit: int = CANDIDATES) -> list[Passage]:
        """The passages sharing most of the statement's words and figures (the one place retrieval happens). Only
        the passages the inverted indexes offer are scored: no other shares a word or a figure with it."""
        stated = self._once(Stated.of, statement)
        figures, dates = stated.numbers, stated.dates
        offered = {i for stem in stems for i in self._by_stem.get(stem, ())}
        if figures or dates:
            offered |= self._figure_index().sharing(stated)
        scored = []
        for passage in (self.passages[i] for i in sorted(offered)):
            score = math.fsum(self.idf.get(s, 0.0) for s in stems & passage.stems)  # exact: no order effect
            if figures or dates:
                missing_dates, missing = missing_figures(stated, passage.held)
                score += 2.0 * (len(figures) - len(missing) + len(dates) - len(missing_dates))
            if score > 0:
                scored.append((score, passage))
        scored.sort(key=lambda s: -s[0])
        return [p for _, p in scored[:limit]]

    # -- the verdict -----------------------------------------------------------------------------
    def actor_near(self, clause: str, shared: set[str], author: str | None, acts: frozenset[str] = frozenset(),
                   opening: str = "") -> str | None:
        """The side acting in a passage's clause on what the statement says: the agent after `by` of a
        passive act, else the reference (a side, a person, we/you, a pronoun standing for the last name
        before it) nearest before the first verb of the statement's `acts` there (the first word it shares
        with the statement when there is none); the author when that verb opens an item or a clause in its
        bare form (`5. Escalate ...: ask for a meeting`: what the author means to do); the subject of the
        sentence's `opening` clauses when the clause has none of its own (`X has come down ..., but still
        demands`); else the author when the clause names no other party than the author's, unknown (None)
        when it names another one elsewhere."""
        refs, agent = self._once(self._references_in, clause, author)
        if agent:
            return agent[0]
        verbs = sorted((m for name in acts for m in classes("VERBS")[name].finditer(clause)
                        if not _nominal(clause, m)), key=lambda m: m.start())
        if verbs and author and _imperative(clause, verbs[0]) and not opening.strip():
            return author
        anchor = verbs[0].start() if verbs else next(
            (m.start() for m in re.finditer(r"[^\W\d_]{3,}", clause)
             if _shared(self.stems.content(m.group()), shared, self.stems.compounds)), len(clause))
        before = [(pos, side) for pos, side in refs if pos < anchor]
        if before:
            return self._subject_of(clause, before, author)
        if opening.strip():
            subject = speaker(opening, self.parties, author)
            if subject:
                return subject
        return author if {side for side, _ in self.parties.mentions(clause)} <= {author} else None

    def _subject_of(self, clause: str, before: list[tuple[int, str | None]], author: str | None) -> str | None:
        """The side of the last reference before the act, unless that reference is an object: a name after an
        article right behind `we`/`vi`/`wir` (`wenn wir das Klinikum ... nennen dürften`, `we the client ...`)
        leaves `we` the subject."""
        for k, (earlier, mine) in enumerate(before[:-1]):
            first = pattern("FIRST_PERSON").match(clause, earlier)
            named = before[k + 1]
            if (first and mine == author and named[1] != mine and all(s == named[1] for _, s in before[k + 1:])
                    and _OBJECT_ARTICLE.fullmatch(clause[first.end():named[0]])):
                return mine
        return before[-1][1]

    def _references_in(self, clause: str, author: str | None) -> tuple[list[tuple[int, str | None]],
                                                                      tuple[str | None] | None]:
        """The references to a side in a passage's clause by `author` (a side, a person, we/you, a pronoun standing
        for the last name before it), in order, and the agent after `by` of its first passive act (None if none)."""
        other = {OURS: THEIRS, THEIRS: OURS}.get(author or "")
        refs: list[tuple[int, str | None]] = [(pos, side) for side, pos in self.parties.mentions(clause)]
        for name, side in (("FIRST_PERSON", author), ("SECOND_PERSON", other)):
            refs += [(m.start(), side) for m in pattern(name).finditer(clause) if not _OBJECT.fullmatch(m.group())]
        named = [(pos, side) for side, pos in self.parties.mentions(clause)]
        for m in _PRONOUN.finditer(clause):
            earlier = [side for pos, side in named if pos < m.start() and side]
            plural = _THEY.fullmatch(m.group()) is not None
            refs.append((m.start(), earlier[-1] if earlier else other if plural else None))
        refs.sort(key=lambda r: r[0])
        refs = [ref for k, ref in enumerate(refs) if k == 0 or not _POSSESSIVE.fullmatch(
            re.match(r"[^\W\d_]*", clause[ref[0]:]).group()) or _MESSAGE.match(clause, ref[0])]
        for verb in classes("VERBS").values():
            for m in verb.finditer(clause):
                agent = re.match(r"\s+(?:by|av|von)\s+", clause[m.end():])
                if agent:
                    start = m.end() + agent.end()
                    after = [side for pos, side in refs if start <= pos <= start + 30]
                    if after:
                        return refs, (after[0],)
        return refs, None

    def statement_actor(self, statement: str) -> str | None:
        """Who acts in the statement: the last side or person named before its first act (`At SteerCo #6
        TelCo decided`), else the one its main clause opens with."""
        act = _first_act(statement)
        if act is not None:
            named = [(pos, side) for side, pos in self.parties.mentions(statement) if pos < act]
            told = pattern("REPORTING").search(statement, 0, act)
            that = _THAT.search(statement, told.end(), act) if told else None
            if that:  # `Henrik told Katarina that exclusivity is not negotiable`: Henrik's demand, not Katarina's
                named = [(pos, side) for pos, side in named if pos > that.start()] or [
                    (pos, side) for pos, side in named if pos < told.start()][:1]  # `Albers hat Brandt geschrieben`
            if named:
                return named[-1][1]
        return self.actor(_subject(statement))

    def names(self, statement: str) -> tuple[tuple[str, ...], ...]:
        """The names the statement uses (people, firms, products, titles), each as its words (casefolded): runs of
        capitalised words that the materials never write in lower case, and capitalise inside a sentence (not only
        at a sentence's or a line's start: `Leverandøren skal ...`) or do not hold at all, neither a side's name nor a
        month, a weekday or a currency; a sentence's first word only where the materials write it so inside a
        sentence (`Isabel`, not `Leaving`)."""
        plain = _CURRENCY.sub(" ", strip_dates(statement))
        found: list[list[str]] = []
        last, alone = -2, set()
        for k, match in enumerate(re.finditer(r"(?<![\w-])[^\W\d_]{3,}|\S", plain)):
            word, key = match.group(), match.group().casefold()
            if len(word) < 3:
                continue
            first = re.fullmatch(r"[\W\d_]*", plain[:match.start()].rsplit(":", 1)[-1]) is not None
            if (word[0].isupper() and key not in self._lowercase and key not in self.parties.words[OURS]
                    and key not in self.parties.words[THEIRS] and not _CALENDAR.fullmatch(key)
                    and (self.stems.code not in NOUNS_CAPITALISED or word.isupper() or key in self.parties.persons)
                    and (key in self._inside or key not in self._written or key in self.parties.persons)):
                if k == last + 1:
                    found[-1].append(key)
                else:
                    found.append([key])
                    if first and key not in self._inside:
                        alone.add(len(found) - 1)
                last = k
        return tuple(tuple(group) for i, group in enumerate(found) if len(group) > 1 or i not in alone)

    def _title_holder(self, statement: str, context: str) -> str:
        """Whether the passage gives the post the statement gives a person (`Paul Grady is the Facilities Manager`)
        to someone else: the name nearest to the post's words there (`Mei Tanaka, Facilities Manager`, `CEO
        Agnieszka Nowak`; the one before the brackets of `Sofia Ricci (Senior Legal Counsel)`)."""
        post, person = self._once(self._post_of, statement)
        if not post:
            return ""
        titles = pattern("TITLES")
        sides = self.parties.words[OURS] | self.parties.words[THEIRS]
        names = [n for n in _PERSON_NAME.finditer(context) if not any(
            titles.fullmatch(w) or w.casefold() in sides for w in re.findall(r"[^\W\d_]+", n.group()))]
        for found in re.finditer(rf"(?i)(?<![\w]){post}(?![\w])", context):
            opened = context.rfind("(", 0, found.start())
            if opened > context.rfind(")", 0, found.start()) and found.start() - opened < 40:
                holder = next((n for n in reversed(names) if n.end() <= opened and opened - n.end() <= 2), None)
            else:
                near = [(min(abs(found.start() - n.end()), abs(n.start() - found.end())), n) for n in names]
                near = [(d, n) for d, n in near if d <= 40]
                holder = min(near, key=lambda x: x[0])[1] if near else None
            if holder and not {w.casefold() for w in re.findall(r"[^\W\d_]+", holder.group())} & person:
                return f"in the passage, {found.group()} is {holder.group()}"
        return ""

    def _post_of(self, statement: str) -> tuple[str, frozenset[str]]:
        """The post the statement gives one person (the pattern of its last run of a title's words) and that
        person's name words; ("", {}) when it gives none or names other than one person."""
        titles = pattern("TITLES")
        run: list[re.Match[str]] = []
        for m in re.finditer(r"[^\W\d_]+", statement):
            if titles.fullmatch(m.group()):
                run = run + [m] if run and statement[run[-1].end():m.start()].strip() == "" else [m]
        people = [g for g in self._once(self.names, statement) if not any(titles.fullmatch(w) for w in g)]
        if not run or len(people) != 1:
            return "", frozenset()
        return r"\W+".join(re.escape(m.group()) for m in run), frozenset(people[0])

    def reporter(self, statement: str) -> str | None:
        """The side whose words the statement reports (`Henrik told Katarina that ...`: the side named last before
        the reporting verb; `According to Vantara, ...`: the one named right after it), None if it reports none."""
        verb = pattern("REPORTING").search(statement)
        if not verb:
            return None
        named = self.parties.mentions(statement)
        if re.match(r"(?i)according|ifølge|laut|enligt|ifølge", verb.group()):
            after = [side for side, pos in named if verb.end() <= pos <= verb.end() + 40]
            return after[0] if after else None
        before = [side for side, pos in named if pos < verb.start()]
        return before[0] if before else None  # the one who tells, not the one told (`Albers hat Brandt geschrieben`)

    def _stranger(self, clause: str, acts: frozenset[str], statement: str) -> str:
        """The name right before the verb of the statement's act in a passage's clause, when it is no one the checker
        places on a side and the statement does not name them ("" if there is none)."""
        verbs = sorted((m for name in acts for m in classes("VERBS")[name].finditer(clause)
                        if not _nominal(clause, m)), key=lambda m: m.start())
        if not verbs:
            return ""
        sides = self.parties.words[OURS] | self.parties.words[THEIRS]
        names = [n for n in _PERSON_NAME.finditer(clause[:verbs[0].start()]) if not any(
            pattern("TITLES").fullmatch(w) or w.casefold() in sides for w in re.findall(r"[^\W\d_]+", n.group()))]
        if not names or verbs[0].start() - names[-1].end() > 3:
            return ""
        words = {w.casefold() for w in re.findall(r"[^\W\d_]+", names[-1].group())}
        said = {w.casefold() for w in re.findall(r"[^\W\d_]+", statement)}
        if words & said or any(w in self.parties.people for w in words):
            return ""
        return " ".join(names[-1].group().split())

    def _label_holder(self, statement: str, context: str) -> str:
        """Whether a header line of the passage's document gives the role the statement gives a person to someone
        else (`Petter Solberg wrote the notes` against `**Notes:** Hilde Rasmussen`)."""
        people = [g for g in self._once(self.names, statement) if not any(pattern("TITLES").fullmatch(w) for w in g)]
        roles = self._classes_in("ROLE_LABELS", statement)
        if len(people) != 1 or not roles:
            return ""
        for line in context.splitlines():
            label = re.match(r"[\s>*#|-]*([^:|]{2,30}?)\**\s*:\**\s*(.+)$", line)
            if not label or not self._classes_in("ROLE_LABELS", label.group(1)) & roles:
                continue
            named = [n.group() for n in _PERSON_NAME.finditer(label.group(2))][:1]
            if named and not {w.casefold() for w in re.findall(r"[^\W\d_]+", named[0])} & set(people[0]):
                return f"in the passage, {label.group(1).strip()} is {named[0]}"
        return ""

    def statement_person(self, statement: str) -> str | None:
        """The person named last before the statement's first act (`Katarina Lindqvist proposed`), if any."""
        act = _first_act(statement)
        named = [name for pos, name in self.parties.person_mentions(statement) if act is not None and pos < act]
        return named[-1] if named else None

    def person_near(self, clause: str, acts: frozenset[str]) -> str | None:
        """The person a passage's clause names as the one doing the statement's act: the nearest reference before
        the act's verb, when it is a person's name (not a side, we or they)."""
        verbs = sorted((m for name in acts for m in classes("VERBS")[name].finditer(clause)
                        if not _nominal(clause, m)), key=lambda m: m.start())
        if not verbs or _imperative(clause, verbs[0]):
            return None
        anchor = verbs[0].start()
        refs, _ = self._once(self._references_in, clause, None)
        persons = self.parties.person_mentions(clause)
        before = [pos for pos, _ in refs if pos < anchor]
        named = [(pos, name) for pos, name in persons if pos < anchor]
        if not named or (before and before[-1] > named[-1][0]):
            return None
        return named[-1][1]

    def actor(self, text: str, author: str | None = None) -> str | None:
        """The side acting in `text`: the author when it speaks as `we`, else the first side or person
        named, else the author."""
        return speaker(text, self.parties, author)

    def read(self, statement: str, stems: set[str], passage: Passage) -> Reading:
        text = passage.text
        shared = _shared(stems, passage.stems, self.stems.compounds)
        referred = self._once(Stated.of, self._once(_references, statement))
        figures = len(referred.numbers) + len(self._once(Stated.of, statement).dates)
        missing_dates, missing = missing_figures(referred, self._once(_held_by, text, passage.sent))
        found = figures - len(missing) - len(missing_dates)
        coverage = ((len(shared) + FIGURE_WEIGHT * found) / (len(stems) + FIGURE_WEIGHT * figures)
                    if stems or figures else 0.0)
        share = (len(shared) + found) / (len(stems) + figures) if stems or figures else 0.0
        problems: list[str] = []
        contradiction = ""
        clause = self._once(self._main_clause, text, frozenset(stems), statement)
        if missing_dates:
            date = missing_dates[0]
            problems.append(f"the date {date.day:02d}-{date.month:02d} is not in the passage")
            if dates_in(text) and coverage >= SUPPORT:
                contradiction = f"the passage gives another date ({_first_date(text)})"
        if missing:
            problems.append(f"the number {_number(missing[0][-1])} is not in the passage")
            if coverage >= TOPIC and not contradiction:
                other = self._same_role_figure(statement, missing, text)
                if other:
                    contradiction = f"the passage gives {other} for the same thing"
        end = self._range_end(statement, text)
        if end:
            problems.append(end)
        parted = self._year_part(statement, text)
        if parted:
            problems.append(parted[0])
            if parted[1] and coverage >= TOPIC:
                contradiction = contradiction or parted[0]
        role = self._role_conflict(statement, text, passage.head)
        if role:
            problems.append(role[0])
            contradiction = contradiction or (role[0] if role[1] else "")
        moved = self._moved_figure(statement, text)
        if moved:
            problems.append(moved)
            contradiction = contradiction or (moved if coverage >= TOPIC else "")
        s_verbs = self._once(_acts, statement)
        p_verbs = self._classes_in("VERBS", f"{text}\n{passage.head}") if s_verbs else set()  # read only beside acts
        gaps: list[str] = []
        pair = opposed(s_verbs - p_verbs, p_verbs - s_verbs)
        if pair:
            problems.append(f"the passage says {pair[1]}, not {pair[0]}")
            if coverage >= TOPIC:
                contradiction = contradiction or f"the passage says {pair[1]}, not {pair[0]}"
        elif s_verbs and not s_verbs & p_verbs and not self._terms(s_verbs, p_verbs, passage, statement):
            gaps.append(f"the passage does not say that anyone {'/'.join(sorted(s_verbs))}s it")
        if self._once(_done, statement) and (self._once(_todo, text) or _only_to_do(s_verbs, text)):
            problems.append("the passage is a to-do or a recommendation, not a thing done")
        s_timing, p_timing = self._classes_in("TIMING", statement), self._classes_in("TIMING", text)
        s_degree, p_degree = self._classes_in("DEGREE", statement), self._classes_in("DEGREE", text)
        timing = (opposed(s_timing - p_timing, p_timing - s_timing)
                  or opposed(s_degree - p_degree, p_degree - s_degree)
                  or opposed(*self._directions(statement, clause)))
        if timing:
            problems.append(f"the passage says {timing[1]}, not {timing[0]}")
            if coverage >= TOPIC:
                contradiction = contradiction or f"the passage says {timing[1]}, not {timing[0]}"
        s_neg = self._once(_negated, statement)
        bearing = self._bearing(text, stems, statement)
        p_neg = self._negated_near(bearing, statement, shared)
        negates = any(len(g) % 2 for g in self._once(self._negation_scope, statement)[3])
        leads = self._once(self._negation_leads, statement)
        negated_there = set().union(*self._once(self._negation_leads, text))
        only = self._once(_unless, bearing)
        if only:  # `no change is valid unless made in writing` says what is valid: `only in writing`
            p_neg, negates = False, negates and not self._once(_unless, statement)
        elif negates and not p_neg and any(_shared(lead, negated_there, self.stems.compounds) for lead in leads):
            p_neg = True  # the passage negates what the statement does, in a clause of its own (`I won't present that`)
        unsaid = negates and p_neg and next((lead for lead in leads
                                             if _shared(lead, passage.stems, self.stems.compounds)
                                             and not _shared(lead, negated_there, self.stems.compounds)), None)
        doubted, doubt_there = self._once(_uncertain, statement), self._once(_uncertain, clause)
        if doubted and doubt_there:
            pass  # `not known whether` against `Unknown: whether`: the same doubt, not a negation
        elif negates != p_neg or unsaid:
            problems.append("the passage " + ("does not negate it" if s_neg else "negates it"))
            if coverage >= TOPIC:
                contradiction = contradiction or ("the passage says the opposite" if s_neg else
                                                  "the passage negates it")
        s_poles, p_poles = self._classes_in("POLES", statement), self._classes_in("POLES", bearing)
        poles = opposed(s_poles - p_poles, p_poles - s_poles)
        if poles:  # `the fee includes support` against `support is charged on top of the fee`
            problems.append(f"the passage says {poles[1]}, not {poles[0]}")
            if coverage >= TOPIC:
                contradiction = contradiction or f"the passage says {poles[1]}, not {poles[0]}"
        if doubt_there and not doubted:
            problems.append("the passage asks or says it is not known")
        elif doubted and not doubt_there:
            problems.append("the statement says it is not known; the passage says it")
        if pattern("COMPLETED").search(statement) and not s_neg and pattern("PENDING").search(clause) \
                and not pattern("COMPLETED").search(clause) and not pattern("PENDING").search(statement):
            problems.append("the passage says it is still pending")
            if coverage >= TOPIC:
                contradiction = contradiction or "the passage says it is still pending"
        wanted = self._once(self.statement_actor, statement)
        acted = self._once(self._act_clause, text, frozenset(s_verbs)) or clause
        found = self.actor_near(acted, shared, passage.author, frozenset(s_verbs), _opening(text, acted))
        if (s_verbs and passage.author != THEIRS and self._once(_done, statement)
                and self._once(_instruction, acted)):  # `Reject ..., propose ...` in our notes: a to-do of ours
            problems.append("the passage is an instruction, not a thing done")
        column = self._column_side(statement, passage)
        if column:
            found = column
        if wanted and not found and s_verbs and _PRONOUN.match(acted.lstrip(" -*\u2022")):
            found = self._heading_side(passage)  # `## Ihre Seite` / `- Sie wollen ...`: the side the section is on
        if doubted and doubt_there and wanted and passage.author == wanted:
            found = wanted  # `Nobody at TelCo knows whether PaySys ...`: the one who does not know writes `Unknown`
        person = self._once(self.statement_person, statement)
        acting = self.person_near(acted, frozenset(s_verbs)) if person else None
        if wanted and found and wanted != found:
            problems.append(f"in the passage it is the {found}, not the {wanted}")
            contradiction = ""
        elif person and acting and person != acting and wanted == found:  # `Tomasz proposed`: Katarina did
            problems.append(f"in the passage it is {acting}, not {person}")
        elif wanted and not found and s_verbs:
            stranger = self._stranger(acted, frozenset(s_verbs), statement)
            if stranger:  # `The client's operations manager, Jonas Eklund, refuses to pay`: not Lena
                problems.append(f"in the passage it is {stranger}")
            else:
                gaps.append(f"the passage does not say who {'/'.join(sorted(s_verbs))}s it")
        swapped = self._swapped_side(statement, text)
        if swapped:
            problems.append(swapped)
        reporter = self._once(self.reporter, statement)
        if (reporter and passage.author and reporter != passage.author
                and reporter not in {side for side, _ in self.parties.mentions(text)}):
            problems.append(f"the passage is the {passage.author}'s words, not the {reporter}'s")
        elif (reporter and not passage.author and pattern("FIRST_PERSON").search(text)
              and reporter not in {side for side, _ in self.parties.mentions(text)}):
            problems.append(f"the passage is someone's own words, not known to be the {reporter}'s")  # `in my view`
        elif passage.author == THEIRS and pattern("KNOWN").search(statement):
            problems.append("the passage is the counterpart's word for it, not a thing known")
        if passage.words is None:
            passage.context = _context_of(passage)
            passage.words = frozenset(w.casefold() for w in re.findall(r"[^\W\d_]{3,}", passage.context))
        unreferred = [r for r in self._once(_referred, statement) if not re.search(
            rf"(?<![\w.]){re.escape(r)}(?![\d]|\.\d)", passage.context)]
        if unreferred:  # `clause 18.4` is not borne out by a passage that names no 18.4
            problems.append(f"{UNREFERRED} {unreferred[0]}")
        unnamed = [" ".join(g) for g in self._once(self.names, statement)
                   if not any(_match_name(n, passage.words, self.parties.persons.get(n, "")) for n in g)]
        if unnamed:
            problems.append(f"the passage does not name {', '.join(unnamed)}")
        row_people = ({name for _, name in self.parties.person_mentions(text)}
                      if passage.header or _CELLS.search(text) else set())
        said_people = {name for _, name in self.parties.person_mentions(statement)}
        if row_people and said_people and not row_people & said_people:  # `| Board paper | Per Vik | 7.12. |`
            problems.append(f"in the passage it is {', '.join(sorted(row_people))}")
        holder = self._title_holder(statement, passage.context) or self._label_holder(statement, passage.context)
        if holder:
            problems.append(holder)
        anchored = self._once(self._anchored, statement, text)
        if coverage < SUPPORT:
            gaps.append(f"the passage holds {coverage:.0%} of the statement's words")
        elif stems and len(shared) < TOPIC * len(stems):  # its figures alone do not say what they count
            gaps.append(f"the passage holds {len(shared)} of the statement's {len(stems)} words")
        return Reading(passage, coverage, problems, contradiction, gaps, whole=not missing and not missing_dates,
                       share=share, anchored=anchored,
                       figured=bool(figures) and anchored and not missing and not missing_dates
                       and (not wanted or found == wanted))

    def _range_end(self, statement: str, text: str) -> str:
        """A number the statement gives alone that the passage holds only as one end of a range (`cut to EUR 1.2
        million` against `EUR 0.8–1.2m`): the reason, or "". A statement's own range or bound (`up to`, `at
        least`, `between`) beside the number keeps it."""
        theirs = self._once(_numbers_in_ranges, text)
        if not any(inside for _, _, inside in theirs):
            return ""
        bound = pattern("BOUND")
        for start, readings, inside in self._once(_numbers_in_ranges, statement, True):
            if inside or bound.search(statement[max(0, start - 24):start]):
                continue
            held = [within for _, other, within in theirs if any(same_number(a, b) for a in readings for b in other)]
            if held and all(held):
                return f"in the passage, {_number(readings[-1])} is one end of a range"
        return ""

    def _year_part(self, statement: str, text: str) -> tuple[str, bool] | None:
        """A month, quarter or half of a year the statement names without a day (`Q2 2026`, `Ende Februar 2027`)
        that the passage does not: with the reason, and whether the passage names another part of that year."""
        for part in self._once(year_parts, self._once(strip_dates, statement)):
            theirs = self._once(year_parts, text)
            if any(part_within(part, other) or part_within(other, part) for other in theirs):
                continue
            shown = f"{part[0]} {part[1]} of {part[2]}"
            other = min((o for o in theirs if o[2] in (part[2], None)), key=lambda o: o[0] != part[0], default=None)
            if other is not None:
                return f"the passage gives {other[0]} {other[1]}, not {shown}", True
            return f"the passage does not name {shown}", False
        return None

    def _slots(self, text: str) -> frozenset[tuple[str, str, frozenset[str]]]:
        """Each side named in `text` with the word right before and right after its name (`bought Vantara`:
        (counterpart, before, {bought})); a name's own words and words of no content give no slot, but for `from`
        (`fra`, `von`: where a thing comes from), even across a label's colon (`Utkast fra: Fjordfrakt`)."""
        names = set().union(*self.parties.words.values()) | set(self.parties.people)
        words = [(m.group(), m.start()) for m in re.finditer(r"[^\W\d_]{3,}|[.,;:!?()|]", text)]
        at = {pos: side for side, pos in self.parties.mentions(text)}
        slots = set()
        for k, (word, pos) in enumerate(words):
            side = at.get(pos)
            if side not in (OURS, THEIRS):
                continue
            for place, step in (("before", -1), ("after", 1)):
                j = k + step
                while 0 <= j < len(words) and (words[j][0].casefold() in names
                                                or step < 0 and words[j][0] == ":" and j == k - 1):
                    j += step
                if 0 <= j < len(words):
                    content = ({"from"} if place == "before" and _FROM.fullmatch(words[j][0])
                               else self.stems.content(words[j][0]))
                    if content:
                        slots.add((side, place, frozenset(content)))
        return frozenset(slots)

    def _swapped_side(self, statement: str, text: str) -> str:
        """The passage puts the other side where the statement puts one, by the same word and never this side
        (`Harrowgate bought Vantara` against `Harrowgate bought Thamesbrook`)."""
        mine = self._once(self._slots, statement)
        if not mine:
            return ""
        theirs = self._once(self._slots, text)
        for side, place, word in mine:
            if (side, place, word) in theirs:
                continue
            other = {OURS: THEIRS, THEIRS: OURS}[side]
            if (other, place, word) in theirs:
                return f"in the passage it is the {other} {'after' if place == 'before' else 'before'} " \
                       f"'{'/'.join(sorted(word))}', not the {side}"
        return ""

    def _column_side(self, statement: str, passage: Passage) -> str | None:
        """The side whose column of a table row holds the statement's figures (`Annual charge | GBP 324,000 | GBP
        340,000` under `Issue | Our position | Northgate's position`), if one does."""
        if not passage.header:
            return None
        names = [c.strip() for c in passage.header.strip().strip("|").split("|")]
        cells = [c.strip() for c in passage.text.strip().strip("|").split("|")]
        if len(names) != len(cells):
            return None
        stated = self._once(Stated.of, self._once(_references, statement))
        if not stated.numbers and not stated.dates:
            return None
        other = {OURS: THEIRS, THEIRS: OURS}.get(passage.author or "")
        sides = set()
        for name, cell in zip(names, cells):
            missing_dates, missing = missing_figures(stated, self._once(_held_by, cell, ""))
            if len(missing) + len(missing_dates) == len(stated.numbers) + len(stated.dates):
                continue  # the cell holds none of the statement's figures
            side = speaker(name, self.parties, None) or (
                passage.author if pattern("FIRST_PERSON").search(name) else
                other if _THEIR.search(name) or pattern("SECOND_PERSON").search(name) else None)
            sides.add(side)
        return sides.pop() if len(sides) == 1 else None

    def _heading_side(self, passage: Passage) -> str | None:
        """The side the heading of the passage's section is about: named there, or `their`/`our` (`## Ihre Seite`,
        `Their position:`) from the author's view; None when it names none or both."""
        before = passage.doc.text[:passage.offset]
        heading = next((line for line in reversed(before.splitlines()[:-1]) if _HEADING.match(line)), "")
        sides = {side for side, _ in self.parties.mentions(heading)}
        if not sides and passage.author in (OURS, THEIRS):
            other = {OURS: THEIRS, THEIRS: OURS}[passage.author]
            sides = ({other} if _SECTION_THEIRS.search(heading) else set()) | (
                {passage.author} if _SECTION_OURS.search(heading) else set())
        return sides.pop() if len(sides) == 1 else None

    def _terms(self, s_verbs: set[str], p_verbs: set[str], passage: Passage, statement: str) -> bool:
        """The statement says a side asks for what a term of that side's own proposal sets (what a side offers
        on terms, it requires), or says what must be done that a numbered clause of an agreement sets (`Oppdrag må
        bestilles senest 72 timer før` against `4.1 Kunden bestiller oppdrag senest 72 timer før oppstart`)."""
        if s_verbs == {"request"} and _CLAUSE_LINE.match(passage.text) and all(
                _MODAL.fullmatch(m.group()) for m in classes("VERBS")["request"].finditer(statement)):
            return True
        return (s_verbs <= {"request"} and "offer" in p_verbs and passage.author is not None
                and passage.author == self._once(self.statement_actor, statement))

    def _classes_in(self, group: str, text: str) -> set[str]:
        return self._once(_classes, group, text)

    def _directions(self, statement: str, clause: str) -> tuple[set[str], set[str]]:
        """Which way the statement and the passage's clause compare a figure, each without the other's (`not exceed`
        is a ceiling, not a way)."""
        mine = self._classes_in("DIRECTION", self._once(_without_roles, statement))
        theirs = self._classes_in("DIRECTION", self._once(_without_roles, clause))
        return mine - theirs, theirs - mine

    def _windows_of(self, text: str) -> list[tuple[tuple[float, ...], str]]:
        return self._once(_windows, text)

    def _figure_windows_of(self, text: str) -> list[tuple[object, str]]:
        return self._once(_figure_windows, text)

    def _period_of(self, window: str) -> str | None:
        return self._once(_nearest_period, window)

    def _main_clause(self, text: str, stems: frozenset[str], statement: str) -> str:
        """The clause of `text` holding most of the statement's words and figures."""
        return max(self._once(self._clause_stems, text), key=lambda c: self._clause_score(c, stems, statement))[0]

    def _clause_score(self, clause: tuple[str, set[str]], stems: set[str], statement: str) -> int:
        """The statement's words and figures in a clause (a code's number, `BY-611`, counted as neither)."""
        stated = self._once(Stated.of, self._once(_uncoded, statement))
        if not stated.numbers and not stated.dates:
            return len(stems & clause[1])
        missing_dates, missing = missing_figures(stated, self._once(_held_by, _uncoded(clause[0]), ""))
        return len(stems & clause[1]) + len(stated.numbers) - len(missing) + len(stated.dates) - len(missing_dates)

    def _act_clause(self, text: str, acts: frozenset[str]) -> str:
        """The clause of `text` holding a verb of the statement's acts (`Jonas Eklund, refuses to pay`: who refuses
        is read there, not in the clause holding most of the statement's words), "" if none or several do."""
        found = [c for c in _clauses(text) or [text]
                 if any(not _nominal(c, m) for name in acts for m in classes("VERBS")[name].finditer(c))]
        return found[0] if len(found) == 1 else ""

    def _bearing(self, text: str, stems: set[str], statement: str) -> str:
        """The clauses of `text` that bear the statement: those holding more than half as many of its words and
        figures as the clause holding most, and one holding the verb of the statement's act with a word of it
        (`A shorter term. X has not proposed this.`); a negation in a clause about something else does not bear
        on it."""
        clauses = self._once(self._clause_stems, text)
        scores = [self._clause_score(c, stems, statement) for c in clauses]
        acts = self._once(_acts, statement)
        return "\n".join(c for (c, words), n in zip(clauses, scores) if 2 * n > max(scores) or (
            n and stems & words and any(not _nominal(c, m) for name in acts for m in classes("VERBS")[name].finditer(c))))

    def _clause_stems(self, text: str) -> list[tuple[str, set[str]]]:
        """Each clause of `text` (the text whole if it has none) with its content words."""
        return [(c, self.stems.content(c)) for c in _clauses(text) or [text]]

    def _negated_near(self, text: str, statement: str, shared: set[str]) -> bool:
        """Whether `text` negates what the statement says: a negation (not cancelled by another in its reach) with
        a shared word (or a word of one of the statement's roles: `no cap` against `no upper limit`) among the
        first words it bears on (`refuses to deliver Hull 611` bears on delivering, not on the hull), that the
        passage does not also state without a negation, and that the statement does not negate by a prefix itself
        (`undisputed`: `not in dispute`)."""
        roles = self._classes_in("ROLES", statement) - GENERIC_ROLES
        words, scopes, plain_words, groups = self._once(self._negation_scope, text)
        prefixed = self._once(self._prefix_negated, statement)
        hit = lambda i: (_shared(self.stems.content(words[i]), shared, self.stems.compounds)  # noqa: E731
                         or roles & self._classes_in("ROLES", words[i]))
        bearing = set()
        for k, (after, before) in enumerate(scopes):
            lead = [i for i in after if self.stems.content(words[i])][:NEGATED_LEAD] + [
                i for i in before if self.stems.content(words[i])][:1]
            if not any(hit(i) for i in lead):
                continue
            if any(_shared(self.stems.content(words[i]), prefixed, self.stems.compounds) for i in after):
                continue
            if any(not self.stems.content(words[i]) <= plain_words or not self.stems.content(words[i])
                   for i in after + before if hit(i)):
                bearing.add(k)
        return any(len(group) % 2 and bearing & set(group) for group in groups)

    def _negation_leads(self, text: str) -> list[frozenset[str]]:
        """For each negation of `text` that no other cancels, the content words it bears on first (`will not present
        the deal`: present, deal; `without` bears on its noun alone)."""
        words, scopes, _, groups = self._once(self._negation_scope, text)
        negations = [m.group() for m in pattern("NEGATION").finditer(_without_roles(text))]
        leads = []
        for group in groups:
            if len(group) % 2 == 0:
                continue
            for k in group:
                after, before = scopes[k]
                if _WITHOUT.fullmatch(negations[k]):  # its noun, up to the clause's subject: `without an integrator we`
                    after = list(itertools.takewhile(lambda i: not _SUBJECT_WORD.fullmatch(words[i]), after))
                lead = ([i for i in after if self.stems.content(words[i])][:NEGATED_LEAD]
                        + [i for i in before if self.stems.content(words[i])][:1])
                leads.append(frozenset().union(*(self.stems.content(words[i]) for i in lead)))
        return leads

    def _prefix_negated(self, statement: str) -> frozenset[str]:
        """The stems a statement negates by a prefix (`undisputed` -> dispute, `non-binding` -> binding)."""
        found = set()
        for match in re.finditer(r"(?i)(?<![\w])(?:un|non-?|nicht-?|ikke-)([^\W\d_]{4,})", statement):
            found |= self.stems.content(match.group(1))
        return frozenset(found)

    def _negation_scope(self, text: str) -> tuple[list[str], list[tuple[list[int], list[int]]], set[str],
                                                  list[list[int]]]:
        """The words and marks of `text` (the `not` of its ceilings, floors and deadlines left out), the positions
        of the words each negation bears on (those after it, nearest first; those before it, nearest first),
        the content words of the others, and the negations in groups: one inside another's reach cancels it
        (`neither ... without`, `godtar ikke ... uten`)."""
        plain = _without_roles(text)
        tokens = [(m.group(), m.start()) for m in re.finditer(r"[^\W\d_]+|[,;.:!?()|]", plain)]
        negations = [m for m in pattern("NEGATION").finditer(plain)]
        scopes: list[tuple[list[int], list[int]]] = []
        groups: list[list[int]] = []
        reach = -1
        starts = [pos for _, pos in tokens]
        for k, negation in enumerate(negations):
            after = range(bisect.bisect_left(starts, negation.end()), len(tokens))
            before = range(bisect.bisect_left(starts, negation.start()) - 1, -1, -1)  # nearest first
            scope: list[list[int]] = []
            for run, limit in ((after, NEGATION_SCOPE), (before, NEGATION_BEFORE)):
                kept: list[int] = []
                for i in run[:limit]:
                    if not tokens[i][0][0].isalpha() or limit == NEGATION_BEFORE and _JOINS.fullmatch(tokens[i][0]):
                        break  # nor back across `and that` (`came late and that nobody accepted`)
                    kept.append(i)
                scope.append(kept)
            scopes.append((scope[0], scope[1]))
            if groups and negation.start() <= reach and not _WITHOUT.fullmatch(negations[k - 1].group()):
                groups[-1].append(k)  # `not ... without` cancels; `without a cap ... not accept` does not
            else:
                groups.append([k])
            reach = tokens[scope[0][-1]][1] if scope[0] else negation.end()
        inside = {i for after, before in scopes for i in after + before}
        plain_words = {w for i, (word, _) in enumerate(tokens) if i not in inside and word[0].isalpha()
                       for w in self.stems.content(word)}
        return [word for word, _ in tokens], scopes, plain_words, groups

    def _moved_figure(self, statement: str, text: str) -> str:
        """A number or date of the statement that the passage holds, but whose words in the statement sit by
        another figure of the passage (`confirm by 30 June`, `expire on 30 September`)."""
        statement = self._once(_references, statement)
        mine = self._figure_windows_of(statement)
        theirs = self._figure_windows_of(self._once(_number_words, self._once(_references, text))) if mine else []
        for value, words in mine:
            context = self.stems.content(words) - self.side_words
            same = [w for v, w in theirs if _same_figure(v, value)]
            if not same and isinstance(value, tuple) and _kind(words) and _day_or_year(value) and any(
                    _same_figure(value, (float(d.day), float(d.year or 0))) for d, _ in theirs
                    if not isinstance(d, tuple)):
                return f"in the passage, {_show(value)} is only a date's day or year"  # 15 days is not 15 April
            if not same or not context:
                continue
            kinds = {_kind(w) for w in same} - {None}
            if isinstance(value, tuple) and _kind(words) and kinds and _kind(words) not in kinds:
                return f"in the passage, {_show(value)} is {'/'.join(sorted(kinds))}, not {_kind(words)}"
            counted = self.stems.content(self._once(_counted, statement, value))
            if counted:
                own = [self.stems.content(self._once(_counted, text, v)) for v, _ in theirs if _same_figure(v, value)]
                if any(_shared(counted, o) for o in own):
                    continue  # the passage's figure counts what the statement's does
                for v, _ in theirs:
                    nouns = self.stems.content(self._once(_counted, text, v))
                    if (not _same_figure(v, value) and _shared(counted, nouns) and own and all(own)
                            and not any(_shared(counted, o) for o in own)):
                        return f"in the passage, {_show(v)} counts what the statement gives {_show(value)} for"
            if _deadline(words) and not any(_deadline(w) for w in same):
                for other, w in theirs:
                    if not isinstance(other, tuple) and _deadline(w) and context & self.stems.content(w):
                        return f"in the passage, {_show(value)} is not the deadline; {_show(other)} is"
            if not isinstance(value, tuple):
                lead = self._lead(words)
                if lead and any(_shared(lead, self._lead(w)) for w in same):
                    continue  # the same word leads to the date in both (`paid on 21 April`)
            kind = _kind(words) if isinstance(value, tuple) else None
            others = [(v, w) for v, w in theirs if not any(_same_figure(v, m) for m, _ in mine)
                      and isinstance(v, tuple) == isinstance(value, tuple)  # a date moves to a date's place
                      and (kind is None or _kind(w) == kind)]  # 48 days is not EUR 4,800; EUR 1.9m is not 2025
            lead = self._lead(words)
            if lead and not any(_shared(lead, self._lead(w)) for w in same):
                for other, w in others:
                    if _shared(lead, self._lead(w)):  # `Avtaleperioden er to år` against `Avtaleperiode: fem år`
                        return f"in the passage, {_show(value)} is not what the statement says; {_show(other)} is"
            here = max(len(context & self.stems.content(w)) for w in same)
            for other, w in others:
                if len(context & self.stems.content(w)) > here:
                    return f"in the passage, {_show(value)} is not what the statement says; {_show(other)} is"
        return ""

    def _anchored(self, statement: str, text: str) -> bool:
        """Each number and date of the statement that `text` holds stands there by at least one of the content
        words it stands by in the statement (its words up to the next figure on each side; a table row's whole
        row). A figure with no words of its own in the statement, or none in `text`, is not read."""
        theirs = self._figure_windows_of(self._once(_number_words, _references(text)))
        row = _CELLS.search(text) is not None
        for value, words in self._figure_windows_of(_references(statement)):
            own = self._near(words)
            same = [w for v, w in theirs if _same_figure(v, value)]
            if own and same and not any(_shared(own, self.stems.content(text) if row else self._near(w),
                                                self.stems.compounds) for w in same):
                return False
        return True

    def _near(self, window: str) -> frozenset[str]:
        """The content words of a figure window (`... \x00 ...`) between the figures next to it, the sides' names
        left out."""
        left, _, right = window.partition(" \x00 ")
        left = re.split(r"\d", left)[-1]
        right = re.split(r"\d", right)[0]
        return frozenset(self._content(f"{left} {right}"))

    def _lead(self, window: str) -> frozenset[str]:
        return self._once(self._lead_of, window)

    def _lead_of(self, window: str) -> frozenset[str]:
        """The last content words before the figure of a figure window (`paid Lena's invoice on \x00`: invoice,
        paid), the sides' names left out."""
        words = [self._content(w) for w in re.findall(r"[^\W\d_]{3,}", window.split(" \x00 ")[0])]
        return frozenset().union(*[w for w in words if w][-DATE_LEAD:])

    def _same_role_figure(self, statement: str, missing: list[tuple[float, ...]], text: str) -> str:
        """A figure of `text` qualified like a missing figure of the statement (another number for it)."""
        statement = self._once(_references, statement)
        wanted = [(r, self._classes_in("ROLES", w) | self._classes_in("PERIODS", w), _kind(w))
                  for r, w in self._windows_of(statement) if r in missing]
        own = [r for r, _ in self._windows_of(statement)]
        for readings, words in self._windows_of(self._once(_number_words, self._once(_references, text))):
            if any(same_number(a, b) for r in own for a in r for b in readings):
                continue
            qualifiers = self._classes_in("ROLES", words) | self._classes_in("PERIODS", words)
            kind = _kind(words)
            for figure, roles, wanted_kind in wanted:
                near = bool(readings[-1] and figure[-1]) and 0.01 < readings[-1] / figure[-1] < 100
                if kind and wanted_kind and kind != wanted_kind:
                    continue  # a percentage is no other amount of money
                if roles and roles & qualifiers and near:
                    return _number(readings[-1])
        return ""

    def _role_conflict(self, statement: str, text: str, head: str = "") -> tuple[str, bool] | None:
        """Why a number the statement shares with `text` plays another role there, and whether the roles
        contradict each other (a ceiling against a minimum). A role the statement gives a number (a discount,
        a ceiling; per hour) fails when the passage qualifies the same number otherwise and not so."""
        statement = self._once(_references, statement)
        mine_windows = self._windows_of(statement)
        passage_windows = (self._windows_of(self._once(_number_words, self._once(_references, text)))
                           if mine_windows else [])
        for readings, words in mine_windows:
            around = [w for r, w in passage_windows if any(same_number(a, b) for a in readings for b in r)]
            if not around:
                continue
            mine = self._classes_in("ROLES", words) - GENERIC_ROLES
            if _LEVEL.search(words.split(" \x00 ")[0]):
                mine -= CHANGE_ROLES  # `raise the fee from 1,240,000`: the figure is a level, not the change
            theirs = set().union(*(self._classes_in("ROLES", w) for w in around))
            mine_period = self._period_of(words)
            their_periods = {self._period_of(w) for w in around} - {None}
            if not theirs - GENERIC_ROLES and mine & self._classes_in("ROLES", text):
                theirs = set()  # a price whose specific role the passage names further off (`shall not increase
                # by more than RPI plus three (3) percentage points`)
            if mine and theirs and not mine & theirs:
                pair = opposed(mine, theirs)
                return (f"{_number(readings[-1])} is {'/'.join(sorted(theirs))} in the passage, not "
                        f"{'/'.join(sorted(mine))}", pair is not None)
            unsaid = mine - theirs
            if unsaid:
                unsaid -= self._classes_in("ROLES", f"{text}\n{head}")
            if unsaid:  # `service credits capped at 50%` against `Liability cap: 50% of fees`
                return (f"the passage does not say {_number(readings[-1])} is {'/'.join(sorted(unsaid))}", False)
            if mine_period and their_periods and mine_period not in their_periods:
                return (f"{_number(readings[-1])} is per {'/'.join(sorted(their_periods))} in the passage, not per "
                        f"{mine_period}", False)
        return None

    def check(self, statement: str) -> ClaimCheck:
        statement = " ".join(statement.split())
        readings, verdict, otherwise = self._once(self._by_rules, statement)
        return verdict or self._ask(statement, readings) or otherwise

    def _by_rules(self, statement: str) -> tuple[list[Reading], ClaimCheck | None, ClaimCheck | None]:
        """The statement's readings, the rules' verdict when they settle it, else the verdict when the model (if
        asked) does not: worked out once per statement (the model, when there is one, is asked each time)."""
        normal = _number_words(statement)
        stems = self._content(normal)
        readings = [self.read(normal, stems, p) for p in self.candidates(normal, stems)]
        if not readings:
            return readings, ClaimCheck(claim=statement, state="unverified",
                                        reason="no passage of the materials is about it"), None
        support = [r for r in readings if r.supports]
        if support:
            best = max(support, key=lambda r: r.coverage)
            against = [r for r in readings if r.contradiction and r.coverage > best.coverage and r.whole]
            if against:  # a passage that says more of it, every figure of it too, says otherwise
                worst = max(against, key=lambda r: r.coverage)
                return readings, self._result(statement, "contradicted", worst.contradiction, worst), None
            return readings, self._result(statement, "verified", "the passage says it", best), None
        derived = self._derived(normal, stems, readings)
        if derived:
            return readings, derived, None
        return readings, None, self._unsettled(statement, readings)

    def _unsettled(self, statement: str, readings: list[Reading]) -> ClaimCheck:
        """The verdict on readings that neither support the statement nor derive its figure: a contradiction, else
        `weak` or `unverified` by the nearest passage. A passage that says less of the statement than one that
        nothing rules out (only too few words or an act not named keep it from support) contradicts nothing."""
        clear = max((r.coverage for r in readings if not r.problems and not r.contradiction), default=0.0)
        against = [r for r in readings if r.contradiction and r.coverage >= clear]
        if against:
            best = max(against, key=lambda r: r.coverage)
            return self._result(statement, "contradicted", best.contradiction, best)
        best = max(readings, key=lambda r: (r.coverage, -len(r.problems)))
        if best.coverage >= TOPIC:
            return self._result(statement, "weak", "; ".join(best.problems + best.gaps), best)
        return self._result(statement, "unverified", "no passage of the materials says it; the nearest: "
                            + "; ".join((best.problems + best.gaps)[-1:]), best)

    def check_on(self, statement: str, document: str, line: str) -> ClaimCheck | None:
        """`statement` read against the passage of `document` that holds `line` (the line a figure of it was read
        from): `verified` where the rules find nothing against it there (a figure in another role, another actor,
        the opposite polarity ...), even with few shared words; `contradicted` where they find the line says
        otherwise; None when no passage holds the line or the rules rule it out without a contradiction."""
        wanted = " ".join(line.split())[:60]
        passage = next((p for p in self.passages if p.doc.name == document and wanted in " ".join(p.text.split())),
                       None)
        if passage is None:
            return None
        statement = " ".join(statement.split())
        normal = _number_words(statement)
        reading = self.read(normal, self._content(normal), passage)
        if reading.contradiction:
            return self._result(statement, "contradicted", reading.contradiction, reading)
        if not reading.problems:
            return self._result(statement, "verified", "the line it was read from says it", reading)
        return None

    def _derived(self, statement: str, stems: frozenset[str], readings: list[Reading]) -> ClaimCheck | None:
        """A statement whose one number no passage of the materials holds is a difference, sum, product or share
        (the operation named by its words) of figures of the passages about it and of its own other numbers, each
        of those held by a passage about the statement that does not contradict it but by a figure (`7.6m exceeds
        the 6.2m ceiling by 1.4m`: 7.6m and 6.2m each in such a passage, 1.4m in none): verified, with those
        passages. The operands' roles are read only as far as that: the arithmetic and where each figure is."""
        index = self._figure_index()
        numbers = number_readings(strip_dates(_references(statement)))
        absent = [m for m in numbers if not index.holding(value(m))]
        if len(absent) != 1:
            return None
        target, shown = value(absent[0]), _number(absent[0][-1])
        numbered = "not in the passage"

        def sound(r: Reading) -> bool:  # nothing against it but what another passage of the computation holds
            return all(numbered in p or p.startswith(OTHER_OPERAND) for p in r.problems) and (
                not r.contradiction or "for the same thing" in r.contradiction)

        operands: list[Reading] = []
        for number in numbers:
            if number is absent[0]:
                continue
            holding = [self.read(statement, stems, self.passages[i])
                       for i in sorted(index.holding(value(number)))[:CANDIDATES]]
            best = max((r for r in holding if r.coverage >= DERIVED_TOPIC and (
                not r.contradiction or numbered in r.contradiction or "for the same thing" in r.contradiction)),
                key=lambda r: r.coverage, default=None)
            if best is None:
                return None
            operands.append(best)
        about = list({r.passage.text.strip(): r for r in sorted(
            (r for r in readings if r.coverage >= DERIVED_TOPIC), key=lambda r: r.coverage)}.values())[::-1]
        about = about[:DERIVED_PASSAGES]
        clean = list({id(r.passage): r for r in operands + [r for r in about if sound(r)]}.values())
        if not clean or missing_quantities(statement, "\n".join(r.passage.text for r in clean))[0]:
            return None
        how = derivation(statement, target, [f for r in clean for f in figures(r.passage.text)])
        if not how:
            return None
        return self._result(statement, "verified", f"{shown} = {how}, computed from figures of the passages", *clean)

    def _ask(self, statement: str, readings: list[Reading]) -> ClaimCheck | None:
        """The model's verdict on the passages nothing rules out (None without a model or such passages)."""
        if self.entail is None:
            return None
        chosen = list({r.passage.text.strip(): r for r in sorted(
            (r for r in readings if r.open and not _label_only(r.passage.text)), key=lambda r: r.coverage)}.values()
        )[::-1][:ASKED_PASSAGES]
        if not chosen:
            return None
        question = Question(statement, tuple(f"({r.passage.doc.name}) {r.passage.text.strip()}" for r in chosen),
                            self.parties.our_side, self.parties.counterpart)
        verdict = self.entail(question)
        if verdict == "supported":
            return self._result(statement, "verified", "the passage says it in other words", *chosen)
        if verdict == "contradicted" and chosen[0].coverage >= TOPIC:
            return self._result(statement, "contradicted", "the passage says otherwise (read by the model)", *chosen)
        return None

    @staticmethod
    def _result(statement: str, state: ClaimState, reason: str, *readings: Reading) -> ClaimCheck:
        evidence = [ClaimEvidence(document=r.passage.doc.name, locator=r.passage.doc.locator_at(r.passage.offset),
                                  text=r.passage.text.strip()) for r in readings]
        return ClaimCheck(claim=statement, state=state, reason=reason, evidence=evidence)


_WITHOUT = re.compile(r"(?i)without|ohne|uten|utan|uden")
"""A negation that qualifies a noun (`without a cap`): a negation after it in its reach is not cancelled by it."""
_THAT = re.compile(r"(?i)(?<![\w])(?:that|at|dass|daß)(?![\w])")
"""Opens what a reporting verb reports (`told Katarina that ...`, `sa til Ola at ...`, `sagte, dass ...`)."""


def _opening(text: str, clause: str) -> str:
    """The clauses of `clause`'s sentence in `text` before it, when it continues that sentence after a comma and a
    `but` (`X has come down to 275, but still demands 80 days`); "" otherwise."""
    at = text.find(clause)
    if at <= 0:
        return ""
    before = text[:at]
    if not re.search(r",\s*(?:but|men|aber|however|although)?\s*$", before):
        return ""
    return _SENTENCE_END.split(before.rsplit("\n", 1)[-1])[-1]


def _unless(text: str) -> bool:
    """`text` negates a thing and names the one exception (`no change is valid unless ...`): it says `only`."""
    plain = _without_roles(text)
    negation = pattern("NEGATION").search(plain)
    return negation is not None and pattern("UNLESS").search(plain, negation.end()) is not None


def _lead_in(doc: Document, unit: int) -> str:
    """The line that introduces the list a list item belongs to (`5.1 Contractual delivery dates:`, `Your
    proposal:`): what each of its items is about; "" for a unit that is no list item or a list without one."""
    units = doc.units
    if unit >= len(units) or not _ITEM.match(units[unit].text):
        return ""
    for k in range(unit - 1, max(-1, unit - 30), -1):
        line = units[k].text.strip()
        if not line or _ITEM.match(line):
            continue
        return line if re.search(r":\**\s*$", line) else ""
    return ""


def _common_words(line: str) -> str:
    """`line` without the capitalised words inside it (names: `Legal comments (H. Carter)` -> `Legal comments`)."""
    words = re.findall(r"[^\W\d_]+", line)
    return " ".join(w for k, w in enumerate(words) if k == 0 or not w[0].isupper())


_ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")


def _context_of(passage: Passage) -> str:
    """A passage with what names its people: its document's opening lines and byline (`Author:`, `Re:`), the header
    of the e-mail message holding it (`From:`, `To:`) and the heading of its section (`Legal comments (H. Carter):`)."""
    text = passage.doc.text
    before = text[:passage.offset]
    start = max((m.start() for m in _MESSAGE_START.finditer(before)), default=-1)
    header = ""
    if start >= 0:
        block = re.match(r"(?:[^\n]*\S[^\n]*\n?){1,6}", text[start:])
        header = block.group() if block else ""
    meta = " ".join(passage.doc.metadata.get(k, "") for k in ("From", "To", "Cc", "Subject"))
    lines = [u.text for u in passage.doc.units]
    byline = "\n".join(line for line in lines[:12] if _BYLINE.match(line))
    heading = next((line for line in reversed(before.splitlines()[:-1]) if _HEADING.match(line)), "")
    return f"{passage.text}\n{passage.head}\n{header}\n{meta}\n{byline}\n{heading}"


def _label_only(text: str) -> bool:
    """`text` is a heading or a label line alone (`## Quoted from the draft agreement, clause 18.4`): it names a
    topic and says nothing of it."""
    return "\n" not in text.strip() and _HEADING.match(text.strip()) is not None


def _match_name(name: str, words: frozenset[str], person: str = "") -> bool:
    """`name` is in `words` in another form (`Nordviks`, `Hansen's`: one opens the other, at most two letters
    longer), or, a name of `person`, by another of that person's names (`Dieter` for `Dieter Brandt`)."""
    names = {n.casefold() for n in re.findall(r"[^\W\d_]{3,}", person)} | {name}
    return any(len(w) >= 4 and (n.startswith(w) or w.startswith(n)) and abs(len(w) - len(n)) <= 2
               for w in words for n in names) or bool(names & words)


_BYLINE = re.compile(r"(?i)^[\s>*#]*(?:author|from|to|prepared by|written by|notes|minutes|subject|re|title|fra|til|"
                     r"forfatter|skrevet av|utarbeidet av|referent|emne|tittel|von|an|verfasser|verfasst von|"
                     r"protokoll|betreff|titel)\W*:")
"""A document's line naming who wrote it, to whom, or on what (`**Author:** ...`, `Re: FlowSuite renewal`)."""
_HEADING = re.compile(r"^\s*(?:#+\s|\*\*[^*]+\*\*\W*$|[^\W\d_][^.!?]{0,80}:\s*$)")
"""A heading or a label line opening a section (`## 2. Make or buy`, `**Legal comments (H. Carter):**`)."""
_PERSON_NAME = re.compile(r"(?<![\w.])(?:[A-ZÆØÅÄÖÜ][^\W\d_]+|[A-Z]\.)(?:(?:[ \t]+|[ \t]*\n[ \t]*)"
                          r"(?:[A-ZÆØÅÄÖÜ][^\W\d_'’]+))+")
"""Two or more capitalised words in a row (`Graham Pugh`, `K. Lindqvist`): a person's name, where no post's words."""
_MESSAGE_START = re.compile(r"(?im)^[\s>]*(?:from|fra|von|från):")
_SUBJECT = re.compile(r"(?i)^[\s>*]*(?:subject|re|emne|ämne|betreff)\s*:\**\s*(.+)$")
_CALENDAR = re.compile(r"jan\w*|feb\w*|mar\w*|apr\w*|may|mai|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|okt\w*|nov\w*|"
                       r"dec\w*|des\w*|dez\w*|mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|man\w*|tir\w*|ons\w*|"
                       r"tor\w*|fre\w*|lør\w*|søn\w*|die\w*|mit\w*|don\w*|sam\w*")


def _held_by(text: str, sent: str) -> Held:
    """What a passage holds to check a statement's figures against: its numbers (written ones too) and dates,
    and the dates of the date line `sent` of its message (not its time: `10:14` is no figure of 14)."""
    return Held.of(f"{_number_words(text)}\n{_CLOCK.sub(' ', sent)}")


_CLOCK = re.compile(r"(?<![\w.:])\d{1,2}:\d{2}(?::\d{2})?(?:\s*[+-]\d{4})?(?![\w:])|(?<![\w])[+-]\d{4}(?![\w])")
"""A time of day and a time zone in a date line."""


def _figure_windows(text: str) -> list[tuple[object, str]]:
    """Every number (its readings) and date (a `Date`) of `text`, each with the words of its clause around it
    (` \x00 ` where the figure stands)."""
    spans: list[tuple[int, int, object, bool]] = [
        (m.start(), m.end(), number_readings(m.group(0))[0], True)
        for m in NUMBER.finditer(_uncoded(strip_dates(text)))]
    for match, month in date_matches(text):
        date = Date(month, int(match["day"]), int(match["year"]) if match.groupdict().get("year") else None)
        spans.append((match.start(), match.end(), date, False))
    found: list[tuple[object, str]] = []
    for start, end, value, number in sorted(spans, key=lambda s: s[0]):
        reach = ROLE_WINDOW if number else ROLE_WINDOW // 2
        left = _SENTENCE_END.split(text[max(0, start - ROLE_WINDOW):start])[-1]
        right = _SENTENCE_END.split(text[end:end + reach])[0]
        found.append((value, f"{left} \x00 {right}"))
    return found


_CURRENCY = re.compile(r"(?i)(?:\b(?:eur|usd|gbp|nok|sek|dkk|chf|pln|kr|kroner|euro|euros|dollars?|pounds?)\b"
                       r"|[€$£])")
_PERCENT = re.compile(r"(?i)^\s*(?:%|per ?cent|percentage|prosent|prozent)")


_BY = re.compile(r"(?i)(?<![\w])(?:by|no later than|not later than|innen|senest|ikke senere enn|spätestens)\W*$")


def _deadline(window: str) -> bool:
    """The figure of a figure window (`... \x00 ...`) is a deadline (`confirmed by 30 June`, `innen 1. mai`)."""
    return _BY.search(window.split(" \x00 ")[0]) is not None


def _kind(window: str) -> str | None:
    """What a number of a figure window (`... \x00 ...`) is: money (a currency beside it), a percentage, a period
    (`48 days`) or None (a plain count, a date, or nothing to tell)."""
    if " \x00 " not in window:
        return None
    left, right = window.split(" \x00 ", 1)
    if _PERCENT.match(right):
        return "percent"
    if _CURRENCY.search(left[-6:]) or _CURRENCY.match(right.lstrip()):
        return "money"
    period = next((name for name, pat in classes("PERIODS").items() if pat.match(right.lstrip())), None)
    return f"per {period}" if period else None


def _counted(text: str, value: object) -> str:
    """The words right after a number of `text` (what it counts: `23 local payment contracts`)."""
    if not isinstance(value, tuple):
        return ""
    for match in NUMBER.finditer(strip_dates(text)):
        readings = number_readings(match.group(0))
        if readings and any(same_number(a, b) for a in readings[0] for b in value):
            after = re.split(r"[,;.:()|]", text[match.end():match.end() + 40])[0]
            for period in classes("PERIODS").values():  # `a year` says when, not what is counted
                after = period.sub(" ", after)
            return " ".join(re.sub(r"(?i)(?<![\w])(?:a|an|per)(?![\w])", " ", after).split()[:COUNTED_WORDS])
    return ""


def _same_figure(a: object, b: object) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return any(same_number(x, y) for x in a for y in b)
    return not isinstance(a, tuple) and not isinstance(b, tuple) and a.same_day(b)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10_000 else f"{value:g}"


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return _number(value[-1])
    return f"{value.day:02d}-{value.month:02d}"


_SENTENCE_END = re.compile(r";|(?:(?<=[^\W\d_]{3})|(?<=[^\W\d_]{3}[)\x22\u201d]))[.!?]"
                           r"(?:\s+(?=[^\W\d_]*[A-ZÆØÅÄÖÜ])|$)|\|(?=[^|]*$)")
"""Where a figure's clause ends: a semicolon, a table cell, a sentence's full stop (not `Co. on`)."""
_REFERENCE = re.compile(r"(?im)(?<![\w])(?:clause|article|art\.|section|paragraph|item|no\.|nr\.|§|punkt|klausul|"
                        r"artikkel|avsnitt|kapittel|ziffer|abschnitt|artikel|kapitel|#)\s*(\d+(?:\.\d+)*)"
                        r"|^[\s>*]*(\d+(?:\.\d+)+)(?=\s+\**(?-i:[A-ZÆØÅÄÖÜ]))")
"""A reference's number: after `clause`, `Art.`, `§` ..., or the number opening a numbered article's line (`2.1 The
Contract Price is ...`)."""
_THEIR = re.compile(r"(?i)(?<![\w])(?:their|theirs|them|they|deres|dem|ihre\w*|sie)(?![\w])")
_SUBJECT_WORD = re.compile(r"(?i)we|you|they|he|she|it|i|vi|dere|de|han|hun|jeg|du|wir|sie|ihr|er|es|ich")
"""A pronoun that opens a clause of its own (where the noun a `without` qualifies ends)."""
_OBJECT_ARTICLE = re.compile(r"(?i)\s+(?:[^\W\d_]+\s+)?(?:the|den|det|dem|das|die|der)\s+")
"""What stands between `we` and a name it acts on (`wir das`, `wir auch das`, `we the`)."""
_OBJECT = re.compile(r"(?i)us|me|oss|meg|deg|uns|mich|mir|dich|dir|euch")
"""A person's pronoun as an object (`gave us`, `ga oss`): whom an act concerns, not who acts."""
_PRONOUN = re.compile(r"(?i)(?<![\w])(?:they|their|he|she|de|han|hun|sie|er)(?![\w])")
"""A third person acting (or owning: `their financial year`): the side named last before it in its clause (a
side or a person, not `we`); with none, `they` in a side's text is the other side."""
_THEY = re.compile(r"(?i)they|their|de")
_POSSESSIVE = re.compile(r"(?i)our|my|your|their|vår|vårt|våre|mitt|min|din|ditt|dine|deres|vores|unser\w*|mein\w*|"
                         r"dein\w*|euer\w*|eure\w*|ihre\w*")
"""An owner (`our contract`, `their largest client`): the actor only where it opens the clause's references."""
_MESSAGE = re.compile(r"(?i)[^\W\d_]+\s+(?:reply|replies|letter|e-?mail|message|answer|response|notice|offer|proposal|"
                      r"svar\w*|brev\w*|e-?post\w*|tilbud\w*|forslag\w*|antwort\w*|schreiben|brief\w*|mail\w*|"
                      r"angebot\w*|vorschlag\w*)\b")
"""An owner and the message it sent (`your reply of 11 March rejecting ...`): the owner is who acts through it."""
_THIRD_PERSON = re.compile(r"(?i)^(?:they|their|them|he|she|his|her|it|its|de|dem|han|hun|hans|hennes|sie|er)\b")


def _sentences(text: str) -> list[tuple[int, str]]:
    """A long passage (a PDF page, a long paragraph) as its sentences, each with its offset; a short one
    whole. A verdict reads one statement against one sentence, not against everything on a page. A table written
    as lines of cells (`Task | Owner | Due`) is read row by row, as a Markdown table is."""
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    if sum(1 for _, line in lines if _CELLS.search(line)) >= 2:
        return [(start + len(line) - len(line.lstrip()), line.strip()) for start, line in lines if line.strip()]
    if len(text) <= LONG_PASSAGE:
        return [(0, text)]
    parts, start = [], 0
    for end in re.finditer(r"(?<=[^\W\d_]{3}[.!?])\s+(?=[\"\u201c(]?[A-ZÆØÅÄÖÜ0-9])|\n\s*\n|\n(?=\s*[-*\u2022]|\s*\d+[.)] )",
                           text):
        if text[start:end.start()].strip():
            parts.append((start, text[start:end.start()].strip()))
        start = end.end()
    if text[start:].strip():
        parts.append((start, text[start:].strip()))
    return parts


@per_run
def _references(text: str) -> str:
    """`text` with the numbers of clause, article and item references blanked: they name, not count."""
    def blank(match: re.Match[str]) -> str:
        group = 1 if match.group(1) is not None else 2
        return match.group()[:match.start(group) - match.start()] + " " * len(match.group(group))
    return _REFERENCE.sub(blank, text)


_RANGE_GAP = re.compile(r"\s?(?:[^\W\d_]{1,8}\.?|%)?\s?(?:[\u2013\u2014-]|to|til|bis|and|og|und)\s?"
                        r"(?:[A-Z]{3}\s?|[€$£]\s?)?")
"""What stands between the two ends of a range (`0.8–1.2m`, `30–45%`, `12 to 18`, `NOK 6-8m`)."""


def _numbers_in_ranges(text: str, words: bool = False) -> list[tuple[int, tuple[float, ...], bool]]:
    """Each number of `text` (not a date's, a code's or a reference's) with where it starts and whether it is one
    end of a range: joined to the next by a dash (`0.8–1.2m`, `30–45%`), or, with `words` (a statement's), by
    `to`/`and` as well (a passage's `from 9.8m to 6.2m` is a change, not a range)."""
    spans = number_spans(_uncoded(_references(text)))
    ends: set[int] = set()
    for k in range(len(spans) - 1):
        gap = text[spans[k][1]:spans[k + 1][0]]
        if _RANGE_GAP.fullmatch(gap) and (words or re.search(r"[\u2013\u2014-]", gap)):
            ends.update((k, k + 1))
    return [(start, readings, k in ends) for k, (start, _, readings) in enumerate(spans)]


_FROM = re.compile(r"(?i)from|fra|från|von")


def _day_or_year(readings: tuple[float, ...]) -> bool:
    """A number that could be a date's day or year at its full scale (`15 days`; not `EUR 2 million`)."""
    return max(readings) <= 31 or 1900 <= max(readings) <= 2100


_JOINS = re.compile(r"(?i)that|and|or|but|because|while|at|og|eller|men|fordi|dass|daß|und|oder|aber|weil")
"""Words that open a clause or join two: a negation after one does not bear on the words before it."""


_CLAUSE_LINE = re.compile(r"\s*(?:§\s*)?\d+(?:\.\d+)+\.?\s+\S")
"""A numbered clause of an agreement (`4.1 Kunden bestiller ...`, `§ 3.2 ...`)."""
_MODAL = re.compile(r"(?i)must|shall|må|måste|skal|muss|müssen")
"""A request word that only says a thing must be done (no one asking for it)."""


_SECTION_THEIRS = re.compile(r"(?i)(?<![\w])(?:their|theirs|counterpart\w*|ihre|gegenseite|deres|motpart\w*)(?![\w])")
_SECTION_OURS = re.compile(r"(?i)(?<![\w])(?:our|ours|unsere?|vår|våre|vårt)(?![\w])")
"""A heading about the other side (`## Ihre Seite`, `Their interests`) or our own."""


def _referred(text: str) -> tuple[str, ...]:
    """The numbers of the clauses, articles and items `text` refers to by name (`clause 18.4`: `18.4`)."""
    return tuple(m.group(1) for m in _REFERENCE.finditer(text) if m.group(1))


@per_run
def _uncoded(text: str) -> str:
    """`text` with the numbers of codes (`BY-611`) blanked."""
    return _CODED.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


_CODED = re.compile(r"(?<![\w-])([A-ZÆØÅÄÖÜ]{1,3}-)(\d+)")
"""A code: one to three capitals, a hyphen and a number (`BY-611`)."""


def _subject(text: str) -> str:
    """The opening words of `text`'s main clause, where its actor stands (`Baltica Yard reduced`, `In
    PaySys's proposal, ...`): list markers, a short lead-in before a comma or a label before a colon left out.
    Empty when the clause opens with a third-person pronoun (who acts is not said there)."""
    text = re.sub(r"^[\s>*#|\-\d.)]+", "", text)
    head = re.match(r"([^,:]{0,60})[,:]\s+", text)
    if head and len(head.group(1).split()) <= 6:
        text = text[head.end():].lstrip("*")
    if _THIRD_PERSON.match(text):
        return ""
    return " ".join(text.split()[:SUBJECT_WORDS])


_LIST_ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+\**(?P<verb>[^\W\d_]+)")


def _past(verb: str) -> bool:
    """A past form of a verb: English -ed; Norwegian, Danish, Swedish -et/-te/-de and German -te after a consonant
    in a longer word (`godkjente`, `zahlte`; not `decide`, `quote`, `get`)."""
    word = verb.casefold()
    return word.endswith("ed") or (len(word) >= 6 and word[-2:] in ("et", "te", "de")
                                   and word[-3] not in "aeiouyæøåäöü")


def _only_to_do(acts: set[str], clause: str) -> bool:
    """Every verb of the statement's acts in `clause` is an infinitive (`to accept`, `å godta`, `zu zahlen`)."""
    found = [m for name in acts for m in classes("VERBS")[name].finditer(clause)]
    return bool(found) and all(re.search(r"(?i)(?:\bto|\bå|\bzu)\s+$", clause[:m.start()]) for m in found)


def _todo(clause: str) -> bool:
    """A list item that opens with a verb of an act in its bare form (`3. Propose ...`, `- Be om ...`): a to-do."""
    item = _LIST_ITEM.match(clause)
    if not item or not item["verb"][0].isupper():
        return False
    verb = item["verb"]
    return (any(p.fullmatch(verb) for p in classes("VERBS").values()) and not _past(verb)
            and not re.search(r"(?:s|ing|al|ion|ment)$", verb, re.IGNORECASE))


def _imperative(clause: str, verb: re.Match[str]) -> bool:
    """`verb` opens `clause`, a list item or what follows a label's colon in its bare form (`Ask for ...`,
    `- Be om ...`, `Next step: propose ...`): an instruction, the author's own."""
    before = clause[:verb.start()]
    opens = re.fullmatch(r"[\s>*#|\-\u2022\d.)]*", before) or re.search(r":\**\s*$", before)
    word = verb.group().split()[0]
    return bool(opens) and not _past(word) and not re.search(r"(?:s|ing)$", word, re.IGNORECASE)


def _instruction(clause: str) -> bool:
    """`clause` opens with an act's verb in its bare form (`Reject the claim, propose ... and accept ...`): what
    its author means to do, every act of it."""
    first = min((m for pat in classes("VERBS").values() for m in pat.finditer(clause)), key=lambda m: m.start(),
                default=None)
    return (first is not None and not re.search(r"\s", first.group()) and _imperative(clause, first)
            and not clause[first.end():first.end() + 1].isalpha())  # `we can`, `could we`: no instruction


def _done(statement: str) -> bool:
    """The statement says an act was done (a verb of an act in a past form, or a completed state)."""
    return pattern("COMPLETED").search(statement) is not None or any(
        _past(m.group()) and not _nominal(statement, m)
        for pat in classes("VERBS").values() for m in pat.finditer(statement))


def _first_act(statement: str) -> int | None:
    """Where the statement's first act (a verb of a class, not a noun) starts."""
    starts = [m.start() for name, pat in classes("VERBS").items() for m in pat.finditer(statement)
              if not _nominal(statement, m)]
    return min(starts) if starts else None


def _nominal(text: str, match: re.Match[str]) -> bool:
    """The verb-class word is used as a noun (`proposal`, `the offer`, `its approval`) or as the end of a compound
    (`buyer-requested changes`)."""
    return bool(re.search(r"(al|als|ion|ions|ment|ments|ure)$", match.group(), re.IGNORECASE)
                or text[max(0, match.start() - 1):match.start()] == "-"
                or re.search(r"(?i)(?:'s|\b(?:the|a|an|its|their|our|his|her|this|that))\s+$", text[:match.start()]))


def _acts(statement: str) -> set[str]:
    """The acts the statement ascribes (request, offer, approve ...): its verbs, not nouns such as
    `proposal`, `the offer`, `approval`, nor the infinitive of a purpose (`for the business case to hold`)."""
    return {name for name, pat in classes("VERBS").items()
            if any(not _nominal(statement, m) and not _purpose(statement, m) for m in pat.finditer(statement))}


def _purpose(text: str, match: re.Match[str]) -> bool:
    """The verb is the infinitive of a purpose or condition clause (`For X to hold`, `for at ... skal`)."""
    return re.search(r"(?i)(?:^|[,;]\s*)(?:for|um|in order)\b[^,;]*\b(?:to|å|zu)\s+$",
                     text[:match.start()]) is not None


def _match(stem: str, stems, compounds: bool = False) -> str:
    """The stem of `stems` that is `stem` or one form of it (`deliv`/`deliveri`), else `stem`. With `compounds`
    (a language that writes compounds as one word), also a compound that opens or ends with it or that it opens
    or ends with, each part five letters or more and the rest three (`leveran`/`leveransedato`,
    `frist`/`betalingsfrist`), or a compound whose parts open two words of `stems` (`driftsbudsjett`: `drift`,
    `budsjettramm`)."""
    if stem in stems or len(stem) < 5:  # the shorter of two forms has five letters or more
        return stem
    for end in range(max(5, len(stem) - 3), len(stem)):  # the forms it opens with sort first, the shortest first
        if stem[:end] in stems:
            return stem[:end]
    longer = [other for other in stems if len(other) - len(stem) <= 3 and other.startswith(stem)]
    if longer:
        return min(longer)
    if compounds:
        for other in sorted(stems):
            short, long = (stem, other) if len(stem) <= len(other) else (other, stem)
            if len(short) >= 5 and len(long) - len(short) >= 3 and (long.startswith(short)
                                                                     or long.endswith(short)):
                return other
        for head in sorted(stems):  # `driftsbudsjett` against `drift` and `budsjettramme`
            rest = stem[len(head):].lstrip("se") if len(head) >= 4 and stem.startswith(head) else ""
            if len(rest) >= 4 and any(o != head and (o.startswith(rest) or rest.startswith(o)) and len(o) >= 4
                                      for o in stems):
                return head
    return stem


def _shared(stems: set[str], others, compounds: bool = False) -> set[str]:
    """The stems of `stems` found in `others`, a stem matching a form of it that runs up to three letters
    longer (`deliv`, `deliveri`; not `state`, `statement`), or with `compounds` a compound of it."""
    return {s for s in stems if _match(s, others, compounds) in others}


_TABLE_RULE = re.compile(r"^[\s|:-]*-{3,}[\s|:-]*$")
_CELLS = re.compile(r"\S\s*\|\s*\S")


def _table_headers(doc: Document) -> list[str]:
    """For each unit of `doc`, the header row of the table it is a row of ("" outside a table and for the header
    itself): a row's cells are read with their columns' names (`| Steel ... | 2,400,000 |` under `| Item |
    Original claim (EUR) |`; a Word table's `Cap | 3% a year | 4% a year` under `Issue | Our position | ...`)."""
    headers, current = [], ""
    for unit in doc.units:
        text = unit.text
        if not _CELLS.search(text) and not _TABLE_RULE.match(text):
            current = ""
            headers.append("")
        elif not current:
            current = text
            headers.append("")
        else:
            headers.append(current)
    return headers


@dataclass(frozen=True)
class _Layout:
    """What the checker reads of a document's units once: its head (name and first lines), each unit's table
    header row (`_table_headers`) and where each unit ends in the document's text."""

    head: str
    headers: list[str]
    ends: list[int]
    subjects: list[str]
    """Each unit's e-mail subject line (its message's `Subject:`; "" outside e-mail)."""

    @classmethod
    def of(cls, doc: Document) -> _Layout:
        ends, pos, subjects = [], 0, []
        subject = doc.metadata.get("Subject", "")
        for unit in doc.units:
            ends.append(pos + len(unit.text))
            pos += len(unit.text) + 1
            if _MESSAGE_START.match(unit.text):
                subject = ""
            found = _SUBJECT.match(unit.text)
            subject = found.group(1) if found else subject
            subjects.append(subject)
        head = doc.name + "\n" + "\n".join([u.text for u in doc.units if u.text.strip()][:3])
        return cls(head, _table_headers(doc), ends, subjects)

    def unit_at(self, offset: int) -> int:
        """The unit holding character `offset` of the document's text (the newline after a unit is the unit's)."""
        return min(bisect.bisect_left(self.ends, offset), len(self.ends) - 1)


def _first_date(text: str) -> str:
    date = dates_in(text)[0]
    return f"{date.day:02d}-{date.month:02d}" + (f"-{date.year}" if date.year else "")


def check_claims(case: CaseMaterials, statements: Iterable[str], *, our_side: str = "", counterpart: str = "",
                 language: str = "", entail: Entail | None = None) -> list[ClaimCheck]:
    """Every statement checked against the case's materials."""
    checker = ClaimChecker(case, our_side=our_side, counterpart=counterpart, language=language, entail=entail)
    return [checker.check(s) for s in statements]


def check_claim(case: CaseMaterials, statement: str, **sides: str) -> ClaimCheck:
    """One statement checked against the case's materials."""
    return check_claims(case, [statement], **sides)[0]


__all__ = ["ClaimCheck", "ClaimChecker", "ClaimEvidence", "ClaimState", "check_claim", "check_claims"]
