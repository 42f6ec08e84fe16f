"""The report view-model: built once, and what the Markdown, HTML and Word renderers show."""

from __future__ import annotations

import io

import docx

from agents.registry import report_items
from pipeline.report.render import load_report, render, render_docx
from pipeline.report.view import build_view
from tests.conftest import DATA, ROOT

REPORT = load_report(DATA / "reference" / "telco-paysys.report.json")


def _with_one_item_set_apart():
    report = REPORT.model_copy(deep=True)
    item = report.counterpart.pressures[0]
    item.verification, item.issues_found = "unverified", ["quote not found in the materials"]
    return report, item


def test_every_checked_item_is_either_in_its_section_or_set_apart_once():
    report, item = _with_one_item_set_apart()
    view = build_view(report)
    shown = [i for section in view.sections.values() for group in section.groups for i in group.items]
    apart = [entry.item for entry in view.set_apart]
    assert sorted(map(id, shown + apart)) == sorted(map(id, report_items(report)))
    assert [e.where for e in view.set_apart if e.item is item] == ["counterpart \u00b7 Pressures and motives"]
    assert all(not i.set_apart for i in shown)


def test_guidance_rows_hold_every_advice_in_its_column():
    view = build_view(REPORT)
    cp = REPORT.counterpart
    assert len(view.guidance) == max(len(cp.communication), len(cp.interaction), len(cp.negotiation))
    assert [g for g, _, _ in view.guidance if g] == cp.communication
    assert [g for _, _, g in view.guidance if g] == cp.negotiation


def test_each_renderer_lists_the_set_apart_item_where_the_view_puts_it():
    report, item = _with_one_item_set_apart()
    word = docx.Document(io.BytesIO(render_docx(report, kb_dir=ROOT / "knowledge_base")))
    texts = {
        "md": render(report, "md"),
        "html": render(report, "html"),
        "docx": "\n".join(p.text for p in word.paragraphs),
    }
    for fmt, text in texts.items():
        assert "Pressures and motives" in text and item.text in text, fmt
    assert f"*counterpart \u00b7 Pressures and motives:* {item.text}" in texts["md"]
    assert f"counterpart \u00b7 Pressures and motives: {item.text}" in texts["docx"]
