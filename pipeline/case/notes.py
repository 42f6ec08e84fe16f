"""Our side's own notes among a case's documents, and their lines cleaned of list, table, quote and emphasis marks:
what the key facts (`pipeline.note_figures`) and the first page's lines by role (`pipeline.brief.notes`) read."""

from __future__ import annotations

import re

from pipeline.case.authorship import is_internal
from pipeline.case.documents import Document
from pipeline.memo import per_run

NOTES_DOCUMENTS = 2  # our side's first internal documents are read
MIN_WORDS = 5
LIST_MARK = re.compile(r"^(?:[-*\u2022\u2013]\s+|\(?\d{1,2}[.)]\s+(?=[A-Z]))")  # "4. juni" keeps its day
QUOTE_MARK = re.compile(r"^(?:>\s?)+")  # an e-mail pasted into the notes
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅÄÖÜ0-9\"“«])")
"""Where one sentence ends and the next begins."""
EMPHASIS = re.compile(r"\*\*|__|\*(?=[^*\s][^*]*\*)|(?<=[^*\s])\*")


def notes_in(documents: list[Document]) -> list[Document]:
    """Our side's own documents among `documents`, the first `NOTES_DOCUMENTS` of them."""
    return [doc for doc in documents if is_internal(doc)][:NOTES_DOCUMENTS]


@per_run
def plain_line(line: str) -> str:
    """`line` without quote, list and emphasis marks or table pipes (a leading row number dropped); read once per
    run."""
    text = EMPHASIS.sub("", QUOTE_MARK.sub("", line)).strip()
    if text.startswith("|") or text.count("|") >= 2:
        cells = [c.strip() for c in text.strip("|").split("|")]
        if cells and cells[0].isdigit():
            cells = cells[1:]
        text = " \u00b7 ".join(c for c in cells if c)
    return LIST_MARK.sub("", text).strip()
