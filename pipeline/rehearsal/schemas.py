"""Pydantic models of a rehearsal: the simulated counterpart, its standing, each turn, the review, the saved file.

`CounterpartLine`, `Coaching` and `ReviewNotes` are what the models write (bounded like the
report's schemas); the rest is built by the pipeline.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline.schemas import Dimension, Line, Model, Provenance, Short, text

Label = Literal["open_question", "listening", "closed_question", "warning", "threat", "process_step",
                "partial_alternative", "position"]
"""What a user turn does, in the method's terms."""
PrivateKind = Literal["pressure", "tomorrow_morning", "interest", "alternative", "concession"]
Stance = Literal["open", "guarded", "hardened"]
EndedBy = Literal["end", "max_turns", "interrupted"]


class PrivateItem(Model):
    """Something the counterpart knows and the user cannot see."""

    id: str
    kind: PrivateKind
    text: str


class Persona(Model):
    """The counterpart as the report describes them (built from the report, no model call)."""

    name: str
    organisation: str
    role: str = ""
    style: str = ""
    our_side: str
    language: str = ""
    facts: list[str] = Field(default_factory=list, description="the case as their side sees it")
    private: list[PrivateItem] = Field(default_factory=list)

    def transcript(self, turns: list[Turn], last: int | None = None, labels: bool = False) -> str:
        """The conversation so far as numbered lines (the `last` turns only, when given), with the
        coach's labels of each user turn when `labels`."""
        lines = []
        for t in turns[-last:] if last else turns:
            lines.append(f"[{t.number}] {self.our_side}: {t.user}")
            if labels:
                lines.append(f"    (coach: {', '.join(t.labels)})")
            lines.append(f"[{t.number}] {self.name}: {t.reply.reply}")
        return "\n".join(lines) or "(nothing said yet)"


class Standing(Model):
    """The counterpart's state, kept by the graph's rules (`pipeline/rehearsal/standing.py`), not by the model."""

    stance: Stance = "guarded"
    hardened_for: int = Field(0, description="replies after this one that stay hardened (after a threat)")
    earned: int = Field(0, description="private items the user has earned so far (in the persona's order of value)")
    revealed: list[str] = Field(default_factory=list, description="ids of the private items the replies disclosed")


class CounterpartLine(Model):
    """What the counterpart model writes: the reply, in character."""

    reply: text(600)


class CounterpartReply(Model):
    """The counterpart's answer to one user turn: the reply, the stance the graph gave it, the private
    item it disclosed (checked against its words)."""

    reply: str
    stance: Stance = Field(description="open when the user earned it, hardened after a threat")
    revealed: list[str] = Field(default_factory=list, description="ids of the private items this reply discloses")
    guard: str = Field("", description="why the first reply was rejected (echo, our side's voice), when it was")
    fallback: bool = Field(False, description="the reply is the graph's short in-character line")


class Coaching(Model):
    """The coach's reading of one user turn."""

    labels: list[Label] = Field(min_length=1, max_length=3)
    dimension: Dimension
    feedback: Short
    better: text(200, required=False) = Field("", description="a better phrasing, only where it helps")


class Turn(Model):
    """One exchange: the user's words, the counterpart's answer, the coach's labels, the checks."""

    number: int
    user: str
    reply: CounterpartReply
    coaching: Coaching
    labels: list[Label] = Field(description="the coach's labels, cross-checked by the rule-based cue detector")
    rule_labels: list[Label] = Field(default_factory=list, description="what the cue detector found")
    revealed: list[str] = Field(default_factory=list, description="private items the reply really discloses")
    unknown_numbers: list[str] = Field(default_factory=list, description="numbers in the reply found nowhere in the materials")

    def shown(self, coach_mode: str) -> dict:
        """The turn as the user sees it: without the coach's reading when coaching waits for the end."""
        return self.model_dump(mode="json", exclude={"coaching", "labels", "rule_labels"} if coach_mode == "end" else None)


class Retry(Model):
    turn: int = Field(ge=1)
    why: str
    better: str = ""


class ReviewNotes(Model):
    """The review agent's words: a summary of what the recorded events say."""

    summary: Line


class AgreedStep(Model):
    """A process step the user proposed and the counterpart's reply took up."""

    turn: int
    step: str


class Revealed(Model):
    item: PrivateItem
    turn: int


class NumberFlag(Model):
    turn: int
    number: str
    reply: str


class Review(Model):
    """The after-action review: the model's notes plus what the pipeline counted."""

    notes: ReviewNotes | None = None
    retry: list[Retry] = Field(default_factory=list, description="every threat, position-only or conceding turn")
    steps_agreed: list[AgreedStep] = Field(default_factory=list)
    revealed: list[Revealed] = Field(default_factory=list)
    hidden: list[PrivateItem] = Field(default_factory=list)
    moves_used: list[str] = Field(default_factory=list)
    moves_missed: list[str] = Field(default_factory=list)
    numbers: list[NumberFlag] = Field(default_factory=list, description="counterpart numbers not in the materials")


class Rehearsal(Model):
    """What `rehearsal-N.json` holds."""

    report: str
    case: str
    counterpart: Persona
    coach: Literal["turn", "end"] = "turn"
    ended_by: EndedBy = "end"
    turns: list[Turn] = Field(default_factory=list)
    review: Review
    provenance: Provenance

