"""Figure 7: picking a quiz's questions in SQL (`db.queries.quiz.pick_questions`, the database part of
`/quiz start`) with 10,000 and 100,000 questions and 1,000,000 asked-history rows: no filter, a club,
a competition, a category with buttons, and a server near the end of its cycle. Goal: under 10 ms."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from common import args, report, summary
from sqlalchemy import select

from db.engine import make_engine, make_sessionmaker, migrate
from db.models import AskCycle, Question
from db.queries.quiz import mark_asked, pick_questions

CATEGORIES = ["Serie A", "Coppa Italia", "Europe", "Italy", "Records", "Derbies"]
COMPETITIONS = ["serie-a", "coppa-italia", "champions-league", "europa-league", "world-cup", "euro"]
CLUBS = [f"club-{i}" for i in range(60)] + ["atalanta"]
GOAL_MS = 10.0


def seed(path: Path, questions: int, asked_rows: int, servers: int) -> float:
    """Questions (two clubs each, one of 61; Atalanta on 10%), and `asked_rows` spread over servers."""
    rng = random.Random(11)
    start = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    rows, links = [], []
    for i in range(questions):
        qid = f"gen:q{i:06d}"
        clubs = sorted({rng.choice(CLUBS[:-1]), "atalanta" if rng.random() < 0.1 else rng.choice(CLUBS[:-1])})
        choices = ["A", "B", "C"] if rng.random() < 0.9 else []
        rows.append(
            (
                qid,
                "generated",
                f"Question {i}?",
                f"Answer {i}",
                "[]",
                json.dumps(choices),
                rng.choice(CATEGORIES),
                rng.choice(("easy", "medium", "hard")),
                "",
                1,
                rng.choice(COMPETITIONS),
                json.dumps(clubs),
                "[]",
                rng.randrange(2**31),
            )
        )
        links += [(qid, c, rng.randrange(2**31)) for c in clubs]
    con.executemany(
        "INSERT INTO questions (id, bank, guild_id, text, answer, aliases, choices, category, difficulty, "
        "source, active, competition, clubs, choices_it, sample_key) "
        "VALUES (?,?,NULL,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    con.executemany("INSERT INTO question_clubs (question_id, club, sample_key) VALUES (?, ?, ?)", links)
    at = dt.datetime(2025, 5, 1, tzinfo=dt.UTC).isoformat()
    per_server = min(questions * 9 // 10, asked_rows // servers)
    for g in range(servers):
        ids = rng.sample(range(questions), per_server)
        con.executemany(
            "INSERT INTO asked_questions (guild_id, question_id, asked_at) VALUES (?, ?, ?)",
            [(1000 + g, f"gen:q{i:06d}", at) for i in ids],
        )
    con.commit()
    con.close()
    return time.perf_counter() - start


CASES: dict[str, dict[str, object]] = {
    "no filter, 10 questions": {},
    "club (Atalanta)": {"club": "atalanta"},
    "club (a small one)": {"club": "club-7"},
    "competition": {"competition": "serie-a"},
    "category + buttons": {"category": "derbies", "mode": "buttons"},
    "server club leaning": {"lean_club": "atalanta"},
}


async def measure(path: Path, questions: int, repeat: int, servers: int) -> list[dict[str, object]]:
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    sessions = make_sessionmaker(engine)
    rng = random.Random(3)
    rows = []
    for name, options in CASES.items():
        times, sizes, cpu = [], [], []
        for i in range(repeat):
            guild = 1000 + i % servers  # servers with a long asked history
            async with sessions.begin() as s:
                t0, c0 = time.perf_counter(), time.process_time()
                picked = await pick_questions(s, guild, 1, count=10, rng=rng, **options)  # type: ignore[arg-type]
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                sizes.append(len(picked))
                await s.rollback()  # keep the history as seeded
        rows.append(
            {
                "questions": questions,
                "case": name,
                "picked": min(sizes),
                **summary(times),
                "cpu_median": statistics.median(cpu),
                "goal_ms": GOAL_MS,
            }
        )
    # A server whose cycle has asked all but 5 of the pool: its walk is 5 questions before its start.
    guild = 999
    async with sessions.begin() as s:
        keyed = (
            await s.execute(select(Question.sample_key, Question.id).order_by(Question.sample_key))
        ).all()
        start = rng.randrange(len(keyed))
        walk = keyed[start:] + keyed[:start]
        asked = [qid for _, qid in walk[: len(walk) - 5]]
        for chunk in range(0, len(asked), 5000):
            await mark_asked(s, guild, asked[chunk : chunk + 5000], dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
        cursor = walk[len(walk) - 6][0]
        s.add(
            AskCycle(
                guild_id=guild,
                pool="all",
                since=0,
                start_key=walk[0][0],
                cursor_key=cursor,
                wrapped=cursor < walk[0][0],
            )
        )
    times, cpu = [], []
    for _ in range(max(3, repeat // 10)):
        async with sessions.begin() as s:
            t0, c0 = time.perf_counter(), time.process_time()
            picked = await pick_questions(s, guild, 1, count=10, rng=rng)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert len(picked) == 10
            await s.rollback()
    rows.append(
        {
            "questions": questions,
            "case": "end of cycle (5 left, then a new one)",
            **summary(times),
            "cpu_median": statistics.median(cpu),
            "goal_ms": GOAL_MS,
        }
    )
    await engine.dispose()
    return rows


async def run(questions: int, asked: int, servers: int, repeat: int) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        await migrate(engine)
        await engine.dispose()
        seeded = await asyncio.to_thread(seed, path, questions, asked, servers)
        print(f"seeded {questions} questions, {asked} asked rows in {seeded:.1f} s", flush=True)
        return await measure(path, questions, repeat, servers)


def main() -> None:
    opts = args(__doc__ or "")
    sizes = (
        [(500, 2_000, 10, 5)]
        if opts.smoke
        else [(10_000, 1_000_000, 200, 100), (100_000, 1_000_000, 20, 100)]
    )
    rows = []
    for questions, asked, servers, repeat in sizes:
        rows += asyncio.run(run(questions, asked, servers, repeat))
    for row in rows:
        row["median/goal"] = row["median"] / row["goal_ms"]
    print("milliseconds per pick of 10 questions (the database part of /quiz start)\n")
    report("quiz_pick", rows, smoke=opts.smoke)


if __name__ == "__main__":
    main()
