"""The consultant's review in a real headless Chromium: upload telco-paysys, prepare on the recorded run, reject an
item the counterpart would have kept in its notes, edit a figure (which the claim checker marks), mark a
check-before-use item checked, approve; then the downloaded Word file and a rehearsal started afterwards. Saves
screenshots of the report under review to out/test-artifacts/."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re

import docx
import pytest

from pipeline.rehearsal.persona import persona_from_report
from pipeline.report.footnotes import read_footnotes
from pipeline.review import report_items
from pipeline.schemas import PrepReport
from tests.chromium import CHROMIUM, headless_chromium
from tests.e2e.test_web_browser import ARTIFACTS, Page, _downloaded, _serve
from tests.unit.web.test_web import PIPELINE_NODES
from tests.web_support import FIRST_TURN, replay_cassette, telco_documents, telco_fields  # noqa: F401 - a fixture

REVIEWER = "Ann Berg"


async def _persona_of_rehearsal(out_dir, number: int):
    """The counterpart's notes of rehearsal `number`, as its checkpoint holds them."""
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    from pipeline.prep.run import CHECKPOINT_FILE, checkpoint_serializer
    from pipeline.rehearsal import schemas
    from pipeline.rehearsal.graph import compile_rehearsal
    from pipeline.rehearsal.runner import thread_id_for

    async with aiosqlite.connect(str(out_dir / CHECKPOINT_FILE)) as conn:
        graph = compile_rehearsal(checkpointer=AsyncSqliteSaver(conn, serde=checkpoint_serializer(schemas)))
        config = {"configurable": {"thread_id": thread_id_for(out_dir / "report.json", number)}}
        return (await graph.aget_state(config)).values.get("persona")


def _choices(report: PrepReport) -> dict[str, str]:
    """The items the test reviews: one the counterpart would keep in its notes (to reject), one verified item
    stating a date or figure the materials give (to edit)."""
    items = report_items(report)
    private = {p.text for p in persona_from_report(report).private}
    reject = next(i for i, f in items.items() if f.item.text in private)
    verified = [i for i, f in items.items() if f.item.verification == "verified" and i != reject]
    edit = next((i for i in verified if "31 March" in items[i].item.text), None) or next(
        i for i in verified if re.search(r"\d", items[i].item.text) and not i.startswith("synthesis."))
    return {"reject": reject, "edit": edit}


def _edited(text: str) -> str:
    """The text with its date moved (31 March to 30 April), else its first number changed: a figure the
    materials do not give."""
    if "31 March" in text:
        return text.replace("31 March", "30 April", 1)
    return re.sub(r"\d+", lambda m: str(int(m.group()) * 7 + 3), text, count=1)


async def _screenshot(page: Page, selector: str | None = None) -> bytes:
    if selector:
        await page.js(f"document.querySelector({json.dumps(selector)}).scrollIntoView()")
        await asyncio.sleep(0.3)
    return base64.b64decode((await page.send("Page.captureScreenshot", {"format": "png"}))["data"])


async def _review_session(url: str, tmp_path, out_dir) -> dict:
    downloads = tmp_path / "downloads"
    async with headless_chromium(tmp_path / "chromium-profile", 1280, 1100) as (cdp, session):
        page = Page(cdp, session)
        await cdp.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads),
                                                        "eventsEnabled": True})
        await page.goto(url + "/cases/new")
        chooser = await page.send("Runtime.evaluate", {"expression": "document.getElementById('files')"})
        await page.send("DOM.setFileInputFiles", {"objectId": chooser["result"]["objectId"],
                                                   "files": [str(p) for p in telco_documents()]})
        for name, value in telco_fields().items():
            await page.js(f"document.querySelector('[name={name}]').value = {json.dumps(value)}")
        await page.loads(lambda: page.click("#new-case button[type=submit]"))
        case_url = (await page.js("location.href")).rstrip("/")
        await page.loads(lambda: page.click("#prepare-button"))
        await page.until(f"document.querySelectorAll('#progress tr[data-status=done]').length == {len(PIPELINE_NODES)}"
                         " && !!document.getElementById('open-report')", timeout=120)
        await page.loads(lambda: page.click("#open-report"))
        report = PrepReport.model_validate_json((out_dir / "report.json").read_bytes())
        chosen = _choices(report)
        original = report_items(report)[chosen["edit"]].item.text
        new_text = _edited(original)

        async def act(button: str, **fields: str) -> None:
            await page.js(f"document.getElementById('review-by').value = {json.dumps(REVIEWER)}")
            for name, value in fields.items():
                await page.js(f"document.querySelector('[name=\"{name}\"]').value = {json.dumps(value)}")
            await page.loads(lambda: page.click(f'button[value="{button}"]'))

        await act(f"reject:{chosen['reject']}")
        await act(f"edit:{chosen['edit']}", **{f"text:{chosen['edit']}": new_text})
        checked = await page.js("(document.querySelector('button[value^=\"check:\"]') || {}).value || ''")
        await act(checked)
        await act("approve:")

        rows = await page.js("Object.fromEntries(Array.from(document.querySelectorAll('tr[data-item]')).map(tr =>"
                             " [tr.dataset.item, {decision: tr.dataset.decision, checked: tr.dataset.checked,"
                             " state: tr.querySelector('.vstate').dataset.state}]))")
        state = await page.js("document.getElementById('review-state').textContent")
        problems = await page.js("(document.getElementById('review-problem') || {}).textContent || ''")
        row = 'tr[data-item="%s"]' % chosen["edit"]
        await page.js(f"document.querySelector({json.dumps(row)}).querySelector('details').open = true")
        panel_png = await _screenshot(page, row)
        frame_png = await _screenshot(page, "#report-frame")

        await page.click("#download-docx")
        word = await _downloaded(downloads, "telco-paysys-report.docx")

        await page.goto(case_url + "/rehearse")
        await page.js(f"document.getElementById('turn-text').value = {json.dumps(FIRST_TURN)}")
        await page.click("#send-turn")
        answer = await page.until("Array.from(document.querySelectorAll('.turn.counterpart, .turn.error'))"
                                  ".map(p => [p.className, p.textContent])[0]")
        return {"report": report, "chosen": chosen, "original": original, "new_text": new_text, "checked": checked,
                "rows": rows, "state": state, "problems": problems, "panel_png": panel_png, "frame_png": frame_png,
                "word": word, "answer": answer}


async def test_consultant_reviews_approves_exports_and_rehearses_the_reviewed_brief(tmp_path, replay_cassette):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    workspace = tmp_path / "workspace"
    out_dir = workspace / "out" / "telco-paysys"
    proc, url = _serve(workspace, replay_cassette, tmp_path)
    try:
        result = await asyncio.wait_for(_review_session(url, tmp_path, out_dir), 300)
    finally:
        proc.terminate()
        proc.wait(10)

    chosen, rows, report = result["chosen"], result["rows"], result["report"]
    assert result["problems"] == ""
    assert rows[chosen["reject"]]["decision"] == "rejected"
    assert rows[chosen["edit"]]["decision"] == "edited"
    assert rows[chosen["edit"]]["state"] != "verified", "the checker marks the edited figure"
    assert result["checked"] and rows[result["checked"].split(":", 1)[1]]["checked"] == "1"
    assert result["state"].startswith(f"Approved by {REVIEWER} on ")
    assert PrepReport.model_validate_json((out_dir / "report.json").read_bytes()) == report

    word = docx.Document(str(result["word"]))
    text = "\n".join(p.text for p in word.paragraphs)
    rejected = report_items(report)[chosen["reject"]].item.text
    assert result["new_text"] in text and rejected not in text
    assert f"Approved by {REVIEWER}" in word.sections[0].header.paragraphs[0].text
    notes = read_footnotes(word)
    assert notes and any(", line " in n for n in notes.values()) and "**" not in text

    persona = await _persona_of_rehearsal(out_dir, 1)
    assert persona is not None, result["answer"]
    assert rejected not in [p.text for p in persona.private] + persona.facts

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in ("panel_png", "frame_png"):
        assert result[name][:8] == b"\x89PNG\r\n\x1a\n" and len(result[name]) > 20_000
    (ARTIFACTS / "web-review-panel.png").write_bytes(result["panel_png"])
    (ARTIFACTS / "web-report-reviewed.png").write_bytes(result["frame_png"])
    print(f"\nscreenshots: {ARTIFACTS / 'web-review-panel.png'}, {ARTIFACTS / 'web-report-reviewed.png'}; "
          f"rehearsal's first answer: {result['answer']}")
