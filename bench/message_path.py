"""Figure 1: cost per incoming channel message, (a) with no quiz in the channel (early exit) and
(b) checked against a running typed question, over a corpus of realistic messages."""

from __future__ import annotations

import random
import time
import types

from common import args, report, summary

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
    rows = [
        {"path": "(a) no quiz in channel", **summary(idle), "goal_us": 5.0},
        {"path": "(b) typed question open", **summary(running), "goal_us": 50.0},
    ]
    for row in rows:
        row["median/goal"] = row["median"] / row["goal_us"]
    print(f"{n} messages; times in microseconds per message\n")
    report("message_path", rows, {"messages": n}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
