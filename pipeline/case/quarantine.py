"""Withhold flagged text from the model: once, at ingest, so every node sees the same materials.

Each flagged passage gets a warning (W<n>) that quotes it in full; in the materials a marker pointing to
that warning stands in its place, unless the analyst passes it through (`--keep-flagged`).
"""

from __future__ import annotations

import re

from pipeline.case.documents import CaseMaterials, Unit
from pipeline.schemas import FlaggedText, ReportWarning

_QUOTE_PREFIX = re.compile(r"^[\s>]*")


def marker(warning_id: str) -> str:
    return f"[instruction-like text withheld \u2014 see warning {warning_id}]"


def quarantine(case: CaseMaterials, flagged: list[FlaggedText], *, keep: bool,
               first_number: int = 1) -> tuple[CaseMaterials, list[FlaggedText], list[ReportWarning]]:
    """The case with every flagged passage replaced by its marker (untouched when `keep`), the passages
    with their warning ids, and one warning per passage."""
    numbered = [f.model_copy(update={"id": f"W{first_number + i}", "withheld": not keep or not f.units})
                for i, f in enumerate(flagged)]
    if not keep:
        case = _withhold(case, [f for f in numbered if f.units])
    return case, numbered, [_warning(case, f) for f in numbered]


def _withhold(case: CaseMaterials, flagged: list[FlaggedText]) -> CaseMaterials:
    by_doc: dict[str, list[FlaggedText]] = {}
    for f in flagged:
        by_doc.setdefault(f.document, []).append(f)
    documents = []
    for doc in case.documents:
        units = list(doc.units)
        for f in by_doc.get(doc.name, []):
            for index in f.units:
                units[index] = Unit(locator=units[index].locator, text=_replace(units[index].text, f))
        documents.append(doc.model_copy(update={"units": units}))
    return case.model_copy(update={"documents": documents})


def _replace(text: str, flagged: FlaggedText) -> str:
    """A hidden stretch gives way to the marker inside its unit; a flagged line is replaced whole (its
    e-mail quote marks kept)."""
    if flagged.span and flagged.span in text:
        return text.replace(flagged.span, marker(flagged.id))
    return _QUOTE_PREFIX.match(text).group() + marker(flagged.id)


def _warning(case: CaseMaterials, flagged: FlaggedText) -> ReportWarning:
    doc = case.by_name(flagged.document)
    line = flagged.units[0] + 1 if doc is not None and doc.kind in ("md", "txt", "markdown") and flagged.units else None
    if not flagged.units:
        fate = "never passed to the model (a reader of the file does not see it either)"
    elif flagged.withheld:
        fate = "withheld from the model"
    else:
        fate = "passed to the model (--keep-flagged), as data"
    return ReportWarning(
        code="injection", id=flagged.id, document=flagged.document, locator=flagged.locator, line=line,
        message=f"{flagged.document} ({flagged.locator}): instruction-like text ({flagged.reason}) {fate}; "
                f"treated as data, not followed: \u201c{flagged.text}\u201d",
    )
