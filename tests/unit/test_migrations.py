"""Alembic migrations produce exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db.models import Base
from tests.backend import sqlite_only


async def test_migrations_match_models(db) -> None:
    def diff(sync_conn):
        ctx = MigrationContext.configure(sync_conn)
        return compare_metadata(ctx, Base.metadata)

    async with db.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == []


@sqlite_only
async def test_sqlite_pragmas(db) -> None:
    async with db.engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1


async def test_0002_backfills_period_totals(tmp_path) -> None:
    from alembic import command
    from sqlalchemy import text

    from db.engine import alembic_config, make_engine

    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "0001"))
        await conn.execute(
            text(
                "INSERT INTO daily_scores "
                "(guild_id, day, user_id, category, archive_id, points, answers, correct) "
                "VALUES (1, '2025-05-22', 7, 'a', 0, 20, 2, 1), (1, '2025-05-22', 7, 'b', 0, 10, 1, 1), "
                "(1, '2024-05-22', 7, 'a', 0, 5, 1, 1), (1, '2025-05-22', 8, 'a', 3, 99, 9, 9)"
            )
        )
        await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
        rows = dict(
            (await conn.execute(text("SELECT period_key, points FROM period_scores WHERE user_id = 7"))).all()
        )
        archived = await conn.scalar(text("SELECT COUNT(*) FROM period_scores WHERE user_id = 8"))
    await engine.dispose()
    assert rows == {
        "all": 35,
        "s2024": 30,
        "m2025-05": 30,
        "w2025-21": 30,
        "s2023": 5,
        "m2024-05": 5,
        "w2024-21": 5,
    }
    assert archived == 0
