"""VAR's cost on the write path: closing a typed round (10 fans' score events and rollups) after 20 or
200 wrong messages, with those messages kept for contesting or not (the same round otherwise), on
SQLite. Milliseconds per round close: kept messages are written in that same transaction (one
executemany, plus an index-range delete of those over a day old); the message path only appends to a
list."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from common import args, report
from sqlalchemy import func, select

from bot.quiz.engine import QuestionView, QuizGame
from db.engine import make_engine, make_sessionmaker, migrate
from db.models import Question, RefusedAnswer
from db.queries.quiz import QuizStore, open_session

Q = QuestionView(
    "bench:q1", "Who?", "Gianluigi Buffon", ("Buffon",), ("Zoff", "Zenga", "Pagliuca"), "C", "hard"
)


async def run(rounds: int, refused: int, keep: bool) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await migrate(engine)
        sessions = make_sessionmaker(engine)
        async with sessions.begin() as s:
            s.add(
                Question(id=Q.id, bank="bench", text=Q.text, answer=Q.answer, category="C", difficulty="hard")
            )
        now = dt.datetime(2025, 5, 22, 10, tzinfo=dt.UTC)
        store = QuizStore(sessions)
        sid = await open_session(
            sessions, guild_id=7, channel_id=8, starter_id=1, mode="typed", category=None, difficulty=None,
            seconds=20, questions=[Q] * rounds, now=now,
        )  # fmt: skip
        game = QuizGame(sid, 7, 8, 1, "typed", 20, [Q] * rounds)
        rng, message_id, took = random.Random(5), 10**17, 0.0
        for position in range(rounds):
            rnd = game.start_round(position, rng)
            rnd.round_id = await store.open_round(game, rnd, now)
            for i in range(refused):  # 10 fans; the wrong guesses come from them
                message_id += 1
                rnd.guess(100 + i % 10, f"wrong guess {i}", 1.0, message_id if keep else None)
            rnd.guess(100, "Buffon", 2.0, message_id + 1)
            drafts = rnd.outcome()
            t0 = time.perf_counter()
            await store.close_round(game, rnd, drafts, now)
            took += time.perf_counter() - t0
            now += dt.timedelta(seconds=30)
        async with sessions() as s:
            kept = await s.scalar(select(func.count()).select_from(RefusedAnswer))
        await engine.dispose()
    return {
        "wrong_per_round": refused,
        "kept_for_var": keep,
        "rounds": rounds,
        "ms_per_close": took / rounds * 1000,
        "rows_kept": kept,
    }


def main() -> None:
    opts = args(__doc__ or "")
    rounds = 10 if opts.smoke else 300
    rows = [asyncio.run(run(rounds, refused, keep)) for refused in (20, 200) for keep in (False, True)]
    print(f"{rounds} typed rounds closed per size, SQLite file database\n")
    report("var_refused", rows, smoke=opts.smoke)


if __name__ == "__main__":
    main()
