"""Guild settings queries."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.defaults import DEFAULT_TIMEZONE
from bot.schedule.daily import DailySchedule
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


def _schedule_of(row: GuildSettings | None) -> DailySchedule | None:
    """The row's daily post if it is on; its stored "HH:MM" (written by `set_daily`) parsed here, once."""
    if row is None or not (row.daily_enabled and row.daily_time and row.daily_channel_id):
        return None
    hour, minute = (int(part) for part in row.daily_time.split(":"))
    return DailySchedule(row.guild_id, row.daily_channel_id, hour, minute, row.timezone)


async def daily_schedule(session: AsyncSession, guild_id: int) -> DailySchedule | None:
    """The guild's daily post, or None when it is off."""
    return _schedule_of(await session.get(GuildSettings, guild_id))


async def scheduled_guilds(session: AsyncSession) -> list[DailySchedule]:
    """Every guild's daily post that is switched on."""
    rows = await session.scalars(select(GuildSettings).where(GuildSettings.daily_enabled.is_(True)))
    return [schedule for row in rows if (schedule := _schedule_of(row)) is not None]


async def set_daily(
    session: AsyncSession, guild_id: int, channel_id: int, hour: int, minute: int, timezone: str
) -> DailySchedule:
    """Switch the guild's daily post on: this channel, at hour:minute in `timezone`."""
    row = await guild_settings(session, guild_id, create=True)
    row.daily_channel_id, row.daily_time, row.timezone, row.daily_enabled = (
        channel_id,
        f"{hour:02d}:{minute:02d}",
        timezone,
        True,
    )
    return DailySchedule(guild_id, channel_id, hour, minute, timezone)


async def disable_daily(session: AsyncSession, guild_id: int) -> bool:
    """Switch the guild's daily post off (its channel and time are kept); False if it was off."""
    done = await session.execute(
        update(GuildSettings)
        .where(GuildSettings.guild_id == guild_id, GuildSettings.daily_enabled.is_(True))
        .values(daily_enabled=False)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


async def guild_language(session: AsyncSession, guild_id: int) -> str | None:
    """The server's chosen language ('en'/'it'), or None when it follows its preferred locale."""
    row = await session.get(GuildSettings, guild_id)
    return row.language if row else None


async def set_guild_language(session: AsyncSession, guild_id: int, language: str | None) -> None:
    """Choose the server's language ('en'/'it'), or None to follow its preferred locale."""
    row = await guild_settings(session, guild_id, create=True)
    row.language = language
