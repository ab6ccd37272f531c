"""Open the database for the bot or the command line: engine, migrations, content sync."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.config import Settings
from bot.content.generate import content_digest
from bot.content.loader import cached_content
from db.engine import hold_startup_lock, make_engine, make_sessionmaker, migrate
from db.queries.content import SyncReport, save_digest, stored_digest, sync_content

log = logging.getLogger(__name__)


@dataclass
class Database:
    """An open database: the engine and its session factory."""

    engine: AsyncEngine
    sessions: async_sessionmaker

    async def close(self) -> None:
        await self.engine.dispose()


CONTENT_STATE = "builtin"


async def open_database(
    settings: Settings, *, sync: bool = True, now: dt.datetime | None = None
) -> tuple[Database, SyncReport | None]:
    """Migrate to head and (by default) sync built-in content when its sources' digest changed; a bad
    content file aborts before any content write. Processes starting at once sync one after another, and
    those that find the content synced by the one before them neither build nor compare it."""
    digest = await asyncio.to_thread(content_digest, settings.content_dir) if sync else ""
    engine = make_engine(settings.db_url)
    await migrate(engine)
    db = Database(engine, make_sessionmaker(engine))
    if not sync:
        return db, None
    async with db.sessions() as session:
        if await stored_digest(session, CONTENT_STATE) == digest:
            log.info("Content unchanged (digest %s): not synced", digest[:12])
            return db, SyncReport(skipped=True)
    try:
        async with db.sessions.begin() as session:  # all or nothing: a failure rolls every row back
            await hold_startup_lock(await session.connection())  # one process syncs at a time
            if await stored_digest(session, CONTENT_STATE) == digest:  # synced by the process before us
                log.info("Content synced meanwhile by another process (digest %s)", digest[:12])
                return db, SyncReport(skipped=True)
            content = await asyncio.to_thread(cached_content, settings.content_dir.resolve(), digest)
            report = await sync_content(session, content)
            await save_digest(session, CONTENT_STATE, digest, now or dt.datetime.now(dt.UTC))
    except BaseException:
        await db.close()  # the caller gets no database to close: leave no connection behind
        raise
    log.info(
        "Content synced: %d added, %d updated, %d unchanged, %d deactivated",
        report.added,
        report.updated,
        report.unchanged,
        report.deactivated,
    )
    return db, report
