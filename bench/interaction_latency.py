"""Figure 2: time from the emulator sending INTERACTION_CREATE to receiving the bot's callback, for
/quiz start, /fact, /leaderboard show and /stats, through discord.py's real gateway and HTTP code, on a
seeded server: a generated question bank (10,000 questions by default, `--questions`) and 30,000 score
events from 400 fans (the caller among them), so the board and stats have real rows to read."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import statistics
import time

import discord.state
from common import args, bot_world, report, seed_bank, summary
from discord.webhook import async_ as webhook_async

from db.queries.scores import EventDraft, record_events


class BotSide:
    """The bot's own share, timed in process: from discord.py parsing INTERACTION_CREATE to the bot
    starting its callback request (wall and CPU of the whole process: the database thread too)."""

    def __init__(self) -> None:
        self.received = (0.0, 0.0)
        self.answered = (0.0, 0.0)
        parse = discord.state.ConnectionState.parse_interaction_create
        respond = webhook_async.AsyncWebhookAdapter.create_interaction_response

        def parse_timed(state: object, data: object) -> None:
            self.received = (time.perf_counter(), time.process_time())
            parse(state, data)  # type: ignore[arg-type]

        def respond_timed(adapter: object, *a: object, **k: object) -> object:
            self.answered = (time.perf_counter(), time.process_time())
            return respond(adapter, *a, **k)  # type: ignore[arg-type]

        discord.state.ConnectionState.parse_interaction_create = parse_timed  # type: ignore[method-assign]
        webhook_async.AsyncWebhookAdapter.create_interaction_response = respond_timed  # type: ignore[method-assign]

    def last(self) -> tuple[float, float]:
        """Wall and CPU milliseconds of the last interaction, received to answered."""
        return (
            (self.answered[0] - self.received[0]) * 1000,
            (self.answered[1] - self.received[1]) * 1000,
        )


GOALS_MS = {"/fact": 15.0, "/leaderboard show": 15.0, "/stats": 15.0, "/quiz start": 10.0}


async def seed(bot, guild_id: int, caller_id: int, questions: int, events: int, fans: int) -> None:
    rng = random.Random(9)
    base = dt.datetime(2025, 5, 22, 10, tzinfo=dt.UTC)
    users = [caller_id] + [10_000 + i for i in range(fans - 1)]
    drafts = []
    for _ in range(events):
        ok = rng.random() < 0.6
        drafts.append(
            EventDraft(
                guild_id,
                rng.choice(users),
                "bench:q000001",
                rng.choice(("Serie A", "Europe", "Italy", "Records")),
                ok,
                20 if ok else 0,
                rng.randrange(500, 20_000),
                base - dt.timedelta(minutes=rng.randrange(400 * 24 * 60)),
            )
        )
    await seed_bank(bot, questions)
    async with bot.db.sessions.begin() as s:
        for chunk in range(0, len(drafts), 5000):
            await record_events(s, drafts[chunk : chunk + 5000], "Europe/Rome")


async def settled(emu, channel, before: int) -> None:
    """Wait until the quiz just started has posted its first question (its work is not the next
    interaction's): each start is timed alone, not beside the previous quiz's first round."""
    for _ in range(200):
        if len(emu.channel_posts(channel)) > before:
            return
        await asyncio.sleep(0.005)


async def finished(emu, inter) -> None:
    """Wait until a deferred interaction got its answer (/stats renders its chart in a thread after
    deferring): else the next interaction is timed beside that work, holding the GIL."""
    if inter.response_type != 5:
        return
    for _ in range(2000):
        original = emu.messages.get(inter.original_id)
        if (original is not None and original.edits) or len(inter.messages) > 1:
            return
        await asyncio.sleep(0.005)


async def run(n: int, questions: int, events: int) -> list[dict[str, object]]:
    rows = []
    bot_side = BotSide()
    async with bot_world(channels=max(n, 1)) as (emu, bot, guilds):
        guild = guilds[0]
        fan = emu.member(guild, "Bench")
        await seed(bot, guild.id, fan.id, questions, events, fans=400)
        channels = list(guild.channels.values())
        cases = {
            "/fact": lambda i: fan.slash("fact"),
            "/leaderboard show": lambda i: fan.slash("leaderboard show"),
            "/stats": lambda i: fan.slash("stats"),
            "/quiz start": lambda i: fan.slash(
                "quiz start", questions=10, seconds=120, in_channel=channels[i]
            ),
        }
        for name, action in cases.items():
            for _ in range(3):  # warm-up
                await fan.slash("fact")
            times, own, cpu = [], [], []
            for i in range(n):
                before = len(emu.channel_posts(channels[i])) if name == "/quiz start" else 0
                inter = await action(i)
                times.append((inter.callback_at - inter.sent_at) * 1000)
                wall_ms, cpu_ms = bot_side.last()
                own.append(wall_ms)
                cpu.append(cpu_ms)
                await finished(emu, inter)
                if name == "/quiz start":
                    await settled(emu, channels[i], before)  # its first question posted
            rows.append(
                {
                    "command": name,
                    **summary(times),
                    "bot_median": statistics.median(own),
                    "bot_cpu_median": statistics.median(cpu),
                    "goal_ms": GOALS_MS[name],
                    "discord_deadline_ms": 3000.0,
                }
            )
        for ch in channels:  # stop the quizzes
            running = bot.get_cog("Quiz").running.get(ch.id)  # type: ignore[union-attr]
            if running:
                running.game.stop()
        await asyncio.sleep(0.2)
    for row in rows:
        row["median/goal"] = row["median"] / row["goal_ms"]
    return rows


def main() -> None:
    opts = args(
        __doc__ or "",
        lambda p: p.add_argument("--questions", type=int, default=None, help="bank size (default 10,000)"),
    )
    n = 10 if opts.smoke else 200
    questions = opts.questions or (500 if opts.smoke else 10_000)
    events = 2_000 if opts.smoke else 30_000
    rows = asyncio.run(run(n, questions, events))
    print(f"{n} interactions per command, {questions} questions, {events} events; milliseconds\n")
    report("interaction_latency", rows, {"per_command": n, "questions": questions}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
