"""Small asyncio helpers shared by the cogs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable


async def cancel_and_wait(tasks: Iterable[asyncio.Task[object] | None], timeout: float = 10.0) -> None:
    """Cancel `tasks` and wait until they have finished their clean-up (before the database closes)."""
    pending = [t for t in tasks if t is not None and not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait(pending, timeout=timeout)
