"""Figure 5: a busy quiz. 500 fans in 50 channels answer within the same second (10 per channel, some
right, some wrong). What it measures: 500 answer messages going through the gateway and the matcher, and
the 50 rounds they close, each written as ONE transaction holding that round's 10 score events (so 50
write transactions, not 500). Messages settled per second (from the first message to the last round
closed), write transactions and events written, exactly one winner per question, no lock errors.
`--database-url postgresql+asyncpg://…` runs it on PostgreSQL too, side by side with SQLite."""

from __future__ import annotations

import asyncio
import logging
import random
import time

from common import args, backend_name, bot_world, database_url_option, databases, report, scratch_postgres
from sqlalchemy import func, select

from db.models import Question, ScoreEvent


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def run(channels: int, per_channel: int, database: str) -> dict[str, object]:
    if database != "sqlite":
        async with scratch_postgres(database) as url:
            return await run_on(channels, per_channel, url)
    return await run_on(channels, per_channel, "")


async def run_on(channels: int, per_channel: int, database_url: str) -> dict[str, object]:
    errors = Errors()
    logging.getLogger().addHandler(errors)
    async with bot_world(channels=channels, time_scale=1.0, database_url=database_url) as (emu, bot, guilds):
        guild = guilds[0]
        chans = list(guild.channels.values())
        fans = [emu.member(guild, f"Fan {i}") for i in range(channels * per_channel)]
        for ch, starter in zip(chans, fans[::per_channel], strict=True):
            await starter.slash("quiz start", questions=1, seconds=60, in_channel=ch)
        questions: dict[int, str] = {}
        async with bot.db.sessions() as s:
            by_text = {q.text: q.answer for q in (await s.scalars(select(Question))).all()}
        while len(questions) < channels:
            for m in emu.sent:
                if m.embeds and m.embeds[0].get("title", "").startswith("Question 1/"):
                    questions[m.channel_id] = by_text[m.embeds[0]["description"].replace("\\", "")]
            await asyncio.sleep(0.05)
        rng = random.Random(5)
        said = []
        for i, fan in enumerate(fans):
            ch = chans[i // per_channel]
            right = i % per_channel == per_channel - 1 or rng.random() < 0.5  # at least one right per channel
            said.append((fan, ch, questions[ch.id] if right else "definitely wrong"))
        rng.shuffle(said)
        cog = bot.get_cog("Quiz")
        errors.messages.clear()  # count only what the burst causes
        start = time.perf_counter()
        await asyncio.gather(*(fan.say(text, in_channel=ch) for fan, ch, text in said))
        while any(ch.id in cog.running for ch in chans):  # type: ignore[union-attr]
            await asyncio.sleep(0.01)
            if time.perf_counter() - start > 60:
                break
        took = time.perf_counter() - start
        async with bot.db.sessions() as s:
            winners = await s.scalar(
                select(func.count()).select_from(ScoreEvent).where(ScoreEvent.points > 0)
            )
            events = await s.scalar(select(func.count()).select_from(ScoreEvent))
        wins_shown = sum(1 for m in emu.sent if "got it!" in m.text())
    logging.getLogger().removeHandler(errors)
    locked = [m for m in errors.messages if "locked" in m]
    answers = channels * per_channel
    return {
        "database": backend_name(database_url or "sqlite"),
        "answer_messages": answers,
        "channels": channels,
        "seconds_to_settle_all": took,
        "messages_settled_per_s": answers / took,
        "write_transactions": channels,  # one per round closed
        "score_events_written": events,
        "winners_in_db": winners,
        "winners_announced": wins_shown,
        "one_winner_per_question": winners == wins_shown == channels,
        "database_locked_errors": len(locked),  # SQLite's "database is locked"
        "warnings_logged": len(errors.messages),
        "warnings": sorted(set(errors.messages))[:5],
    }


def main() -> None:
    opts = args(__doc__ or "", database_url_option)
    channels, per = (5, 4) if opts.smoke else (50, 10)
    rows = [asyncio.run(run(channels, per, database)) for database in databases(opts)]
    print(f"{channels * per} fans answering at once in {channels} channels\n")
    report("busy_quiz", rows, smoke=opts.smoke)


if __name__ == "__main__":
    main()
