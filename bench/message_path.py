"""Figure 1: cost per incoming channel message, (a) with no quiz in the channel (early exit) and
(b) checked against a running typed question, over a corpus of realistic messages; and (c) what comes
before the bot's code: the emulator sending MESSAGE_CREATE over the gateway and discord.py reading it,
building the Message and dispatching on_message (timed from the emulator's dispatch to the listener)."""

from __future__ import annotations

import asyncio
import random
import time
import types

from common import args, bot_world, report, summary

from bot.quiz.engine import QuestionView, Round
from cogs.quiz import Quiz

Q = QuestionView(
    "b:q",
    "Who scored the hat-trick in Dublin?",
    "Ademola Lookman",
    ("Lookman",),
    ("Gianluca Scamacca", "Duvan Zapata", "Charles De Ketelaere"),
    "Europa League 2024",
    "easy",
)

ANSWERS = ["lookman", "Lookman!", "ADEMOLA LOOKMAN", "lokman", "ademola lookmann", "Look man"]
NEAR = ["scamacca", "zapata", "lookmen?", "de ketelaere", "lukaku", "lautaro"]
CHATTER = [
    "forza atalanta!!",
    "what a goal",
    "is it lookman or scamacca?",
    "lol",
    "gasp is the best coach",
    "who knows",
    "?",
    "ok",
    "non lo so",
    "dai ragazzi",
]
OTHER = ["ルックマン", "Лукман", "لوكمان", "룩맨", "Λούκμαν", "⚽🔥🏆", "👀" * 30, "ádémölá lóókmán"]


def corpus(n: int, rng: random.Random) -> list[str]:
    pools = [(ANSWERS, 0.05), (NEAR, 0.15), (CHATTER, 0.55), (OTHER, 0.15)]
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.10:
            out.append(" ".join(rng.choice(CHATTER) for _ in range(rng.randint(50, 300)))[:4000])
            continue
        acc = 0.10
        for pool, share in pools:
            acc += share
            if r < acc:
                out.append(rng.choice(pool))
                break
        else:
            out.append(rng.choice(CHATTER))
    return out


def per_call(fn, items, repeat: int = 1) -> list[float]:
    times = []
    for item in items:
        start = time.perf_counter_ns()
        for _ in range(repeat):
            fn(item)
        times.append((time.perf_counter_ns() - start) / repeat / 1000)
    return times


async def through_gateway(texts: list[str]) -> list[float]:
    """Microseconds from dispatching MESSAGE_CREATE to the bot's on_message listener, per message."""
    async with bot_world() as (emu, bot, guilds):
        fan = emu.member(guilds[0], "Fan")
        arrived = asyncio.Event()

        async def listener(message) -> None:
            arrived.set()

        bot.add_listener(listener, "on_message")
        times = []
        for text in texts:
            arrived.clear()
            start = time.perf_counter_ns()
            await fan.say(text)
            await arrived.wait()
            times.append((time.perf_counter_ns() - start) / 1000)
        return times


def main() -> None:
    opts = args(__doc__ or "")
    n = 2_000 if opts.smoke else 100_000
    rng = random.Random(1)
    texts = corpus(n, rng)
    author = types.SimpleNamespace(id=1, bot=False)
    messages = [
        types.SimpleNamespace(channel=types.SimpleNamespace(id=10), author=author, content=t) for t in texts
    ]
    cog = Quiz.__new__(Quiz)
    cog.running = {}

    def on_message(msg) -> None:
        coro = Quiz.on_message(cog, msg)  # the listener's own coroutine, run to completion
        try:
            coro.send(None)
        except StopIteration:
            pass

    idle = per_call(on_message, messages, repeat=20)

    rnd = Round(0, Q, "typed", 20.0, random.Random(0))

    def check(text: str) -> None:
        rnd.closed = False  # keep the round open so every message is matched
        rnd.key.matches(text)

    running = per_call(check, texts)
    gateway = asyncio.run(through_gateway(texts[: 200 if opts.smoke else 5000]))
    rows = [
        {"path": "(a) no quiz in channel", **summary(idle), "goal_us": 5.0},
        {"path": "(b) typed question open", **summary(running), "goal_us": 50.0},
        {"path": "(c) emulator + discord.py before (a)/(b)", **summary(gateway), "goal_us": None},
    ]
    for row in rows:
        row["median/goal"] = row["median"] / row["goal_us"] if row["goal_us"] else None
    print(f"{n} messages; times in microseconds per message\n")
    report("message_path", rows, {"messages": n}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
