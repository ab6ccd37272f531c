"""Daily posts, exactly once per server and local date: scheduling, claim, deliver, retry, disable.

Discord-free, as the quiz runner is: a Poster puts a post in a channel (the Discord cog), a PostStore keeps
the schedules and the post log (`db.queries.posts.DailyStore`). The post log's unique (guild, local date)
key, not memory, decides whether a post is owed, so several processes (shards) can run this at once."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from dataclasses import dataclass, replace
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock
from bot.daily_question.rules import shuffled_order
from bot.facts.daily import DailyPlan, plan
from bot.facts.selection import FactView
from bot.quiz.engine import QuestionView
from bot.schedule.pacing import DAILY_POSTS_PER_SECOND, Pacer
from bot.schedule.rules import day_start, due_date

log = logging.getLogger(__name__)

TRANSIENT_BACKOFF = (2.0, 5.0, 15.0, 30.0, 60.0)  # seconds before each retry of a transient failure
DELIVERY_SLOTS = 24  # posts being claimed/planned/sent at once; each holds one connection at a time


@dataclass(frozen=True)
class DailySchedule:
    """A server's daily post, switched on: where, and when in its own timezone (parsed once)."""

    guild_id: int
    channel_id: int
    hour: int
    minute: int
    timezone: str

    @property
    def time(self) -> str:
        """The local time as HH:MM."""
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Claim:
    """This process may send the post. `recovering`: an earlier claim died mid-send; check first."""

    post_id: int
    nonce: str
    recovering: bool


class ChannelGone(Exception):
    """The post's channel is deleted or closed to the bot: the daily post is switched off."""


class PostRejected(Exception):
    """Discord refused this post (a 4xx other than 429): the same post would be refused again, so the
    day's post is logged as failed and not retried."""


class Poster(Protocol):
    """How a daily post reaches its channel."""

    def serves(self, guild_id: int) -> bool:
        """True if this process serves the server (not another shard's, not one the bot has left)."""

    async def find(self, guild_id: int, channel_id: int, marker: str, since: dt.datetime) -> int | None:
        """The id of a post with this marker already in the channel (after a crash mid-send), or None.
        Reads every message after `since`, not the last N: chatter after the post can't hide it."""

    async def send(self, guild_id: int, channel_id: int, post: DailyPlan, nonce: str) -> int:
        """Send the post; return its message id. Raise ChannelGone, PostRejected, or a transient error."""

    def is_transient(self, exc: BaseException) -> bool:
        """True for a failure worth retrying soon (database busy, Discord 5xx or 429, network)."""


class PostStore(Protocol):
    """The schedules, the post log, and what a post may show."""

    async def schedules(self) -> list[DailySchedule]:
        """Every server's daily post that is switched on."""

    async def schedule(self, guild_id: int) -> DailySchedule | None:
        """The server's daily post, or None when it is off."""

    async def disable(self, guild_id: int) -> bool:
        """Switch the server's daily post off; False if it was off already."""

    async def claim(
        self, guild_id: int, day: dt.date, channel_id: int, nonce: str, now: dt.datetime, stale: dt.timedelta
    ) -> Claim | None:
        """Claim the (guild, day) post, or None if it was sent, failed, or is being sent elsewhere."""

    async def in_flight(self, guild_id: int, day: dt.date) -> bool:
        """True while a claim for (guild, day) is neither sent nor failed."""

    async def release(self, post_id: int) -> None:
        """Give a claim up after a transient failure: the next claim takes it over at once."""

    async def finish(
        self,
        post_id: int,
        *,
        status: str,
        now: dt.datetime,
        message_id: int | None = None,
        fact_id: str | None = None,
    ) -> None:
        """Record the outcome of a claimed post: sent (with its message) or failed."""

    async def material(
        self, guild_id: int, channel_id: int, day: dt.date, rng: random.Random, asked_at: dt.datetime | None
    ) -> PostMaterial:
        """What the server's post for `day` may show, read in one transaction: its club, the day's facts,
        else a fact not shown in 30 days; and a multiple-choice question it has not been asked (with
        `asked_at`, the question now counts as asked)."""

    async def open_question(
        self,
        post_id: int,
        guild_id: int,
        day: dt.date,
        question: QuestionView,
        order: list[int],
        now: dt.datetime,
    ) -> tuple[QuestionView, list[int]]:
        """Make `question` the server's question of the day for the claimed post (closing the one before,
        and breaking the streaks of fans who missed it). A post that has one already (a retried send)
        keeps it: the question and order stored are returned."""


@dataclass(frozen=True)
class PostMaterial:
    """The makings of one daily post (see `PostStore.material`)."""

    club: str | None
    facts: list[FactView]  # the day's facts; or, on a day without any, the one fact picked
    recent: set[str]  # facts shown in the last 30 days (empty on a day with facts)
    question: QuestionView | None = None


class DailyPoster:
    """Fires each server's post at its local time and delivers it once, whatever crashes or races."""

    def __init__(
        self,
        store: PostStore,
        poster: Poster,
        clock: Clock,
        *,
        grace: dt.timedelta,
        claim_timeout: dt.timedelta,
        time_scale: float = 1.0,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.poster = poster
        self.clock = clock
        self.grace = grace
        self.claim_timeout = claim_timeout
        self.time_scale = time_scale  # < 1 shortens retry back-off (tests)
        self.rng = rng or random.Random()
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self.pacer = Pacer(DAILY_POSTS_PER_SECOND, burst=5)  # many servers share one post time
        self._slots = asyncio.Semaphore(DELIVERY_SLOTS)
        self._attempts: dict[int, int] = {}  # transient failures per guild in a row
        self._active = 0  # checks in progress
        self._idle = asyncio.Event()
        self._idle.set()

    # ----- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        self.scheduler.start()

    async def stop(self) -> None:
        """Let a post being sent finish and be logged, then stop the scheduler (cancelling the rest)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), 10)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def catch_up(self) -> None:
        """At start-up: schedule this process's servers, then send any post missed within the grace."""
        mine = [s for s in await self.store.schedules() if self.poster.serves(s.guild_id)]
        for schedule in mine:
            self.plan_job(schedule.guild_id, schedule)
        await asyncio.gather(*(self.check_guild(s.guild_id) for s in mine))

    # ----- scheduling ------------------------------------------------------------------------------
    def plan_job(self, guild_id: int, schedule: DailySchedule | None) -> None:
        """(Re)create the server's cron job in its timezone, or remove it when the post is off."""
        job_id = f"daily:{guild_id}"
        if schedule is None:
            if self.scheduler.get_job(job_id):
                self.scheduler.remove_job(job_id)
            return
        self.scheduler.add_job(
            self.check_guild,
            CronTrigger(hour=schedule.hour, minute=schedule.minute, timezone=ZoneInfo(schedule.timezone)),
            id=job_id,
            args=[guild_id],
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(self.grace.total_seconds()) or None,
        )

    async def disable(self, guild_id: int, why: str) -> None:
        """Switch the server's post off (settings kept) and drop its job."""
        if await self.store.disable(guild_id):
            log.warning("Daily post disabled for guild %s: %s", guild_id, why)
        self.plan_job(guild_id, None)

    def _retry(self, guild_id: int, after: dt.timedelta) -> None:
        if self.scheduler.running:
            self.scheduler.add_job(
                self.check_guild,
                DateTrigger(dt.datetime.now(dt.UTC) + after),
                args=[guild_id],
                id=f"retry:{guild_id}",
                replace_existing=True,
            )

    def _retry_soon(self, guild_id: int, exc: BaseException) -> None:
        """Check the guild again after a transient failure, backing off; the check itself drops the
        post once its grace window has passed."""
        attempt = self._attempts.get(guild_id, 0)
        self._attempts[guild_id] = attempt + 1
        delay = TRANSIENT_BACKOFF[min(attempt, len(TRANSIENT_BACKOFF) - 1)] * self.time_scale
        log.warning(
            "Daily post for guild %s failed (%s: %s); retry %d in %.1f s",
            guild_id,
            type(exc).__name__,
            str(exc)[:200],
            attempt + 1,
            delay,
        )
        self._retry(guild_id, dt.timedelta(seconds=delay))

    # ----- delivery --------------------------------------------------------------------------------
    async def check_guild(self, guild_id: int) -> None:
        """Send the guild's post if one is owed now (the job, start-up catch-up and retries call this)."""
        self._active += 1
        self._idle.clear()
        try:
            schedule = await self.store.schedule(guild_id)
            if schedule is None:
                return
            now = self.clock.now()
            day = due_date(now, schedule.timezone, schedule.hour, schedule.minute, self.grace)
            if day is not None:
                async with self._slots:
                    await self.deliver(schedule, day)
            self._attempts.pop(guild_id, None)
        except Exception as exc:
            if self.poster.is_transient(exc):
                self._retry_soon(guild_id, exc)
            else:
                log.exception("Daily post check failed for guild %s", guild_id)
        finally:
            self._active -= 1
            if self._active == 0:
                self._idle.set()

    async def plan(self, guild_id: int, channel_id: int, day: dt.date, *, record: bool = False) -> DailyPlan:
        """Today's facts (the server's club's first); else a fact not shown in 30 days and a quick question
        the server has not been asked (with `record`, it now counts as asked)."""
        asked_at = self.clock.now() if record else None
        got = await self.store.material(guild_id, channel_id, day, self.rng, asked_at)
        return plan(day, got.facts, got.recent, got.question, self.rng, club=got.club)

    async def deliver(self, schedule: DailySchedule, day: dt.date) -> None:
        """Claim, send, record: one post per (guild, local date), across processes and crashes."""
        guild_id, channel_id = schedule.guild_id, schedule.channel_id
        if not self.poster.serves(guild_id):
            return  # not a server this process serves (another shard's, or one the bot just left)
        nonce = f"{day:%Y%m%d}{guild_id % 10**17}"[:25]
        claim = await self.store.claim(guild_id, day, channel_id, nonce, self.clock.now(), self.claim_timeout)
        if claim is None:
            if await self.store.in_flight(guild_id, day):
                # Someone claimed it and has not finished: check again once their claim would be stale.
                self._retry(guild_id, self.claim_timeout + dt.timedelta(seconds=1))
            return
        try:
            post = await self.plan(guild_id, channel_id, day, record=True)
            if post.question is not None:
                options = 1 + len(post.question.choices)
                question, order = await self.store.open_question(
                    claim.post_id,
                    guild_id,
                    day,
                    post.question,
                    shuffled_order(options, self.rng),
                    self.clock.now(),
                )
                post = replace(post, question=question, order=tuple(order), post_id=claim.post_id)
            await self.pacer.wait()
            # However often the dead claim was taken over (each takeover moves its time), the post is
            # from `day`: look from the day's start in the server's timezone.
            since = day_start(day, schedule.timezone)
            found = (
                await self.poster.find(guild_id, channel_id, post.marker, since) if claim.recovering else None
            )
            message_id = found or await self.poster.send(guild_id, channel_id, post, nonce)
        except ChannelGone as exc:
            await self.store.finish(claim.post_id, status="failed", now=self.clock.now())
            await self.disable(guild_id, f"channel {channel_id} unusable ({exc})")
            return
        except PostRejected as exc:
            log.error("Daily post for guild %s refused (%s); not retried", guild_id, exc)
            await self.store.finish(claim.post_id, status="failed", now=self.clock.now())
            return
        except Exception as exc:
            if self.poster.is_transient(exc):  # the retry takes the claim over at once (and looks first)
                await self.store.release(claim.post_id)
            raise
        await self.store.finish(
            claim.post_id,
            status="sent",
            now=self.clock.now(),
            message_id=message_id,
            fact_id=post.logged_fact,
        )
