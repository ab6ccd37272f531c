"""Which database the suite runs on, and a fresh PostgreSQL database per test when it is PostgreSQL.

`DATABASE_URL=postgresql+asyncpg://…/postgres pytest` runs the suite on that server: a template database is
migrated and synced once per run (its xdist workers share it), and each test gets `CREATE DATABASE …
TEMPLATE` (a file copy, milliseconds), dropped in the background afterwards. Without it the suite runs on
SQLite files, as always.

Tests that need PostgreSQL whatever the run (`postgres_url`) use the suite's server, or a throwaway one
(tests/pgserver.py) that the run's workers share; they skip with the reason when none can be started, and
fail when CI=true.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import itertools
import json
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
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
    """Copies of one migrated template database on a server, one per test."""

    def __init__(self, admin_url: str, template: str) -> None:
        self.admin_url = admin_url
        self.template = template
        self._names = itertools.count(1)
        self._strategy: str | None = None
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

    async def _execute(self, sql: str, *args: object) -> None:
        async with self._lock:
            await (await self._connect()).execute(sql, *args)

    def run(self, sql: str, *args: object) -> None:
        """Run one admin statement (on database `postgres`) and wait for it."""
        self._loop.run(self._execute(sql, *args))

    def prepare(self) -> None:
        """Create the template: migrations at head and built-in content synced. It is then closed to
        connections (as template0 is), so no session can stop a `CREATE DATABASE … TEMPLATE` copying it."""
        from bot.config import load_settings
        from bot.database import open_database

        async def migrate() -> None:
            database, _ = await open_database(load_settings(database_url=self.url(self.template)))
            await database.close()

        self.run(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self.run(f"CREATE DATABASE {self.template}")
        self._loop.run(migrate())
        self.run(f"ALTER DATABASE {self.template} ALLOW_CONNECTIONS false")
        self.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", self.template)

    async def _copy(self, name: str) -> None:
        import asyncpg

        for attempt in range(COPY_TRIES):
            try:
                async with self._lock:
                    admin = await self._connect()
                    if self._strategy is None:
                        version = int(await admin.fetchval("SHOW server_version_num"))
                        # 15+: a small template copies fastest file by file (the default logs each page)
                        self._strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
                    await admin.execute(f"CREATE DATABASE {name} TEMPLATE {self.template}{self._strategy}")
                return
            except asyncpg.ObjectInUseError:  # "source database … is being accessed by other users"
                if attempt == COPY_TRIES - 1:
                    raise
                await asyncio.sleep(0.5)

    def create(self) -> str:
        """A new database copied from the template; returns its name."""
        name = f"calcio_t{os.getpid()}_{next(self._names)}"
        self._loop.run(self._copy(name))
        return name

    def create_empty(self) -> str:
        """A new database with no tables at all; returns its name."""
        name = f"calcio_e{os.getpid()}_{next(self._names)}"
        self.run(f"CREATE DATABASE {name}")
        return name

    def drop_later(self, name: str) -> None:
        self._loop.later(self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def close(self) -> None:
        """Wait for the drops still queued, then close the admin connection (the template stays)."""

        async def finish() -> None:
            async with self._lock:  # after every statement queued before
                if self._admin is not None:
                    await self._admin.close()

        self._loop.run(finish())
        self._loop.close()


COPY_TRIES = 3  # PostgreSQL itself waits up to 5 s, each try, for sessions on the template to end


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's folder, shared by its xdist workers (the parent of each one's basetemp)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


@contextlib.contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `lock` (one process at a time, across the xdist workers)."""
    with lock.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass
class RunPostgres:
    """The run's PostgreSQL, as the first worker to need it recorded it in the run's folder for the others:
    a server (a throwaway one it started, or DATABASE_URL's) and one template for the whole run."""

    url: str = ""
    template: str = ""
    server_base: str = ""  # the throwaway server's, to stop it at the end ('' on DATABASE_URL's)
    server_port: int = 0
    ready: bool = False  # the template is built
    unavailable: str = ""  # why there is no server

    @staticmethod
    def path(folder: Path) -> Path:
        return folder / "postgres.json"

    @classmethod
    def load(cls, folder: Path) -> RunPostgres | None:
        path = cls.path(folder)
        return cls(**json.loads(path.read_text())) if path.exists() else None

    def save(self, folder: Path) -> None:
        part = self.path(folder).with_suffix(".part")
        part.write_text(json.dumps(asdict(self)))
        part.replace(self.path(folder))


def _run_postgres(folder: Path) -> RunPostgres:
    """The run's PostgreSQL, started and its template built if no worker did yet (call under the lock)."""
    shared = RunPostgres.load(folder)
    if shared is not None and (shared.ready or shared.unavailable):
        return shared
    if shared is None or not shared.url:  # the first, or a start cut short (its remains are stopped)
        if shared is not None:
            _stop(shared)
        shared = _start(folder)
        if shared.unavailable:
            return shared
    builder = PostgresDatabases(shared.url, shared.template)
    try:
        builder.prepare()
    finally:
        builder.close()
    shared.ready = True
    shared.save(folder)
    return shared


def _start(folder: Path) -> RunPostgres:
    """The run's server: DATABASE_URL's, or a throwaway one started now (recorded before it starts, so that
    the end of the run stops it whatever happens to this worker)."""
    template = f"calcio_tpl_{secrets.token_hex(4)}"  # one per run; runs may share DATABASE_URL's server
    if suite_on_postgres():
        shared = RunPostgres(SUITE_URL, template)
    else:
        base = Path(tempfile.mkdtemp(prefix="calcio-pg-"))
        RunPostgres(template=template, server_base=str(base)).save(folder)
        try:
            server = pgserver.start(base)
        except pgserver.PostgresUnavailable as exc:
            shutil.rmtree(base, ignore_errors=True)
            shared = RunPostgres(unavailable=str(exc))
        else:
            shared = RunPostgres(server.url(), template, str(base), server.port)
    shared.save(folder)
    return shared


def _stop(shared: RunPostgres) -> None:
    """Stop the run's throwaway server (its port is not needed), or drop the run's template from
    DATABASE_URL's."""
    if shared.server_base:
        pgserver.PostgresServer(Path(shared.server_base), shared.server_port).stop()
    elif shared.url and shared.template:
        databases = PostgresDatabases(shared.url, shared.template)
        try:
            with contextlib.suppress(Exception):
                databases.run(f"DROP DATABASE IF EXISTS {shared.template} WITH (FORCE)")
        finally:
            databases.close()


def end_run(folder: Path) -> None:
    """Stop the run's throwaway server, or drop its template from DATABASE_URL's server: once, by the last
    process of the run (the xdist controller, see tests/conftest.py, or the only process with -n 0)."""
    with exclusive(folder / "postgres.lock"):
        shared = RunPostgres.load(folder)
        if shared is not None:
            _stop(shared)
            RunPostgres.path(folder).unlink()


@pytest.fixture(scope="session")
def postgres_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresDatabases | str]:
    """The suite's PostgreSQL (from DATABASE_URL) or a throwaway local server; the reason when neither.

    The xdist workers share one server and one template: the first to need them starts and builds them
    while the others wait. Only the last process of the run stops the server (`end_run`)."""
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        yield "asyncpg is not installed (pip install -e '.[postgres]')"
        return
    folder = run_folder(tmp_path_factory)
    try:
        with exclusive(folder / "postgres.lock"):
            shared = _run_postgres(folder)
        if shared.unavailable:
            yield shared.unavailable
            return
        databases = PostgresDatabases(shared.url, shared.template)
        try:
            yield databases
        finally:
            databases.close()  # after this worker's drops
    finally:
        if not os.environ.get("PYTEST_XDIST_WORKER"):  # no other process: this is the end of the run
            end_run(folder)


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
