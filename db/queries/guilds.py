"""Guild settings queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.defaults import DEFAULT_TIMEZONE
from db.models import GuildSettings


async def guild_settings(session: AsyncSession, guild_id: int, *, create: bool = False) -> GuildSettings:
    """The guild's settings; a transient default row unless `create` adds it to the session."""
    found = await session.get(GuildSettings, guild_id)
    if found is not None:
        return found
    row = GuildSettings(guild_id=guild_id, timezone=DEFAULT_TIMEZONE, daily_enabled=False, disabled_banks=[])
    if create:
        session.add(row)
    return row


async def guild_timezone(session: AsyncSession, guild_id: int) -> str:
    row = await session.get(GuildSettings, guild_id)
    return row.timezone if row else DEFAULT_TIMEZONE


async def scheduled_guilds(session: AsyncSession) -> list[GuildSettings]:
    """Guilds with a daily post switched on."""
    return list(
        (await session.scalars(select(GuildSettings).where(GuildSettings.daily_enabled.is_(True)))).all()
    )


async def guild_language(session: AsyncSession, guild_id: int) -> str | None:
    """The server's chosen language ('en'/'it'), or None when it follows its preferred locale."""
    row = await session.get(GuildSettings, guild_id)
    return row.language if row else None


async def set_guild_language(session: AsyncSession, guild_id: int, language: str | None) -> None:
    """Choose the server's language ('en'/'it'), or None to follow its preferred locale."""
    row = await guild_settings(session, guild_id, create=True)
    row.language = language
