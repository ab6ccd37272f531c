"""What each web page shows, read from the database: the ranking, a fan's page, the recent quizzes.

Parameters are validated here; a bad one raises `BadRequest`, a page that does not exist `NotFound`."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.leaderboard.periods import PERIOD_LABEL, PERIODS, Period, period_key, period_start
from bot.web.charts import BarChart, bar_chart
from db.models import GuildSettings
from db.queries import leaderboard as lb
from db.queries.history import CategoryTally, QuizSummary, category_scores, recent_quizzes, weekly_points
from db.queries.profiles import FanName, fan_names, is_hidden, search_fans
from db.queries.quiz import categories
from db.queries.search import search_ranked

PAGE_SIZE = 50
MAX_PAGE = 100_000
MAX_SEARCH = 50
MAX_FOUND = 50
MAX_FOUND_IN_CATEGORY = 20


class NotFound(Exception):
    """No such page (or the server turned its page off)."""


class BadRequest(Exception):
    """A parameter is malformed; the message says which."""


@dataclass(frozen=True)
class Site:
    """The server whose page is being read."""

    guild_id: int
    slug: str
    title: str
    timezone: str

    @classmethod
    def of(cls, row: GuildSettings) -> Site:
        assert row.web_slug is not None
        return cls(row.guild_id, row.web_slug, row.web_title or "Calcio Quiz server", row.timezone)

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(ZoneInfo(self.timezone)).date()


@dataclass(frozen=True)
class RankRow:
    rank: int
    fan: FanName
    points: int
    answers: int
    correct: int

    @property
    def accuracy(self) -> str:
        return f"{self.correct / self.answers:.0%}" if self.answers else "—"


@dataclass(frozen=True)
class Ranking:
    site: Site
    period: Period
    period_label: str
    category: str | None
    categories: list[str]
    search: str
    rows: list[RankRow]
    players: int
    page: int
    pages: int


def _period(raw: str | None) -> Period:
    value = raw or "all"
    if value not in PERIODS:
        raise BadRequest("period must be one of week, month, season, all")
    return value  # type: ignore[return-value]


def _page(raw: str | None) -> int:
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"page must be a whole number from 1 to {MAX_PAGE}")
    return int(raw)


async def ranking(
    session: AsyncSession,
    site: Site,
    now: dt.datetime,
    season_start_month: int,
    *,
    period: str | None = None,
    category: str | None = None,
    search: str | None = None,
    page: str | None = None,
) -> Ranking:
    """One page of the server's ranking, or the ranks of the fans whose name matches `search`."""
    chosen = _period(period)
    number = _page(page)
    cats = await categories(session, site.guild_id)
    cat = (category or "").strip() or None
    if cat is not None and cat not in cats:
        raise BadRequest("unknown category")
    text = (search or "").strip()
    if len(text) > MAX_SEARCH:
        raise BadRequest(f"search is at most {MAX_SEARCH} characters")
    start = period_start(chosen, site.today(now), season_start_month)
    key = period_key(chosen, start)
    if text and cat is None:
        raw_rows = await search_ranked(session, site.guild_id, text, key, limit=MAX_FOUND)
        total, pages, number = len(raw_rows), 1, 1
    elif text:  # a category ranks over the daily rollup: look up each matching fan's rank
        found = await search_fans(session, site.guild_id, text, limit=MAX_FOUND_IN_CATEGORY)
        mine = [await lb.rank_of(session, site.guild_id, uid, start, cat, key=key) for uid in found]
        raw_rows = sorted((r for r in mine if r is not None), key=lambda r: (r.rank, r.user_id))
        total, pages, number = len(raw_rows), 1, 1
    else:
        total = await lb.players(session, site.guild_id, start, cat, key=key)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if number > pages:
            raise NotFound
        raw_rows = await lb.page(
            session,
            site.guild_id,
            start,
            category=cat,
            key=key,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
    names = await fan_names(session, site.guild_id, [r.user_id for r in raw_rows])
    rows = [RankRow(r.rank, names[r.user_id], r.points, r.answers, r.correct) for r in raw_rows]
    return Ranking(site, chosen, PERIOD_LABEL[chosen], cat, cats, text, rows, total, number, pages)


@dataclass(frozen=True)
class FanPage:
    site: Site
    fan: FanName
    stats: lb.Stats
    weekly: BarChart
    season_points: int
    categories: list[CategoryTally]


def weekly_chart(weeks: list[tuple[dt.date, int]]) -> BarChart:
    """Points per week as bars, with a sentence for screen readers."""
    total = sum(v for _, v in weeks)
    best = max(weeks, key=lambda w: w[1], default=None)
    summary = f"Points per week this season: {total} in {len(weeks)} weeks"
    if best is not None and best[1]:
        summary += f", best week {best[0]:%d %b} with {best[1]}"
    return bar_chart([(f"{d:%d %b}", v) for d, v in weeks], summary + ".")


async def fan_page(
    session: AsyncSession, site: Site, user_id: int, now: dt.datetime, season_start_month: int
) -> FanPage:
    """A fan's page: totals, rank, streaks, points per week this season, accuracy by category."""
    if await is_hidden(session, site.guild_id, user_id):
        raise NotFound
    stats = await lb.member_stats(session, site.guild_id, user_id)
    if stats.answers == 0:
        raise NotFound
    name = (await fan_names(session, site.guild_id, [user_id]))[user_id]
    today = site.today(now)
    season = period_start("season", today, season_start_month)
    assert season is not None
    weeks = await weekly_points(session, site.guild_id, user_id, season, today)
    cats = await category_scores(session, site.guild_id, user_id)
    return FanPage(site, name, stats, weekly_chart(weeks), sum(v for _, v in weeks), cats)


@dataclass(frozen=True)
class QuizRow:
    quiz: QuizSummary
    started: str
    winner: FanName | None


@dataclass(frozen=True)
class Quizzes:
    site: Site
    rows: list[QuizRow]


async def quizzes(session: AsyncSession, site: Site) -> Quizzes:
    """The server's latest quizzes, times in the server's timezone."""
    found = await recent_quizzes(session, site.guild_id)
    names = await fan_names(session, site.guild_id, [q.winner_id for q in found if q.winner_id is not None])
    tz = ZoneInfo(site.timezone)
    rows = []
    for q in found:
        started = q.started_at if q.started_at.tzinfo else q.started_at.replace(tzinfo=dt.UTC)
        rows.append(
            QuizRow(
                q,
                f"{started.astimezone(tz):%d %b %Y %H:%M}",
                names[q.winner_id] if q.winner_id is not None else None,
            )
        )
    return Quizzes(site, rows)
