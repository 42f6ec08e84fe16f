"""Render a `PrepReport` to JSON, Markdown and HTML (Jinja2 templates; each agent's section its partial,
`templates/sections/<agent>.<format>.j2`) and to Word (`pipeline.report.word`).

The HTML report is one self-contained file (inline CSS, no scripts, fonts or external URLs);
its template is autoescaped because every string in a report may come from untrusted case text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from agents import registry
from pipeline.errors import InputError
from pipeline.files import atomic_write_bytes
from pipeline.rehearsal.files import rehearsal_numbers
from pipeline.report.view import (ReportView, build_view, echoes, left_out_line, passage_label, quotes_itself,
                                  shown_text)
from pipeline.report.word import CONTROL, render_docx
from pipeline.report.wording import upfirst
from pipeline.review import Review, load_review, save_review
from pipeline.review.rebase import rebase
from pipeline.schemas import PrepReport

TEMPLATES = Path(__file__).parent / "templates"
STRONG_MARK, CODE_MARK = re.compile(r"\*\*(.+?)\*\*"), re.compile(r"`(.+?)`")
FORMATS = ("json", "md", "html")
"""The formats `write_report` writes by default."""
SUPPORTED_FORMATS = ("json", "md", "html", "docx")
"""Every format `write_report` can write."""


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _printable(value):
    """Model text may hold control characters (\\r, \\x0b, ...): printed as spaces."""
    if not isinstance(value, str):
        return value
    cleaned = CONTROL.sub(" ", value)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


def _markdown_printable(value):
    """Markdown passes HTML through: `<` of case or model text printed as an entity, so no tag opens (Markup is
    the template's own; a `>` opens no tag and is left, so the partials' quote markers stay)."""
    value = _printable(value)
    if isinstance(value, str) and not isinstance(value, Markup):
        return value.replace("<", "&lt;")
    return value


def _marked(text: str) -> Markup:
    """Our own label text in HTML, its `**strong**` and `` `code` `` marks as tags (the rest escaped)."""
    html = str(escape(text))
    return Markup(CODE_MARK.sub(r"<code>\1</code>", STRONG_MARK.sub(r"<strong>\1</strong>", html)))


def _md_cells(items) -> Markup:
    """Table cell lines joined by `<br>` (the lines escaped, the breaks kept)."""
    return Markup("<br>".join(_markdown_printable(_md_cell(item)) for item in items))


@lru_cache(maxsize=4)
def _environment(autoescape: bool, partials: tuple[Path, ...] = ()) -> Environment:
    """The templates' environment; the agents' partials are found in `templates/sections/` and `partials`."""
    # select_autoescape matches the name's last suffix: "report.html.j2" needs "html.j2" listed,
    # or the HTML template would silently render unescaped case text.
    env = Environment(
        loader=FileSystemLoader([TEMPLATES, TEMPLATES / "sections", *partials]), undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
        autoescape=select_autoescape(["html", "html.j2"], default=False) if autoescape else False,
        finalize=_printable if autoescape else _markdown_printable,
    )
    env.filters["cell"] = _md_cell
    env.filters["cells"] = _md_cells
    env.filters["upfirst"] = upfirst
    env.filters["marked"] = _marked
    env.globals["passage_label"] = passage_label
    env.globals["left_out_line"] = left_out_line
    env.globals["quotes_itself"] = quotes_itself
    env.globals["echoes"] = echoes
    env.globals["shown_text"] = shown_text
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


def render(report: PrepReport, fmt: str, kb_dir: Path | None = None, rehearsals: tuple[int, ...] = (),
           review: Review | None = None, view: ReportView | None = None) -> str:
    """The report as text in format `fmt` (json, md, html); docx is binary: see `render_docx`.
    The HTML links the `rehearsals` saved beside it (their numbers). Markdown and HTML show the brief `review`
    makes of it; the JSON is the report as recorded. `view`: the view-model when already built (of this review)."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt not in FORMATS:
        hint = "; use render_docx" if fmt == "docx" else ""
        raise InputError(f"unknown text report format '{fmt}' (choose from {', '.join(FORMATS)}{hint})")
    partials = tuple(dict.fromkeys(a.partials for a in registry.PREPARATION if a.partials is not None))
    env = _environment(fmt == "html", partials)
    template = env.get_template(f"report.{fmt}.j2")
    view = view or build_view(report, kb_dir, review)
    return template.render(r=view.report, v=view, rehearsals=rehearsals)


def render_bytes(report: PrepReport, fmt: str, kb_dir: Path | None = None, rehearsals: tuple[int, ...] = (),
                 review: Review | None = None, docx_template: Path | None = None,
                 view: ReportView | None = None) -> bytes:
    """The file content for format `fmt` (any of SUPPORTED_FORMATS); `docx_template`: the firm's Word file
    whose styles the Word report takes."""
    if fmt == "docx":
        return render_docx(report, kb_dir=kb_dir, review=review, template=docx_template, view=view)
    return render(report, fmt, kb_dir, rehearsals, review, view).encode("utf-8")


def write_report(report: PrepReport, out_dir: Path, formats: tuple[str, ...] = FORMATS, kb_dir: Path | None = None,
                 docx_template: Path | None = None) -> list[Path]:
    """Render every format first, then write each file atomically; the paths written. The review file beside
    the report (if any) is carried over to it, and the Markdown, HTML and Word files show the reviewed brief.

    Nothing is written unless every format rendered: a failure leaves no half-written set."""
    unknown = [fmt for fmt in formats if fmt not in SUPPORTED_FORMATS]
    if unknown:
        raise InputError(f"unknown report format '{unknown[0]}' (choose from {', '.join(SUPPORTED_FORMATS)})")
    rehearsals = tuple(rehearsal_numbers(out_dir))
    recorded = load_review(out_dir)
    review = rebase(recorded, report) if recorded is not None else None
    view = build_view(report, kb_dir, review) if set(formats) - {"json"} else None  # one view-model for every format
    rendered = {fmt: render_bytes(report, fmt, kb_dir, rehearsals, review, docx_template, view)
                for fmt in dict.fromkeys(formats)}
    paths = []
    for fmt, data in rendered.items():
        path = Path(out_dir) / f"report.{fmt}"
        atomic_write_bytes(path, data)
        paths.append(path)
    if review is not recorded:
        save_review(out_dir, review)
    return paths


def write_reviewed(report: PrepReport, out_dir: Path, kb_dir: Path | None = None,
                   docx_template: Path | None = None) -> list[Path]:
    """The report's Markdown, HTML and Word files in `out_dir` (those there, and Word with a template) written
    again as the brief its review makes; report.json is left as recorded."""
    formats = tuple(f for f in ("md", "html", "docx")
                    if (Path(out_dir) / f"report.{f}").is_file() or (f == "docx" and docx_template))
    return write_report(report, out_dir, formats, kb_dir, docx_template) if formats else []


def load_report(path: Path) -> PrepReport:
    """A report.json written by `prepare`; InputError when it is missing or not a report."""
    try:
        return PrepReport.model_validate_json(Path(path).read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read the report ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise InputError(f"{path}: not a negoprep report ({str(exc).splitlines()[0][:200]})") from None
