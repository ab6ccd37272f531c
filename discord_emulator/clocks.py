"""The clock that times Discord's interaction deadlines (3 s to answer, tokens for 15 minutes).

Real time by default. A test suite that must not depend on the machine's load calls
`use_deadline_clock(StoppedClock())` once: deadlines then pass only when a test moves that clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], float]


class StoppedClock:
    """Seconds that stand still until `advance` moves them."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


_default: Clock = time.monotonic


def use_deadline_clock(clock: Clock) -> None:
    """Make `clock` the deadline clock of every Emulator made without one."""
    global _default
    _default = clock


def deadline_clock() -> Clock:
    return _default
