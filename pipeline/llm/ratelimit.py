"""Client-side rate limiting (requests and tokens per minute), so batches do not provoke 429 storms."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """Two sliding one-minute windows; `acquire` waits until a call of `tokens` fits both."""

    def __init__(self, rpm: int | None, tpm: int | None, *, window_s: float = 60.0):
        self.rpm, self.tpm, self.window = rpm, tpm, window_s
        self._events: list[tuple[float, int]] = []
        self._lock = asyncio.Lock()

    def _prune(self, now: float) -> None:
        self._events = [(t, n) for t, n in self._events if now - t < self.window]

    def _wait_time(self, now: float, tokens: int) -> float:
        waits = [0.0]
        if self.rpm and len(self._events) >= self.rpm:
            waits.append(self._events[len(self._events) - self.rpm][0] + self.window - now)
        if self.tpm:
            used = sum(n for _, n in self._events)
            excess = used + min(tokens, self.tpm) - self.tpm
            for t, n in self._events:
                if excess <= 0:
                    break
                waits.append(t + self.window - now)
                excess -= n
        return max(waits)

    async def acquire(self, tokens: int) -> float:
        """Wait for room, record the call; the seconds waited."""
        if not (self.rpm or self.tpm):
            return 0.0
        waited = 0.0
        async with self._lock:
            while True:
                now = time.monotonic()
                self._prune(now)
                delay = self._wait_time(now, tokens)
                if delay <= 0:
                    self._events.append((now, tokens))
                    return waited
                await asyncio.sleep(delay)
                waited += delay
