"""Bulk seeding of score events and everything the write path keeps with them, for the leaderboard
benchmarks: the events, the daily rollup, the period and category totals and the member streaks, as
`db.queries.scores.record_events` would have left them after writing the same events one by one
(tests/unit/test_score_seed.py replays a small seed through the write path and compares every table).

Events are drawn with numpy (skewed: 40% of them in one big server, the top fans with thousands of
answers), inserted with executemany into tables whose secondary indexes are dropped first and built
again after (a sort, not 10 million random index inserts); the rollups are GROUP BYs in SQLite; the
streaks are folded with numpy over the events in (server, member, time, id) order."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

CATEGORIES = ["Players", "History", "Europa League 2024", "Gasperini", "Club & stadium"]
BASE = dt.datetime(2024, 5, 22, tzinfo=dt.UTC)
DAYS = 365
SEASON_START_MONTH = 7  # the bot's default (Settings.season_start_month)
TIMEZONE = "UTC"  # the seeded servers' timezone: a local day is the UTC date
SCORE_TABLES = ("score_events", "daily_scores", "period_scores", "category_scores", "member_streaks")


def _day_keys(con: sqlite3.Connection) -> None:
    """temp.day_keys: each day's week, month and season keys (as `bot.leaderboard.periods.period_keys`)."""
    from bot.leaderboard.periods import period_keys

    con.execute("CREATE TEMP TABLE day_keys (day TEXT PRIMARY KEY, week TEXT, month TEXT, season TEXT)")
    rows = []
    for i in range(DAYS + 2):
        day = BASE.date() + dt.timedelta(days=i)
        _, season, month, week = period_keys(day, SEASON_START_MONTH)
        rows.append((day.isoformat(), week, month, season))
    con.executemany("INSERT INTO day_keys VALUES (?, ?, ?, ?)", rows)


def _draw(events: int, fans: int, guilds: int, seed: int) -> dict[str, np.ndarray]:
    """The events' columns, in time order (so ids grow with time, as they would)."""
    rng = np.random.default_rng(seed)
    big_fans = fans * 2 // 5
    x = rng.random(events)
    big = rng.random(events) < 0.4
    user = np.where(
        big, (big_fans * x * x).astype(np.int64), big_fans + ((fans - big_fans) * x * x).astype(np.int64)
    )
    guild = np.where(big, 1, 2 + user % max(1, guilds - 1))
    ok = rng.random(events) < 0.6
    cols = {
        "guild": guild,
        "user": user,
        "category": rng.integers(0, len(CATEGORIES), events),
        "ok": ok,
        "points": np.where(ok, 20, 0),
        "ms": rng.integers(500, 20_000, events),
        "secs": rng.integers(0, DAYS * 86400, events),
    }
    order = np.argsort(cols["secs"], kind="stable")
    return {k: v[order] for k, v in cols.items()}


def _streaks(cols: dict[str, np.ndarray]) -> list[tuple[int, int, int, int, int | None]]:
    """(guild, user, current, best, fastest right ms) per member: `fold_streaks` over their events in
    (time, id) order, vectorised."""
    n = len(cols["secs"])
    if n == 0:
        return []
    ids = np.arange(n)
    order = np.lexsort((ids, cols["secs"], cols["user"], cols["guild"]))
    guild, user, ok, ms = (cols[k][order] for k in ("guild", "user", "ok", "ms"))
    starts = np.flatnonzero(np.r_[True, (guild[1:] != guild[:-1]) | (user[1:] != user[:-1])])
    group_start = np.zeros(n, dtype=bool)
    group_start[starts] = True
    run_id = np.cumsum(group_start | ~ok) - 1  # a run starts at each member's first event or wrong answer
    run_len = np.bincount(run_id, weights=ok).astype(np.int64)
    run_starts = np.flatnonzero(group_start | ~ok)
    member_of_run = np.cumsum(group_start)[run_starts] - 1
    first_run = np.searchsorted(member_of_run, np.arange(len(starts)))
    best = np.maximum.reduceat(run_len, first_run)
    last_run = np.r_[first_run[1:], len(run_len)] - 1
    current = run_len[last_run]
    big = np.iinfo(np.int64).max
    fastest = np.minimum.reduceat(np.where(ok, ms, big), starts)
    return [
        (int(g), int(u), int(c), int(b), None if f == big else int(f))
        for g, u, c, b, f in zip(
            guild[starts].tolist(),
            user[starts].tolist(),
            current.tolist(),
            best.tolist(),
            fastest.tolist(),
            strict=True,
        )
    ]


def _indexes(con: sqlite3.Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    marks = ",".join("?" for _ in tables)
    return list(
        con.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
            f"AND tbl_name IN ({marks})",
            tables,
        )
    )


def seed(
    path: Path, events: int, fans: int, guilds: int, seed: int = 7, say: Callable[[str], None] | None = None
) -> float:
    """Fill the score tables of a migrated, empty SQLite database at `path`; return the seconds taken.
    `say` gets a line per step (wall and CPU seconds so far)."""
    start, cpu = time.perf_counter(), time.process_time()

    def step(what: str) -> None:
        if say is not None:
            say(f"  {what}: {time.perf_counter() - start:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")

    cols = _draw(events, fans, guilds, seed)
    step("drawn")
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-1000000")  # 1 GB: the sorts and index builds stay in memory
        con.execute("PRAGMA temp_store=MEMORY")
        con.execute("BEGIN")
        con.executemany(
            "INSERT INTO guild_settings (guild_id, timezone, daily_enabled, disabled_banks) "
            "VALUES (?, ?, 0, '[]')",
            [(g, TIMEZONE) for g in np.unique(cols["guild"]).tolist()],
        )
        saved = _indexes(con, SCORE_TABLES)
        for name, _ in saved:
            con.execute(f'DROP INDEX "{name}"')
        names = [CATEGORIES[c] for c in range(len(CATEGORIES))]
        epoch = int(BASE.timestamp())
        con.executemany(
            "INSERT INTO score_events (guild_id, user_id, session_id, round_id, question_id, category, "
            "correct, points, response_ms, answered_at, local_day, archive_id) "
            "VALUES (?1, ?2, NULL, NULL, 'b:q', ?3, ?4, ?5, ?6, "
            "strftime('%Y-%m-%d %H:%M:%S', ?7, 'unixepoch') || '.000000', date(?7, 'unixepoch'), 0)",
            zip(
                cols["guild"].tolist(),
                cols["user"].tolist(),
                [names[c] for c in cols["category"].tolist()],
                cols["ok"].astype(np.int64).tolist(),
                cols["points"].tolist(),
                cols["ms"].tolist(),
                (cols["secs"] + epoch).tolist(),
                strict=True,
            ),
        )
        step("events inserted")
        con.execute(
            "INSERT INTO daily_scores (guild_id, day, user_id, category, archive_id, points, answers, "
            "correct) "
            "SELECT guild_id, local_day, user_id, category, 0, SUM(points), COUNT(*), SUM(correct) "
            "FROM score_events GROUP BY guild_id, local_day, user_id, category"
        )
        step("daily rollup")
        _day_keys(con)
        # Category totals: weeks and months from the days, seasons and all time from the months.
        con.execute(
            "CREATE TEMP TABLE cat_month AS SELECT d.guild_id, d.category, k.month, k.season, d.user_id, "
            "SUM(d.points) AS points, SUM(d.answers) AS answers, SUM(d.correct) AS correct "
            "FROM daily_scores d JOIN day_keys k ON k.day = d.day "
            "GROUP BY d.guild_id, d.category, k.month, d.user_id"
        )
        for select in (
            "SELECT d.guild_id, d.category, k.week, d.user_id, 0, SUM(d.points), SUM(d.answers), "
            "SUM(d.correct) FROM daily_scores d JOIN day_keys k ON k.day = d.day "
            "GROUP BY d.guild_id, d.category, k.week, d.user_id",
            "SELECT guild_id, category, month, user_id, 0, points, answers, correct FROM cat_month",
            "SELECT guild_id, category, season, user_id, 0, SUM(points), SUM(answers), SUM(correct) "
            "FROM cat_month GROUP BY guild_id, category, season, user_id",
            "SELECT guild_id, category, 'all', user_id, 0, SUM(points), SUM(answers), SUM(correct) "
            "FROM cat_month GROUP BY guild_id, category, user_id",
        ):
            con.execute(
                "INSERT INTO category_scores (guild_id, category, period_key, user_id, archive_id, points, "
                "answers, correct) " + select  # fixed text only
            )
        step("category totals")
        con.execute(
            "INSERT INTO period_scores (guild_id, period_key, user_id, archive_id, points, answers, correct) "
            "SELECT guild_id, period_key, user_id, 0, SUM(points), SUM(answers), SUM(correct) "
            "FROM category_scores GROUP BY guild_id, period_key, user_id"
        )
        step("period totals")
        con.executemany(
            "INSERT INTO member_streaks (guild_id, user_id, current, best, fastest_ms) "
            "VALUES (?, ?, ?, ?, ?)",
            _streaks(cols),
        )
        step("member streaks")
        for _, sql in saved:
            con.execute(sql)
        step("indexes built")
        con.execute("DROP TABLE temp.cat_month")
        con.execute("COMMIT")
        con.execute("PRAGMA journal_mode=WAL")  # as the bot opens it
    finally:
        con.close()
    return time.perf_counter() - start
