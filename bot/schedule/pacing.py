"""A token bucket that paces bursts of sends below Discord's global limit (50 requests/s per bot)."""

from __future__ import annotations

import asyncio
import time

DAILY_POSTS_PER_SECOND = 40.0  # leaves room under the global 50/s for interactions during a burst


class Pacer:
    """Lets at most `rate` callers through per second (with a burst of `burst`), in arrival order."""

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._last = time.monotonic()
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                await asyncio.sleep((1 - self._tokens) / self.rate)
