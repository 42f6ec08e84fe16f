"""Rule-based cues in a user turn: threat, warning, open question, listening, process step (English wording).

A cross-check on the coach model: a weak model may call "if you don't, we will sue" a warning;
these rules catch the plain cases. A threat announces a harm we would inflict if they do not
comply (or an ultimatum); a warning names a consequence calmly, without making it our weapon.
"""

from __future__ import annotations

import re

from pipeline.rehearsal.schemas import Label

_THREAT = [re.compile(p, re.I) for p in (
    r"\bif [\w' ]{1,30}? (don'?t|doesn'?t|do not|does not|won'?t|will not|refuses?|can'?t|cannot|fails? to)\b[^.?!]*\b"
    r"(we|i)('ll| will| shall| are going to| am going to)\b",
    r"\b(or else|take it or leave it|last chance|final offer|final warning|you have no choice)\b",
    r"\b(we|i)('ll| will| shall| are going to) (have to )?(sue|terminate|cancel|walk away|drop you|replace you|"
    r"go to court|go public|take (you|this|it) to court|call (our|the) lawyers|blacklist|never)\b",
    r"\b(we|i)('ll| will| shall| are going to) [^.?!]{0,40}\b(lawyers?|court|legal action|press|regulators?)\b",
    r"\b(or|otherwise) we('ll| will)\b",
)]
_WARNING = [re.compile(p, re.I) for p in (
    r"\b(i'?m|i am|we'?re|we are) (concerned|worried|not sure)\b",
    r"\b(might|may|could) (have to|need to|not be able to)\b",
    r"\bthe risk (is|would be)\b",
    r"\bi (want|need|have) to be (transparent|open|honest|clear)\b",
    r"\b(our|the) (board|management|regulator|cfo|legal team) (may|might|will|would|won'?t|cannot|can'?t)\b",
    r"\b(can'?t|cannot) rule out\b",
    r"\bit (will|would) be (hard|difficult)\b",
    r"\bwe (may|might) not\b",
)]
_OPEN_QUESTION = re.compile(
    r"(^|[.!?]\s+|,\s*)(what|how|why|which|where|who|tell me|help me understand|walk me through|could you explain)\b"
    r"[^.?!]*\?", re.I)
_LISTENING = re.compile(
    r"\b(let me (summari[sz]e|check (that )?i understand)|if i understand (you )?(correctly|right)|so what i hear|"
    r"what i hear (is|you say)|you'?re saying|it sounds like|i hear (you|that))\b", re.I)
_PROCESS_STEP = [re.compile(p, re.I) for p in (
    r"\b(could|can|shall|should) we (agree|schedule|set up|meet|start|take|look|have|run|do|use|begin|put)\b",
    r"\bwould you be (open|willing|ready)\b",
    r"\b(next step|small step|first step|pilot|workshop|joint (review|session|team|workshop|visit)|"
    r"timeline|meet again|follow-up meeting|working group)\b",
    r"\blet'?s\b",
)]


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


def cross_check(model_labels: list[Label], rule_labels: list[Label]) -> list[Label]:
    """The coach's labels with the rules' added; a threat (either's) overrides a warning."""
    labels = list(dict.fromkeys([*model_labels, *rule_labels]))
    if "threat" in labels and "warning" in labels:
        labels.remove("warning")
    return labels
