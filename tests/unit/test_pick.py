"""Question picking: random, filtered, and never repeated in a server until the filter's pool is used up.

The database holds the shipped content too (real clubs and competitions), so these tests use slugs of
their own ("test-league", "test-milan") to know exactly which questions a filter may return."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, insert, select

from db.models import AskCycle, AskedQuestion, GuildSettings, Question, QuestionClub
from db.queries.quiz import QuizFilter, mark_asked, pick_questions, pool_key

G = 4242
NOW = dt.datetime(2025, 5, 22, 10, tzinfo=dt.UTC)


async def add_questions(db, n: int, *, club: str | None = None, competition: str | None = None, prefix="t"):
    rows = [
        {
            "id": f"{prefix}:{i}",
            "bank": "test",
            "guild_id": None,
            "text": f"{prefix} question {i}?",
            "answer": f"answer {i}",
            "aliases": [],
            "choices": ["x", "y", "z"],
            "category": "Test",
            "difficulty": "easy",
            "source": "",
            "active": True,
            "competition": competition,
            "clubs": [club] if club else [],
            "choices_it": [],
        }
        for i in range(n)
    ]
    async with db.sessions.begin() as s:
        await s.execute(insert(Question), rows)
        if club:
            await s.execute(insert(QuestionClub), [{"question_id": r["id"], "club": club} for r in rows])
    return {r["id"] for r in rows}


async def in_cycle(db, guild_id: int = G, **filters) -> set[str]:
    """The questions the server was asked in the filter's current cycle."""
    pool = pool_key(QuizFilter(**filters))
    async with db.sessions() as s:
        since = await s.scalar(
            select(AskCycle.since).where(AskCycle.guild_id == guild_id, AskCycle.pool == pool)
        )
        return set(
            await s.scalars(
                select(AskedQuestion.question_id).where(
                    AskedQuestion.guild_id == guild_id, AskedQuestion.generation >= (since or 0)
                )
            )
        )


async def play(db, count: int, rng: random.Random, **options) -> list[str]:
    """Pick like /quiz start does, then mark every pick asked like the rounds do."""
    async with db.sessions.begin() as s:
        picked = await pick_questions(s, G, 1, count=count, rng=rng, **options)
        await mark_asked(s, G, [q.id for q in picked], NOW)
    return [q.id for q in picked]


async def test_no_repeat_until_the_pool_is_used_up_then_a_new_cycle(db) -> None:
    pool = await add_questions(db, 23, club="test-fc")
    rng = random.Random(1)
    seen: list[str] = []
    for _ in range(5):  # 5 x 4 = 20 of 23: all different
        got = await play(db, 4, rng, club="test-fc")
        assert len(got) == 4
        seen += got
    assert len(set(seen)) == 20 and set(seen) <= pool
    last = await play(db, 4, rng, club="test-fc")  # 3 unasked left: they come first, then the cycle restarts
    assert len(last) == len(set(last)) == 4
    assert pool - set(seen) <= set(last)
    # the new cycle holds only what was asked after the restart; the history itself is kept
    assert await in_cycle(db, club="test-fc") == set(last)
    async with db.sessions() as s:
        kept = set(await s.scalars(select(AskedQuestion.question_id).where(AskedQuestion.guild_id == G)))
    assert kept == pool
    again = await play(db, 19, rng, club="test-fc")  # the rest of the new cycle: no repeat of `last`
    assert set(again) == pool - set(last)


async def test_the_filter_decides_the_cycle_and_other_servers_are_separate(db) -> None:
    club_pool = await add_questions(db, 6, club="tiny-fc", prefix="c")
    other = await add_questions(db, 30, competition="test-league", prefix="o")
    rng = random.Random(2)
    assert set(await play(db, 6, rng, club="tiny-fc")) == club_pool
    # the club's pool is used up; questions of another filter were never asked, so they are not reset
    comp = await play(db, 10, rng, competition="test-league")
    assert set(comp) <= other and len(comp) == 10
    again = await play(db, 3, rng, club="tiny-fc")  # restart of the club's cycle only
    assert set(again) <= club_pool and len(again) == 3
    assert set(comp) <= await in_cycle(db, competition="test-league")  # survived the club's restart
    assert await in_cycle(db, club="tiny-fc") == set(again)
    async with db.sessions.begin() as s:  # another server has its own history
        fresh = await pick_questions(s, G + 1, 1, count=6, club="tiny-fc", rng=rng)
    assert {q.id for q in fresh} == club_pool


async def test_filters_and_buttons_mode(db) -> None:
    club_pool = await add_questions(db, 5, club="test-milan", competition="test-league", prefix="m")
    async with db.sessions.begin() as s:
        s.add(
            Question(
                id="m:nochoices",
                bank="test",
                text="?",
                answer="a",
                category="Test",
                difficulty="hard",
                clubs=["test-milan"],
                competition="test-league",
            )
        )
        s.add(QuestionClub(question_id="m:nochoices", club="test-milan"))
    async with db.sessions.begin() as s:
        typed = await pick_questions(s, G, 1, count=10, club="test-milan")
        buttons = await pick_questions(s, G, 1, count=10, club="test-milan", mode="buttons")
        hard = await pick_questions(s, G, 1, count=10, club="test-milan", difficulty="hard")
        comp = await pick_questions(s, G, 1, count=50, competition="TEST-LEAGUE")
        none = await pick_questions(s, G, 1, count=10, club="nobody-fc")
    assert {q.id for q in typed} == club_pool | {"m:nochoices"}
    assert {q.id for q in buttons} == club_pool
    assert [q.id for q in hard] == ["m:nochoices"]
    assert {q.id for q in comp} == club_pool | {"m:nochoices"}
    assert none == []


async def test_picks_are_random_and_cover_a_large_bank(db) -> None:
    pool = await add_questions(db, 400, prefix="big")
    async with db.sessions() as s:
        total = await s.scalar(select(func.count()).select_from(Question).where(Question.active.is_(True)))
    rng = random.Random(3)
    seen: list[str] = []
    for _ in range(total // 10):
        seen += await play(db, 10, rng)
    assert len(seen) == len(set(seen))  # a whole cycle without a repeat
    assert len(set(seen) & pool) > 300  # the seeks reach the whole index, not one corner of it


async def test_a_servers_club_takes_up_to_half(db) -> None:
    club_pool = await add_questions(db, 20, club="test-seed-fc", prefix="a")
    async with db.sessions.begin() as s:
        s.add(GuildSettings(guild_id=G, timezone="Europe/Rome", club="test-seed-fc", disabled_banks=[]))
    rng = random.Random(4)
    got = await play(db, 10, rng)
    assert len(got) == 10 and len(set(got) & club_pool) >= 5


async def test_every_cycle_asks_the_whole_pool_once_then_starts_again(db) -> None:
    """A cycle's walk takes every question of the pool once; the quiz that crosses the end of a cycle
    takes its last ones, then starts the next cycle without them. Restarting is one row."""
    pool = await add_questions(db, 150, competition="test-cycle", prefix="cy")
    key = (G, pool_key(QuizFilter(competition="test-cycle")))
    rng = random.Random(5)

    async def since() -> int:
        async with db.sessions() as s:
            row = await s.get(AskCycle, key)
            return row.since if row else 0

    within: dict[int, list[str]] = {}  # picks of the quizzes that ran inside one cycle, by cycle
    crossing: list[list[str]] = []  # the quizzes that ended a cycle
    for _ in range(3 * 150 // 7 + 1):
        before = await since()
        got = await play(db, 7, rng, competition="test-cycle")
        assert len(got) == len(set(got)) == 7 and set(got) <= pool
        if await since() == before:
            within.setdefault(before, []).extend(got)
        else:
            crossing.append(got)
    assert len(crossing) >= 2 and {0, 1, 2} <= set(within)
    for picks in within.values():
        assert len(picks) == len(set(picks))  # never twice in a cycle
    # the first cycle asked the whole pool: its quizzes, then the last ones in the quiz that crossed
    assert len(within[0]) == 147 and set(within[0]) | set(crossing[0]) == pool
    # the second cycle asked the rest of the pool: the crossing quiz's older picks count in it
    assert set(crossing[0]) | set(within[1]) | set(crossing[1]) == pool


async def test_a_cycle_skips_what_another_filter_asked_in_it(db) -> None:
    club_pool = await add_questions(db, 12, club="skip-fc", competition="test-skip", prefix="sk")
    other = await add_questions(db, 30, competition="test-skip", prefix="so")
    rng = random.Random(6)
    first = await play(db, 5, rng, competition="test-skip")
    by_club = await play(db, 12, rng, club="skip-fc")  # the club's pool, asked under its own filter
    assert set(by_club) == club_pool
    left = other - set(first)  # the club's questions were all asked in this cycle, under another filter
    rest = await play(db, len(left), rng, competition="test-skip")
    assert sorted(rest) == sorted(left)
