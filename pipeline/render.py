"""Render a `PrepReport` to Markdown (and other formats) from Jinja2 templates."""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from pipeline.io import atomic_write_text
from pipeline.knowledge import Entry, KnowledgeBase
from pipeline.schemas import PrepReport

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("json", "md")
SECTION_TITLES = {
    "parties": "Parties", "issues": "Issues", "interests": "Interests", "positions": "Positions",
    "alternatives": "Alternatives", "dependencies": "Dependencies", "risks": "Risks",
    "deadlines": "Deadlines", "constraints": "Constraints",
    "widened_elements": "Widen the field: what this negotiation is made of",
    "hidden_trades": "Hidden trades", "partial_alternatives": "Partial alternatives",
    "their_dependencies": "Their dependencies (what problem will they still have tomorrow morning?)",
    "warnings": "Warnings (not threats)", "process_moves": "Process moves (tactical consent)",
}


def _md_cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        autoescape=select_autoescape(["html"]) if autoescape else False,
    )
    env.filters["cell"] = _md_cell
    return env


def _kb_entries(report: PrepReport, kb_dir: Path | None) -> dict[str, Entry]:
    """The knowledge-base entries the report cites, by id (empty if the KB is unavailable)."""
    if kb_dir is None:
        return {}
    try:
        kb = KnowledgeBase.load(kb_dir)
    except Exception:  # noqa: BLE001 - rendering must not fail on a KB problem
        return {}
    cited = [c for group in report.challenge.suggestion_lists().values() for s in group for c in s.citations]
    return {cid: kb.by_id[cid] for cid in dict.fromkeys(cited) if cid in kb.by_id}


def render(report: PrepReport, fmt: str, kb_dir: Path | None = None) -> str:
    """The report as text in format `fmt` (json, md)."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    env = _environment(autoescape=fmt == "html")
    template = env.get_template(f"report.{fmt}.j2")
    return template.render(r=report, kb=_kb_entries(report, kb_dir), titles=SECTION_TITLES)


def write_report(report: PrepReport, out_dir: Path, formats: tuple[str, ...] = FORMATS, kb_dir: Path | None = None) -> list[Path]:
    """Render every format first, then write each file atomically; the paths written."""
    rendered = {fmt: render(report, fmt, kb_dir) for fmt in formats}
    paths = []
    for fmt, text in rendered.items():
        path = Path(out_dir) / f"report.{fmt}"
        atomic_write_text(path, text)
        paths.append(path)
    return paths


def load_report(path: Path) -> PrepReport:
    return PrepReport.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
