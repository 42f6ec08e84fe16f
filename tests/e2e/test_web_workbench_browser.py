"""The consultant's case list and rehearsal page in a real headless Chromium: every case's state, search,
the archive toggle; a rehearsal turn with speaker labels, Send disabled while waiting, the conversation
kept on reload. Saves screenshots of both pages to out/test-artifacts/.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from pipeline.report.render import load_report, write_report
from tests.chromium import CHROMIUM, console_errors, headless_chromium
from tests.conftest import CASSETTES
from tests.e2e.test_web_browser import ARTIFACTS, Page, _serve
from tests.web_support import FIRST_TURN, TELCO, replay_cassette, telco_documents  # noqa: F401 - a fixture


def _workspace(root: Path) -> Path:
    """A workspace with telco-paysys prepared (the recorded brief) and cases in the other states."""
    cases, out = root / "cases", root / "out"
    past = time.time() - 3600

    def case(name: str, documents: list[Path], title: str, report: bool = False, **files: str) -> None:
        folder = cases / name
        folder.mkdir(parents=True)
        for doc in documents:
            shutil.copyfile(doc, folder / doc.name)
            os.utime(folder / doc.name, (past, past))
        (folder / "case.yaml").write_text(f"title: {title}\n", encoding="utf-8")
        (out / name).mkdir(parents=True, exist_ok=True)
        if report:
            write_report(load_report(CASSETTES / "telco-paysys.report.json"), out / name, ("json",))
        for file, text in files.items():
            (out / name / file.replace("_", ".", 1)).write_text(text, encoding="utf-8")

    shutil.copytree(TELCO, cases / "telco-paysys", ignore=shutil.ignore_patterns("expected.yaml"))
    for doc in (cases / "telco-paysys").iterdir():
        os.utime(doc, (past, past))
    (out / "telco-paysys").mkdir(parents=True)
    write_report(load_report(CASSETTES / "telco-paysys.report.json"), out / "telco-paysys", ("json",))
    notes = telco_documents()[:1]
    case("harbour-lease", notes, "Harbour crane lease renewal", report=True,
         review_json=json.dumps({"state": "approved"}))
    case("nordic-freight", notes, "Nordic freight framework", report=True,
         run_json=json.dumps({"status": "failed", "error": "model backend failed in node extract: timed out",
                              "finished_at": "2026-12-06T16:20:00+00:00"}))
    case("paysys-renewal", notes, "PaySys renewal 2027", report=True)
    (cases / "paysys-renewal" / "new-offer.md").write_text("# New offer\nPaySys offers EUR 50 million.\n")
    case("old-tender", notes, "Old tender (2024)", report=True,
         **{"case-state_json": json.dumps({"archived": True})})
    case("fresh-case", notes, "A case not yet prepared")
    return root


async def _session(url: str, tmp_path: Path) -> dict:
    async with headless_chromium(tmp_path / "chromium-profile", 1280, 900) as (cdp, session):
        page = Page(cdp, session)
        await page.goto(url + "/")
        rows = await page.js("Array.from(document.querySelectorAll('tr[data-case]')).map(tr => "
                             "[tr.dataset.case, Array.from(tr.querySelectorAll('.badge')).map(b => b.textContent)])")
        case_list = base64.b64decode((await page.send("Page.captureScreenshot", {"format": "png"}))["data"])
        await page.js("document.querySelector('#search [name=q]').value = 'crane'")
        await page.loads(lambda: page.js("document.getElementById('search').submit()"))
        searched = await page.js("Array.from(document.querySelectorAll('tr[data-case]')).map(tr => tr.dataset.case)")
        await page.loads(lambda: page.send("Page.navigate", {"url": url + "/?archived=1"}))
        with_archived = await page.js("document.querySelectorAll('tr[data-case]').length")

        await page.goto(url + "/cases/telco-paysys/rehearse")
        await page.js(f"document.getElementById('turn-text').value = {json.dumps(FIRST_TURN)}")
        disabled_while_waiting = await page.js(
            "(() => { const b = document.getElementById('send-turn'); b.click(); return b.disabled; })()")
        answer = await page.until("(() => { const p = document.querySelector('.turn.counterpart, .turn.error');"
                                  " return p && [p.className, p.querySelector('.who') ? p.querySelector('.who').textContent : '',"
                                  " p.textContent]; })()")
        enabled_after = await page.js("!document.getElementById('send-turn').disabled")
        await page.goto(url + "/cases/telco-paysys/rehearse")
        kept = await page.js("Array.from(document.querySelectorAll('#chat .turn')).map(p => p.querySelector('.who').textContent)")
        thread = await page.js("document.getElementById('chat').dataset.thread")
        instructions = await page.js("document.querySelector('main').innerText")
        rehearsal = base64.b64decode((await page.send("Page.captureScreenshot", {"format": "png"}))["data"])
        return {"rows": dict(rows), "case_list": case_list, "searched": searched, "with_archived": with_archived,
                "disabled": disabled_while_waiting, "answer": answer, "enabled_after": enabled_after, "kept": kept,
                "thread": thread, "instructions": instructions, "rehearsal": rehearsal,
                "errors": console_errors(cdp.events)}


async def test_the_case_list_and_the_rehearsal_page_in_chromium(tmp_path, replay_cassette):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    proc, url = _serve(_workspace(tmp_path / "workspace"), replay_cassette, tmp_path)
    try:
        result = await asyncio.wait_for(_session(url, tmp_path), 180)
    finally:
        proc.terminate()
        proc.wait(10)

    assert result["errors"] == []
    assert result["rows"] == {
        "telco-paysys": ["draft"], "harbour-lease": ["approved"], "nordic-freight": ["last run failed", "draft"],
        "paysys-renewal": ["out of date", "draft"], "fresh-case": ["not prepared yet"],
    }
    assert result["searched"] == ["harbour-lease"] and result["with_archived"] == 6

    assert result["disabled"] is True and result["enabled_after"] is True
    kind, speaker, said = result["answer"]
    assert kind == "turn counterpart" and speaker and speaker != "Counterpart" and said.strip()
    assert result["kept"] == ["You", speaker, "Coach"] and result["thread"] == "1"
    assert "/end" in result["instructions"] and "process_step" not in result["instructions"]
    assert "<turn>" not in result["instructions"]

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, png in (("web-case-list.png", result["case_list"]), ("web-rehearsal-page.png", result["rehearsal"])):
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
        (ARTIFACTS / name).write_bytes(png)
    print(f"\nscreenshots: {ARTIFACTS / 'web-case-list.png'}, {ARTIFACTS / 'web-rehearsal-page.png'}")
