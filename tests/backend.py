"""Which database the suite runs on, and a fresh PostgreSQL database per test when it is PostgreSQL.

`DATABASE_URL=postgresql+asyncpg://…/postgres pytest` runs the suite on that server: a template database is
migrated and synced once, and each test gets `CREATE DATABASE … TEMPLATE` (a file copy, milliseconds),
dropped in the background afterwards. Without it the suite runs on SQLite files, as always.

Tests that need PostgreSQL whatever the run (`postgres_url`) use the suite's server, or start a throwaway
one (tests/pgserver.py); they skip with the reason when none can be started, and fail when CI=true.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from sqlalchemy.engine import make_url

from tests import pgserver

T = TypeVar("T")

SUITE_URL = os.environ.get("DATABASE_URL", "")  # read once, before fixtures clear the environment
IN_CI = os.environ.get("CI", "").lower() == "true"


def suite_on_postgres() -> bool:
    return SUITE_URL.startswith("postgresql")


# A test on its own PostgreSQL database whatever the suite's (the shard test): CI runs it in its PostgreSQL
# pass only, not twice.
postgres_pass_in_ci = pytest.mark.skipif(
    IN_CI and not suite_on_postgres(), reason="runs in CI's PostgreSQL pass (its own database either way)"
)

sqlite_only = pytest.mark.skipif(
    suite_on_postgres(), reason="SQLite-only behaviour (this run is on PostgreSQL)"
)


class _Loop:
    """One event loop in a thread, for admin statements issued from synchronous fixtures."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True, name="pg-admin").start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(120)

    def later(self, coro: Coroutine[Any, Any, Any]) -> None:
        asyncio.run_coroutine_threadsafe(coro, self.loop)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


class PostgresDatabases:
    """Makes one migrated template database on a server, then a copy of it per test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.template = f"calcio_tpl_{os.getpid()}"
        self._names = itertools.count(1)
        self._strategy = ""
        self._loop = _Loop()
        self._admin: Any = None  # an asyncpg connection
        self._lock = asyncio.Lock()  # one statement at a time on the admin connection

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    async def _connect(self) -> Any:
        if self._admin is None:
            import asyncpg

            dsn = make_url(self.admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
            self._admin = await asyncpg.connect(dsn)
        return self._admin

    async def _execute(self, sql: str) -> None:
        async with self._lock:
            await (await self._connect()).execute(sql)

    def prepare(self) -> None:
        """Create the template: migrations at head and built-in content synced."""

        async def version() -> int:
            return int(await (await self._connect()).fetchval("SHOW server_version_num"))

        # PostgreSQL 15+ copies a small template fastest file by file (its default logs every page).
        self._strategy = " STRATEGY FILE_COPY" if self._loop.run(version()) >= 150000 else ""
        from bot.config import load_settings
        from bot.database import open_database

        self._loop.run(self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)"))
        self._loop.run(self._execute(f"CREATE DATABASE {self.template}"))

        async def migrate() -> None:
            database, _ = await open_database(load_settings(database_url=self.url(self.template)))
            await database.close()

        self._loop.run(migrate())

    def create(self) -> str:
        """A new database copied from the template; returns its name."""
        name = f"calcio_t{os.getpid()}_{next(self._names)}"
        self._loop.run(self._execute(f"CREATE DATABASE {name} TEMPLATE {self.template}{self._strategy}"))
        return name

    def create_empty(self) -> str:
        """A new database with no tables at all; returns its name."""
        name = f"calcio_e{os.getpid()}_{next(self._names)}"
        self._loop.run(self._execute(f"CREATE DATABASE {name}"))
        return name

    def drop_later(self, name: str) -> None:
        self._loop.later(self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def close(self) -> None:
        async def finish() -> None:
            with contextlib.suppress(Exception):
                await self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
            if self._admin is not None:
                await self._admin.close()

        self._loop.run(finish())
        self._loop.close()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases | str]:
    """The suite's PostgreSQL (from DATABASE_URL) or a throwaway local server; the reason when neither."""
    server = None
    url = SUITE_URL if suite_on_postgres() else ""
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        yield "asyncpg is not installed (pip install -e '.[postgres]')"
        return
    if not url:
        try:
            server = pgserver.start()
        except pgserver.PostgresUnavailable as exc:
            yield str(exc)
            return
        url = server.url()
    databases = PostgresDatabases(url)
    try:
        databases.prepare()
        yield databases
    finally:
        databases.close()
        if server is not None:
            server.stop()


def _server_or_skip(postgres_databases: PostgresDatabases | str) -> PostgresDatabases:
    """The suite's PostgreSQL server; without one (`postgres_databases` is then why), skip, or fail in CI."""
    if isinstance(postgres_databases, str):
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {postgres_databases}")
        pytest.skip(f"needs PostgreSQL: {postgres_databases}")
    return postgres_databases


@pytest.fixture
def postgres_url(postgres_databases: PostgresDatabases | str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test (skips, or fails in CI, without a server)."""
    postgres_databases = _server_or_skip(postgres_databases)
    name = postgres_databases.create()
    yield postgres_databases.url(name)
    postgres_databases.drop_later(name)


@pytest.fixture
def empty_postgres_url(postgres_databases: PostgresDatabases | str) -> Iterator[str]:
    """A fresh PostgreSQL database with no tables (first start-up of a fleet)."""
    postgres_databases = _server_or_skip(postgres_databases)
    name = postgres_databases.create_empty()
    yield postgres_databases.url(name)
    postgres_databases.drop_later(name)


@pytest.fixture
def test_database_url(request: pytest.FixtureRequest) -> str:
    """The URL a test's settings use: '' (a SQLite file in its data dir) or a fresh PostgreSQL database."""
    if not suite_on_postgres():
        return ""
    return request.getfixturevalue("postgres_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """Runs a test on both databases: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'both.db'}"
    return request.getfixturevalue("postgres_url")
