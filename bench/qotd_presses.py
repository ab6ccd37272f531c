"""Figure 16: the question of the day's press path. N fans press one open question at once (each press
is one transaction: the answer row, the score event with its rollups, the daily streak), then press again
(every second press refused); and the streak board's first page over a server with many streaks.
Presses per second, per-press latency, the board query's time. Exits 1 if a press is lost or doubled."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from common import args, pct, report
from sqlalchemy import func, insert, select

from bot.daily_question.rules import Result, right_position
from bot.quiz.engine import QuestionView
from db.engine import make_engine, make_sessionmaker, migrate
from db.models import DailyAnswer, DailyPost, DailyStreakRow, Question, ScoreEvent
from db.queries import daily_questions as dq

G = 7
NOW = dt.datetime(2025, 5, 22, 8, tzinfo=dt.UTC)


async def timed(coro) -> tuple[float, object]:
    t0 = time.perf_counter()
    got = await coro
    return (time.perf_counter() - t0) * 1000, got


async def run(fans: int, streaks: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await migrate(engine)
        sessions = make_sessionmaker(engine)
        choices = ["Leverkusen", "Roma", "Marseille"]
        q = QuestionView(
            "b:q1", "Who won the 2024 Europa League?", "Atalanta", (), tuple(choices), "Clubs", "medium"
        )
        order = [2, 0, 3, 1]
        async with sessions.begin() as s:
            s.add(
                Question(
                    id=q.id,
                    bank="b",
                    text=q.text,
                    answer=q.answer,
                    choices=choices,
                    category="Clubs",
                    difficulty="medium",
                )
            )
            post = DailyPost(
                guild_id=G, local_date=NOW.date(), channel_id=1, status="sent", nonce="n", claimed_at=NOW
            )
            s.add(post)
            await s.flush()
            await dq.open_question(s, post.id, G, NOW.date(), q, order, NOW)
            post_id = post.id
            rng = random.Random(1)
            rows = [
                {
                    "guild_id": G,
                    "user_id": 10**6 + i,
                    "current": rng.randint(1, 60),
                    "best": 60,
                    "last_day": NOW.date(),
                    "reached_at": NOW - dt.timedelta(seconds=i),
                }
                for i in range(streaks)
            ]
            for start in range(0, len(rows), 5000):
                await s.execute(insert(DailyStreakRow), rows[start : start + 5000])
        right = right_position(order)
        choice = [right if i % 3 else (right + 1) % 4 for i in range(fans)]  # two in three right

        t0 = time.perf_counter()
        first = await asyncio.gather(
            *(timed(dq.answer(sessions, post_id, G, 1 + i, choice[i], NOW)) for i in range(fans))
        )
        took = time.perf_counter() - t0
        again = await asyncio.gather(*(dq.answer(sessions, post_id, G, 1 + i, 0, NOW) for i in range(fans)))

        board_ms = []
        async with sessions() as s:
            for _ in range(20):
                t1 = time.perf_counter()
                await dq.streak_page(s, G, limit=10)
                await dq.streak_players(s, G)
                await dq.streak_rank(s, G, 2)
                board_ms.append((time.perf_counter() - t1) * 1000)
            answers = await s.scalar(select(func.count()).select_from(DailyAnswer))
            events = await s.scalar(select(func.count()).select_from(ScoreEvent))
        await engine.dispose()
    ms = [m for m, _ in first]
    results = [o.result for _, o in first]  # type: ignore[attr-defined]
    ok = (
        answers == fans
        and events == fans
        and results.count(Result.RIGHT) == sum(1 for c in choice if c == right)
        and all(o.result is Result.ALREADY for o in again)
    )
    return {
        "fans": fans,
        "streak_rows": streaks,
        "presses_per_s": fans / took,
        "press_p50_ms": pct(ms, 0.5),
        "press_p95_ms": pct(ms, 0.95),
        "board_p50_ms": pct(board_ms, 0.5),
        "exactly_once": ok,
    }


def main() -> None:
    opts = args(__doc__ or "")
    sizes = [(20, 200)] if opts.smoke else [(200, 10_000), (1000, 100_000)]
    rows = [asyncio.run(run(fans, streaks)) for fans, streaks in sizes]
    print("Question of the day: fans pressing one open question at once, SQLite file database\n")
    report("qotd_presses", rows, smoke=opts.smoke)
    if not all(r["exactly_once"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
