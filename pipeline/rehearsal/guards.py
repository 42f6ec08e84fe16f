"""Checks on what the rehearsal's models write: a counterpart reply that echoes or speaks for our side, a
private item's substance in a reply, a "better phrasing" that hands the user's turn (or a threat) back.
"""

from __future__ import annotations

import re

from pipeline.checks.evidence import content_words, figures_held
from pipeline.checks.language_mix import foreign_in
from pipeline.checks.quantities import dates_in, number_readings, strip_dates
from pipeline.rehearsal.cues import is_threat
from pipeline.rehearsal.schemas import Persona, PrivateItem, Stance

ECHO_SHARE = 0.5
"""A reply sharing more than this share of its word trigrams with the user's turn or an earlier reply echoes it."""
LANGUAGE_MIN_WORDS = 6
"""Texts this long or longer are checked for the brief's language."""
WORD_SHARE = 0.5
"""Share of an item's key words a reply must hold to disclose it (at least two, or all when it has fewer)."""

FALLBACK: dict[str, dict[Stance, tuple[str, ...]]] = {
    "en": {"hardened": ("That does not change our position.", "Our offer stands as it is.",
                        "We have nothing to add to that."),
           "guarded": ("I hear you. Go on, I am listening.", "Noted. What else is on your side?",
                       "I understand. We will have to think about that."),
           "open": ("That is fair. Let us keep talking about it.", "Good, that helps us both.",
                    "I appreciate that. Let us look at it together.")},
    "no": {"hardened": ("Det endrer ikke vår posisjon.", "Tilbudet vårt står ved lag.",
                        "Vi har ikke noe å legge til."),
           "guarded": ("Jeg hører hva du sier. Fortsett.", "Notert. Hva mer er viktig for dere?",
                       "Jeg forstår. Det må vi tenke over."),
           "open": ("Det er rimelig. La oss snakke videre om det.", "Bra, det hjelper oss begge.",
                    "Takk for det. La oss se på det sammen.")},
}
_LANGUAGES = {"nb": "no", "nn": "no"}


def language_code(code: str) -> str:
    """The two-letter code the fixed wordings are kept under (Norwegian Bokmål and Nynorsk as `no`)."""
    code = (code or "en").strip().lower()[:2]
    return _LANGUAGES.get(code, code)


def fallback_line(stance: Stance, language: str, earlier: list[str] = ()) -> str:
    """The short in-character line that replaces a reply rejected twice: the first of the stance's lines
    not said before."""
    lines = FALLBACK.get(language_code(language), FALLBACK["en"])[stance]
    return next((line for line in lines if line not in earlier), lines[len(earlier) % len(lines)])


def without_speaker_label(reply: str, persona: Persona) -> str:
    """The reply without a leading "Name:" label, which a small model copies from the transcript it reads."""
    text = reply.lstrip()
    for speaker in filter(None, (persona.name, persona.organisation)):
        if text.casefold().startswith(f"{speaker.casefold()}:"):
            return text[len(speaker) + 1:].lstrip()
    return text


FEEDBACK: dict[str, dict[str, str]] = {
    "en": {"open_question": "An open question: it invites them to explain their side.",
           "listening": "Listening: it shows them they were heard before you move on.",
           "closed_question": "A closed question: it gets a yes or a no, not their reasons.",
           "warning": "A calm warning: it makes a shared risk visible without using it as a weapon.",
           "threat": "A threat: it makes them defend their old position.",
           "process_step": "A small process step they can say yes to.",
           "partial_alternative": "A partial alternative: it shows you are not wholly dependent on them.",
           "position": "A position: it states a demand and invites them to repeat theirs."},
    "no": {"open_question": "Et åpent spørsmål: det inviterer dem til å forklare sin side.",
           "listening": "Lytting: det viser at du har hørt dem før du går videre.",
           "closed_question": "Et lukket spørsmål: det gir ja eller nei, ikke begrunnelsene deres.",
           "warning": "En rolig advarsel: den viser en felles risiko uten å bruke den som våpen.",
           "threat": "En trussel: den får dem til å forsvare sin gamle posisjon.",
           "process_step": "Et lite prosess-steg de kan si ja til.",
           "partial_alternative": "Et delalternativ: det viser at dere ikke er helt avhengige av dem.",
           "position": "En posisjon: den stiller et krav og inviterer dem til å gjenta sitt."},
}


def checked_feedback(feedback: str, user: str, label: str, language: str) -> str:
    """The coach's feedback, or the method's line for the turn's first label when it repeats the turn, holds a
    threat cue (it would hand the threat back) or is written in another language than the brief's."""
    if echoes(feedback, user) or echoes(user, feedback) or is_threat(feedback) or foreign(feedback, language):
        return FEEDBACK.get(language_code(language), FEEDBACK["en"])[label]
    return feedback


def trigrams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def echo_share(text: str, other: str) -> float:
    """Share of `text`'s word trigrams that `other` holds."""
    own = trigrams(text)
    return len(own & trigrams(other)) / len(own) if own else 0.0


def echoes(text: str, other: str) -> bool:
    folded = " ".join(text.casefold().split())
    return echo_share(text, other) > ECHO_SHARE or (len(folded) > 20 and folded in " ".join(other.casefold().split()))


def speaks_for_us(reply: str, persona: Persona) -> bool:
    """The reply speaks as our side ("we at TelCo", "you at PaySys") or as the consultant."""
    ours, theirs = re.escape(persona.our_side), re.escape(persona.organisation)
    patterns = [rf"^\W*{ours}\s*:", rf"\b(we|us)( at| in| from|,)? {ours}\b", rf"\b(as|for) {ours},? (we|i)\b",
                rf"\b(you|your people)( at| in)? {theirs}\b", r"\bas (a|your|the) (consultant|coach|assistant)\b",
                rf"\b(vi|oss)( i| på| hos|,)? {ours}\b", rf"\b(dere)( i| på| hos) {theirs}\b"]
    return bool(ours and theirs) and any(re.search(p, reply, re.I) for p in patterns)


def foreign(text: str, language: str) -> bool:
    """A detector is sure `text` is written in another language than the brief's."""
    return bool(language) and bool(foreign_in(text, language, LANGUAGE_MIN_WORDS))


def rejection(reply: str, user: str, earlier: list[str], persona: Persona) -> str:
    """Why a counterpart reply cannot stand (empty when it can): it echoes the user's turn or an earlier
    reply, speaks for our side, or is written in another language than the brief's."""
    if echoes(reply, user):
        return "it repeats the user's words back to them"
    if any(echoes(reply, e) for e in earlier):
        return "it repeats one of your earlier replies"
    if speaks_for_us(reply, persona):
        return f"it speaks for {persona.our_side}, not for {persona.organisation}"
    if foreign(reply, persona.language):
        return "it is not written in the language of the conversation"
    return ""


def _figure_ids(text: str) -> set[str]:
    return {f"d{i}" for i in range(len(dates_in(text)))} | {f"n{i}" for i in range(len(number_readings(strip_dates(text))))}


def substance(item: PrivateItem, public: str, names: list[str]) -> tuple[set[str], set[str]]:
    """What disclosing `item` means: its figures and key words that the public facts (`public`) do not
    hold, party names left out (all its key words when the public facts hold every one)."""
    figures = _figure_ids(item.text) - figures_held(item.text, public)
    named = set().union(*(content_words(n) for n in names)) if names else set()
    words = content_words(item.text) - named
    return figures, (words - content_words(public)) or words


def discloses(item: PrivateItem, reply: str, public: str, names: list[str]) -> bool:
    """The reply holds the item's substance: one of its own figures, or enough of its own key words."""
    figures, words = substance(item, public, names)
    if figures & figures_held(item.text, reply):
        return True
    held = words & content_words(reply)
    return bool(words) and len(held) >= min(2, len(words)) and len(held) / len(words) >= WORD_SHARE


MIN_BETTER_WORDS = 3


def checked_better(better: str, user: str, previous: str = "", language: str = "") -> str:
    """The coach's better phrasing without stray prompt tags, or "" when it is the user's turn again (or
    mostly), the counterpart's last reply, a fragment, holds a threat cue or is written in another language
    than the brief's."""
    text = re.sub(r"</?turn>", "", better).strip()
    text = re.sub(r"^(turn|better)\s*:\s*", "", text, flags=re.I).strip().strip('"“”').strip()
    if (len(text.split()) < MIN_BETTER_WORDS or echoes(text, user) or echoes(user, text) or is_threat(text)
            or (previous and echoes(text, previous)) or foreign(text, language)):
        return ""
    return text
