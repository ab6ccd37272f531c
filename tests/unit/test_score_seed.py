"""The leaderboard benchmark's bulk seed leaves the same tables as the bot's write path would: its events,
replayed through `record_events` into an empty database, give the same rollup, period and category
totals and member streaks, row for row."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from bot import PROJECT_ROOT
from db.engine import make_engine, make_sessionmaker, migrate
from db.queries.scores import EventDraft, record_events

TABLES = {
    "score_events": "guild_id, user_id, question_id, category, correct, points, response_ms, answered_at, "
    "local_day, archive_id",
    "daily_scores": "guild_id, day, user_id, category, archive_id, points, answers, correct",
    "period_scores": "guild_id, period_key, user_id, archive_id, points, answers, correct",
    "category_scores": "guild_id, category, period_key, user_id, archive_id, points, answers, correct",
    "member_streaks": "guild_id, user_id, current, best, fastest_ms",
}


def _load_seed_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_seed", PROJECT_ROOT / "bench" / "score_seed.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _migrated(path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    await migrate(engine)
    await engine.dispose()


def _rows(path: Path, table: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute(f"SELECT {TABLES[table]} FROM {table}"))  # noqa: S608 - fixed names
    finally:
        con.close()


@pytest.mark.parametrize("events,fans,guilds", [(3_000, 40, 4), (800, 300, 9)])
async def test_bulk_seed_matches_the_write_path(tmp_path: Path, events: int, fans: int, guilds: int) -> None:
    score_seed = _load_seed_module()
    seeded, written = tmp_path / "seeded.db", tmp_path / "written.db"
    await _migrated(seeded)
    await _migrated(written)
    score_seed.seed(seeded, events, fans, guilds, seed=5)

    con = sqlite3.connect(seeded)
    found = con.execute(
        "SELECT guild_id, user_id, question_id, category, correct, points, response_ms, answered_at "
        "FROM score_events ORDER BY id"
    ).fetchall()
    con.close()
    assert len(found) == events
    drafts = [
        EventDraft(g, u, q, c, bool(ok), p, ms, dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC))
        for g, u, q, c, ok, p, ms, at in found
    ]
    engine = make_engine(f"sqlite+aiosqlite:///{written}")
    sessions = make_sessionmaker(engine)
    for i in range(0, len(drafts), 97):  # the bot writes a round at a time: many small transactions
        async with sessions.begin() as s:
            await record_events(s, drafts[i : i + 97], score_seed.TIMEZONE, score_seed.SEASON_START_MONTH)
    await engine.dispose()

    for table in TABLES:
        assert _rows(seeded, table) == _rows(written, table), table
    # Not vacuous: several servers, periods and streaks of each kind.
    assert len({r[0] for r in _rows(seeded, "period_scores")}) == guilds
    assert {r[1][0] for r in _rows(seeded, "period_scores")} == {"a", "s", "m", "w"}
    streaks = _rows(seeded, "member_streaks")
    assert (
        any(r[2] == 0 for r in streaks) and any(r[2] > 0 for r in streaks) and any(r[3] >= 3 for r in streaks)
    )
