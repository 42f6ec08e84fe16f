"""The HTML (and Word) report: self-contained, escaped, and clean in a real headless Chromium.

The report comes from the real graph with the synthetic transport (clearly labelled synthetic
answers, no model); hostile strings are then injected where case text would land.
"""

from __future__ import annotations

from html import escape

import asyncio
import base64
import io
import json
import os
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from markupsafe import escape

from agents import registry
from pipeline.errors import InputError
from pipeline.knowledge import KnowledgeBase
from pipeline.report.render import FORMATS, parse_formats, render, render_docx, write_report
from pipeline.schemas import Inference, Evidence, PrepReport
from tests.chromium import CHROMIUM, console_errors, headless_chromium
from tests.conftest import DATA, ROOT, run_prep

KB = ROOT / "knowledge_base"
ARTIFACTS = ROOT / "out" / "test-artifacts"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
TINY_QUOTE = "The client paid on 21 April"  # a real sentence of tests/data/cases/tiny/brief.md


async def _synthetic_report(transport: httpx.AsyncBaseTransport | None = None) -> PrepReport:
    return await run_prep(DATA / "cases" / "tiny", transport)


def _hostile(report: PrepReport) -> PrepReport:
    """The synthetic report with untrusted markup wherever case text lands, plus one verified
    fact and one verified inference so every marking is rendered."""
    report = report.model_copy(deep=True)
    dp, cp = report.deal_profile, report.counterpart
    dp.summary = HOSTILE
    dp.our_side = "<b>bold</b> & co"
    dp.issues[0].text = '"><script>alert(3)</script>'
    dp.issues[0].verification = "verified"
    dp.issues[0].kind = "fact"
    dp.issues[0].evidence = [Evidence(document="brief.md", quote=TINY_QUOTE + " <img src=x onerror=alert(4)>",
                                      locator="line 7", match_score=96.5)]
    dp.deadlines[0].verification = "verified"
    dp.deadlines[0].date = "8 May 2026"
    dp.deadlines[0].evidence = [Evidence(document="brief.md", quote="Jonas has asked for an answer by 8 May 2026",
                                         locator="line 18", match_score=100.0)]
    if not cp.pressures:  # the synthetic pressures name no line of the materials, so the profiler dropped them
        cp.pressures.append(Inference(text="They want the second project to go ahead.", confidence="low"))
    cp.pressures[0].kind = "inference"
    cp.pressures[0].verification = "inference"
    cp.pressures[0].confidence = "medium"
    cp.pressures[0].evidence = []
    cp.pressures[0].basis = "<style>body{display:none}</style>"
    report.synthesis.executive_summary = "</title><script>alert(5)</script>"
    report.synthesis.next_moves[0].move = "<iframe srcdoc='x'></iframe>"
    report.challenge.reframe = "<link rel=stylesheet href=x>"
    report.warnings[0].message = "<svg onload=alert(6)>"
    return report


class _Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture
async def report() -> PrepReport:
    return _hostile(await _synthetic_report())


def test_html_is_a_default_format_and_formats_parse():
    assert FORMATS == ("json", "md", "html")
    assert parse_formats("md, json,html,docx,md") == ("md", "json", "html", "docx")
    with pytest.raises(InputError, match="unknown report format 'pdf'"):
        parse_formats("md,pdf")


def test_html_escapes_case_text_and_references_nothing_outside(report):
    html = render(report, "html", KB)
    lowered = html.lower()
    for bad in ("<script", "<img", "<iframe", "<svg", "<link", "<style>body", "http://", "https://", "@import", "url("):
        assert bad not in lowered, bad
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert "&#34;&gt;&lt;script&gt;alert(3)" in html
    assert "&lt;/title&gt;&lt;script&gt;alert(5)" in html
    assert html.count("<style>") == 1 and html.count("<title>") == 1
    assert "@media print" in html and "break-before: page" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html

    tags = _Tags()
    tags.feed(html)
    names = {t for t, _ in tags.tags}
    assert not names & {"script", "img", "iframe", "svg", "link", "object", "embed", "form", "base"}
    for tag, attrs in tags.tags:
        assert not any(a.startswith("on") for a in attrs), (tag, attrs)
        assert "src" not in attrs and "srcdoc" not in attrs, (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs
    anchors = {attrs["id"] for _, attrs in tags.tags if "id" in attrs}
    assert all(attrs["href"][1:] in anchors for _, attrs in tags.tags if "href" in attrs), "a link without its anchor"

    cited = {c for group in report.challenge.suggestion_lists().values() for s in group for c in s.citations}
    assert cited
    for cid in cited:
        assert f'id="kb-{cid}"' in html and f'href="#kb-{cid}"' in html


def test_html_content_order_and_markings(report):
    html = render(report, "html", KB)
    order = ["<h1>", 'id="briefing"', "Plan across the three dimensions", "Next wise moves", "Questions to ask",
             'id="deal-profile"', 'id="fixed-pie"', 'id="counterpart"', 'id="unverified"', 'id="warnings"',
             'id="knowledge-base"', 'id="provenance"']
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions), "sections out of order"
    assert report.case.title in html and escape(report.deal_profile.counterpart) in html
    cover = html.split("</header>", 1)[0]
    assert "<dt>Deadline</dt><dd>8 May 2026</dd>" in cover and "<dt>Found in the materials</dt>" in cover
    assert "model cited" not in html and "cited another" not in html

    # Evidence: collapsible, with the quote, the document and the locator; verified marked.
    verified = html.split('id="deal-profile"', 1)[1].split('id="fixed-pie"', 1)[0]
    assert "<details class=\"ev\">" in verified and "<summary>" in verified
    assert TINY_QUOTE in verified and "brief.md · line 7" in verified and "match 96.5%" in verified
    assert "&#10003; verified" in verified and "Passage found by the checker" in verified
    # Inference: badge, confidence and basis.
    profile = html.split('id="counterpart"', 1)[1].split('id="unverified"', 1)[0]
    assert "inference</span>" in profile and "confidence: medium" in profile
    assert "Basis: &lt;style&gt;" in profile
    # Unverified items: their own section, marked "check before use", with the problems found.
    check = html.split('id="unverified"', 1)[1].split('id="warnings"', 1)[0]
    apart = [i for p in registry.premises(registry.report_sections(report)) for i in [p.item] if i.set_apart]
    assert "Check before use" in check and apart
    assert all(str(escape(i.issues_found[0])) in check for i in apart if i.issues_found)
    assert check.count("<tr>") - 1 == len(apart)  # one row per item set apart, whatever its section
    # Knowledge base: title, gist and sources of each cited entry.
    appendix = html.split('id="knowledge-base"', 1)[1].split('id="provenance"', 1)[0]
    kbase = KnowledgeBase.load(ROOT / "knowledge_base")
    cited = {c for group in report.challenge.suggestion_lists().values() for s in group for c in s.citations}
    known = [c for c in cited if c in kbase.by_id]
    assert known and all(str(escape(kbase.by_id[c].title)) in appendix for c in known)
    assert '<ul class="sources">' in appendix
    # Provenance: backend, model, prompt versions and hash prefixes, a calls table.
    prov = html.split('id="provenance"', 1)[1]
    p = report.provenance
    assert p.backend in prov and p.model in prov
    for info in p.prompts.values():
        assert info.sha256[:12] in prov and info.id in prov
    assert prov.count("<tr>") >= len(p.calls) + len(p.prompts)


def test_html_renders_without_a_knowledge_base(report):
    html = render(report, "html", None)
    cited = {c for group in report.challenge.suggestion_lists().values() for s in group for c in s.citations}
    for cid in cited:
        assert f'id="kb-{cid}"' in html
    assert "Not found in the knowledge base" in html


def test_docx_has_headings_lists_and_the_plan_table(report, tmp_path):
    import docx

    data = render_docx(report, tmp_path / "r.docx", kb_dir=KB)
    assert data[:2] == b"PK" and (tmp_path / "r.docx").read_bytes() == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "word/document.xml" in z.namelist()
    doc = docx.Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    for expected in ("Executive summary", "Plan across the three dimensions", "1. Deal profile",
                     "2. Challenging the fixed pie", "Provenance"):
        assert expected in headings
    assert any(p.style.name == "List Bullet" for p in doc.paragraphs)
    plan = doc.tables[0]
    assert [c.text for c in plan.rows[0].cells] == ["Dimension", "Steps"]
    assert [row.cells[0].text for row in plan.rows[1:]] == ["Process", "Relationship", "Substance"]
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert HOSTILE in texts  # plain text in Word, not markup
    # Control characters from case text must not break the document.
    report.deal_profile.summary = "bell\x07 and nul\x00 gone"
    cleaned = docx.Document(io.BytesIO(render_docx(report)))
    assert "bell and nul gone" in "\n".join(p.text for p in cleaned.paragraphs)


def test_write_report_writes_all_or_nothing(report, tmp_path, monkeypatch):
    paths = write_report(report, tmp_path / "all", ("json", "md", "html", "docx"), kb_dir=KB)
    assert [p.name for p in paths] == ["report.json", "report.md", "report.html", "report.docx"]
    assert json.loads(paths[0].read_text())["case"]["name"] == "tiny"
    assert [p.name for p in write_report(report, tmp_path / "default", kb_dir=KB)] == ["report.json", "report.md", "report.html"]

    with pytest.raises(InputError):
        write_report(report, tmp_path / "bad", ("json", "pdf"))
    assert not (tmp_path / "bad").exists()

    import pipeline.report.render as render_module

    def broken(*args, **kwargs):
        raise RuntimeError("docx failed")

    monkeypatch.setattr(render_module, "render_docx", broken)
    with pytest.raises(RuntimeError):
        write_report(report, tmp_path / "half", ("json", "md", "html", "docx"), kb_dir=KB)
    assert not (tmp_path / "half").exists()


# --- a real headless Chromium ------------------------------------------------------------------


async def _browse(url: str, user_data: Path) -> dict:
    """Load `url` in headless Chromium; console errors, title, requests, a screenshot and a PDF."""
    async with headless_chromium(user_data) as (cdp, session):
        loaded = cdp.expect("Page.loadEventFired")
        await cdp.send("Page.navigate", {"url": url}, session=session)
        await asyncio.wait_for(loaded, 30)
        await asyncio.sleep(0.5)  # late console messages
        title = (await cdp.send("Runtime.evaluate", {"expression": "document.title", "returnByValue": True},
                                session=session))["result"]["value"]
        details = (await cdp.send("Runtime.evaluate", {
            "expression": "[document.querySelectorAll('details').length, document.scripts.length,"
                          " document.querySelector('section#briefing') !== null]",
            "returnByValue": True}, session=session))["result"]["value"]
        png = await cdp.send("Page.captureScreenshot", {"format": "png"}, session=session)
        pdf = await cdp.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, session=session)
        requests = [e["params"]["request"]["url"] for e in cdp.events if e.get("method") == "Network.requestWillBeSent"]
        errors = console_errors(cdp.events)
    return {"title": title, "details": details, "png": base64.b64decode(png["data"]),
            "pdf": base64.b64decode(pdf["data"]), "requests": requests, "errors": errors}


async def test_report_in_headless_chromium(report, tmp_path):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    pytest.importorskip("websockets", minversion="13")
    html_path = write_report(report, tmp_path / "report", ("html",), kb_dir=KB)[0]
    result = await asyncio.wait_for(_browse(html_path.as_uri(), tmp_path / "chromium-profile"), 60)

    assert result["errors"] == [], result["errors"]
    assert report.case.name in result["title"] and report.case.title in result["title"]
    n_details, n_scripts, has_briefing = result["details"]
    assert n_details >= 1 and n_scripts == 0 and has_briefing
    assert all(u.startswith(("file://", "data:", "about:")) for u in result["requests"]), result["requests"]

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / "report-first-page.png"
    png.write_bytes(result["png"])
    (ARTIFACTS / "report.pdf").write_bytes(result["pdf"])
    assert result["png"][:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", result["pdf"]))
    assert pages >= 6, f"print layout should break between the main sections, got {pages} pages"
    print(f"\nscreenshot: {png}\nprint PDF: {ARTIFACTS / 'report.pdf'}")
