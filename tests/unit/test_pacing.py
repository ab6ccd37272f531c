"""The pacer keeps a burst of sends under its rate."""

from __future__ import annotations

import asyncio
import time

from bot.schedule.pacing import Pacer


async def test_pacer_spreads_a_burst() -> None:
    pacer = Pacer(rate=100, burst=5)
    stamps: list[float] = []

    async def send() -> None:
        await pacer.wait()
        stamps.append(time.monotonic())

    await asyncio.gather(*(send() for _ in range(45)))
    span = stamps[-1] - stamps[0]
    # 5 go at once, the other 40 at 100/s: at least ~0.4 s in all, never more than 6 in any 10 ms window.
    assert span >= 0.35
    assert max(sum(1 for t in stamps if s <= t < s + 0.01) for s in stamps) <= 6
