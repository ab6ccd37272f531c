"""A server's public web page (on/off, its unguessable slug) and what it may show of each fan."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import FanProfile, GuildSettings
from db.queries.guilds import guild_settings

HIDDEN_NAME = "hidden fan"
UNNAMED = "unnamed fan"


def new_slug() -> str:
    """An unguessable address for a server's page (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


async def enable_web(session: AsyncSession, guild_id: int, title: str) -> str:
    """Turn the server's page on (keeping an earlier address) and return its slug."""
    row = await guild_settings(session, guild_id, create=True)
    row.web_title = title[:100]
    if not row.web_slug:
        row.web_slug = new_slug()
    row.web_enabled = True
    return row.web_slug


async def disable_web(session: AsyncSession, guild_id: int) -> bool:
    """Turn the server's page off; True if it was on."""
    row = await session.get(GuildSettings, guild_id)
    if row is None or not row.web_enabled:
        return False
    row.web_enabled = False
    return True


async def rename_site(session: AsyncSession, guild_id: int, title: str) -> None:
    """Keep the page's title in step with the server's name."""
    row = await session.get(GuildSettings, guild_id)
    if row is not None:
        row.web_title = title[:100]


async def web_slug(session: AsyncSession, guild_id: int) -> str | None:
    """The slug of the server's page if it is on, else None."""
    return await session.scalar(
        select(GuildSettings.web_slug).where(
            GuildSettings.guild_id == guild_id, GuildSettings.web_enabled.is_(True)
        )
    )


async def site_by_slug(session: AsyncSession, slug: str) -> GuildSettings | None:
    """The settings of the server whose page is on at this slug."""
    return await session.scalar(
        select(GuildSettings).where(GuildSettings.web_slug == slug, GuildSettings.web_enabled.is_(True))
    )


async def web_guild_ids(session: AsyncSession) -> set[int]:
    """Servers whose page is on."""
    return set(
        await session.scalars(select(GuildSettings.guild_id).where(GuildSettings.web_enabled.is_(True)))
    )


@dataclass(frozen=True)
class FanName:
    """How a fan appears on the web: their name, or 'hidden fan'."""

    user_id: int
    name: str
    hidden: bool


async def fan_names(session: AsyncSession, guild_id: int, user_ids: Iterable[int]) -> dict[int, FanName]:
    """Names to show for these members (every id gets one; hidden fans are 'hidden fan')."""
    ids = list(dict.fromkeys(user_ids))
    found: dict[int, FanProfile] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = await session.scalars(
            select(FanProfile).where(FanProfile.guild_id == guild_id, FanProfile.user_id.in_(chunk))
        )
        found.update({r.user_id: r for r in rows})
    out: dict[int, FanName] = {}
    for uid in ids:
        row = found.get(uid)
        if row is not None and row.hidden:
            out[uid] = FanName(uid, HIDDEN_NAME, True)
        else:
            out[uid] = FanName(uid, (row.name if row and row.name else UNNAMED), False)
    return out


async def is_hidden(session: AsyncSession, guild_id: int, user_id: int) -> bool:
    row = await session.get(FanProfile, (guild_id, user_id))
    return bool(row and row.hidden)


def _upsert(session: AsyncSession):  # type: ignore[no-untyped-def]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert


async def save_names(
    session: AsyncSession, guild_id: int, names: Mapping[int, str], now: dt.datetime
) -> None:
    """Insert or refresh members' names (their hidden choice is kept)."""
    if not names:
        return
    make = _upsert(session)
    rows = [
        {"guild_id": guild_id, "user_id": uid, "name": name[:100], "hidden": False, "updated_at": now}
        for uid, name in names.items()
    ]
    for i in range(0, len(rows), 500):
        stmt = make(FanProfile).values(rows[i : i + 500])
        stmt = stmt.on_conflict_do_update(
            index_elements=["guild_id", "user_id"],
            set_={"name": stmt.excluded.name, "updated_at": stmt.excluded.updated_at},
        )
        await session.execute(stmt)


async def set_hidden(
    session: AsyncSession, guild_id: int, user_id: int, hidden: bool, name: str, now: dt.datetime
) -> None:
    """Record a fan's choice to be hidden on (or shown again by) the server's page."""
    make = _upsert(session)
    stmt = make(FanProfile).values(
        guild_id=guild_id, user_id=user_id, name=name[:100], hidden=hidden, updated_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["guild_id", "user_id"],
        set_={"hidden": stmt.excluded.hidden, "name": stmt.excluded.name, "updated_at": now},
    )
    await session.execute(stmt)


def like_pattern(text: str) -> str:
    """A case-folded LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search_fans(session: AsyncSession, guild_id: int, text: str, limit: int = 50) -> list[int]:
    """Visible fans whose name contains `text` (case-insensitive); hidden fans are never found."""
    return list(
        await session.scalars(
            select(FanProfile.user_id)
            .where(
                FanProfile.guild_id == guild_id,
                FanProfile.hidden.is_(False),
                func.lower(FanProfile.name).like(like_pattern(text), escape="\\"),
            )
            .order_by(FanProfile.name)
            .limit(limit)
        )
    )
