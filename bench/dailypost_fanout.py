"""Figure 4: daily-post fan-out through APScheduler. Every server's cron job is due in the same minute
on a day without an "on this day" fact, so each post picks a fact and a quick question from a
10,000-question bank. The emulator enforces Discord's global limit (50 requests/s) and a per-route
bucket (5/s per channel). Posts per second (goal: 38/s, the pacer's 40/s), 429s, posts lost or doubled.
Exits non-zero when any post is lost or doubled."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import logging
import sys
import time

from common import args, bot_world, report, seed_bank

from db.queries.guilds import set_daily

GOAL_PER_S = 38.0
DAY = dt.datetime(2025, 1, 2, 10, 0, tzinfo=dt.UTC)  # 11:00 in Rome; no fact is dated 2 January


class Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def run(servers: int, questions: int, timeout: float) -> dict[str, object]:
    from discord_emulator import Emulator

    warnings = Counter()
    logging.getLogger().addHandler(warnings)
    emu = Emulator(global_per_s=50, route_per_s=5)
    async with bot_world(emu, guilds=servers) as (emu, bot, guilds):
        await seed_bank(bot, questions)
        bot.clock.set(DAY)  # type: ignore[attr-defined]
        daily = bot.get_cog("Daily").poster  # type: ignore[union-attr]
        async with bot.db.sessions.begin() as s:
            schedules = [
                await set_daily(s, g.id, next(iter(g.channels)), 10, 59, "Europe/Rome") for g in guilds
            ]
        for schedule in schedules:
            daily.plan_job(schedule.guild_id, schedule)
        before = len(emu.requests)
        fire = dt.datetime.now(dt.UTC)
        start = time.perf_counter()
        for job in daily.scheduler.get_jobs():
            job.modify(next_run_time=fire)  # all due now: APScheduler runs them
        expected = {next(iter(g.channels)) for g in guilds}

        counted = collections.Counter[int]()
        scanned = 0

        def posted() -> collections.Counter[int]:
            nonlocal scanned  # count only the messages sent since the last look
            fresh, scanned = emu.sent[scanned:], len(emu.sent)
            counted.update(m.channel_id for m in fresh if "Daily post ·" in m.text())
            return counted

        last_post = start
        seen = 0
        while time.perf_counter() - start < timeout:
            await asyncio.sleep(0.02)
            count = sum(posted().values())
            if count != seen:
                seen, last_post = count, time.perf_counter()
            jobs = daily.scheduler.get_jobs()
            pending = [j for j in jobs if j.id.startswith("retry:") or j.next_run_time <= fire]
            if not pending and daily._active == 0 and count >= len(expected):
                break
        await asyncio.sleep(0.5)  # anything late would show up as doubled
        per_channel = posted()
        statuses = collections.Counter(r.status for r in emu.requests[before:])
    logging.getLogger().removeHandler(warnings)
    took = last_post - start
    rate = sum(per_channel.values()) / took if took > 0 else 0.0
    return {
        "servers": servers,
        "questions": questions,
        "seconds": took,
        "posts_per_s": rate,
        "goal_per_s": GOAL_PER_S,
        "rate/goal": rate / GOAL_PER_S,
        "429s": statuses.get(429, 0),
        "retries_logged": sum(1 for m in warnings.messages if "retry" in m),
        "lost": len(expected - set(per_channel)),
        "doubled": sum(1 for c in per_channel.values() if c > 1),
        "min_seconds_at_40_per_s": servers / 40,
    }


def main() -> None:
    opts = args(__doc__ or "")
    servers, questions = (20, 500) if opts.smoke else (2000, 10_000)
    row = asyncio.run(run(servers, questions, timeout=60 if opts.smoke else 600))
    print(f"{servers} servers due in the same minute, {questions}-question bank, through APScheduler\n")
    report("dailypost_fanout", [row], smoke=opts.smoke)
    if row["lost"] or row["doubled"]:
        print(f"FAILED: {row['lost']} posts lost, {row['doubled']} doubled", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
