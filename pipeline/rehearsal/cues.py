"""Rule-based cues in a user turn (English and Norwegian wording): threat, warning, open question,
listening, process step; and a turn that concedes.

The rules are sure of the plain cases; a weak coach model is not (it calls "if you don't, we will sue"
a warning). A threat announces a harm we would inflict if they do not comply (or an ultimatum); a
warning names a consequence calmly, without making it our weapon.
"""

from __future__ import annotations

import re

from pipeline.rehearsal.schemas import Label


def _all(*patterns: str) -> list[re.Pattern]:
    return [re.compile(p, re.I) for p in patterns]


_THREAT = _all(
    r"\bif [\w' ]{1,30}? (don'?t|doesn'?t|do not|does not|won'?t|will not|refuses?|can'?t|cannot|fails? to)\b[^.?!]*\b"
    r"(we|i)('ll| will| shall| are going to| am going to)\b",
    r"\b(or else|take it or leave it|last chance|final offer|final warning|you have no choice)\b",
    r"\b(we|i)('ll| will| shall| are going to) (have to )?(sue|terminate|cancel|walk away|drop you|replace you|"
    r"go to court|go public|take (you|this|it) to court|call (our|the) lawyers|blacklist|never)\b",
    r"\b(we|i)('ll| will| shall| are going to) [^.?!]{0,40}\b(lawyers?|court|legal action|press|regulators?)\b",
    r"\b(or|otherwise) we('ll| will)\b",
    # Norwegian
    r"\bhvis (dere|du|de) ikke\b[^.?!]*\b(vil|skal|kommer) (vi|jeg)\b",
    r"\b(ellers|hvis ikke) (vil|skal|kommer) (vi|jeg)\b",
    r"\b(ta det eller la det|siste sjanse|siste tilbud|dere har ikke noe valg)\b",
    r"\b(vi|jeg) (vil|skal|kommer til å) [^.?!]{0,40}\b(saksøke|retten|rettssak|advokat\w*|heve (avtalen|kontrakten)|"
    r"si opp (avtalen|kontrakten)|pressen|svarteliste)\b",
    r"\bdere (vil |kommer til å )?miste (kontrakten|avtalen|oppdraget|kunden)\b",
)
_WARNING = _all(
    r"\b(i'?m|i am|we'?re|we are) (concerned|worried|not sure)\b",
    r"\b(might|may|could) (have to|need to|not be able to)\b",
    r"\bthe risk (is|would be)\b",
    r"\ba risk (we|that we) (both|all)\b",
    r"\bi (want|need|have) to be (transparent|open|honest|clear)\b",
    r"\b(our|the) (board|management|regulator|cfo|legal team) (may|might|will|would|won'?t|cannot|can'?t)\b",
    r"\b(can'?t|cannot) rule out\b",
    r"\bit (will|would) be (hard|difficult)\b",
    r"\bwe (may|might) not\b",
    # Norwegian
    r"\b(jeg|vi) er (bekymret|urolig|usikker|usikre)\b",
    r"\b(jeg|vi) (vil|må) være (åpen|åpne|ærlig|ærlige|tydelig|tydelige)\b",
    r"\ben risiko (vi|som vi) (begge|alle)\b",
    r"\brisikoen er\b",
    r"\b(styret|ledelsen|økonomidirektøren) (kan|vil|kommer til å) (ikke|neppe)\b",
    r"\bkan ikke utelukke\b",
    r"\bdet (vil|kan) bli (vanskelig|krevende)\b",
)
_OPEN_QUESTION = re.compile(
    r"(^|[.!?:]\s+|,\s*)(what|how|why|which|where|who|tell me|help me understand|walk me through|could you explain|"
    r"hva|hvordan|hvorfor|hvilke|hvilken|hvilket|hvor|fortell|hjelp meg å forstå|kan du forklare)\b[^.?!]*\?", re.I)
_LISTENING = re.compile(
    r"\b(let me (summari[sz]e|check (that )?i understand)|if i understand (you )?(correctly|right)|so what i hear|"
    r"what i hear (is|you say)|you'?re saying|it sounds like|i hear (you|that)|"
    r"la meg oppsummere|hvis jeg forstår (deg|dere) riktig|(så )?det jeg hører|du sier at|dere sier at|"
    r"det høres ut som)\b", re.I)
_PROCESS_STEP = _all(
    r"\b(could|can|shall|should) we (agree|schedule|set up|meet|start|take|look|have|run|do|use|begin|put)\b",
    r"\bwould you be (open|willing|ready)\b",
    r"\b(next step|small step|first step|pilot|workshop|joint (review|session|team|workshop|visit)|"
    r"timeline|meet again|follow-up meeting|working group)\b",
    r"\blet'?s\b",
    r"\b(kan|skal|bør) vi (avtale|sette opp|møtes|starte|ta|se på|begynne|gjøre)\b",
    r"\b(neste steg|lite steg|første steg|arbeidsmøte|felles gjennomgang|møtes igjen|oppfølgingsmøte|"
    r"arbeidsgruppe)\b",
    r"\bla oss\b",
)
_CONCEDING = _all(
    r"\b(we|i) (can|could|will) (accept|agree to|drop|give up|waive|pay) (your|the|that|it|this)\b",
    r"\b(we|i) accept (your|the|that)\b",
    r"\bfine,? we('ll| will) (pay|accept|drop)\b",
    r"\b(vi|jeg) (kan|vil|skal) (godta|akseptere|frafalle|betale) (kravet|prisen|det|dette|økningen)\b",
    r"\b(vi|jeg) godtar\b",
)


def cue_labels(turn: str) -> list[Label]:
    """The labels the rules find in `turn`; a threat excludes a warning."""
    found: list[Label] = []
    if any(p.search(turn) for p in _THREAT):
        found.append("threat")
    elif any(p.search(turn) for p in _WARNING):
        found.append("warning")
    if _OPEN_QUESTION.search(turn):
        found.append("open_question")
    if _LISTENING.search(turn):
        found.append("listening")
    if any(p.search(turn) for p in _PROCESS_STEP):
        found.append("process_step")
    return found


def is_threat(text: str) -> bool:
    return any(p.search(text) for p in _THREAT)


def concedes(turn: str) -> bool:
    """The turn gives in to their demand (a concession with nothing asked in return)."""
    return any(p.search(turn) for p in _CONCEDING)


def cross_check(model_labels: list[Label], rule_labels: list[Label]) -> list[Label]:
    """The turn's labels: the rules' where they found any (they are sure of what they find), else the coach
    model's, a threat overriding a warning."""
    labels = list(rule_labels) or list(dict.fromkeys(model_labels))
    if "threat" in labels and "warning" in labels:
        labels.remove("warning")
    return labels
