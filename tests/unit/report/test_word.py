"""The Word report a consultant sends: passages as real footnotes, no Markdown marks, the review in the page header,
the firm's template's styles."""

from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Pt

from pipeline.errors import InputError
from pipeline.report.footnotes import read_footnotes
from pipeline.report.render import load_report, render_docx
from pipeline.review import Desk
from tests.conftest import DATA, ROOT

REPORT = load_report(DATA / "reference" / "telco-paysys.report.json")


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_each_passage_is_a_footnote_with_its_document_and_line_and_none_is_inline():
    report = REPORT.model_copy(deep=True)
    item = report.deal_profile.issues[0]
    item.evidence[0].quote, item.evidence[0].locator = "- **Price:** about EUR 7.6 million a year", "line 25"
    doc = _open(render_docx(report, kb_dir=ROOT / "knowledge_base"))
    notes = read_footnotes(doc)
    passages = [(ev.document, ev.locator) for i in [*report.deal_profile.issues] for ev in i.evidence]
    assert len(notes) >= len(passages) > 0
    first = notes[min(notes)]
    assert report.deal_profile.parties[0].evidence[0].document in first
    assert any(n.endswith(f"{item.evidence[0].document}, line 25: \u201cPrice: about EUR 7.6 million a year\u201d")
               for n in notes.values())
    body = _text(doc)
    assert "**" not in body and not any("**" in n for n in notes.values())
    assert item.evidence[0].quote not in body, "the passage is in the footnote, not in the text"
    refs = doc.element.body.findall(".//" + docx.oxml.ns.qn("w:footnoteReference"))
    assert len(refs) == len(notes)
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/footnotes"))
    assert part.partname == "/word/footnotes.xml" and part.content_type.endswith("footnotes+xml")
    separators = doc.settings.element.findall(f"{docx.oxml.ns.qn('w:footnotePr')}/{docx.oxml.ns.qn('w:footnote')}")
    assert [s.get(docx.oxml.ns.qn("w:id")) for s in separators] == ["-1", "0"]


def test_markdown_emphasis_in_the_model_s_text_is_bold_not_asterisks():
    report = REPORT.model_copy(deep=True)
    report.synthesis.executive_summary = "The board meets on **21 April 2026**, after the deadline."
    doc = _open(render_docx(report))
    para = next(p for p in doc.paragraphs if "21 April 2026" in p.text)
    assert para.text == "The board meets on 21 April 2026, after the deadline."
    assert [r.text for r in para.runs if r.bold] == ["21 April 2026"]


def test_the_header_and_the_title_page_carry_the_review_state_and_the_reviewer(tmp_path):
    draft = _open(render_docx(REPORT))
    assert "Draft: not reviewed yet" in draft.sections[0].header.paragraphs[0].text
    desk = Desk(REPORT)
    desk.reject("deal_profile.issues.2", "Ann Berg")
    desk.approve("Ann Berg")
    doc = _open(render_docx(REPORT, review=desk.review))
    header = doc.sections[0].header.paragraphs[0].text
    assert "Approved by Ann Berg on " in header and REPORT.case.title in header
    body = _text(doc)
    assert REPORT.deal_profile.issues[1].text not in body and REPORT.deal_profile.issues[0].text in body
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    numbered = next(i for i, h in enumerate(headings) if h.startswith("1. "))
    assert numbered > 0 and not any(h[:1].isdigit() for h in headings[:numbered]), \
        "the sections the report opens with come first"


def test_a_firm_template_gives_its_styles_and_keeps_its_header(tmp_path):
    firm = docx.Document()
    firm.styles["Normal"].font.name = "Garamond"
    firm.styles["Normal"].font.size = Pt(12)
    firm.sections[0].header.paragraphs[0].text = "ACME Advisory \u00b7 confidential"
    firm.add_paragraph("Template body text that must not reach the brief.")
    template = tmp_path / "firm.docx"
    firm.save(template)
    doc = _open(render_docx(REPORT, template=template))
    assert doc.styles["Normal"].font.name == "Garamond" and doc.styles["Normal"].font.size == Pt(12)
    header = [p.text for p in doc.sections[0].header.paragraphs]
    assert header[0] == "ACME Advisory \u00b7 confidential" and "Draft: not reviewed yet" in header[1]
    assert "Template body text" not in _text(doc)
    assert read_footnotes(doc)
    (tmp_path / "not.docx").write_text("plain text")
    with pytest.raises(InputError, match="not a Word .docx"):
        render_docx(REPORT, template=tmp_path / "not.docx")
