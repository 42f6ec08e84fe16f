"""`negoprep serve` driven in a real headless Chromium, as a consultant uses it: upload the telco-paysys
files, prepare on replayed answers (tests/web_support.py), watch the node events arrive, read the
report, download report.json, try a rehearsal turn. Saves a screenshot of the report page and prints
the time from upload to report.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pipeline.schemas import PrepReport
from agents.registry import report_items
from tests.chromium import CHROMIUM, DevTools, console_errors, headless_chromium
from tests.conftest import ROOT
from tests.web_support import FIRST_TURN, replay_cassette, telco_documents, telco_fields  # noqa: F401 - a fixture
from tests.unit.web.test_web import PIPELINE_NODES
from pipeline.server.services import free_port

ARTIFACTS = ROOT / "out" / "test-artifacts"



def _serve(workspace: Path, cassette: Path, tmp_path: Path) -> tuple[subprocess.Popen, str]:
    """`python -m pipeline.cli serve` on a free loopback port, replaying `cassette`; its URL once it answers."""
    port = free_port()
    env = {**os.environ, "NEGOPREP_REPLAY": str(cassette), "NEGOPREP_USE_CACHE": "false",
           "NEGOPREP_CACHE_DIR": str(tmp_path / "cache")}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--workspace", str(workspace),
                             "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}: {(tmp_path / 'serve.log').read_text()}")
        try:
            httpx.get(url + "/", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("serve did not answer within 15 s")


class Page:
    """One browser tab: navigate, evaluate, click, wait."""

    def __init__(self, cdp: DevTools, session: str):
        self.cdp, self.session = cdp, session

    async def send(self, method: str, params: dict | None = None) -> dict:
        return await self.cdp.send(method, params, session=self.session)

    async def js(self, expression: str):
        reply = await self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                     "awaitPromise": True})
        assert "exceptionDetails" not in reply, reply["exceptionDetails"]
        return reply["result"].get("value")

    async def loads(self, action, timeout: float = 30) -> None:
        """Run `action` (a coroutine function) and wait for the page it leads to."""
        loaded = self.cdp.expect("Page.loadEventFired")
        await action()
        await asyncio.wait_for(loaded, timeout)

    async def goto(self, url: str) -> None:
        await self.loads(lambda: self.send("Page.navigate", {"url": url}))

    async def click(self, selector: str) -> None:
        assert await self.js(f"!!document.querySelector({json.dumps(selector)})"), f"no {selector}"
        await self.js(f"document.querySelector({json.dumps(selector)}).click()")

    async def until(self, expression: str, timeout: float = 30):
        """Poll `expression` until it is truthy (a reload in between is fine); its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = await self.js(expression)
            except AssertionError:
                value = None
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression} on {await self.js('document.body.innerText')}")


async def _downloaded(folder: Path, name: str, timeout: float = 30) -> Path:
    """The file once Chromium has finished downloading it into `folder`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (folder / name).is_file():
            return folder / name
        await asyncio.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded (found: {sorted(os.listdir(folder)) if folder.exists() else []})")


async def _consultant_session(url: str, tmp_path: Path) -> dict:
    downloads = tmp_path / "downloads"
    async with headless_chromium(tmp_path / "chromium-profile", 1280, 1000) as (cdp, session):
        page = Page(cdp, session)
        await cdp.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads),
                                                        "eventsEnabled": True})
        await page.goto(url + "/cases/new")
        started = time.perf_counter()
        chooser = await page.send("Runtime.evaluate", {"expression": "document.getElementById('files')"})
        await page.send("DOM.setFileInputFiles", {"objectId": chooser["result"]["objectId"],
                                                   "files": [str(p) for p in telco_documents()]})
        await page.js("document.getElementById('files').dispatchEvent(new Event('change'))")
        chosen = await page.js("Array.from(document.querySelectorAll('[data-chosen] li')).map(li => li.textContent)")
        for name, value in telco_fields().items():
            await page.js(f"document.querySelector('[name={name}]').value = {json.dumps(value)}")
        await page.loads(lambda: page.click("#new-case button[type=submit]"))
        case_url = await page.js("location.href")

        await page.loads(lambda: page.click("#prepare-button"))
        await page.until(f"document.querySelectorAll('#progress tr[data-status=done]').length == {len(PIPELINE_NODES)}"
                         " && !!document.getElementById('open-report')", timeout=120)
        rows = await page.js("Array.from(document.querySelectorAll('#progress tr'))"
                             ".map(tr => [tr.dataset.node, tr.dataset.status])")
        progress = base64.b64decode((await page.send("Page.captureScreenshot", {"format": "png"}))["data"])
        await page.loads(lambda: page.click("#open-report"))
        upload_to_report = time.perf_counter() - started
        await page.until("!!document.getElementById('report-frame')")
        await asyncio.sleep(0.5)  # the frame's layout
        screenshot = base64.b64decode((await page.send("Page.captureScreenshot", {"format": "png"}))["data"])
        set_apart = await page.js("(document.getElementById('set-apart') || {}).textContent || ''")

        await page.click("#download-json")
        report_json = (await _downloaded(downloads, "telco-paysys-report.json")).read_bytes()

        await page.goto(case_url.rstrip("/") + "/rehearse")
        await page.js(f"document.getElementById('turn-text').value = {json.dumps(FIRST_TURN)}")
        await page.click("#send-turn")
        answer = await page.until("Array.from(document.querySelectorAll('.turn.counterpart, .turn.error'))"
                                  ".map(p => [p.className, p.textContent])[0]")
        requests = [e["params"]["request"]["url"] for e in cdp.events if e.get("method") == "Network.requestWillBeSent"]
        streamed = [json.loads(e["params"]["data"]) for e in cdp.events
                    if e.get("method") == "Network.eventSourceMessageReceived"]
        return {"chosen": chosen, "rows": rows, "progress_png": progress, "seconds": upload_to_report, "png": screenshot, "set_apart": set_apart,
                "report_json": report_json, "answer": answer, "requests": requests,
                "streamed": streamed, "errors": console_errors(cdp.events)}


async def test_consultant_prepares_reads_and_rehearses_in_chromium(tmp_path, replay_cassette):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    proc, url = _serve(tmp_path / "workspace", replay_cassette, tmp_path)
    try:
        result = await asyncio.wait_for(_consultant_session(url, tmp_path), 240)
    finally:
        proc.terminate()
        proc.wait(10)

    assert result["errors"] == []
    assert all(u.startswith((url, "data:", "about:")) for u in result["requests"]), result["requests"]
    assert result["chosen"] == [p.name for p in telco_documents()]
    nodes = [e for e in result["streamed"] if e["type"] == "node"]
    assert {e["node"] for e in nodes if e["status"] == "started"} == set(PIPELINE_NODES)
    assert {e["node"] for e in nodes if e["status"] == "done"} == set(PIPELINE_NODES)
    assert any(e["type"] == "end" and e["status"] == "done" for e in result["streamed"])
    assert sorted(result["rows"]) == sorted([node, "done"] for node in PIPELINE_NODES)

    report = PrepReport.model_validate_json(result["report_json"])
    assert report.case.name == "telco-paysys" and report.case.counterpart == "PaySys"
    assert len(report.case.documents) == len(telco_documents())
    set_apart = sum(i.set_apart for i in report_items(report))
    assert (f"{set_apart} item" in result["set_apart"]) if set_apart else result["set_apart"] == ""

    assert result["answer"][0] == "turn counterpart" and result["answer"][1].strip(), result["answer"]

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / "web-report-page.png"
    png.write_bytes(result["png"])
    assert result["png"][:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    (ARTIFACTS / "web-case-progress.png").write_bytes(result["progress_png"])
    print(f"\nscreenshots: {png}, {ARTIFACTS / 'web-case-progress.png'}\n"
          f"upload to report on replay: {result['seconds']:.1f} s")
