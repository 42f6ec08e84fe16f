"""Our own notes' lines sorted by what they do for the first page, by rules: our position (limits, mandate, red
lines), our alternatives, the counterpart's situation, the ideas for a trade, the steps already agreed and the open
questions. A line goes where its heading puts it (`## Actions`, `## Uavklart`, `## Optionen`), else where its
words point; each line once, as written (a quote, never a paraphrase)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.brief.facts import Source, key
from pipeline.case.documents import CaseMaterials, Document
from pipeline.checks.quantities import Date, date_spans
from pipeline.case.notes import LIST_MARK, MIN_WORDS, SENTENCE, notes_in, plain_line as _plain

ROLES = ("position", "alternatives", "their_side", "levers", "agreed", "open")
PAST = "past"
"""The steps whose dates all lie before the newest message: done or overdue, not to be shown as ahead."""
HEADINGS = {
    "agreed": r"actions?|decisions?|next steps?|to ?do|follow-?ups?|agreed|recommendations?|recommended|"
              r"tiltak|oppfølging|vedtak|oppgaver?|neste steg|anbefaling\w*|"
              r"maßnahmen|aufgaben|nächste schritte|beschlüsse|vereinbart|empfehlung\w*",
    "open": r"open (?:questions?|points?|issues?)|unknowns?|unclear|questions|(?:what )?we don'?t know|"
            r"what we do not know|uavklart|åpne spørsmål|ukjent|spørsmål|vet ikke|offene (?:fragen|punkte)|"
            r"unklar\w*|fragen",
    "their_side": r"their (?:side|situation|reading|needs?|position)|(?:the )?counterpart\w*|what \w+ needs|"
                  r"\w+'s side|leverandørens|motpartens|deres (?:side|situasjon)|gegenseite|ihre (?:seite|lage)",
    "alternatives": r"alternatives?|plan b|fallbacks?|batna|make or buy|build or buy|alternativ(?:er|e|en)?",
    "position": r"limits?|mandates?|constraints?|red lines?|budget|our position|requirements?|"
                r"rammer|mandat|grenser?|krav|våre behov|grenzen|rahmen|vorgaben",
    "levers": r"ideas?|trades?|levers?|approach|strategy|proposals?|tactics?|options discussed|"
              r"tilnærming|forslag|ideer|bytte|forhandlingsopplegg|strategi|strategie|ideen|vorschläge?|hebel|ansatz",
}
CUES = {
    "position": r"red line|must|must not|cannot|can't|will not|won't|non-negotiable|not negotiable|mandate|"
                r"approv\w*|authori[sz]\w*|budget\w*|ceiling|at most|at or below|walk[- ]?away|target|"
                r"regulat\w*|complian\w*|consent|"
                r"rød linje|må|kan ikke|ufravikelig|mandat|godkjen\w*|budsjett\w*|tak|høyst|grense|regelverk\w*|"
                r"samtykke|rote linie|muss|müssen|darf nicht|nicht verhandelbar|genehmig\w*|obergrenze|höchstens|"
                r"vorschrift\w*|zustimm\w*",
    "alternatives": r"alternative\w*|plan b|fallback|batna|in-house|second (?:supplier|integrator|provider|vendor)|"
                    r"other (?:supplier|provider|vendor|landlord|site|yard)|switch\w*|rfis?|tender\w*|relocat\w*|"
                    r"charter\w*|competitor\w*|arbitrat\w*|litigat\w*|court|lawsuit|"
                    r"alternativ\w*|bytte\w*|annen leverandør|egen drift|anbud\w*|konkurranse\w*|konkurrent\w*|"
                    r"voldgift\w*|søksmål\w*|domstol\w*|schiedsverfahren|schiedsgericht\w*|klage\w*|"
                    r"anderer anbieter|eigenbetrieb|ausschreibung\w*|wechsel\w*|wettbewerb\w*",
    "their_side": r"year-?end|quarter|listing|ipo|reference|logo|flagship|capacity|cash|liquidity|needs?|"
                  r"asks?|asked|demand\w*|claim\w*|offer\w*|krev\w*|krav|tilbud\w*|forder\w*|angebot\w*|"
                  r"depend\w*|pressure|slot|launch|investor\w*|lender|late|"
                  r"årsslutt|kvartal|børs\w*|referanse\w*|kapasitet|likviditet|trenger|behov|avhengig\w*|press|"
                  r"jahresende|quartal|börse\w*|referenz\w*|kapazität|liquidität|braucht|bedarf|abhängig\w*|druck",
    "open": r"unknown|unclear|not known|do not know|don't know|to be confirmed|tbc|tbd|find out|"
            r"ukjent|uklart|vet ikke|avklar\w*|unbekannt|unklar|wissen nicht",
}
CAPS = {"position": 4, "alternatives": 3, "their_side": 3, "levers": 3, "agreed": 3, "open": 3}
LABEL = re.compile(r"^\s*([^\W\d][\w ]{1,20}):\s+\S")
"""A line's own label (`Action: …`, `Agreed: …`, `Uavklart: …`), read like a heading for the line."""
THEY = r"they|their|them|de|deres|dem|sie|ihre?\w*"
"""Words that name the counterpart without its name, at a line's start."""
GO_ON = re.compile(r"(?<![\w])(?:hold(?:s|ing)? over|holdover|extend\w*|renew\w*|prolong\w*|forleng\w*|fornye\w*|"
                   r"opsjon\w*|verlänger\w*|option\w*)(?![\w])", re.IGNORECASE)
"""Words of going on under the contract without a new deal: extend, renew, hold over, an option."""
OURS = re.compile(r"(?:we|our|us|vi|vår\w*|oss|wir|unser\w*)(?![\w])", re.IGNORECASE)
"""A sentence that opens with our side's first person speaks of us."""
STRUCTURAL = ("agreed", "open")
"""Roles a line's own label gives it whatever its heading (`Action: …` under `## Options`)."""
HEADING = re.compile(r"^\s*(?:#{1,6}\s*(.+?)\s*#*|\*\*([^*]{2,60})\*\*:?|([^\W\d][^.|:]{1,50}):|"
                     r"([A-ZÆØÅÄÖÜ][A-ZÆØÅÄÖÜ &/–-]{3,50}))\s*$")
"""A heading of our notes: Markdown, bold, a label ending in a colon, or a plain-text line in capitals (`VÅRE RAMMER`)."""


@dataclass(frozen=True)
class NoteLine:
    """A line of our notes, cleaned of list and emphasis marks, with its role and the dates it holds."""

    role: str
    text: str
    source: Source
    dates: tuple[Date, ...] = ()
    weight: int = 0
    """How many of its role's words the line holds (a question of our notes: one more)."""


def name_words(name: str) -> list[str]:
    """The words of a party's name that identify it (`PaySys`, `Thamesbrook`), legal forms and short words left out."""
    return [w.split("'")[0] for w in re.findall(r"[^\W\d_][\w'-]{3,}", name or "")
            if w.lower() not in {"group", "gmbh", "ltd", "limited", "holding", "the", "and", "plc", "inc", "corp"}]


def speaks_for(sender: str, side: str) -> bool:
    """Whether a message's sender (name and address) belongs to `side`: a word of its name in the sender's."""
    sender = sender.lower()
    return any(w.lower() in sender for w in name_words(side))


def count_words(pattern: str, text: str) -> int:
    """How many distinct words or phrases of `pattern` stand whole in `text`."""
    return len({m.group(0).lower() for m in re.finditer(rf"(?<![\w])(?:{pattern})(?![\w])", text, re.IGNORECASE)})


def heading_role(heading: str) -> str:
    heading = re.sub(r"^[\d.\s]+", "", heading)
    return next((role for role, pattern in HEADINGS.items()
                 if re.search(rf"(?<![\w])(?:{pattern})(?![\w])", heading, re.IGNORECASE)), "")


def _word_role(text: str, counterpart: re.Pattern) -> str:
    if text.rstrip().endswith("?") or count_words(CUES["open"], text):
        return "open"
    scores = {role: count_words(CUES[role], text) for role in ("alternatives", "position")}  # a tie: an alternative
    head = " ".join(text.split()[:6])  # the counterpart is what the line speaks of: named at its start
    if counterpart.search(head) and count_words(CUES["their_side"], text):
        scores["their_side"] = count_words(CUES["their_side"], text) + 1
    role = max(scores, key=lambda r: scores[r])
    return role if scores[role] else ""


def _field(line: str) -> bool:
    """A short `Label: value` line, as in a document's head (`Date: 3 March 2027`), not a list item: nothing runs on
    into it or out of it."""
    text = _plain(line)
    return not LIST_MARK.match(line.strip()) and LABEL.match(text) is not None and len(text.split()) <= 6


def _lines(doc: Document):
    """(locator, line, heading) for each line of the document below a heading or list, table headers left out."""
    heading, previous, joinable = "", "", False
    for unit in doc.units:
        for line in unit.text.splitlines() or [unit.text]:
            stripped = line.strip()
            if not stripped:
                joinable = False  # a blank line ends a paragraph
                continue
            if set(stripped) <= set("|-: "):
                previous = ""  # a table's separator: the row before it was its header
                continue
            if (match := HEADING.match(stripped)) and not stripped.startswith(("-", "*  ", "|")):
                heading, joinable = next(g for g in match.groups() if g), False
                continue
            if (previous and joinable and not previous[1].endswith((".", "!", "?", ":")) and "|" not in previous[1]
                    and not _field(previous[1]) and not _field(stripped)
                    and not stripped.startswith(("|", ">", "#")) and not LIST_MARK.match(stripped)):
                previous = (previous[0], f"{previous[1]} {stripped}", heading)  # a hard-wrapped line runs on
                continue
            if previous:
                yield previous
            previous, joinable = (unit.locator, stripped, heading), True
    if previous:
        yield previous


def note_lines(case: CaseMaterials, counterpart: str, since: Date | None = None,
               flagged: tuple[str, ...] = ()) -> dict[str, list[NoteLine]]:
    """Our notes' lines by role, each line once, in the notes' order (`chosen` keeps the strongest of a role). A step
    whose dates all lie before `since` (the newest message's day) is done or overdue (`PAST`); a line of the
    `flagged` passages (instruction-like text planted in the materials) is left out."""
    withheld = " ".join(" ".join(_plain(line).split()) for text in flagged for line in text.splitlines())
    names = name_words(counterpart)
    pattern = re.compile(r"(?<![\w])(?:" + "|".join([*map(re.escape, names), THEY]) + r")(?![\w])", re.IGNORECASE)
    found: dict[str, list[NoteLine]] = {role: [] for role in (*ROLES, PAST)}
    seen = set()
    for doc in notes_in(case.documents):
        for locator, line, heading in _lines(doc):
            text = _plain(line)
            table = line.count("|") >= 2
            if (len(text.split()) < MIN_WORDS or text in seen or (table and not re.search(r"\d", text))
                    or " ".join(text.split()) in withheld):
                continue  # a table's header row holds no figure; a planted instruction is no line of our notes
            label = LABEL.match(text)
            by_label = heading_role(label.group(1)) if label else ""
            if table:  # a row of a table: an action or open point by its heading, else its own words (a target, a walk-away)
                structural = next((r for r in (by_label, heading_role(heading)) if r in STRUCTURAL), "")
                parts = [(structural or _word_role(text, pattern) or heading_role(heading), text)]
            else:
                role = (by_label if by_label in STRUCTURAL else "") or heading_role(heading) or by_label
                parts = [(role, text)] if role else _by_sentence(text, pattern)
            seen.add(text)
            for role, part in parts:
                dates = tuple(d for _, _, d in date_spans(part))
                if role == "agreed" and since is not None and dates and all(d.year and key(d) < key(since) for d in dates):
                    role = PAST
                if not role:
                    continue
                weight = count_words(CUES.get(role, HEADINGS.get(role, "(?!x)x")), part) + part.rstrip().endswith("?")
                found[role].append(NoteLine(role, part, Source(doc.name, locator, line.strip()), dates, weight))
    return found


def _by_sentence(text: str, counterpart: re.Pattern) -> list[tuple[str, str]]:
    """A line without a heading's or label's role, by its words. A line on the counterpart is read sentence by
    sentence, so that one telling their demand and then our need gives each its role (a sentence that does not
    speak of them is not their side); neighbouring sentences of one role are kept together."""
    role = _word_role(text, counterpart)
    sentences = SENTENCE.split(" ".join(text.split()))
    if role != "their_side" or len(sentences) == 1:
        return [(role, text)]
    parts: list[tuple[str, str]] = []
    for sentence in sentences:
        role = _word_role(sentence, counterpart)
        if role in ("", "their_side") and (role == "" or OURS.match(sentence)):  # a need told beside theirs: ours
            role = "position" if count_words(CUES["their_side"], sentence) else ""
        if parts and parts[-1][0] == role:
            parts[-1] = (role, f"{parts[-1][1]} {sentence}")
        else:
            parts.append((role, sentence))
    return [(role, part) for role, part in parts if len(part.split()) >= MIN_WORDS]


def chosen(lines: list[NoteLine], role: str, skip: set[str] = frozenset()) -> list[NoteLine]:
    """At most `CAPS[role]` of `lines`, those holding most of the role's words, in the notes' order; lines whose
    text is in `skip` (shown elsewhere on the page) left out."""
    kept = [n for n in lines if n.source.text[:600] not in skip]
    best = sorted(range(len(kept)), key=lambda i: -kept[i].weight)[:CAPS[role]]
    return [kept[i] for i in sorted(best)]


WORD = re.compile(r"[^\W\d_][\w'’-]{2,}")
RARE = 5
"""A word on at most this many lines of the materials names a thing of the case (a supplier, a module, a rule)."""
SPECIFIC = 6
"""A rare word this long names its thing alone (`indexation`, `dilapidations`); a shorter one only with another."""
REFERS_BACK = re.compile(r"(?<![\w])(?:that|this|these|those|it|its|det|dette|denne|disse|dens|das|dies\w*|es)(?![\w])",
                         re.IGNORECASE)
NAME_WORD = re.compile(r"(?<![\w])(?:[A-ZÆØÅÄÖÜ]{2,}[\w-]*|[A-ZÆØÅÄÖÜ][a-zæøåäöüß]+[A-Z][\w-]*)")
"""An acronym or a name written in mixed case (`DNV`, `VoltMarine`): a word that names one thing."""
CUT = re.compile(r"(?<![\w])[a-zæøåäöü]{1,3}\.$")
"""A sentence that ends on a short abbreviation (`ca.`, `bzw.`) was cut there: it runs on."""
ITEM = re.compile(r"^\s*([^\W\d][^.·|“\"]{2,100}?)\s+·|^\s*([^\W\d][^:.·|“\"]{2,40}?):\s(?![“\"«„])")
"""A term's own label (`Buyer-requested changes: saloon … · Revised claim: …`, `Rent: £10.20 …`): the thing it
prices; a table row's first cell whole."""


def _words(text: str) -> set[str]:
    return {w.lower().strip("'’-") for w in WORD.findall(text)}


def views_on(terms: list[str], case: CaseMaterials, sides: tuple[str, ...] = ()) -> list[NoteLine | None]:
    """For each of the counterpart's labelled terms (a table row, `Rent: …`), the sentence of our notes that
    speaks of the same thing: it shares with the term's label a name (`NAME_WORD`), a long word or two words rare in
    the materials (on at most `RARE` lines; the parties' names are not such words), more of them than with any
    other term's label; a next sentence that points back to it ("that item") is kept with it. None where our notes
    say nothing of it, or the term has no label."""
    lines = [line for doc in case.documents for unit in doc.units for line in unit.text.splitlines() if line.strip()]
    counts: dict[str, int] = {}
    for line in lines:
        for w in _words(line):
            counts[w] = counts.get(w, 0) + 1
    named = {w.lower() for side in sides for w in name_words(side)}
    labels = [m.group(1) or m.group(2) if (m := ITEM.match(t)) else "" for t in terms]
    rare = [{w for w in _words(label) if counts.get(w, 0) <= RARE and w not in named} for label in labels]
    sentences = []
    for doc in notes_in(case.documents):
        for locator, line, _ in _lines(doc):
            parts = SENTENCE.split(" ".join(_plain(line).split()))
            for i, part in enumerate(parts):
                nxt = parts[i + 1] if i + 1 < len(parts) else ""
                if nxt and (CUT.search(part) or REFERS_BACK.search(nxt) and not any(_words(nxt) & r for r in rare)):
                    part = f"{part} {nxt}"
                sentences.append((part, Source(doc.name, locator, line.strip())))
    views: list[NoteLine | None] = []
    for label, own in zip(labels, rare):
        others = set().union(*(r for r in rare if r is not own)) - own
        proper = {w.lower() for w in NAME_WORD.findall(label)}
        found = [(len(shared) - len(_words(s) & others), -i, s, source) for i, (s, source) in enumerate(sentences)
                 if ((shared := _words(s) & own) and (len(shared) > 1 or shared & proper
                                                      or any(len(w) >= SPECIFIC for w in shared))
                     and len(shared) > len(_words(s) & others) and len(s.split()) >= MIN_WORDS)]
        best = max(found, default=None)
        views.append(NoteLine("view", best[2], best[3]) if best else None)
    return views


EXPECTS = (r"will (?:probably |likely |surely |certainly |no doubt )?(?:argue|claim|insist|object|push back|"
           r"point to|contend)|(?:is|are) likely to (?:argue|claim|insist|object)|"
           r"vil (?:nok |trolig |sannsynligvis |sikkert )?(?:hevde|argumentere|påstå|vise til)|"
           r"(?:wird|werden) (?:wohl |vermutlich |wahrscheinlich |sicher )?(?:argumentieren|behaupten|einwenden|"
           r"entgegnen)")
"""Words by which a line foresees what the counterpart will argue (`Vantara will probably argue that …`)."""


def expected_argument(case: CaseMaterials, counterpart: str) -> NoteLine | None:
    """The first sentence of the materials that foresees what the counterpart will argue, naming it: what our
    side should have an answer to."""
    names = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, name_words(counterpart) or ["(?!x)x"])) + "|" + THEY
                       + r")(?![\w])", re.IGNORECASE)
    for doc in case.documents:
        for locator, line, _ in _lines(doc):
            for part in SENTENCE.split(" ".join(_plain(line).split())):
                if (found := re.search(rf"(?<![\w])(?:{EXPECTS})(?![\w])", part, re.IGNORECASE)) and names.search(
                        part[:found.start()]):
                    return NoteLine("expected", part, Source(doc.name, locator, line.strip()))
    return None

