"""Async engine and session factory; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> AsyncEngine:
    """Create the async engine; for a SQLite file, make its folder and turn on the pragmas."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": 10}
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    """A session factory whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None, *, script_location: Path = MIGRATIONS_DIR) -> Config:
    """Alembic config pointing at the packaged migrations, optionally bound to a connection."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


async def migrate(engine: AsyncEngine, *, script_location: Path = MIGRATIONS_DIR) -> None:
    """Apply every Alembic migration up to head. A database already at head costs one query: Alembic's
    upgrade would load and compile every migration file again at each start."""

    def _upgrade(sync_conn: Connection) -> None:
        if set(MigrationContext.configure(sync_conn).get_current_heads()) == _heads(script_location):
            return
        command.upgrade(alembic_config(sync_conn, script_location=script_location), "head")

    async with engine.begin() as conn:
        await hold_startup_lock(conn)
        await conn.run_sync(_upgrade)


def _heads(script_location: Path) -> set[str]:
    """The head revisions of the migrations in `script_location`, read once per state of its files."""
    versions = script_location / "versions"
    state = tuple(sorted((f.name, f.stat().st_mtime_ns) for f in versions.glob("*.py")))
    return set(_heads_of(script_location, state))


@functools.lru_cache(maxsize=8)
def _heads_of(script_location: Path, state: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    del state  # part of the cache key only: a migration added or edited reads them again
    return ScriptDirectory.from_config(alembic_config(script_location=script_location)).get_heads()


STARTUP_LOCK = 0x43514D  # an arbitrary constant: the advisory lock every Calcio Quiz process agrees on


async def hold_startup_lock(conn: AsyncConnection) -> None:
    """On PostgreSQL, wait for and hold (until this transaction ends) the lock that serialises start-up
    work across processes: migrations, the content sync. SQLite serialises writers by itself."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STARTUP_LOCK})


def next_revision_id(script_location: Path = MIGRATIONS_DIR) -> str:
    """The id after the current head: "0003" -> "0004" (ids are zero-padded numbers)."""
    head = ScriptDirectory.from_config(alembic_config(script_location=script_location)).get_current_head()
    if head is None:
        return "0001"
    if not head.isdigit():
        raise ValueError(f"the head revision {head!r} is not a number; pass a revision id")
    return f"{int(head) + 1:0{len(head)}d}"


async def make_revision(
    message: str,
    *,
    rev_id: str | None = None,
    autogenerate: bool = True,
    script_location: Path = MIGRATIONS_DIR,
) -> Path:
    """Write a new migration file and return its path.

    With `autogenerate`, a throwaway SQLite database is upgraded to head and compared with the models,
    so the file holds exactly what the models add; read and fix it before committing.
    """
    rev_id = rev_id or next_revision_id(script_location)
    with tempfile.TemporaryDirectory(prefix="calcio-quiz-revision-") as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'head.db'}")
        try:
            await migrate(engine, script_location=script_location)

            def _revision(sync_conn: Connection) -> Script:
                cfg = alembic_config(sync_conn, script_location=script_location)
                if shutil.which("ruff"):  # the project's style, so the new file passes `ruff format --check`
                    cfg.set_section_option("post_write_hooks", "hooks", "ruff")
                    cfg.set_section_option("post_write_hooks", "ruff.type", "exec")
                    cfg.set_section_option("post_write_hooks", "ruff.executable", "ruff")
                    cfg.set_section_option(
                        "post_write_hooks", "ruff.options", "format REVISION_SCRIPT_FILENAME"
                    )
                script = command.revision(cfg, message=message, autogenerate=autogenerate, rev_id=rev_id)
                assert isinstance(script, Script)
                return script

            async with engine.connect() as conn:
                script = await conn.run_sync(_revision)
        finally:
            await engine.dispose()
    return Path(script.path)
