"""Figure 8: the write path. One answer per transaction, as a closing round writes it: the score event,
its daily rollup and its period (and, once they exist, category) totals, on SQLite. Answers per second
and the Python time per transaction. The issue measured 434 answers/s before the upsert was cached."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

from common import args, report

from db.engine import make_engine, make_sessionmaker, migrate
from db.queries.scores import EventDraft, record_events

GOAL_PER_S = 434.0  # the figure before this change: anything above is the gain


async def run(n: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await migrate(engine)
        sessions = make_sessionmaker(engine)
        base = dt.datetime(2025, 5, 22, 10, tzinfo=dt.UTC)
        drafts = [
            EventDraft(7, 100 + i % 50, "b:q1", ("Players", "History")[i % 2], bool(i % 3), 20, 900, base)
            for i in range(n + 50)
        ]
        for d in drafts[:50]:  # warm-up: connections, compiled statements
            async with sessions.begin() as s:
                await record_events(s, [d], "Europe/Rome")
        cpu0, t0 = time.process_time(), time.perf_counter()
        for d in drafts[50:]:
            async with sessions.begin() as s:
                await record_events(s, [d], "Europe/Rome")
        took, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        await engine.dispose()
    return {
        "answers": n,
        "answers_per_s": n / took,
        "ms_per_transaction": took / n * 1000,
        "cpu_ms_per_transaction": cpu / n * 1000,
        "before_per_s": GOAL_PER_S,
    }


def main() -> None:
    opts = args(__doc__ or "")
    n = 200 if opts.smoke else 5000
    row = asyncio.run(run(n))
    print(f"{n} single-answer transactions, SQLite file database\n")
    report("write_path", [row], smoke=opts.smoke)


if __name__ == "__main__":
    main()
