"""Advice a brief must not give: a step the materials show already done or due before the case's newest document
(stale), and a concession with nothing asked in return. Read by rules, in English, Norwegian and German words."""

from __future__ import annotations

import re

from pipeline.checks.claims import ClaimChecker
from pipeline.checks.quantities import Date, dates_in
from pipeline.schemas import ReportWarning

CONCEDE = re.compile(
    r"(?<![\w])(?:concede\w*|give in|give up|accept(?:ing)? (?:their|the counterpart'?s?|all|both)|agree to their|"
    r"drop (?:our|the) (?:demand|requirement|red line)|waive\w*|"
    r"innrømme\w*|gi etter|godta(?:r)? (?:deres|kravet|krav)|akseptere\w* (?:deres|kravet|krav)|frafalle\w*|"
    r"nachgeben|einräumen|akzeptieren (?:ihre|die Forderung)|verzichten)(?![\w])", re.IGNORECASE)
IN_RETURN = re.compile(
    r"(?<![\w])(?:in return|in exchange|against|only if|provided that|on condition|if they|for a|mot at|mot |"
    r"til gjengjeld|i bytte|bare hvis|forutsatt|im gegenzug|gegen|nur wenn|sofern|unter der bedingung)(?![\w])",
    re.IGNORECASE)
STALE_STATES = ("verified", "weak")


def concedes_for_nothing(text: str) -> bool:
    """Advice that gives the other side something and asks nothing back."""
    return CONCEDE.search(text) is not None and IN_RETURN.search(text) is None


def stale(text: str, checker: ClaimChecker, today: Date | None) -> bool:
    """A step the materials already plan or record with a date before `today` (the newest document's): the line
    the checker finds for it carries only earlier dates."""
    if today is None or today.year is None:
        return False
    result = checker.check(text)
    if result.state not in STALE_STATES or not result.evidence:
        return False
    found = [d for e in result.evidence[:1] for d in dates_in(e.text)]
    before = [(d.year or today.year, d.month, d.day) < (today.year, today.month, today.day) for d in found]
    return bool(before) and all(before)


CONCEDES = "concedes for nothing"
STALE = "already done or due before the newest document"
SMALL = "written by a model too small for advice (`model_prose` off)"
REASONS = {CONCEDES: "concedes", STALE: "stale", SMALL: "small"}
"""Why advice is left out, in English, and its key for the brief's language."""


def unwise(text: str, checker: ClaimChecker, today: Date | None) -> str:
    """Why a piece of advice is left out of the brief ('' when it stays)."""
    if concedes_for_nothing(text):
        return CONCEDES
    if stale(text, checker, today):
        return STALE
    return ""


def dropped_warning(counts: dict[str, int], where: str) -> ReportWarning | None:
    """One warning for the advice a section left out, by reason (None when nothing was); `where`: the section's
    name in English words."""
    if not counts:
        return None
    said = "; ".join(f"{n} {why}" for why, n in counts.items())
    return ReportWarning(code="left-out", message=f"advice left out of {where}: {said}", key="advice",
                         values={"where": where, "reasons": {REASONS[why]: n for why, n in counts.items()}})


def keep_wise(entries: list, text_of, checker: ClaimChecker, today: Date | None, counts: dict[str, int]) -> list:
    """`entries` without the unwise advice (`text_of(entry)` its text), each reason counted in `counts`."""
    kept = []
    for entry in entries:
        why = unwise(text_of(entry), checker, today)
        if why:
            counts[why] = counts.get(why, 0) + 1
        else:
            kept.append(entry)
    return kept
