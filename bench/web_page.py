"""Figure 7: the largest server's web pages rendered server-side: 20,000 fans, 1,000,000 score events
in one server (SQLite). Each page is requested over HTTP from the real aiohttp app on 127.0.0.1 and
timed from request to last byte (query + template + the local round trip). `cpu_median` is the
process's CPU time per request (server and client threads together): what a page costs whatever else
the machine is doing."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from common import args, report, summary

from bot.clock import ManualClock
from bot.leaderboard.periods import period_keys
from bot.web.app import make_app
from db.engine import make_engine, make_sessionmaker, migrate

CATEGORIES = ["Players", "History", "Europa League 2024", "Gasperini", "Club & stadium"]
GUILD = 1
SLUG = "BenchBenchBenchBench"
NOW = dt.datetime(2025, 5, 22, 10, tzinfo=dt.UTC)
GOAL_MS = 50.0


def seed(path: Path, events: int, fans: int) -> float:
    """Events over a year from `fans` fans (a few play a lot), in quizzes of 10 questions; the rollups;
    every fan's name; the page switched on."""
    rng = random.Random(7)
    start = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    base = NOW - dt.timedelta(days=365)
    sessions = max(events // 10, 1)
    con.executemany(
        "INSERT INTO quiz_sessions (id, guild_id, channel_id, starter_id, mode, category, difficulty, total, "
        "seconds, state, question_ids, started_at, ended_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                i + 1,
                GUILD,
                5,
                rng.randrange(fans),
                "typed",
                rng.choice(CATEGORIES),
                None,
                10,
                20,
                "finished",
                "[]",
                (base + dt.timedelta(seconds=i * 365 * 86400 // sessions)).isoformat(),
                None,
            )
            for i in range(sessions)
        ],
    )
    batch = []
    insert = (
        "INSERT INTO score_events (guild_id, user_id, session_id, round_id, question_id, category, correct, "
        "points, response_ms, answered_at, local_day, archive_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    for i in range(events):
        user = int(fans * rng.random() ** 2)  # the skew of a real server: a few fans play a lot
        session = i * sessions // events
        at = base + dt.timedelta(seconds=session * 365 * 86400 // sessions + i % 10 * 25)
        correct = rng.random() < 0.6
        batch.append(
            (
                GUILD,
                user,
                session + 1,
                None,
                "b:q",
                CATEGORIES[session % len(CATEGORIES)],
                correct,
                20 if correct else 0,
                rng.randrange(500, 20000),
                at.isoformat(),
                at.date().isoformat(),
                0,
            )
        )
        if len(batch) == 50_000:
            con.executemany(insert, batch)
            batch.clear()
    if batch:
        con.executemany(insert, batch)
    con.execute(
        "INSERT INTO daily_scores (guild_id, day, user_id, category, archive_id, points, answers, correct) "
        "SELECT guild_id, local_day, user_id, category, 0, SUM(points), COUNT(*), SUM(correct) "
        "FROM score_events GROUP BY guild_id, local_day, user_id, category"
    )
    totals: dict[tuple[str, int], list[int]] = {}
    for day, user, points, answers, correct in con.execute(
        "SELECT day, user_id, SUM(points), SUM(answers), SUM(correct) FROM daily_scores GROUP BY day, user_id"
    ):
        for key in period_keys(dt.date.fromisoformat(day)):
            acc = totals.setdefault((key, user), [0, 0, 0])
            acc[0] += points
            acc[1] += answers
            acc[2] += correct
    con.executemany(
        "INSERT INTO period_scores (guild_id, period_key, user_id, archive_id, points, answers, correct) "
        "VALUES (?,?,?,0,?,?,?)",
        [(GUILD, k, u, *v) for (k, u), v in totals.items()],
    )
    seed_category_totals(con)
    con.executemany(
        "INSERT INTO questions (id, bank, guild_id, text, answer, aliases, choices, category, difficulty, "
        "source, active, clubs, choices_it, sample_key) VALUES (?, 'b', NULL, 'Q?', 'A', '[]', '[]', ?, "
        "'easy', '', 1, '[]', '[]', ?)",
        [(f"b:q{i}", c, i) for i, c in enumerate(CATEGORIES)],
    )
    now = NOW.isoformat()
    con.executemany(
        "INSERT INTO fan_profiles (guild_id, user_id, name, hidden, updated_at) VALUES (?,?,?,?,?)",
        [(GUILD, u, f"Tifoso {u:05d}", u % 50 == 7, now) for u in range(fans)],
    )
    con.execute(
        "INSERT INTO guild_settings (guild_id, timezone, daily_enabled, disabled_banks, web_enabled, "
        "web_slug, web_title) VALUES (?, 'Europe/Rome', 0, '[]', 1, ?, 'Curva Nord')",
        (GUILD, SLUG),
    )
    con.execute("ANALYZE")
    con.commit()
    con.close()
    return time.perf_counter() - start


def seed_category_totals(con: sqlite3.Connection) -> None:
    """The per-category period totals, one fan at a time (bounded memory)."""
    insert = (
        "INSERT INTO category_scores (guild_id, category, period_key, user_id, archive_id, points, answers, "
        "correct) VALUES (?,?,?,?,0,?,?,?)"
    )
    rows = con.execute(
        "SELECT user_id, category, day, points, answers, correct FROM daily_scores ORDER BY user_id"
    ).fetchall()
    current, acc = None, {}
    for user, category, day, points, answers, correct in [*rows, (None, None, None, 0, 0, 0)]:
        if user != current:
            con.executemany(insert, [(GUILD, c, k, current, *v) for (c, k), v in acc.items()])
            current, acc = user, {}
        if user is None:
            break
        for key in period_keys(dt.date.fromisoformat(day)):
            sums = acc.setdefault((category, key), [0, 0, 0])
            sums[0] += points
            sums[1] += answers
            sums[2] += correct


async def measure(path: Path, repeat: int, fans: int) -> list[dict[str, object]]:
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    app = make_app(make_sessionmaker(engine), clock=ManualClock(NOW))
    pages = {
        "ranking, all time": f"/s/{SLUG}",
        "ranking, this season": f"/s/{SLUG}?period=season",
        "ranking, this week": f"/s/{SLUG}?period=week",
        "ranking, page 200": f"/s/{SLUG}?page={max(fans // 100, 1)}",
        "ranking, search": f"/s/{SLUG}?q=Tifoso%20001",
        "ranking, one category": f"/s/{SLUG}?period=season&category=Players",
        "top fan's page": f"/s/{SLUG}/fan/0",
        "typical fan's page": f"/s/{SLUG}/fan/{fans // 2}",
        "recent quizzes": f"/s/{SLUG}/quizzes",
    }
    rows: list[dict[str, object]] = []
    async with TestClient(TestServer(app)) as client:
        for label, path_ in pages.items():
            times, cpu, size = [], [], 0
            for _ in range(repeat + 1):
                t0, c0 = time.perf_counter(), time.process_time()
                resp = await client.get(path_)
                body = await resp.read()
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                assert resp.status == 200, (label, resp.status)
                size = len(body)
            rows.append(
                {
                    "page": label,
                    **summary(times[1:]),
                    "cpu_median": statistics.median(cpu[1:]),
                    "goal_ms": GOAL_MS,
                    "bytes": size,
                }
            )
    await engine.dispose()
    return rows


async def run(events: int, fans: int, repeat: int) -> tuple[list[dict[str, object]], float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        await migrate(engine)
        await engine.dispose()
        seeded = await asyncio.to_thread(seed, path, events, fans)
        return await measure(path, repeat, fans), seeded


def main() -> None:
    opts = args(__doc__ or "")
    events, fans, repeat = (5_000, 300, 3) if opts.smoke else (1_000_000, 20_000, 30)
    rows, seeded = asyncio.run(run(events, fans, repeat))
    print(f"{events} events, {fans} fans in one server (seeded in {seeded:.1f} s); milliseconds\n")
    report("web_page", rows, {"events": events, "fans": fans}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
