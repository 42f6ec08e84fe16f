"""In-memory case materials: documents split into locatable units."""

from __future__ import annotations

from bisect import bisect_right
from pydantic import BaseModel, Field, model_validator

from pipeline.errors import InputError

__all__ = ["CaseMaterials", "Document", "InputError", "Unit"]


class Unit(BaseModel):
    """A page, paragraph or line of a document, with the locator evidence points to and the short id
    (`D2.14`: document 2, unit 14) models cite it by."""

    locator: str
    text: str
    id: str = ""


class Document(BaseModel):
    name: str
    kind: str
    units: list[Unit]
    metadata: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(u.text for u in self.units)

    def unit_starts(self) -> list[int]:
        """The offset in `text` where each unit starts."""
        starts, pos = [], 0
        for unit in self.units:
            starts.append(pos)
            pos += len(unit.text) + 1
        return starts

    def unit_at(self, offset: int) -> Unit | None:
        """The unit that holds character `offset` of `text`."""
        if not self.units:
            return None
        return self.units[max(0, bisect_right(self.unit_starts(), offset) - 1)]

    def locator_at(self, offset: int) -> str:
        """The locator of the unit that holds character `offset` of `text`."""
        unit = self.unit_at(offset)
        return unit.locator if unit else ""


class CaseMaterials(BaseModel):
    name: str
    documents: list[Document]
    title: str = ""
    our_side: str = ""
    counterpart: str = ""
    language: str = ""
    skipped: list[str] = Field(default_factory=list, description="files left out, with the reason")

    @model_validator(mode="after")
    def _number_units(self) -> CaseMaterials:
        """Give every unit its id, `D<document>.<unit>` (1-based), unless it has one."""
        for d, doc in enumerate(self.documents, 1):
            for u, unit in enumerate(doc.units, 1):
                if not unit.id:
                    unit.id = f"D{d}.{u}"
        return self

    def unit_ids(self) -> list[str]:
        return [u.id for doc in self.documents for u in doc.units if u.text.strip()]

    def by_name(self, name: str) -> Document | None:
        for doc in self.documents:
            if doc.name == name:
                return doc
        return None
