"""Figure 3: leaderboard queries at scale in SQLite: 1,000,000 score events from 50,000 fans in 200
servers (one big server holds 40% of them). Top-10 page and the caller's rank, for each period."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from common import args, report, summary

from bot.leaderboard.periods import PERIODS, period_key, period_keys, period_start
from db.engine import make_engine, make_sessionmaker, migrate
from db.queries import leaderboard as lb

CATEGORIES = ["Players", "History", "Europa League 2024", "Gasperini", "Club & stadium"]
TODAY = dt.date(2025, 5, 22)


def seed(path: Path, events: int, fans: int, guilds: int) -> float:
    rng = random.Random(7)
    start = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    big_fans = fans * 2 // 5
    base = dt.datetime(2024, 5, 22, tzinfo=dt.UTC)
    batch = []
    for _ in range(events):
        if rng.random() < 0.4:
            guild, user = 1, rng.randrange(big_fans)
        else:
            user = big_fans + rng.randrange(fans - big_fans)
            guild = 2 + user % (guilds - 1)
        at = base + dt.timedelta(seconds=rng.randrange(365 * 86400))
        correct = rng.random() < 0.6
        batch.append(
            (
                guild,
                user,
                None,
                None,
                "b:q",
                rng.choice(CATEGORIES),
                correct,
                20 if correct else 0,
                rng.randrange(500, 20000),
                at.isoformat(),
                at.date().isoformat(),
                0,
            )
        )
        if len(batch) == 50_000:
            con.executemany(
                "INSERT INTO score_events (guild_id, user_id, session_id, round_id, question_id, "
                "category, correct, points, response_ms, answered_at, local_day, archive_id) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                batch,
            )
            batch.clear()
    if batch:
        con.executemany(
            "INSERT INTO score_events (guild_id, user_id, session_id, round_id, question_id, category, "
            "correct, points, response_ms, answered_at, local_day, archive_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            batch,
        )
    con.execute(
        "INSERT INTO daily_scores (guild_id, day, user_id, category, archive_id, points, answers, correct) "
        "SELECT guild_id, local_day, user_id, category, 0, SUM(points), COUNT(*), SUM(correct) "
        "FROM score_events GROUP BY guild_id, local_day, user_id, category"
    )
    totals: dict[tuple[int, str, int], list[int]] = {}
    for guild, day, user, points, answers, correct in con.execute(
        "SELECT guild_id, day, user_id, SUM(points), SUM(answers), SUM(correct) FROM daily_scores "
        "GROUP BY guild_id, day, user_id"
    ):
        for key in period_keys(dt.date.fromisoformat(day)):
            acc = totals.setdefault((guild, key, user), [0, 0, 0])
            acc[0] += points
            acc[1] += answers
            acc[2] += correct
    con.executemany(
        "INSERT INTO period_scores (guild_id, period_key, user_id, archive_id, points, answers, correct) "
        "VALUES (?,?,?,0,?,?,?)",
        [(g, k, u, *v) for (g, k, u), v in totals.items()],
    )
    con.execute("ANALYZE")
    con.commit()
    con.close()
    return time.perf_counter() - start


async def measure(path: Path, repeat: int) -> list[dict[str, object]]:
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_sessionmaker(engine)
    rows = []
    for guild, label in ((1, "big server"), (7, "typical server")):
        async with sessions() as s:
            total = await lb.players(s, guild, None, key="all")
        for period in PERIODS:
            start_day = period_start(period, TODAY)
            key = period_key(period, start_day)
            top, rank = [], []
            for i in range(repeat):
                async with sessions() as s:
                    t0 = time.perf_counter()
                    page = await lb.page(s, guild, start_day, key=key)
                    t1 = time.perf_counter()
                    caller = page[-1].user_id if page and i % 2 else 10**12
                    await lb.rank_of(s, guild, caller, start_day, key=key)
                    t2 = time.perf_counter()
                top.append((t1 - t0) * 1000)
                rank.append((t2 - t1) * 1000)
            for what, times in (("top-10 page", top), ("caller rank", rank)):
                rows.append(
                    {
                        "server": f"{label} ({total} fans)",
                        "period": period,
                        "query": what,
                        **summary(times),
                        "goal_ms": 5.0,
                    }
                )
    await engine.dispose()
    return rows


async def run(events: int, fans: int, guilds: int, repeat: int) -> tuple[list[dict[str, object]], float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        await migrate(engine)
        await engine.dispose()
        seeded = await asyncio.to_thread(seed, path, events, fans, guilds)
        return await measure(path, repeat), seeded


def main() -> None:
    opts = args(__doc__ or "")
    events, fans, guilds, repeat = (10_000, 500, 20, 3) if opts.smoke else (1_000_000, 50_000, 200, 30)
    rows, seeded = asyncio.run(run(events, fans, guilds, repeat))
    for row in rows:
        row["median/goal"] = row["median"] / row["goal_ms"]
    print(f"{events} events, {fans} fans, {guilds} servers (seeded in {seeded:.1f} s); milliseconds\n")
    report("leaderboard_scale", rows, {"events": events, "fans": fans, "servers": guilds}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
