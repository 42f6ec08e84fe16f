"""On-disk cache of model answers, keyed like the cassette, at the transport layer."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from pathlib import Path

import httpx

from pipeline.llm.cassette import SOURCE_HEADER
from pipeline.llm.keys import request_key


class CallCache:
    """A SQLite table of request key -> successful response body."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute("CREATE TABLE IF NOT EXISTS calls (key TEXT PRIMARY KEY, body TEXT, created REAL)")
        self._db.commit()

    def get(self, key: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM calls WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, body: dict) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO calls VALUES (?, ?, ?)", (key, json.dumps(body), time.time()))
            self._db.commit()

    def close(self) -> None:
        self._db.close()


class CachingTransport(httpx.AsyncBaseTransport):
    """Serves a cached answer for a request seen before; stores new successful answers."""

    def __init__(self, inner: httpx.AsyncBaseTransport, cache: CallCache):
        self.inner, self.cache = inner, cache

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = request_key(json.loads(await request.aread()))
        cached = await asyncio.to_thread(self.cache.get, key)
        if cached is not None:
            return httpx.Response(200, json=cached, headers={SOURCE_HEADER: "cache"})
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        if response.status_code == 200:
            try:
                await asyncio.to_thread(self.cache.put, key, json.loads(content))
            except json.JSONDecodeError:
                pass
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    async def aclose(self) -> None:
        self.cache.close()
        await self.inner.aclose()
