"""The review's lists, computed from the recorded turns: the turns to try again, the brief's moves used,
the process steps both sides' turns hold, and whether a summary contradicts them."""

from __future__ import annotations

import re

from pipeline.checks.evidence import content_words
from pipeline.rehearsal.cues import concedes
from pipeline.rehearsal.guards import language_code
from pipeline.rehearsal.schemas import AgreedStep, Retry, Turn

CLAUSE_SHARE = 0.6
"""Share of a clause's key words a turn must hold to contain it."""
_PROCESS_WORDS = content_words("agree agreed small next step steps could would propose suggest "
                               "avtale avtaler neste steg lite små foreslå foreslår")
_NEGATION = re.compile(r"\b(not|cannot|can't|won't|never|no|ikke|aldri|nei)\b", re.I)
_GLOWING = re.compile(r"\b(productive|successful|constructive|smooth|went well|excellent|great|positive|"
                      r"produktiv\w*|vellykket|konstruktiv\w*|gikk (godt|bra)|positiv\w*)\b", re.I)

WHY: dict[str, dict[str, str]] = {
    "en": {"threat": "A threat: it hardened them and closed the conversation.",
           "position": "A position only: it gives them nothing to answer but no.",
           "concession": "A concession with nothing asked in return.",
           "warning": "Try a calm warning from the brief instead: "},
    "no": {"threat": "En trussel: den gjorde motparten steilere og lukket samtalen.",
           "position": "Bare en posisjon: den gir motparten ikke noe å svare på annet enn nei.",
           "concession": "En innrømmelse uten at du ba om noe tilbake.",
           "warning": "Prøv heller en rolig advarsel fra briefen: "},
}


def key_words(text: str, names: frozenset[str] = frozenset()) -> set[str]:
    """A clause's meaning-bearing words (cut to five letters) and its figures, party names left out."""
    return (content_words(text) - names) | set(re.findall(r"\d+(?:[.,]\d+)?", text))


def clauses(text: str, names: frozenset[str] = frozenset()) -> list[tuple[str, set[str]]]:
    """The text cut at punctuation and "and"/"og", with each part's key words; a part with one key word joins
    the part before it, a part of process words only ("could we agree on a small next step") is left out."""
    parts: list[tuple[str, set[str]]] = []
    for raw in re.split(r"[,;:?!]|\.(?!\d)|\b(?:and|og)\b", text):
        part, words = raw.strip(), key_words(raw, names) - _PROCESS_WORDS
        if not words:
            continue
        if len(words) == 1 and parts:
            parts[-1] = (f"{parts[-1][0]} and {part}", parts[-1][1] | words)
        else:
            parts.append((part, words))
    return [(p, w) for p, w in parts if len(w) >= 2]


def holds(words: set[str], text: str, names: frozenset[str] = frozenset()) -> bool:
    return bool(words) and len(words & key_words(text, names)) / len(words) >= CLAUSE_SHARE


def moves_used(turns: list[Turn], moves: dict[str, str], names: frozenset[str]) -> list[str]:
    """The ids of the brief's moves one of whose clauses a user turn holds."""
    return [i for i, move in moves.items()
            if any(holds(words, t.user, names) for _, words in clauses(move, names) for t in turns)]


def steps_agreed(turns: list[Turn], names: frozenset[str]) -> list[AgreedStep]:
    """The clauses of the user's process steps that the counterpart takes up without a "no" in its reply to
    the step or the next: the replies' sentence holding most of the clause's key words holds enough of them
    and no negation."""
    agreed = []
    for n, turn in enumerate(turns):
        if "process_step" not in turn.labels:
            continue
        replies = [t.reply.reply for t in turns[n:n + 2] if not t.reply.fallback]
        sentences = [s for r in replies for s in re.split(r"(?<=[.!?])\s+", r) if s.strip()]
        for part, words in clauses(turn.user, names):
            best = max(sentences, key=lambda s: len(words & key_words(s, names)), default="")
            if holds(words, best, names) and not _NEGATION.search(best):
                agreed.append(AgreedStep(turn=turn.number, step=part))
    return agreed


def retries(turns: list[Turn], language: str, warnings: list[str]) -> list[Retry]:
    """Every threat, position-only or conceding turn, why, and the coach's better phrasing (for a threat
    without one, a calm warning from the brief)."""
    why = WHY.get(language_code(language), WHY["en"])
    found = []
    for turn in turns:
        reason = ("threat" if "threat" in turn.labels else "concession" if concedes(turn.user)
                  else "position" if set(turn.labels) <= {"position", "closed_question"} else "")
        if not reason:
            continue
        better = turn.coaching.better
        text = why[reason]
        if reason == "threat" and not better and warnings:
            text, better = f"{text} {why['warning']}", warnings[0]
        found.append(Retry(turn=turn.number, why=text, better=better))
    return found


def contradicts(summary: str, retry: list[Retry]) -> bool:
    """A summary that calls the rehearsal a success when turns need trying again."""
    return bool(retry) and bool(_GLOWING.search(summary))


def plain_summary(turns: list[Turn], language: str, revealed: list[tuple[str, int]], retry: list[Retry],
                  steps: list[AgreedStep], organisation: str) -> str:
    """The summary the events say, for when the model's contradicts them."""
    hardened = [t.number for t in turns if t.reply.stance == "hardened"]
    if language_code(language) == "no":
        return (f"{len(turns)} runder. {organisation} delte {len(revealed)} private opplysning(er)"
                f"{' (runde ' + ', '.join(str(n) for _, n in revealed) + ')' if revealed else ''}"
                f"{'; steilt svar i runde ' + ', '.join(map(str, hardened)) if hardened else ''}. "
                f"Avtalte steg: {len(steps)}. Runder å prøve igjen: {', '.join(str(r.turn) for r in retry) or 'ingen'}.")
    return (f"{len(turns)} turns. {organisation} disclosed {len(revealed)} private item(s)"
            f"{' (turn ' + ', '.join(str(n) for _, n in revealed) + ')' if revealed else ''}"
            f"{'; hardened in turn ' + ', '.join(map(str, hardened)) if hardened else ''}. "
            f"Steps agreed: {len(steps)}. Turns to try again: {', '.join(str(r.turn) for r in retry) or 'none'}.")

