"""The report as a Word document (python-docx): the cover, each agent's section written by its declared
`word` function through a `WordWriter`, then the unverified items, the warnings, the cited knowledge and
the provenance."""

from __future__ import annotations

import io
import re
from pathlib import Path

from agents import registry
from pipeline.checks.evidence import NO_PASSAGE
from pipeline.files import atomic_write_bytes
from pipeline.report.view import ReportView, build_view, passage_label
from pipeline.schemas import Item, PrepReport

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
"""Characters model text may hold that a report cannot show (\\r, \\x0b, ...)."""


def _x(text: object) -> str:
    """Text safe for a Word XML part: case text may hold control characters lxml rejects."""
    return CONTROL.sub("", str(text))


def _status(item) -> str:
    parts = []
    if item.kind == "inference":
        parts.append("inference" + (f", confidence {item.confidence}" if getattr(item, "confidence", None) else ""))
    if item.verification == "verified":
        parts.append("evidence verified" if item.kind == "inference" else "verified")
    elif item.verification == "quoted":
        parts.append("from your notes")
    elif item.verification == "contradicted":
        parts.append("CHECK BEFORE USE: the materials say otherwise")
    elif item.verification == "weak":
        parts.append("CHECK BEFORE USE: the passage found does not say it")
    elif item.verification == "unverified":
        parts.append("CHECK BEFORE USE")
    elif item.verification == "echo":
        parts.append("CHECK BEFORE USE: it repeats instruction-like text planted in the materials")
    elif item.verification == "pending":
        parts.append("not checked")
    return "; ".join(parts)


class WordWriter:
    """What an agent's `word` function writes its section with: headings, paragraphs, bullet lists, tables and
    its verified items."""

    def __init__(self, view: ReportView):
        import docx
        from docx.shared import Pt, RGBColor

        self.view = view
        self.doc = docx.Document()
        self.doc.styles["Normal"].font.size = Pt(10.5)
        self._pt = Pt
        self.red, self.grey = RGBColor(0x9B, 0x24, 0x23), RGBColor(0x5D, 0x68, 0x78)

    def kb_title(self, entry_id: str) -> str:
        return self.view.kb_title(entry_id)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(_x(text), level)

    def page_break(self) -> None:
        self.doc.add_page_break()

    def para(self, text: str = "", style: str | None = None, bold_prefix: str = "", italic: bool = False):
        p = self.doc.add_paragraph(style=style)
        if bold_prefix:
            p.add_run(_x(bold_prefix)).bold = True
        run = p.add_run(_x(text))
        run.italic = italic
        return p

    def note(self, p, text: str, color=None) -> None:
        if text:
            run = p.add_run(_x(f"  [{text}]"))
            run.italic = True
            run.font.size = self._pt(8.5)
            if color is not None:
                run.font.color.rgb = color

    def bullets(self, title: str, texts: list[str]) -> None:
        """A headed bullet list, if there is anything to list."""
        if texts:
            self.heading(title, 2)
            for text in texts:
                self.para(text, "List Bullet")

    def item(self, text: str, item: Item) -> None:
        """One item as a bullet: its status, basis and evidence quotes."""
        p = self.para(text, "List Bullet")
        self.note(p, _status(item), self.red if item.set_apart else self.grey)
        if item.kind == "inference" and item.basis:
            self.note(p, f"basis: {item.basis}", self.grey)
        self.passages(item)

    def passages(self, item: Item) -> None:
        """The item's passage, labelled: found by the checker (it says it, or says otherwise) or from our notes."""
        for ev in item.evidence:
            where = f"{passage_label(item)} ({ev.document}{f', {ev.locator}' if ev.locator else ''})"
            q = self.para(f"\u201c{ev.quote}\u201d \u2014 {where}", "List Bullet 2", italic=True)
            q.runs[-1].font.size = self._pt(9)

    def items(self, field: str, line) -> None:
        """One headed bullet list per group of the section `field`, without its unverified items (listed
        elsewhere); `line(item)` is an item's text."""
        for group in self.view.sections[field].groups:
            self.heading(group.title, 2)
            for item in group.items:
                self.item(line(item), item)

    def table(self, header: list[str], rows: list[list[str]]):
        t = self.doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header):
            cell.text = ""
            cell.paragraphs[0].add_run(_x(text)).bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = _x(text)
        self.doc.add_paragraph()
        return t


def render_docx(report: PrepReport, path: Path | str | None = None, kb_dir: Path | None = None,
                view: ReportView | None = None) -> bytes:
    """The report as a Word document (headings, paragraphs, bullet lists, the plan and guidance
    tables), as bytes; also written atomically to `path` when one is given. `view` is the report's view-model
    when already built."""
    r, dp, prov = report, report.deal_profile, report.provenance
    v = view or build_view(report, kb_dir)
    w = WordWriter(v)
    title = r.case.title or r.case.name
    w.doc.core_properties.title = _x(f"Negotiation preparation: {title}")
    w.doc.core_properties.subject = _x(r.case.name)
    w.doc.core_properties.author = "negoprep"
    para = w.para

    w.doc.add_heading(_x(f"Negotiation preparation: {title}"), 0)
    facts = f"Our side: {dp.our_side} · Counterpart: {dp.counterpart} · Documents: {len(r.case.documents)} ({r.case.token_count} tokens)"
    if prov.support is not None:
        facts += f" · The model's statements found in the materials: {round(prov.support * 100)}%"
    if prov.quoted:
        facts += f" · Lines from your notes: {prov.quoted}"
    para(facts)
    para("Drafted by language models from the case materials. Verified items are said in a passage of the materials "
         "that the claim checker found (shown with each); items from your notes are lines copied from our own notes; "
         "inferences are judgements, not facts; for anything marked CHECK BEFORE USE the checker found no passage "
         "that says it, or one that says otherwise.", italic=True)
    if prov.withheld:
        para(f"{prov.withheld} passage{'' if prov.withheld == 1 else 's'} of the materials read like instructions to the "
             f"model and {'was' if prov.withheld == 1 else 'were'} withheld from it (quoted under Warnings).",
             bold_prefix="Withheld: ")

    for agent in registry.PREPARATION.lead:
        agent.word(w, getattr(report, agent.report_field), 0)
    for number, agent in enumerate(registry.PREPARATION.numbered, 1):
        w.page_break()
        agent.word(w, getattr(report, agent.report_field), number)

    if v.set_apart or v.removed or v.contradicted_removed:
        w.heading("Unverified items \u2014 check before use", 1)
    if v.set_apart:
        para("These items were stated as facts, but the claim checker found no passage of the materials that says "
             "them, or found one that says otherwise, or they repeat instruction-like text planted in the materials.")
        for entry in v.set_apart:
            p = para(entry.item.text, "List Bullet", bold_prefix=f"{entry.where}: ")
            w.note(p, "; ".join(entry.item.issues_found) or NO_PASSAGE, w.red)
            w.passages(entry.item)
    if v.contradicted_removed:
        w.heading("Removed from the brief: the materials say otherwise", 2)
        for warning in v.contradicted_removed:
            para(warning.message, "List Bullet")
    if v.removed:
        w.heading("Removed from the brief: it repeated planted instructions", 2)
        for warning in v.removed:
            para(warning.message, "List Bullet")
    if r.warnings:
        w.heading("Warnings", 1)
        for warning in r.warnings:
            located = warning.locator or (f"line {warning.line}" if warning.line else "")
            where = f" ({warning.document}{f', {located}' if located else ''})" if warning.document else ""
            para(warning.message, "List Bullet",
                 bold_prefix=f"{f'{warning.id} · ' if warning.id else ''}{warning.code}{where}: ")
    if v.cited:
        w.heading("Knowledge-base entries used", 1)
        for cid in v.cited:
            if cid in v.kb:
                e = v.kb[cid]
                para(f" ({cid}) \u2014 {e.gist} Sources: {'; '.join(e.sources)}", "List Bullet", bold_prefix=e.title)
            else:
                para(" \u2014 not found in the knowledge base used for rendering", "List Bullet", bold_prefix=cid)

    w.heading("Provenance", 1)
    para(f"negoprep {prov.negoprep_version} · backend {prov.backend} · model {prov.model} · {prov.total_seconds} s")
    for node, p in prov.prompts.items():
        para(f"{node}: {p.id} v{p.version} ({p.sha256[:12]})", "List Bullet")
    w.table(["Node", "Prompt tokens", "Completion tokens", "Cache", "Seconds"],
            [[c.node, str(c.prompt_tokens), str(c.completion_tokens), c.cache, f"{c.seconds:.2f}"] for c in prov.calls])

    buffer = io.BytesIO()
    w.doc.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        atomic_write_bytes(path, data)
    return data
