"""Retries for provider faults, as an httpx transport: exponential backoff with jitter.

Retried: timeouts, connection errors, a body cut off mid-stream, HTTP 429 and 5xx. A
`Retry-After` (or `retry-after-ms`) header is honoured up to `max_delay_s`. The answer
carries `x-negoprep-retries` so the report can show what faults cost.
"""

from __future__ import annotations

import asyncio
import random

import httpx

RETRY_STATUS = {429, 500, 502, 503, 504}
RETRIES_HEADER = "x-negoprep-retries"
NO_RETRY_HEADER = "x-negoprep-no-retry"
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _retry_after(response: httpx.Response) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = response.headers.get(name)
        if value:
            try:
                return max(0.0, float(value) * scale)
            except ValueError:
                continue
    return None


class RetryTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport, *, max_retries: int, base_delay_s: float = 0.5,
                 max_delay_s: float = 8.0, rng: random.Random | None = None):
        self.inner, self.max_retries = inner, max_retries
        self.base, self.cap = base_delay_s, max_delay_s
        self.rng = rng or random.Random()

    def _delay(self, attempt: int, hint: float | None) -> float:
        if hint is not None:
            return min(hint, self.cap)
        return min(self.cap, self.base * 2 ** attempt) * (0.5 + self.rng.random() / 2)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        limit = 0 if request.headers.get(NO_RETRY_HEADER) else self.max_retries
        body = await request.aread()
        attempt = 0
        while True:
            try:
                response = await self.inner.handle_async_request(
                    httpx.Request(request.method, request.url, headers=request.headers, content=body,
                                  extensions=request.extensions))
                content = await response.aread()
            except RETRY_ERRORS:
                if attempt >= limit:
                    raise
                await asyncio.sleep(self._delay(attempt, None))
                attempt += 1
                continue
            if response.status_code in RETRY_STATUS and attempt < limit:
                await asyncio.sleep(self._delay(attempt, _retry_after(response)))
                attempt += 1
                continue
            headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")}
            headers[RETRIES_HEADER] = str(attempt)
            return httpx.Response(response.status_code, headers=headers, content=content, extensions=response.extensions)

    async def aclose(self) -> None:
        await self.inner.aclose()
