"""The key facts of our side's own notes, read without a model: the lines that state a figure.

Internal minutes, memos and notes hold what our side knows and the other side does not: budgets, mandates,
walk-away points, fallbacks and their costs and dates. Asked for the key facts of such a document, a 1.5B model
copied its lines one by one and stopped after a few, a different few from run to run; the pipeline takes them
itself. A line qualifies when, cleaned of its list, table and emphasis marks, it has a number, amount, date or
percentage and enough words to say what it is about. The document's head (title and fields such as date,
attendees, author) and its headings are left out. Where there are more lines than the bound, those with the
most figures are kept, in the document's order. Each is `quoted` (a line of our notes, not a model's statement),
with its document as evidence; the checks locate the line (`pipeline.checks.item_checks`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.case.documents import Document
from pipeline.case.notes import EMPHASIS, LIST_MARK, MIN_WORDS, notes_in, plain_line as _plain
from pipeline.checks.quantities import number_readings
from pipeline.schemas import Evidence, Item

QUOTE_CHARS = 600  # the longest quote `Evidence` takes
LONG_LINE_WORDS = 60  # a longer line is a paragraph (PDF, Word): taken sentence by sentence
WRAP_WIDTH = 50  # a line this long that ends without a closing mark was wrapped
FIELD = re.compile(r"^(?:[\w'()/-]+ ?){1,3}:\s")  # "Date: ...", "Til stede: ...": a field, as in a document's head
SENTENCE_END = re.compile(r"(?<!\b\d\.)(?<!\b\d\d\.)(?<=[.!?])\s+(?=[A-Z\u00c0-\u00dd])")  # not after "25." of "25. März"


def _head_length(lines: list[str]) -> int:
    """How many of the document's first lines are its title and fields (date, attendees, author ...): up to
    the first heading, list item or sentence."""
    for index, line in enumerate(lines):
        if index == 0 or _field(line) or re.fullmatch(r"\*\*[^*]+\*\*", line):
            continue
        return index
    return len(lines)


def _field(line: str) -> bool:
    """"Label: value", as in a document's head (not a list item that opens with a label)."""
    return not LIST_MARK.match(line) and FIELD.match(EMPHASIS.sub("", line)) is not None


def _block(line: str) -> bool:
    """A heading, quoted line or table row: nothing runs on into it or out of it."""
    return line.startswith(("#", ">")) or line.count("|") >= 2


def _paragraphs(lines: list[str]) -> list[tuple[str, bool]]:
    """`lines` with hard-wrapped text (e-mail, plain-text notes, PDF lines) joined back into its paragraphs: a long
    line without a closing mark runs on into the next line of plain text. Each with whether it was joined."""
    joined: list[tuple[str, bool]] = []
    for line in lines:
        last = joined[-1][0] if joined else ""
        opens = _block(line) or LIST_MARK.match(line) or _field(line)  # a line that starts something of its own
        if len(last) >= WRAP_WIDTH and not last.endswith((".", "!", "?", ":", ";")) and not opens and not _block(last):
            joined[-1] = (f"{last} {line}", True)
        else:
            joined.append((line, False))
    return joined


def _units(document: Document) -> list[str]:
    """The document's lines below its head, headings left out, wrapped text joined; a paragraph split into its
    sentences."""
    lines = [line.strip() for line in document.text.splitlines() if line.strip()]
    units = []
    for line, wrapped in _paragraphs(lines[_head_length(lines):]):
        if line.startswith("#") or set(line) <= set("|-: "):
            continue
        text = _plain(line)
        units += SENTENCE_END.split(text) if wrapped or len(text.split()) > LONG_LINE_WORDS else [text]
    return units


def figures_of_notes(documents: list[Document], limit: int, flagged: Sequence[str] = ()) -> list[Item]:
    """Key facts of our side's notes among `documents`: their lines that state a figure, at most `limit`
    (those with the most figures), in the documents' order. A line of the `flagged` passages (instruction-like
    text the analyst let through to the model) is no fact of our notes and is left out."""
    withheld = " ".join(_plain(line) for text in flagged for line in text.splitlines())
    found = [(len(number_readings(text)), text, doc.name) for doc in notes_in(documents) for text in _units(doc)
             if text not in withheld]
    found = [(count, text, name) for count, text, name in found if count and len(text.split()) >= MIN_WORDS]
    kept = sorted(range(len(found)), key=lambda i: -found[i][0])[:limit]
    return [Item(text=text, verification="quoted", evidence=[Evidence(document=name, quote=text[:QUOTE_CHARS])])
            for _, text, name in (found[i] for i in sorted(kept))]
