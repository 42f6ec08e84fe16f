"""The report as a Word document (python-docx): the title and the review's state (also in the page header), each
agent's section written by its declared `word` function through a `WordWriter` (the lead sections first), then the
unverified items, the warnings, the cited knowledge and the provenance. Each item's passage is a footnote (document
and line or page); Markdown emphasis of the materials is shown as bold, never as `**`. With a template (the firm's
Word file), its styles, page setup and headers are used."""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx.oxml.ns import qn

from agents import registry
from pipeline.files import atomic_write_bytes
from pipeline.errors import InputError
from pipeline.report.footnotes import Footnotes
from pipeline.report.view import ReportView, build_view, left_out_line, passage_label
from pipeline.report.wording import Wording, upfirst
from pipeline.review import Review
from pipeline.schemas import Item, PrepReport

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
"""Characters model text may hold that a report cannot show (\\r, \\x0b, ...)."""
BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
MARKUP = re.compile(r"\*\*|__|`|^\s*(?:[-*+]|#{1,6}|>)\s+", re.MULTILINE)
"""Markdown that the materials' passages and the model's text may carry: list and heading marks, emphasis, code."""


def _x(text: object) -> str:
    """Text safe for a Word XML part: case text may hold control characters lxml rejects."""
    return CONTROL.sub("", str(text))


def plain(text: object) -> str:
    """`text` without Markdown marks, safe for a Word XML part."""
    return _x(MARKUP.sub("", str(text)))


def _spans(text: str) -> list[tuple[str, bool]]:
    """`text` as (span, bold) pieces: Markdown's `**bold**` shown bold, every other mark taken out."""
    pieces, at = [], 0
    for match in BOLD.finditer(text):
        pieces += [(text[at:match.start()], False), (match.group(1) or match.group(2), True)]
        at = match.end()
    pieces.append((text[at:], False))
    return [(plain(span), bold) for span, bold in pieces if plain(span)]


def _status(item, words: Wording) -> str:
    parts, check = [], words.check_before_use.upper()
    if item.kind == "inference":
        confidence = getattr(item, "confidence", None)
        parts.append(words.inference + (f", {words.confidence} {words.confidences[confidence]}" if confidence else ""))
    if item.verification == "verified":
        parts.append(words.evidence_verified if item.kind == "inference" else words.verified)
    elif item.verification == "quoted":
        parts.append(words.from_notes)
    elif item.verification == "excerpt":
        parts.append(words.passage_excerpt)
    elif item.verification == "contradicted":
        parts.append(f"{check}: {words.says_otherwise}")
    elif item.verification == "weak":
        parts.append(f"{check}: {words.weak}")
    elif item.verification == "unverified":
        parts.append(check)
    elif item.verification == "echo":
        parts.append(f"{check}: {words.planted}")
    elif item.verification == "pending":
        parts.append(words.not_checked)
    return "; ".join(parts)


class WordWriter:
    """What an agent's `word` function writes its section with: headings, paragraphs, bullet lists, tables and
    its verified items."""

    def __init__(self, view: ReportView, template: Path | None = None):
        import docx
        from docx.shared import Pt, RGBColor

        self.view = view
        self.words = view.words
        """The report's labels in the brief's language."""
        self.doc = _open_template(template) if template is not None else docx.Document()
        if template is None:
            self.doc.styles["Normal"].font.size = Pt(10.5)
        self.styles = {s.name for s in self.doc.styles}
        self.footnotes = Footnotes(self.doc)
        self._pt = Pt
        self.red, self.grey = RGBColor(0x9B, 0x24, 0x23), RGBColor(0x5D, 0x68, 0x78)

    def style(self, name: str | None) -> str | None:
        """`name` if the document (a firm's template may lack it) has that style, else the default."""
        return name if name in self.styles else None

    def section(self, field: str) -> dict[str, str]:
        """The words of the section `field` (an agent's report field) in the brief's language."""
        return self.view.section_words[field]

    def kb_title(self, entry_id: str) -> str:
        return self.view.kb_title(entry_id)

    def heading(self, text: str, level: int) -> None:
        name = "Title" if level == 0 else f"Heading {level}"
        if name in self.styles:
            self.doc.add_heading(plain(text), level)
        else:
            self.doc.add_paragraph().add_run(plain(text)).bold = True

    def page_break(self) -> None:
        self.doc.add_page_break()

    def para(self, text: str = "", style: str | None = None, bold_prefix: str = "", italic: bool = False):
        p = self.doc.add_paragraph(style=self.style(style))
        if bold_prefix:
            p.add_run(plain(bold_prefix)).bold = True
        for span, bold in _spans(str(text)):
            run = p.add_run(span)
            run.bold, run.italic = bold or None, italic or None
        return p

    def note(self, p, text: str, color=None) -> None:
        if text:
            run = p.add_run(plain(f"  [{text}]"))
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
        """One item as a bullet: its status, its review, its basis, and its passage as a footnote."""
        p = self.para(text, "List Bullet")
        self.note(p, _status(item, self.words), self.red if self.view.brief.set_apart(item) else self.grey)
        self.reviewed(p, item)
        if item.kind == "inference" and item.basis:
            self.note(p, f"{self.words.basis}: {self.words.places(item.basis)}", self.grey)
        self.passages(p, item)

    def reviewed(self, p, item: Item) -> None:
        """What the review did to the item, and its notes."""
        mark, words = self.view.mark(item), self.words
        if mark is not None and mark.decision == "edited":
            self.note(p, words("edited", by=mark.decided.by, at=mark.decided.at[:10], original=plain(mark.original)),
                      self.grey)
        if mark is not None and mark.checked:
            self.note(p, words("checked", by=mark.checked.by, at=mark.checked.at[:10]), self.grey)
        if mark is not None and mark.flag == "basis-changed":
            self.note(p, words.basis_changed_line, self.red)
        for n in self.view.brief.notes(item):
            self.note(p, words("note", by=n.by, at=n.at[:10], text=n.text), self.grey)

    def passages(self, p, item: Item) -> None:
        """The item's passage as a footnote of `p`, labelled: found by the checker (it says it, or says
        otherwise) or from our notes, with its document and line or page."""
        for ev in item.evidence:
            where = ", ".join(filter(None, (ev.document or self.words.no_document, self.words.where(ev.locator))))
            self.footnotes.add(p, f"{upfirst(passage_label(item, self.words))}: {where}: \u201c{plain(ev.quote)}\u201d")

    def items(self, field: str, line) -> None:
        """One headed bullet list per group of the section `field`, without its unverified items (listed
        elsewhere); `line(item)` is an item's text."""
        for group in self.view.sections[field].groups:
            self.heading(group.title, 2)
            for item in group.items:
                self.item(line(item), item)

    def table(self, header: list[str], rows: list[list[str]]):
        t = self.doc.add_table(rows=1, cols=len(header))
        t.style = self.style("Table Grid")
        for cell, text in zip(t.rows[0].cells, header):
            cell.text = ""
            cell.paragraphs[0].add_run(plain(text)).bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = plain(text)
        self.doc.add_paragraph()
        return t


def _open_template(template: Path):
    """The firm's Word file, its body emptied (its styles, page setup, headers and footers kept)."""
    import docx

    try:
        doc = docx.Document(str(template))
    except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
        raise InputError(f"{template}: not a Word .docx file to take the styles of ({exc})") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def render_docx(report: PrepReport, path: Path | str | None = None, kb_dir: Path | None = None,
                review: Review | None = None, template: Path | None = None, view: ReportView | None = None) -> bytes:
    """The brief `review` makes of the report as a Word document (headings, paragraphs, bullet lists, the plan and
    guidance tables, the passages as footnotes), as bytes; also written atomically to `path` when one is given.
    `template`: a Word file whose styles, page setup and headers it takes; `view`: the view-model when already
    built (of this review)."""
    v = view or build_view(report, kb_dir, review)
    r = report = v.report
    dp, prov, words = r.deal_profile, r.provenance, v.words
    w = WordWriter(v, template)
    title = r.case.title or r.case.name
    w.doc.core_properties.title = _x(words("title", title=title))
    w.doc.core_properties.subject = _x(r.case.name)
    w.doc.core_properties.author = "negoprep"
    para = w.para

    for section in w.doc.sections:
        header = section.header.add_paragraph() if section.header.paragraphs[0].text.strip() else \
            section.header.paragraphs[0]
        header.add_run(_x(f"{title} \u00b7 {v.byline}"))
    w.heading(words("title", title=title), 0)
    para(v.byline, bold_prefix=f"{words.review}: ")
    for n in v.brief.notes():
        para(f"{n.text} ({n.by}, {n.at[:10]})", "List Bullet", bold_prefix=f"{words.reviewer_note}: ")
    facts = (f"{words.our_side}: {dp.our_side} · {words.counterpart}: {dp.counterpart} · {words.documents}: "
             f"{len(r.case.documents)} ({words('tokens', r.case.token_count)})")
    if prov.support is not None:
        facts += f" · {words.support}: {words('percent', round(prov.support * 100))}"
    if prov.quoted:
        facts += f" · {words.quoted}: {prov.quoted}"
    para(facts)
    para(words("notice", where=words.in_footnotes, check=words.check_before_use.upper()), italic=True)
    if prov.withheld:
        para(f"{words('withheld', prov.withheld)} {words.under_warnings}.", bold_prefix=f"{words.withheld_label}: ")

    for agent in registry.PREPARATION.lead:
        agent.word(w, getattr(report, agent.report_field), 0)
    for number, agent in enumerate(v.numbered, 1):
        w.page_break()
        agent.word(w, getattr(report, agent.report_field), number)

    if v.set_apart or v.removed or v.contradicted_removed or v.left_out or v.left_out_warnings:
        w.heading(f"{words.unverified_items} \u2014 {words.check_before_use}", 1)
    if v.left_out or v.left_out_warnings:
        para(left_out_line(v.left_out, words, v.left_out_warnings))
    if v.set_apart:
        para(words.set_apart)
        for entry in v.set_apart:
            p = para(words("model_wrote", text=entry.item.text), "List Bullet", bold_prefix=f"{entry.where}: ")
            w.note(p, "; ".join(entry.item.issues_found) or words.no_passage, w.red)
            w.reviewed(p, entry.item)
            w.passages(p, entry.item)
    if v.contradicted_removed:
        w.heading(words.removed_contradicted, 2)
        for warning in v.contradicted_removed:
            para(warning.message, "List Bullet")
    if v.removed:
        w.heading(words.removed_planted, 2)
        for warning in v.removed:
            para(warning.message, "List Bullet")
    if shown := [x for x in r.warnings if x not in v.left_out_warnings]:
        w.heading(words.warnings, 1)
        for warning in shown:
            located = words.where(warning.locator or (f"line {warning.line}" if warning.line else ""))
            where = f" ({warning.document}{f', {located}' if located else ''})" if warning.document else ""
            para(words.notice(warning), "List Bullet",
                 bold_prefix=f"{f'{warning.id} · ' if warning.id else ''}{words.code(warning.code)}{where}: ")
    if v.cited:
        w.heading(words.kb_used, 1)
        for cid in v.cited:
            if cid in v.kb:
                e = v.kb[cid]
                para(f" ({cid}) \u2014 {e.gist} {words.sources}: {'; '.join(e.sources)}", "List Bullet",
                     bold_prefix=e.title)
            else:
                para(f" \u2014 {words.kb_missing}", "List Bullet", bold_prefix=cid)

    w.heading(words.provenance, 1)
    para(f"negoprep {prov.negoprep_version} · {words.backend} {prov.backend} · {words.model} {prov.model} · "
         f"{words.number(prov.total_seconds)} s")
    for node, p in prov.prompts.items():
        para(f"{node}: {p.id} v{p.version} ({p.sha256[:12]})", "List Bullet")
    w.table([words.node, words.prompt_tokens, words.completion_tokens, words.cache, words.seconds],
            [[c.node, str(c.prompt_tokens), str(c.completion_tokens), c.cache, words.number(f"{c.seconds:.2f}")]
             for c in prov.calls])

    w.footnotes.save()
    buffer = io.BytesIO()
    w.doc.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        atomic_write_bytes(path, data)
    return data
