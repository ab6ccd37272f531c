"""Alembic migrations produce exactly the schema the models describe."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db.engine import MIGRATIONS_DIR, make_engine, make_revision, migrate, next_revision_id
from db.models import Base
from tests.backend import sqlite_only


async def test_migrations_match_models(db) -> None:
    """Autogenerate against a database migrated to head finds nothing to do (the same options as env.py)."""

    def diff(sync_conn):
        ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)

    async with db.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == []


def _copy_migrations(tmp_path: Path) -> Path:
    target = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _body(path: Path, function: str) -> str:
    text = path.read_text()
    start = text.index(f"def {function}() -> None:")
    end = text.find("\ndef ", start + 1)
    return text[start : end if end != -1 else None]


async def test_revision_from_models_at_head_is_empty(tmp_path: Path) -> None:
    """`calcio-quiz db revision` on unchanged models writes a migration that does nothing, numbered next."""
    location = _copy_migrations(tmp_path)
    head = next_revision_id(location)
    path = await make_revision("nothing new", script_location=location)
    assert path.name == f"{head}_nothing_new.py"
    text = path.read_text()
    assert f'revision: str = "{head}"' in text
    assert f'down_revision: str | None = "{int(head) - 1:04d}"' in text
    code = [line.strip() for line in _body(path, "upgrade").splitlines() if not line.strip().startswith("#")]
    assert [line for line in code if line] == ["def upgrade() -> None:", "pass"]


async def test_a_database_at_head_migrates_again_once_a_migration_is_added(tmp_path: Path) -> None:
    """`migrate` skips Alembic on a database at head (one query), yet a migration added since is applied:
    the head is read again when the versions folder changes."""
    location = _copy_migrations(tmp_path)
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")

    def heads(sync_conn: sa.Connection) -> tuple[str, ...]:
        return MigrationContext.configure(sync_conn).get_current_heads()

    try:
        await migrate(engine, script_location=location)
        await migrate(engine, script_location=location)  # at head: nothing to do
        new = await make_revision("nothing new", script_location=location)
        await migrate(engine, script_location=location)
        async with engine.connect() as conn:
            assert await conn.run_sync(heads) == (new.name.split("_")[0],)
    finally:
        await engine.dispose()


async def test_revision_picks_up_a_model_change(tmp_path: Path) -> None:
    """The same command sees a table the migrations lack (so the empty-diff test can fail)."""
    location = _copy_migrations(tmp_path)
    table = sa.Table("polls", Base.metadata, sa.Column("id", sa.Integer, primary_key=True))
    try:
        path = await make_revision("add polls", script_location=location)
    finally:
        Base.metadata.remove(table)
    assert 'op.create_table("polls"' in _body(path, "upgrade")
    assert 'op.drop_table("polls")' in _body(path, "downgrade")


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
