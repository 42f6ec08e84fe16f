"""Find text in the case materials that reads like an instruction to the model (they are data, never
instructions).

A line is flagged when it matches a cue: an order to drop earlier instructions, a demand to reveal secrets
or to answer in a fixed way, a sentence addressed to an AI, a chat role label, or a chat-template token;
in English, Norwegian, Danish, Swedish, German and French. A cue must stand where an order to a reader
stands (start of a sentence, after "please"), so a contract clause ("the Provider shall ignore ...") or a
report of what someone said is not flagged. Two adjacent lines are also read joined (an order split
over a line break), and text a reader of the file cannot see (hidden Word runs, HTML comments of an
e-mail) is checked too: see `Document.hidden`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.case.documents import CaseMaterials, Document, Unit
from pipeline.schemas import FlaggedText

_SENTENCE_START = r"(?:^|(?<=[.!?:;,\"'(\[>*\u201c\u00ab\u2013\u2014-]))\s*"
_SOFTENER = r"(?:(?:please|now|then|just|simply|kindly|so|bitte|jetzt|nun|snälla|venligst|vennligst|maintenant)\b,?\s*)?"
_LEAD = _SENTENCE_START + _SOFTENER
"""Where an order to a reader starts: the line or a sentence, perhaps after "please" (not after "shall")."""

_DROP_VERB = (r"ignore|disregard|forget|override|bypass"
              r"|ignorer|glem|se bort fra|overse"                                          # no, da
              r"|ignorera|glöm|bortse från|strunta i"                                      # sv
              r"|ignoriere|ignorieren sie|vergiss|vergessen sie|missachte|missachten sie"  # de
              r"|ignorez|oubliez|ne tenez pas compte|ne tiens pas compte")                 # fr
_DETERMINER = (r"all|any|every|the|your|these|those|of|previous|prior|above|earlier|preceding|former|initial|original"
               r"|system|other|alle|dine|tidligere|forrige|foregående|ovenstående|ovennevnte|alla|dina|tidigare"
               r"|föregående|ovanstående|deine|ihre|bisherigen|vorherigen|vorigen|obigen|früheren|toutes|tous|les|des"
               r"|de|vos|tes|précédentes|antérieures")
_ORDERS = (r"instructions?|prompts?|directives?|system prompt|guidelines|instruksjoner|instrukser|instruktioner"
           r"|anvisninger|anvisningar|anweisungen|instruktionen|vorgaben|consignes")
_TOPIC = (r"regarding|about|concerning|on|in|of|for|to|re|om|angående|vedrørende|gällande|rörande|för|til|till"
          r"|zu|zur|zum|bezüglich|über|für|concernant|sur|pour|du")
"""A dropped instruction about something ("disregard the previous instructions regarding delivery") is
a person correcting an e-mail, not an attack on the model."""
_AI = (r"(?:ai|a\.i\.|llm|gpt|chatbot|language model|model|assistant|copilot|bot|ki|ia|kunstig intelligens"
       r"|künstliche intelligenz|sprachmodell|språkmodell|modell|modèle|assistent)")
_SECRET = (r"api[ _-]?(?:key|schlüssel|nøkkel|nøgle|nyckel)|clé api|system ?prompt|prompt système|systemprompten?"
           r"|(?:your|dein\w*|din|dit|ditt|votre|ton|ta) (?:password|passwort|passord|adgangskode|lösenord|mot de passe"
           r"|credentials|access token)")
_REVEAL = (r"reveal|print|show|output|send|share|tell|display|repeat|leak|vis|skriv ut|del|oppgi|visa|dela"
           r"|zeige|gib|verrate|nenne|sende|affiche[rz]?|révèle[rz]?|donne[rz]?|envoie[rz]?")
_FIXED_ANSWER = (r"(?:the word|(?:das|dem) wort|ordet|le mot|[\"'\u201c\u2018\u00ab]|(?:yes|no|ok|ja|nei|nej|oui|non)\b"
                 r"|(?-i:[A-ZÆØÅÄÖÜ]{3,})\b)")
_ANSWER_ONLY = (r"(?:\b(?:reply|respond|answer)\b.{0,20}\bonly with"
                r"|\bsvar(?:a)?\b.{0,15}\b(?:bare|kun|endast|bara|enbart) med"
                r"|\bantworte\w*\b.{0,20}\b(?:nur|ausschließlich) mit"
                r"|\bréponde?[sz]?\b.{0,20}\b(?:uniquement|seulement) (?:par|avec))\s+" + _FIXED_ANSWER)
_SPEECH = r"(?:state|say|conclude|recommend|tell|claim|report that|write that|(?:call|describe) (?:\w+ ){0,3}(?:as|fair|final|reasonable))"

CUES: dict[str, str] = {
    "an order to drop earlier instructions":
        rf"{_LEAD}(?:{_DROP_VERB})\s+(?:(?:{_DETERMINER})\s+){{1,4}}(?:{_ORDERS})\b(?!\s+(?:{_TOPIC})\b)"
        rf"|{_LEAD}(?:{_DROP_VERB})\s+(?:everything|all|anything) (?:above|before|so far|you (?:were|have been) told)\b"
        rf"|{_LEAD}(?:{_DROP_VERB})\s+the above(?:\s*[.,;:!]|\s+and\b|\s*$)",
    "a demand to reveal secrets": rf"{_LEAD}(?:{_REVEAL})\b.{{0,40}}\b(?:{_SECRET})",
    "a demand to answer in a fixed way": rf"{_LEAD}{_ANSWER_ONLY}",
    "text addressed to an AI":
        rf"\byou are now (?:an?|the|in) .{{0,30}}\b{_AI}\b|\bfrom now on,? you (?:are|will|must)\b"
        rf"|\bact as an?\b.{{0,30}}\b(?:assistant|ai|model)\b|\b(?:new|updated) instructions?\s*:"
        rf"|\bnote to (?:the |any |all )?{_AI}s?\b(?!\s+(?:team|group|project|vendor|department|lead))"
        rf"|\bif you are an? (?:\w+ )?{_AI}\b"
        rf"|\b{_AI}s?\b(?: [\w-]+){{0,3}} (?:reading|summari[sz]ing|processing|analy[sz]ing) (?:this|these)\b.{{0,60}}\b{_SPEECH}\b"
        rf"|\bin your (?:summary|analysis|output|brief)\b.{{0,30}}\b{_SPEECH}\b"
        r"|\bthe user has (?:authori[sz]ed|instructed|asked) you\b"
        rf"|\b(?:du er nå|du er nu|du är nu|du bist (?:jetzt|nun|ab sofort)|(?:tu es|vous êtes) (?:maintenant|désormais))\b.{{0,40}}{_AI}"
        r"|\b(?:nye|nya|neue|nouvelles) (?:instruksjoner|instruktioner|anweisungen|instructions|consignes)\s*:"
        rf"|\b(?:hvis|om|wenn|falls|si) (?:du|tu|vous) (?:er|är|bist|es|êtes) (?:en|ein|eine|une?) (?:[\w-]+ )?{_AI}\b"
        rf"|\b(?:hinweis|merknad|bemærkning|anmärkning|remarque) (?:an|til|till|à|pour) (?:die |den |l')?{_AI}\b",
    "a chat role label":
        r"^[\s>*_#-]*(?:system|assistant|assistent)\s*:.*\b(?:you|your|user|sure|certainly|understood|i will|i'll"
        r"|deg|dig|dich|dir|vous|brukeren|användaren|nutzer|l'utilisateur)\b"
        r"|(?-i:^[\s>*_#-]*(?:SYSTEM|ASSISTANT)\s*:\s*[a-zæøåäöüéè])"
        r"|^[\s>*_-]*#{2,}\s*(?:instruction|system|system prompt|response)\s*:|^[\s>*_-]*#{3}\s*instruction\b(?!s)",
    "a chat-template token":
        r"<\s*/?\s*(?:system|assistant|instructions?)\s*>|\[\s*/?\s*(?:system|inst)\s*\]|<<\s*/?\s*sys\s*>>"
        r"|<\|\s*(?:im_start|im_end|system|assistant|user)\s*\|>",
}
_WORDS: dict[str, tuple[str, ...]] = {
    "an order to drop earlier instructions": (
        "ignor", "disregard", "forget", "override", "bypass", "glem", "se bort fra", "overse", "glöm", "bortse från",
        "strunta i", "vergiss", "vergessen sie", "missacht", "oubliez", "ne tenez pas compte", "ne tiens pas compte"),
    "a demand to reveal secrets": ("api", "prompt", "passw", "passord", "adgangskode", "lösenord", "mot de passe",
                                   "credentials", "access token"),
    "a demand to answer in a fixed way": ("reply", "respond", "answer", "svar", "antworte", "répond"),
    "text addressed to an AI": (
        "you are now ", "from now on", "act as a", "instruction", "note to ", "if you are a", "ing th", "in your ",
        "the user has ", "du er n", "du är nu", "du bist ", "tu es ", "vous êtes ", "instruks", "instrukt",
        "anweisungen", "consignes", " du ", " tu ", " vous ", "hinweis ", "merknad ", "bemærkning ", "anmärkning ",
        "remarque "),
    "a chat role label": ("system", "assist", "##"),
    "a chat-template token": ("<", "["),
}
"""Words (lowercase) of which every match of a cue holds one: a text whose lowercase holds none of them is not
searched for the cue (the same answer, a cheaper search)."""
UNFOLDED = "\u0130\u0131\u017f\u1e9b"
"""Letters that the cues' case-insensitive matching equates with a letter other than their lowercase (`ı` and `İ`
with `i`, `ſ` with `s`): a text holding one is searched for every cue."""
_CUES = [(reason, _WORDS[reason], re.compile(pattern, re.I | re.M)) for reason, pattern in CUES.items()]
HIDDEN_REASON = "hidden text (white, tiny or hidden font) that a reader of the document cannot see"
MIN_HIDDEN_WORDS = 3
"""Hidden Word text this long is flagged whatever it says (a stray white space or digit is not)."""


def instruction_cue(text: str) -> str | None:
    """Why `text` reads like an instruction to the model, or None."""
    lowered = None if any(letter in text for letter in UNFOLDED) else text.lower()
    for reason, words, pattern in _CUES:
        if (lowered is None or any(word in lowered for word in words)) and pattern.search(text):
            return reason
    return None


Cue = Callable[[str], str | None]


class Cues:
    """`instruction_cue` with each text read once: a run's claim checker reads again most lines its ingest read."""

    def __init__(self):
        self._read: dict[str, str | None] = {}

    def __call__(self, text: str) -> str | None:
        if text not in self._read:
            self._read[text] = instruction_cue(text)
        return self._read[text]


def flag_instructions(case: CaseMaterials, cue: Cue = instruction_cue) -> list[FlaggedText]:
    """Every line, pair of lines or hidden text of the case that reads like an instruction to the model (`cue`
    tells why a text does)."""
    return [found for doc in case.documents for found in _flag_document(doc, cue)]


def _flag_document(doc: Document, cue: Cue) -> list[FlaggedText]:
    hidden = [f for f in (_flag_hidden(doc, unit, cue) for unit in doc.hidden) if f is not None]
    spans = {(f.units[0], f.span) for f in hidden if f.units}
    found = hidden + [f for f in (_flag_line(doc, i, [s for u, s in spans if u == i], cue)
                                  for i in range(len(doc.units))) if f is not None]
    flagged = {i for f in found for i in f.units}
    lines = [i for i, u in enumerate(doc.units) if u.text.strip() and i not in flagged]
    for first, second in zip(lines, lines[1:]):
        if second == first + 1 and not flagged & {first, second}:
            pair = _flag_pair(doc, first, second, cue)
            if pair is not None:
                flagged |= {first, second}
                found.append(pair)
    return sorted(found, key=lambda f: (f.units or [len(doc.units)])[0])


def _flag_line(doc: Document, index: int, hidden: list[str], cue: Cue) -> FlaggedText | None:
    """A line (page, paragraph) that reads like an instruction, its flagged hidden text left out."""
    unit = doc.units[index]
    visible = unit.text
    for span in hidden:
        visible = visible.replace(span, " ")
    reason = cue(visible)
    if reason is None:
        return None
    return FlaggedText(document=doc.name, locator=unit.locator, text=unit.text.strip(), units=[index], reason=reason)


def _flag_pair(doc: Document, first: int, second: int, cue: Cue) -> FlaggedText | None:
    """Two adjacent lines that read like an instruction only when joined."""
    a, b = doc.units[first], doc.units[second]
    reason = cue(f"{a.text.strip()} {_unquoted(b.text)}")
    if reason is None:
        return None
    return FlaggedText(document=doc.name, locator=_span_locator(a.locator, b.locator),
                       text=f"{a.text.strip()}\n{b.text.strip()}", units=[first, second],
                       reason=f"{reason}, split over two lines")


def _flag_hidden(doc: Document, hidden: Unit, cue: Cue) -> FlaggedText | None:
    """Text the reader does not see: a hidden Word run long enough to say something is flagged whatever it
    says; an HTML comment when it reads like an instruction."""
    invisible_run = hidden.locator.startswith(("paragraph", "table"))
    reason = cue(hidden.text) or (
        HIDDEN_REASON if invisible_run and len(hidden.text.split()) >= MIN_HIDDEN_WORDS else None)
    if reason is None:
        return None
    units = [i for i, u in enumerate(doc.units) if u.locator == hidden.locator and hidden.text in u.text]
    return FlaggedText(document=doc.name, locator=hidden.locator, text=hidden.text.strip(), units=units[:1],
                       span=hidden.text if units else "", reason=reason)


def _unquoted(text: str) -> str:
    """A continuation line without its e-mail quote marks."""
    return text.strip().lstrip(">").strip()


def _span_locator(first: str, second: str) -> str:
    a, b = first.rsplit(" ", 1), second.rsplit(" ", 1)
    if len(a) == len(b) == 2 and a[0] == b[0]:
        return f"{a[0]}s {a[1]}\u2013{b[1]}"
    return f"{first} \u2013 {second}"
