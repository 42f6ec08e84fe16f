"""A headless Chromium driven over the DevTools protocol (Debian's `chromium`; no webdriver)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


class DevTools:
    """A minimal Chrome DevTools Protocol client over one browser websocket (flat sessions)."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.pending: dict[int, asyncio.Future] = {}
        self.events: list[dict] = []
        self.waiters: list[tuple[str, asyncio.Future]] = []
        self.reader = asyncio.create_task(self._read())

    async def _read(self):
        async for raw in self.ws:
            message = json.loads(raw)
            if "id" in message and message["id"] in self.pending:
                self.pending.pop(message["id"]).set_result(message)
                continue
            self.events.append(message)
            for method, future in list(self.waiters):
                if message.get("method") == method and not future.done():
                    future.set_result(message)

    async def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        await self.ws.send(json.dumps(message))
        reply = await future
        assert "error" not in reply, (method, reply["error"])
        return reply.get("result", {})

    def expect(self, method: str) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiters.append((method, future))
        return future


def console_errors(events: list[dict]) -> list[str]:
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(f"console.{params['type']}: {params.get('args')}")
        elif method == "Runtime.exceptionThrown":
            errors.append(f"exception: {params.get('exceptionDetails')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(f"log: {params['entry'].get('text')} ({params['entry'].get('url', '')})")
    return errors


async def wait_for_port(user_data: Path, proc: asyncio.subprocess.Process) -> tuple[int, str]:
    port_file = user_data / "DevToolsActivePort"
    while True:
        if proc.returncode is not None:
            raise RuntimeError(f"chromium exited early with code {proc.returncode}")
        if port_file.exists():
            lines = port_file.read_text().split("\n")
            if len(lines) >= 2 and lines[0].strip().isdigit() and lines[1].strip():
                return int(lines[0]), lines[1].strip()
        await asyncio.sleep(0.1)


@asynccontextmanager
async def headless_chromium(user_data: Path, width: int = 1280, height: int = 1600,
                            ) -> AsyncIterator[tuple[DevTools, str]]:
    """A headless Chromium with one blank page: the DevTools client and the page's session id
    (Runtime, Log, Page and Network enabled). The browser is killed on exit."""
    from websockets.asyncio.client import connect

    user_data.mkdir(parents=True, exist_ok=True)
    stderr = open(user_data.parent / "chromium.log", "wb")
    proc = await asyncio.create_subprocess_exec(
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
        f"--user-data-dir={user_data}", "--remote-debugging-port=0", f"--window-size={width},{height}", "about:blank",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=stderr, start_new_session=True,
    )
    try:
        port, path = await asyncio.wait_for(wait_for_port(user_data, proc), 30)
        async with connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=10) as ws:
            cdp = DevTools(ws)
            target = (await cdp.send("Target.createTarget", {"url": "about:blank"}))["targetId"]
            session = (await cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True}))["sessionId"]
            for domain in ("Runtime", "Log", "Page", "Network"):
                await cdp.send(f"{domain}.enable", session=session)
            await cdp.send("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=session)
            try:
                yield cdp, session
            finally:
                cdp.reader.cancel()
    finally:
        if proc.returncode is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        await proc.wait()
        stderr.close()
