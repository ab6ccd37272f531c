"""Figure 13: the write path. One answer per transaction, as a closing round writes it: the score event, the
member's streak, the daily rollup, the period and the category totals (5 statements). Answers per second,
wall and CPU (this process: Python, the driver; not the PostgreSQL server) per transaction.

The issue measured 434 answers/s before the statements were cached (then 2 statements per answer). Run
the same script on an older checkout to compare at the same moment: the machine's load moves the wall
figure far more than the CPU one. `--database-url postgresql+asyncpg://…` runs it on PostgreSQL too."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from common import args, backend_name, database_url_option, databases, report, scratch_postgres

from db.engine import make_engine, make_sessionmaker, migrate
from db.queries.scores import EventDraft, record_events

ISSUE_BEFORE_PER_S = 434.0  # issue 20's figure before the upserts were cached


async def run(n: int, database: str) -> dict[str, object]:
    if database != "sqlite":
        async with scratch_postgres(database) as url:
            return await run_on(n, url)
    with tempfile.TemporaryDirectory() as tmp:
        return await run_on(n, f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")


async def run_on(n: int, url: str) -> dict[str, object]:
    engine = make_engine(url)
    try:
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
    finally:
        await engine.dispose()
    return {
        "database": backend_name(url),
        "answers": n,
        "answers_per_s": n / took,
        "ms_per_transaction": took / n * 1000,
        "cpu_ms_per_transaction": cpu / n * 1000,
        "cpu_bound_per_s": n / cpu,
        "issue_before_per_s": ISSUE_BEFORE_PER_S,
        "load_1min": os.getloadavg()[0],
    }


def main() -> None:
    opts = args(__doc__ or "", database_url_option)
    n = 200 if opts.smoke else 5000
    rows = [asyncio.run(run(n, database)) for database in databases(opts)]
    print(f"{n} single-answer transactions (file database on SQLite)\n")
    report("write_path", rows, smoke=opts.smoke)


if __name__ == "__main__":
    main()
