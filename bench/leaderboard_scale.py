"""Figure 3: leaderboards and /stats at scale in SQLite: 100,000, 1,000,000 and 10,000,000 score events
from 50,000 fans in 200 servers, seeded in bulk by score_seed.py (one big server holds 40% of them; fans'
activity is skewed, so the top
fans have thousands of answers). For real fans at the top, middle and bottom of the all-time board:
their rank, their /stats; plus the top-10 page for each period, a deep keyset page, the player count and
category boards. Goal: every query under 10 ms, and flat as the events grow (the growth table).
`--database-url postgresql+asyncpg://…` copies the same seeded data into a scratch PostgreSQL database
(then VACUUM ANALYZE, as autovacuum would after a bulk insert) and measures the same queries there,
side by side. CPU is this process's: on PostgreSQL the server's own work is not in it."""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import io
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import score_seed
from common import args, backend_name, database_url_option, databases, report, scratch_postgres, summary

from bot.leaderboard.periods import PERIODS, period_key, period_start
from db.engine import make_engine, make_sessionmaker, migrate
from db.queries import leaderboard as lb

CATEGORIES = score_seed.CATEGORIES
TODAY = dt.date(2025, 5, 22)
GOAL_MS = 10.0
SEED_VERSION = 2  # bump when score_seed changes what it writes: kept seed files are then made again


async def timed(
    sessions: Any, repeat: int, query: Callable[[Any], Awaitable[object]]
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds (the whole process: the database's thread too) of each run."""
    times, cpu = [], []
    for _ in range(repeat):
        async with sessions() as s:
            t0, c0 = time.perf_counter(), time.process_time()
            await query(s)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return times, cpu


SCORE_TABLES = {
    "score_events": "guild_id, user_id, session_id, round_id, question_id, category, correct, points, "
    "response_ms, answered_at, local_day, archive_id",
    "guild_settings": "guild_id, timezone, daily_enabled, disabled_banks",
    "daily_scores": "guild_id, day, user_id, category, archive_id, points, answers, correct",
    "period_scores": "guild_id, period_key, user_id, archive_id, points, answers, correct",
    "category_scores": "guild_id, category, period_key, user_id, archive_id, points, answers, correct",
    "member_streaks": "guild_id, user_id, current, best, fastest_ms",
}


async def copy_to_postgres(path: Path, url: str) -> float:
    """The seeded SQLite tables, row for row, into a migrated PostgreSQL database (COPY), then VACUUM
    ANALYZE (autovacuum does both after a bulk insert; index-only scans need the visibility map)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    start = time.perf_counter()
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    pg = await asyncpg.connect(dsn, server_settings={"timezone": "UTC"})
    con = sqlite3.connect(path)
    try:
        for table, columns in SCORE_TABLES.items():
            cursor = con.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - fixed names
            while rows := cursor.fetchmany(200_000):
                buffer = io.StringIO()
                csv.writer(buffer).writerows(rows)
                await pg.copy_to_table(
                    table,
                    source=io.BytesIO(buffer.getvalue().encode()),
                    columns=[c.strip() for c in columns.split(",")],
                    format="csv",
                )
        await pg.execute("VACUUM ANALYZE")
    finally:
        con.close()
        await pg.close()
    return time.perf_counter() - start


async def measure(url: str, events: int, repeat: int) -> list[dict[str, object]]:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    rows: list[dict[str, object]] = []

    def add(server: str, what: str, measured: tuple[list[float], list[float]], fan: str = "") -> None:
        times, cpu = measured
        rows.append(
            {
                "database": backend_name(url),
                "events": events,
                "server": server,
                "query": what,
                "fan": fan,
                **summary(times),
                "cpu_median": statistics.median(cpu),
                "goal_ms": GOAL_MS,
            }
        )

    for guild, label in ((1, "big"), (7, "typical")):
        async with sessions() as s:
            total = await lb.players(s, guild, None, key="all")
            board = await lb.page(s, guild, None, key="all", limit=total)
        server = f"{label} ({total} fans)"
        fans = {"top": board[0], "middle": board[len(board) // 2], "bottom": board[-1]}
        add(
            server,
            "player count",
            await timed(sessions, repeat, lambda s, g=guild: lb.players(s, g, None, key="all")),
        )
        for period in PERIODS:
            start = period_start(period, TODAY)
            key = period_key(period, start)
            add(
                server,
                f"top-10 page, {period}",
                await timed(sessions, repeat, lambda s, g=guild, st=start, k=key: lb.page(s, g, st, key=k)),
            )
        last = lb.Cursor.of(board[max(0, len(board) - 11)])
        add(
            server,
            "last page (keyset)",
            await timed(sessions, repeat, lambda s, g=guild, c=last: lb.page(s, g, None, key="all", after=c)),
        )
        for where, fan in fans.items():
            add(
                server,
                f"rank of the {where} fan",
                await timed(
                    sessions, repeat, lambda s, g=guild, u=fan.user_id: lb.rank_of(s, g, u, None, key="all")
                ),
                f"#{fan.rank}, {fan.answers} answers",
            )
            add(
                server,
                f"/stats of the {where} fan",
                await timed(sessions, repeat, lambda s, g=guild, u=fan.user_id: lb.member_stats(s, g, u)),
                f"#{fan.rank}, {fan.answers} answers",
            )
        season = period_start("season", TODAY)
        for category in CATEGORIES[:2]:
            key = period_key("season", season)
            add(
                server,
                f"category board {category!r}, season",
                await timed(
                    sessions,
                    repeat,
                    lambda s, g=guild, c=category, k=key, st=season: lb.page(s, g, st, category=c, key=k),
                ),
            )
            add(
                server,
                f"category rank (middle fan) {category!r}",
                await timed(
                    sessions,
                    repeat,
                    lambda s, g=guild, c=category, u=fans["middle"].user_id: lb.rank_of(
                        s, g, u, None, c, key="all"
                    ),
                ),
            )
            add(
                server,
                f"category player count {category!r}",
                await timed(
                    sessions, repeat, lambda s, g=guild, c=category: lb.players(s, g, None, c, key="all")
                ),
            )
    await engine.dispose()
    return rows


async def seeded_file(folder: Path, events: int, fans: int, guilds: int) -> Path:
    """A SQLite file with `events` seeded events in `folder`: made once (seeded, then renamed into
    place), reused by later runs (migrated first, so new indexes are there)."""
    path = folder / f"scores-{events}-{fans}fans-{guilds}servers-v{SEED_VERSION}.db"
    if path.exists():
        print(f"{events} events: reusing {path}", flush=True)
    else:
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        engine = make_engine(f"sqlite+aiosqlite:///{partial}")
        await migrate(engine)
        await engine.dispose()
        cpu = time.process_time()
        took = await asyncio.to_thread(score_seed.seed, partial, events, fans, guilds, 7, print)
        print(f"{events} events seeded in {took:.1f} s ({time.process_time() - cpu:.1f} s CPU)", flush=True)
        partial.rename(path)
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    await migrate(engine)
    await engine.dispose()
    return path


async def run(
    events: int, fans: int, guilds: int, repeat: int, backends: list[str], seed_dir: Path | None
) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = await seeded_file(seed_dir or Path(tmp), events, fans, guilds)
        sqlite_url = f"sqlite+aiosqlite:///{path}"
        rows = await measure(sqlite_url, events, repeat)
        for server in backends[1:]:
            async with scratch_postgres(server) as url:
                engine = make_engine(url)
                await migrate(engine)
                await engine.dispose()
                copied = await copy_to_postgres(path, url)
                print(f"{events} events copied to PostgreSQL in {copied:.1f} s", flush=True)
                rows += await measure(url, events, repeat)
        return rows


def main() -> None:
    def options(parser: argparse.ArgumentParser) -> None:
        database_url_option(parser)
        parser.add_argument(
            "--seed-dir",
            type=Path,
            default=None,
            help="keep the seeded SQLite files here and reuse them in later runs (default: seed into a "
            "temporary folder, deleted after the run)",
        )
        parser.add_argument(
            "--sizes", default="", help="event counts, comma-separated (default 100000,1000000,10000000)"
        )

    parser_opts = args(__doc__ or "", options)
    backends = databases(parser_opts)
    fans, guilds = (500, 20) if parser_opts.smoke else (50_000, 200)
    sizes = [10_000] if parser_opts.smoke else [100_000, 1_000_000, 10_000_000]
    if parser_opts.sizes:
        sizes = [int(n.replace("_", "")) for n in parser_opts.sizes.split(",")]
    repeat = 3 if parser_opts.smoke else 20
    rows: list[dict[str, object]] = []
    for events in sizes:
        if parser_opts.seed_dir:
            parser_opts.seed_dir.mkdir(parents=True, exist_ok=True)
        rows += asyncio.run(run(events, fans, guilds, repeat, backends, parser_opts.seed_dir))
    for row in rows:
        row["median/goal"] = row["median"] / row["goal_ms"]
    print(f"{', '.join(map(str, sizes))} events, {fans} fans, {guilds} servers; milliseconds\n")
    report(
        "leaderboard_scale", rows, {"sizes": sizes, "fans": fans, "servers": guilds}, smoke=parser_opts.smoke
    )
    growth: dict[tuple[str, str, str], dict[int, float]] = {}
    for row in rows:
        where = (str(row["database"]), str(row["server"]).split(" ")[0], str(row["query"]))
        growth.setdefault(where, {})[int(row["events"])] = float(row["median"])  # type: ignore[arg-type]
    print("\ngrowth (median ms by events):")
    for (database, server, query), by_size in sorted(
        growth.items(), key=lambda i: (i[0][1], i[0][2], i[0][0])
    ):
        cells = "  ".join(f"{n:>10}: {ms:7.3f}" for n, ms in sorted(by_size.items()))
        print(f"  {database:10} {server:8} {query[:56]:56} {cells}")


if __name__ == "__main__":
    main()
