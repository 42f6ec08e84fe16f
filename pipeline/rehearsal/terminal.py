"""The rehearsal in a terminal: what the user sees at each interrupt, and where their turns come from."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError
from pipeline.rehearsal.schemas import Rehearsal

USER_PROMPT = "you> "


def _label(name: str) -> str:
    return name.replace("_", " ")


def exchange_lines(shown: dict) -> list[str]:
    """The last exchange (with the coach's reading when it is shown per turn), or the opening note."""
    last = shown.get("last")
    if not last:
        return [f"Rehearsal with {shown['speaker']} ({shown['organisation']}); you speak for {shown['our_side']}. "
                f"You open. {shown['end_command']} ends with a review, /quit pauses (continue with --resume), "
                "Ctrl-C ends and saves."]
    lines = [f"{shown['speaker']}: {last['reply']['reply']}"]
    if "coaching" in last:
        coaching = last["coaching"]
        lines.append(f"   coach: {', '.join(map(_label, last['labels']))} · {coaching['dimension']} "
                     f"\u2014 {coaching['feedback']}")
        if coaching.get("better"):
            lines.append(f"   try: {coaching['better']}")
    if last.get("unknown_numbers"):
        lines.append(f"   check: not in the materials: {', '.join(last['unknown_numbers'])}")
    return lines


class TerminalTurns:
    """The user's turns typed at the prompt; each exchange is printed once (an empty turn does not repeat it)."""

    def __init__(self):
        self.printed = 0

    def show(self, shown: dict) -> None:
        if shown["turn"] > self.printed:
            print("\n".join(exchange_lines(shown)), flush=True)
            self.printed = shown["turn"]

    def __call__(self, shown: dict) -> str | None:
        self.show(shown)
        try:
            return input(USER_PROMPT)
        except EOFError:
            return None


class ScriptTurns(TerminalTurns):
    """The user's turns from a file, one a line (blank lines are ignored by the graph). On a resumed
    rehearsal the turns already heard, and a `/quit` right after them, are skipped."""

    def __init__(self, path: Path, resume: bool = False):
        super().__init__()
        try:
            self.lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot read the script ({exc})") from None
        self.skip_heard = resume

    def _skip(self, heard: int) -> None:
        while self.lines and heard:
            line = self.lines.pop(0).strip()
            heard -= bool(line) and not line.startswith("/")
        while self.lines and self.lines[0].strip() in ("", "/quit"):
            self.lines.pop(0)

    def __call__(self, shown: dict) -> str | None:
        if self.skip_heard:
            self._skip(shown["turn"] - 1)
            self.skip_heard = False
        self.show(shown)
        if not self.lines:
            return None
        line = self.lines.pop(0)
        print(f"{USER_PROMPT}{line}", flush=True)
        return line


def review_lines(rehearsal: Rehearsal) -> list[str]:
    """The review in brief, for the end of the conversation."""
    review, lines = rehearsal.review, []
    if rehearsal.ended_by == "max_turns" and rehearsal.turns:
        lines += exchange_lines({"speaker": rehearsal.counterpart.name, "last": rehearsal.turns[-1].shown(rehearsal.coach)})
    lines.append(f"Review ({len(rehearsal.turns)} turns, ended by {_label(rehearsal.ended_by)}):")
    if review.notes:
        lines.append(f"  {review.notes.summary}")
    lines.append(f"  revealed {len(review.revealed)} of {len(review.revealed) + len(review.hidden)} private items; "
                 f"next moves used {len(review.moves_used)}, missed {len(review.moves_missed)}; "
                 f"steps agreed {len(review.steps_agreed)}")
    if review.retry:
        lines.append(f"  turns to try again: {', '.join(str(r.turn) for r in review.retry)}")
    if review.numbers:
        lines.append(f"  {len(review.numbers)} number(s) the counterpart stated are not in the materials")
    if rehearsal.coach == "end":
        lines += [f"  turn {t.number}: {', '.join(map(_label, t.labels))} \u2014 {t.coaching.feedback}"
                  for t in rehearsal.turns]
    return lines
