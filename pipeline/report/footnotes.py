"""Real Word footnotes for python-docx, which has no footnote API: the footnotes part (`word/footnotes.xml`, its
content type and its relationship from the document) made or, in a template that has one, added to; a reference
run in the body for each note."""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EMPTY = (
    f'<w:footnotes xmlns:w="{W}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    '</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '</w:footnotes>'
)
AFTER_FOOTNOTE_PROPS = ("w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
                        "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                        "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
                        "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
                        "w:decimalSymbol", "w:listSeparator")
"""What follows `w:footnotePr` in the settings (the schema's order, as python-docx's `CT_Settings` lists it)."""
NOTE_SIZE = 17
"""Half-points: 8.5 pt, for a footnote's text where the document has no footnote style."""


def _el(tag: str, parent=None, **attrs: str):
    el = etree.SubElement(parent, qn(tag)) if parent is not None else etree.Element(qn(tag))
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _name_separators(doc) -> None:
    """The settings' `w:footnotePr` naming the separator notes, in its place in the settings' sequence (as Word
    writes it)."""
    settings = doc.settings.element
    if settings.find(qn("w:footnotePr")) is not None:
        return
    props = _el("w:footnotePr")
    for note_id in ("-1", "0"):
        _el("w:footnote", props, id=note_id)
    settings.insert_element_before(props, *AFTER_FOOTNOTE_PROPS)


class Footnotes:
    """The footnotes of one python-docx `Document`; `save()` before the document is saved."""

    def __init__(self, doc):
        self.doc = doc
        part = next((rel.target_part for rel in doc.part.rels.values()
                     if rel.reltype == RT.FOOTNOTES and not rel.is_external), None)
        if part is None:
            part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, EMPTY.encode(), doc.part.package)
            doc.part.relate_to(part, RT.FOOTNOTES)
            _name_separators(doc)
        self.part = part
        self.root = part._element if hasattr(part, "_element") else etree.fromstring(part.blob)
        ids = [int(i) for i in self.root.xpath("w:footnote/@w:id", namespaces={"w": W})]
        self.next_id = max([0, *ids]) + 1
        styles = {s.style_id for s in doc.styles}
        self.text_style = "FootnoteText" if "FootnoteText" in styles else ""
        self.ref_style = "FootnoteReference" if "FootnoteReference" in styles else ""

    def _reference_props(self, run) -> None:
        rpr = _el("w:rPr", run)
        if self.ref_style:
            _el("w:rStyle", rpr, val=self.ref_style)
        else:
            _el("w:vertAlign", rpr, val="superscript")

    def add(self, paragraph, text: str) -> int:
        """A footnote holding `text`, referenced at the end of `paragraph` (a python-docx paragraph); its id."""
        note_id, self.next_id = self.next_id, self.next_id + 1
        ref = _el("w:r")
        self._reference_props(ref)
        _el("w:footnoteReference", ref, id=str(note_id))
        paragraph._p.append(ref)

        note = _el("w:footnote", self.root, id=str(note_id))
        p = _el("w:p", note)
        if self.text_style:
            _el("w:pStyle", _el("w:pPr", p), val=self.text_style)
        mark = _el("w:r", p)
        self._reference_props(mark)
        _el("w:footnoteRef", mark)
        run = _el("w:r", p)
        if not self.text_style:
            _el("w:sz", _el("w:rPr", run), val=str(NOTE_SIZE))
        t = _el("w:t", run)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = " " + text
        return note_id

    def save(self) -> None:
        if not hasattr(self.part, "_element"):
            self.part._blob = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_footnotes(doc) -> dict[int, str]:
    """The text of each footnote of a python-docx `Document` by id (separators left out)."""
    part = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.FOOTNOTES), None)
    if part is None:
        return {}
    root = part._element if hasattr(part, "_element") else etree.fromstring(part.blob)
    return {int(n.get(qn("w:id"))): "".join(n.itertext()).strip()
            for n in root.xpath("w:footnote[not(@w:type)]", namespaces={"w": W})}
