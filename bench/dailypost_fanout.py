"""Figure 4: daily-post fan-out. Every server is scheduled for the same minute; the emulator enforces
Discord's global limit (50 requests/s) and a per-route bucket (5/s per channel). Posts per second,
429s received, posts lost or doubled."""

from __future__ import annotations

import asyncio
import collections
import time

from common import args, bot_world, report

from db.models import GuildSettings


async def run(servers: int) -> dict[str, object]:
    from discord_emulator import Emulator

    emu = Emulator(global_per_s=50, route_per_s=5)
    async with bot_world(emu, guilds=servers) as (emu, bot, guilds):
        async with bot.db.sessions.begin() as s:
            for g in guilds:
                channel = next(iter(g.channels.values()))
                s.add(
                    GuildSettings(
                        guild_id=g.id,
                        timezone="Europe/Rome",
                        daily_channel_id=channel.id,
                        daily_time="11:59",
                        daily_enabled=True,
                        disabled_banks=[],
                    )
                )
        cog = bot.get_cog("Daily")
        before = len(emu.requests)
        start = time.perf_counter()
        await asyncio.gather(*(cog.check_guild(g.id) for g in guilds))  # type: ignore[union-attr]
        took = time.perf_counter() - start
        per_channel = collections.Counter(m.channel_id for m in emu.sent if "Daily post ·" in m.text())
        statuses = collections.Counter(r.status for r in emu.requests[before:])
    expected = {next(iter(g.channels)) for g in guilds}
    rate = sum(per_channel.values()) / took
    return {
        "servers": servers,
        "seconds": took,
        "posts_per_s": rate,
        "limit_per_s": 50.0,
        "rate/limit": rate / 50.0,
        "429s": statuses.get(429, 0),
        "lost": len(expected - set(per_channel)),
        "doubled": sum(1 for c in per_channel.values() if c > 1),
        "min_seconds_at_50_per_s": servers / 50,
    }


def main() -> None:
    opts = args(__doc__ or "")
    servers = 20 if opts.smoke else 2000
    row = asyncio.run(run(servers))
    print(f"{servers} servers due in the same minute\n")
    report("dailypost_fanout", [row], smoke=opts.smoke)


if __name__ == "__main__":
    main()
