"""In-memory case materials: documents split into locatable units."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from pydantic import BaseModel, Field

from pipeline.errors import InputError

__all__ = ["CaseMaterials", "Document", "InputError", "Unit"]


class Unit(BaseModel):
    """A page, paragraph or line of a document, with the locator evidence points to."""

    locator: str
    text: str


class Document(BaseModel):
    name: str
    kind: str
    units: list[Unit]
    metadata: dict[str, str] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    hidden: list[Unit] = Field(default_factory=list, description="text in the file a reader does not see (white or "
                               "tiny Word runs, HTML comments of an e-mail), with the locator of the unit it sits in")

    @property
    def text(self) -> str:
        return "\n".join([u.text for u in self.units])

    def locator_at(self, offset: int) -> str:
        """The locator of the unit that holds character `offset` of `text`."""
        starts = list(accumulate([len(unit.text) + 1 for unit in self.units[:-1]], initial=0))
        index = max(0, bisect_right(starts, offset) - 1)
        return self.units[index].locator if self.units else ""


class CaseMaterials(BaseModel):
    name: str
    documents: list[Document]
    title: str = ""
    our_side: str = ""
    counterpart: str = ""
    language: str = ""
    skipped: list[str] = Field(default_factory=list, description="files left out, with the reason")

    def by_name(self, name: str) -> Document | None:
        for doc in self.documents:
            if doc.name == name:
                return doc
        return None
