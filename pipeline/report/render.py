"""Render a `PrepReport` to JSON, Markdown and HTML (Jinja2 templates) and to Word (python-docx).

The HTML report is one self-contained file (inline CSS, no scripts, fonts or external URLs);
its template is autoescaped because every string in a report may come from untrusted case text.
"""

from __future__ import annotations

import io
from functools import lru_cache
import re
from pathlib import Path

from markupsafe import Markup
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipeline.checks.evidence import NO_PASSAGE
from pipeline.errors import InputError
from pipeline.files import atomic_write_bytes
from pipeline.rehearsal.files import rehearsal_numbers
from pipeline.report.view import build_view
from pipeline.schemas import PrepReport

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("json", "md", "html")
"""The formats `write_report` writes by default."""
SUPPORTED_FORMATS = ("json", "md", "html", "docx")
"""Every format `write_report` can write."""
TEXT_FORMATS = FORMATS


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _printable(value):
    """Model text may hold control characters (\\r, \\x0b, ...): printed as spaces."""
    if not isinstance(value, str):
        return value
    cleaned = _CONTROL.sub(" ", value)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


@lru_cache(maxsize=2)
def _environment(autoescape: bool) -> Environment:
    # select_autoescape matches the name's last suffix: "report.html.j2" needs "html.j2" listed,
    # or the HTML template would silently render unescaped case text.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        autoescape=select_autoescape(["html", "html.j2"], default=False) if autoescape else False,
        finalize=_printable,
    )
    env.filters["cell"] = _md_cell
    return env


def parse_formats(text: str) -> tuple[str, ...]:
    """A comma-separated format list ("md,json,html,docx") as a tuple without duplicates.

    Raises InputError naming the unknown format, so the CLI exits 2."""
    formats = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()))
    if not formats:
        raise InputError(f"no report format given (choose from {', '.join(SUPPORTED_FORMATS)})")
    for fmt in formats:
        if fmt not in SUPPORTED_FORMATS:
            raise InputError(f"unknown report format '{fmt}' (choose from {', '.join(SUPPORTED_FORMATS)})")
    return formats


def render(report: PrepReport, fmt: str, kb_dir: Path | None = None, rehearsals: tuple[int, ...] = ()) -> str:
    """The report as text in format `fmt` (json, md, html); docx is binary: see `render_docx`.
    The HTML links the `rehearsals` saved beside it (their numbers)."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt not in TEXT_FORMATS:
        hint = "; use render_docx" if fmt == "docx" else ""
        raise InputError(f"unknown text report format '{fmt}' (choose from {', '.join(TEXT_FORMATS)}{hint})")
    env = _environment(autoescape=fmt == "html")
    template = env.get_template(f"report.{fmt}.j2")
    return template.render(r=report, v=build_view(report, kb_dir), rehearsals=rehearsals)


def render_bytes(report: PrepReport, fmt: str, kb_dir: Path | None = None, rehearsals: tuple[int, ...] = ()) -> bytes:
    """The file content for format `fmt` (any of SUPPORTED_FORMATS)."""
    if fmt == "docx":
        return render_docx(report, kb_dir=kb_dir)
    return render(report, fmt, kb_dir, rehearsals).encode("utf-8")


def write_report(report: PrepReport, out_dir: Path, formats: tuple[str, ...] = FORMATS, kb_dir: Path | None = None) -> list[Path]:
    """Render every format first, then write each file atomically; the paths written.

    Nothing is written unless every format rendered: a failure leaves no half-written set."""
    unknown = [fmt for fmt in formats if fmt not in SUPPORTED_FORMATS]
    if unknown:
        raise InputError(f"unknown report format '{unknown[0]}' (choose from {', '.join(SUPPORTED_FORMATS)})")
    rehearsals = tuple(rehearsal_numbers(out_dir))
    rendered = {fmt: render_bytes(report, fmt, kb_dir, rehearsals) for fmt in dict.fromkeys(formats)}
    paths = []
    for fmt, data in rendered.items():
        path = Path(out_dir) / f"report.{fmt}"
        atomic_write_bytes(path, data)
        paths.append(path)
    return paths


# --- Word ------------------------------------------------------------------------------------

def _x(text: object) -> str:
    """Text safe for a Word XML part: case text may hold control characters lxml rejects."""
    return _CONTROL.sub("", str(text))


def _status(item) -> str:
    parts = []
    if item.kind == "inference":
        parts.append("inference" + (f", confidence {item.confidence}" if getattr(item, "confidence", None) else ""))
    if item.verification == "verified":
        parts.append("evidence verified" if item.kind == "inference" else "verified")
    elif item.verification == "weak":
        parts.append("CHECK BEFORE USE: the cited text does not support it")
    elif item.verification == "unverified":
        parts.append("CHECK BEFORE USE")
    elif item.verification == "echo":
        parts.append("CHECK BEFORE USE: it repeats instruction-like text planted in the materials")
    elif item.verification == "pending":
        parts.append("not checked")
    return "; ".join(parts)


def render_docx(report: PrepReport, path: Path | str | None = None, kb_dir: Path | None = None) -> bytes:
    """The report as a Word document (headings, paragraphs, bullet lists, the plan and guidance
    tables), as bytes; also written atomically to `path` when one is given."""
    import docx
    from docx.shared import Pt, RGBColor

    r, dp, cp, syn, prov = report, report.deal_profile, report.counterpart, report.synthesis, report.provenance
    v = build_view(report, kb_dir)
    doc = docx.Document()
    title = r.case.title or r.case.name
    doc.core_properties.title = _x(f"Negotiation preparation: {title}")
    doc.core_properties.subject = _x(r.case.name)
    doc.core_properties.author = "negoprep"
    doc.styles["Normal"].font.size = Pt(10.5)

    def para(text: str = "", style: str | None = None, bold_prefix: str = "", italic: bool = False):
        p = doc.add_paragraph(style=style)
        if bold_prefix:
            p.add_run(_x(bold_prefix)).bold = True
        run = p.add_run(_x(text))
        run.italic = italic
        return p

    def note(p, text: str, color: RGBColor | None = None) -> None:
        if text:
            run = p.add_run(_x(f"  [{text}]"))
            run.italic = True
            run.font.size = Pt(8.5)
            if color is not None:
                run.font.color.rgb = color

    red, grey = RGBColor(0x9B, 0x24, 0x23), RGBColor(0x5D, 0x68, 0x78)

    def verified_sections(field: str, line) -> None:
        """One headed bullet list per group, without its unverified items (listed elsewhere)."""
        for group in v.sections[field].groups:
            doc.add_heading(group.title, 2)
            for item in group.items:
                item_bullet(line(item), item)

    def bullets(title: str, texts: list[str]) -> None:
        if texts:
            doc.add_heading(title, 2)
            for text in texts:
                para(text, "List Bullet")

    def item_bullet(text: str, item) -> None:
        p = para(text, "List Bullet")
        note(p, _status(item), red if item.set_apart else grey)
        if item.kind == "inference" and item.basis:
            note(p, f"basis: {item.basis}", grey)
        for ev in item.evidence:
            where = ev.document + (f", {ev.locator}" if ev.locator else "") + (", found by the checker" if ev.located else "")
            q = para(f"\u201c{ev.quote}\u201d \u2014 {where}", "List Bullet 2", italic=True)
            q.runs[-1].font.size = Pt(9)

    def table(header: list[str], rows: list[list[str]]):
        t = doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, text in zip(t.rows[0].cells, header):
            cell.text = ""
            cell.paragraphs[0].add_run(_x(text)).bold = True
        for row in rows:
            cells = t.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = _x(text)
        doc.add_paragraph()
        return t

    doc.add_heading(_x(f"Negotiation preparation: {title}"), 0)
    facts = f"Our side: {dp.our_side} · Counterpart: {dp.counterpart} · Documents: {len(r.case.documents)} ({r.case.token_count} tokens)"
    if prov.support is not None:
        facts += f" · Evidence verified: {round(prov.support * 100)}%"
    para(facts)
    para("Drafted by language models from the case materials. Verified items quote the materials; inferences are "
         "judgements, not facts; anything marked CHECK BEFORE USE was not found in the materials.", italic=True)
    if prov.withheld:
        para(f"{prov.withheld} passage{'' if prov.withheld == 1 else 's'} of the materials read like instructions to the "
             f"model and {'was' if prov.withheld == 1 else 'were'} withheld from it (quoted under Warnings).",
             bold_prefix="Withheld: ")

    doc.add_heading("Executive summary", 1)
    para(syn.executive_summary)
    doc.add_heading("Plan across the three dimensions", 2)
    table(["Dimension", "Steps"], [[name.capitalize(), "\n".join(f"{i}. {s}" for i, s in enumerate(getattr(syn.plan, name), 1))]
                                   for name in ("process", "relationship", "substance")])
    doc.add_heading("Next wise moves", 2)
    for m in syn.next_moves:
        para(f" ({m.dimension}) \u2014 {m.why}", "List Number", bold_prefix=m.move)
    bullets("Questions to ask", syn.questions_to_ask)
    bullets("Verify before the meeting", syn.verify_before_meeting)

    doc.add_page_break()
    doc.add_heading("1. Deal profile", 1)
    para(dp.summary)
    def profile_line(item) -> str:
        prefix = f"{item.name} ({item.role.replace('_', ' ')}): " if hasattr(item, "name") else ""
        if hasattr(item, "side"):
            prefix += f"[{item.side}] "
        if hasattr(item, "type"):
            prefix += f"{item.type}, {item.strength} \u2014 "
        date = f" \u2014 {item.date}" if getattr(item, "date", "") else ""
        return prefix + item.text + date

    verified_sections("deal_profile", profile_line)
    bullets("Missing information", dp.missing_information)

    doc.add_page_break()
    doc.add_heading("2. Challenging the fixed pie", 1)
    para(r.challenge.reframe, bold_prefix="Reframe: ")
    def suggestion_line(s) -> str:
        trade = f"Give: {s.we_give} · Get: {s.we_get} \u2014 " if hasattr(s, "we_give") else ""
        cites = ", ".join(v.kb_title(c) for c in s.citations)
        return f"{trade}{s.text} ({s.dimension}; see {cites})"

    verified_sections("challenge", suggestion_line)

    doc.add_page_break()
    doc.add_heading(f"3. Counterpart profile: {_x(cp.name)}", 1)
    para(cp.style, bold_prefix="Style: ")
    verified_sections("counterpart", lambda item: item.text)
    doc.add_heading("Guidance", 2)
    table(["Communication", "Interaction", "Negotiation"],
          [[f"{g.advice} ({g.dimension})" if g else "" for g in row] for row in v.guidance])

    if v.set_apart or v.removed:
        doc.add_heading("Unverified items \u2014 check before use", 1)
    if v.set_apart:
        para("These items were stated as facts, but their quotes or numbers were not found in the materials, or the "
             "text they cite does not support them, or they repeat instruction-like text planted in the materials.")
        for entry in v.set_apart:
            p = para(entry.item.text, "List Bullet", bold_prefix=f"{entry.where}: ")
            note(p, "; ".join(entry.item.issues_found) or NO_PASSAGE, red)
    if v.removed:
        doc.add_heading("Removed from the brief: it repeated planted instructions", 2)
        for w in v.removed:
            para(w.message, "List Bullet")
    if r.warnings:
        doc.add_heading("Warnings", 1)
        for w in r.warnings:
            located = w.locator or (f"line {w.line}" if w.line else "")
            where = f" ({w.document}{f', {located}' if located else ''})" if w.document else ""
            para(w.message, "List Bullet", bold_prefix=f"{f'{w.id} · ' if w.id else ''}{w.code}{where}: ")
    if v.cited:
        doc.add_heading("Knowledge-base entries used", 1)
        for cid in v.cited:
            if cid in v.kb:
                e = v.kb[cid]
                para(f" ({cid}) \u2014 {e.gist} Sources: {'; '.join(e.sources)}", "List Bullet", bold_prefix=e.title)
            else:
                para(" \u2014 not found in the knowledge base used for rendering", "List Bullet", bold_prefix=cid)

    doc.add_heading("Provenance", 1)
    para(f"negoprep {prov.negoprep_version} · backend {prov.backend} · model {prov.model} · {prov.total_seconds} s")
    for node, p in prov.prompts.items():
        para(f"{node}: {p.id} v{p.version} ({p.sha256[:12]})", "List Bullet")
    table(["Node", "Prompt tokens", "Completion tokens", "Cache", "Seconds"],
          [[c.node, str(c.prompt_tokens), str(c.completion_tokens), c.cache, f"{c.seconds:.2f}"] for c in prov.calls])

    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        atomic_write_bytes(path, data)
    return data


def load_report(path: Path) -> PrepReport:
    """A report.json written by `prepare`; InputError when it is missing or not a report."""
    try:
        return PrepReport.model_validate_json(Path(path).read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read the report ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise InputError(f"{path}: not a negoprep report ({str(exc).splitlines()[0][:200]})") from None
