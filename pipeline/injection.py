"""Flag instruction-like text in the case materials (they are data, never instructions)."""

from __future__ import annotations

import re

from pipeline.documents import CaseMaterials
from pipeline.schemas import Warning

PATTERNS = [
    r"\b(ignore|disregard|forget|override)\b.{0,30}\b(previous|prior|above|earlier|all|your)\b.{0,20}\b(instructions?|prompts?|rules?)",
    r"\b(reveal|print|show|output|send|share|tell)\b.{0,40}\b(api[ _-]?key|system prompt|password|secret|token|credentials?)",
    r"\byou are now\b|\bact as\b.{0,30}\b(assistant|ai|model)\b|\bnew instructions?\s*:",
    r"\b(reply|respond|answer)\b.{0,20}\bonly with\b",
    r"\b(ignorer|glem|se bort fra)\b.{0,30}\b(tidligere|alle|forrige)\b.{0,20}\b(instruksjoner|instrukser|beskjeder)",
    r"<\s*/?\s*(system|assistant|instructions?)\s*>|\[\s*(system|inst)\s*\]",
    r"^[\s>*_#-]*(system|assistant)\s*:.*\b(you|your|user)\b",
]
_ANY = re.compile("|".join(f"(?:{p})" for p in PATTERNS), re.I)


def scan_for_injection(case: CaseMaterials) -> list[Warning]:
    """One warning per line that reads like an instruction to the model."""
    warnings = []
    for doc in case.documents:
        for number, unit in enumerate(doc.units, 1):
            if _ANY.search(unit.text):
                warnings.append(Warning(
                    code="injection", document=doc.name, line=number if doc.kind in ("md", "txt", "markdown") else None,
                    message=f"{doc.name} ({unit.locator}): instruction-like text treated as data, not followed: "
                            f"\u201c{unit.text.strip()[:100]}\u201d",
                ))
    return warnings
