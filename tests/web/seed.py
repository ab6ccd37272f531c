"""A server with a public page, fans with names (one hidden), scores and a quiz: shared by web tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import async_sessionmaker

from db.models import QuizSession
from db.queries.profiles import enable_web, save_names, set_hidden
from db.queries.scores import EventDraft, record_events

GUILD = 9001
NOW = dt.datetime(2025, 5, 22, 10, 0, tzinfo=dt.UTC)
Q = "gasperini-atalanta:q001"


@dataclass
class Seeded:
    slug: str
    fans: dict[str, int]


async def seed_site(sessions: async_sessionmaker, *, extra_fans: int = 0) -> Seeded:
    """Ada (120 pts, 3 weeks), Bruno (90, this week only), Carla (60, hidden), Dario (30, Players only),
    plus `extra_fans` more at 1 point each, and one finished quiz won by Ada."""
    fans = {"Ada Negri": 101, "Bruno Conti": 102, "Carla Fracci": 103, "Dario <b>Fo</b>": 104}
    async with sessions.begin() as s:
        slug = await enable_web(s, GUILD, "Curva Nord")
        quiz = QuizSession(
            guild_id=GUILD,
            channel_id=1,
            starter_id=101,
            mode="typed",
            category="Gasperini",
            total=5,
            seconds=20,
            state="finished",
            question_ids=[],
            started_at=NOW - dt.timedelta(hours=1),
            ended_at=NOW - dt.timedelta(minutes=50),
        )
        s.add(quiz)
        await s.flush()
        drafts = [
            EventDraft(GUILD, 101, Q, "Gasperini", True, 40, 900, NOW - dt.timedelta(weeks=2)),
            EventDraft(GUILD, 101, Q, "Gasperini", True, 40, 1500, NOW - dt.timedelta(weeks=1)),
            EventDraft(GUILD, 101, Q, "History", True, 40, 1100, NOW - dt.timedelta(hours=1), quiz.id),
            EventDraft(GUILD, 101, Q, "History", False, 0, None, NOW - dt.timedelta(minutes=59), quiz.id),
            EventDraft(GUILD, 102, Q, "Gasperini", True, 90, 700, NOW - dt.timedelta(minutes=58), quiz.id),
            EventDraft(GUILD, 103, Q, "Gasperini", True, 60, 800, NOW - dt.timedelta(weeks=3)),
            EventDraft(GUILD, 104, Q, "Players", True, 30, 2000, NOW - dt.timedelta(weeks=5)),
        ]
        drafts += [
            EventDraft(GUILD, 1000 + i, Q, "Players", True, 1, 3000, NOW - dt.timedelta(days=1))
            for i in range(extra_fans)
        ]
        await record_events(s, drafts, "Europe/Rome")
        names = {uid: name for name, uid in fans.items()} | {
            1000 + i: f"Extra {i:03d}" for i in range(extra_fans)
        }
        await save_names(s, GUILD, names, NOW)
        await set_hidden(s, GUILD, 103, True, "Carla Fracci", NOW)
    return Seeded(slug, fans)
