"""The daily poster without Discord: a fake Poster against the real post log and schedules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.facts.daily import DailyPlan
from bot.schedule.daily import ChannelGone, DailyPoster, PostRejected
from db.models import DailyQuestion
from db.queries import posts
from db.queries.guilds import daily_schedule, scheduled_guilds, set_daily

G, CHANNEL = 7, 70
DAY = dt.date(2025, 5, 22)


class FakePoster:
    """Records sends; fails the way a test tells it to."""

    def __init__(self, fail: BaseException | None = None, already: int | None = None) -> None:
        self.fail, self.already = fail, already
        self.sent: list[tuple[int, DailyPlan]] = []

    def serves(self, guild_id: int) -> bool:
        return True

    async def find(self, guild_id: int, channel_id: int, marker: str, since: dt.datetime) -> int | None:
        return self.already

    async def send(self, guild_id: int, channel_id: int, post: DailyPlan, nonce: str) -> int:
        if self.fail is not None:
            raise self.fail
        self.sent.append((channel_id, post))
        return 1000 + len(self.sent)

    def is_transient(self, exc: BaseException) -> bool:
        return isinstance(exc, ConnectionError)


async def poster_on(db, fake: FakePoster, *, at: dt.datetime) -> DailyPoster:
    async with db.sessions.begin() as s:
        await set_daily(s, G, CHANNEL, 9, 0, "Europe/Rome")
    daily = DailyPoster(
        posts.DailyStore(db.sessions),
        fake,
        ManualClock(at),
        grace=dt.timedelta(hours=2),
        claim_timeout=dt.timedelta(minutes=2),
    )
    daily.start()
    return daily


AFTER_NINE = dt.datetime(2025, 5, 22, 7, 5, tzinfo=dt.UTC)  # 09:05 in Rome


async def test_schedule_is_parsed_once_and_frozen(db) -> None:
    async with db.sessions.begin() as s:
        made = await set_daily(s, G, CHANNEL, 9, 5, "Europe/Rome")
    async with db.sessions() as s:
        read = await daily_schedule(s, G)
        listed = await scheduled_guilds(s)
    assert read == made and listed == [made] and (read.hour, read.minute, read.time) == (9, 5, "09:05")
    with pytest.raises(AttributeError):
        read.hour = 10  # type: ignore[misc]


async def test_posts_once_per_day(db) -> None:
    fake = FakePoster()
    daily = await poster_on(db, fake, at=AFTER_NINE)
    await daily.check_guild(G)
    await daily.check_guild(G)
    await daily.stop()
    assert [channel for channel, _ in fake.sent] == [CHANNEL]
    logged = await posts.posts_for(db.sessions, G)
    assert [(p.status, p.message_id) for p in logged] == [("sent", 1001)]


async def test_gone_channel_switches_the_post_off(db) -> None:
    daily = await poster_on(db, FakePoster(fail=ChannelGone("404 Unknown Channel")), at=AFTER_NINE)
    daily.plan_job(G, await posts.DailyStore(db.sessions).schedule(G))
    await daily.check_guild(G)
    await daily.stop()
    async with db.sessions() as s:
        assert await daily_schedule(s, G) is None
    assert daily.scheduler.get_job(f"daily:{G}") is None
    assert [p.status for p in await posts.posts_for(db.sessions, G)] == ["failed"]


async def test_refused_post_is_not_retried(db) -> None:
    fake = FakePoster(fail=PostRejected("400 Bad Request"))
    daily = await poster_on(db, fake, at=AFTER_NINE)
    await daily.check_guild(G)
    assert daily.scheduler.get_job(f"retry:{G}") is None  # the same payload would be refused again
    fake.fail = None
    await daily.check_guild(G)  # nor sent again later that day
    await daily.stop()
    assert fake.sent == []
    assert [p.status for p in await posts.posts_for(db.sessions, G)] == ["failed"]
    async with db.sessions() as s:
        assert await daily_schedule(s, G) is not None  # a bad day does not switch the post off


async def test_transient_failure_releases_the_claim_and_a_recovery_finds_the_post(db) -> None:
    fake = FakePoster(fail=ConnectionError("reset by peer"))
    daily = await poster_on(db, fake, at=AFTER_NINE)
    await daily.check_guild(G)
    assert daily.scheduler.get_job(f"retry:{G}") is not None
    fake.fail, fake.already = None, 4242  # the failed send had reached the channel after all
    await daily.check_guild(G)
    await daily.stop()
    assert fake.sent == []
    assert [(p.status, p.message_id) for p in await posts.posts_for(db.sessions, G)] == [("sent", 4242)]


async def test_post_carries_the_question_of_the_day_and_a_retry_keeps_it(db) -> None:
    fake = FakePoster(fail=ConnectionError("reset by peer"))
    daily = await poster_on(db, fake, at=AFTER_NINE)
    await daily.check_guild(G)  # fails after the question was opened for the claimed post
    async with db.sessions() as s:
        opened = (await s.scalars(select(DailyQuestion))).all()
    assert len(opened) == 1
    fake.fail = None
    await daily.check_guild(G)  # the retry plans again (another question is picked) but keeps the first
    await daily.stop()
    ((_, post),) = fake.sent
    assert (
        post.answerable and post.post_id == opened[0].post_id and list(post.order) == opened[0].option_order
    )
    assert post.question is not None and post.question.id == opened[0].question_id
    assert len(post.question.choices) == 3 and sorted(post.order) == [0, 1, 2, 3]
    async with db.sessions() as s:
        assert len((await s.scalars(select(DailyQuestion))).all()) == 1
