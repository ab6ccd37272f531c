"""SQLAlchemy 2 typed models. Score events are the source of truth; daily rollups feed leaderboards."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.defaults import DEFAULT_TIMEZONE


class Base(DeclarativeBase):
    """Declarative base for every model."""

    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON, int: BigInteger}


class GuildSettings(Base):
    """Per-server settings: timezone, daily post, disabled built-in banks, public web page."""

    __tablename__ = "guild_settings"
    __table_args__ = (UniqueConstraint("web_slug", name="uq_guild_settings_web_slug"),)

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    daily_channel_id: Mapped[int | None]
    daily_time: Mapped[str | None] = mapped_column(String(5))
    daily_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_banks: Mapped[list[str]] = mapped_column(default=list)
    club: Mapped[str | None] = mapped_column(String(40))  # a club slug from content/clubs.yaml
    language: Mapped[str | None] = mapped_column(String(8))  # 'en'/'it'; None: from preferred_locale
    web_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    web_slug: Mapped[str | None] = mapped_column(String(32))  # the public page's address (unguessable)
    web_title: Mapped[str | None] = mapped_column(String(100))  # the server's name, for its page


class FanProfile(Base):
    """What the public web page may show of a member: their name (kept fresh by the bot) and whether
    they chose to be hidden ("hidden fan")."""

    __tablename__ = "fan_profiles"

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str | None] = mapped_column(String(100))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def new_sample_key() -> int:
    """A random position for a question in the sampling order (see `db.queries.quiz.pick_questions`)."""
    return random.randrange(2**31)


class Question(Base):
    """A quiz question: built-in (guild_id NULL, id from the bank file) or made by a server."""

    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_guild_category", "guild_id", "category"),
        Index("ix_questions_sample", "sample_key"),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    bank: Mapped[str] = mapped_column(String(80), index=True)
    guild_id: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    choices: Mapped[list[str]] = mapped_column(default=list)
    category: Mapped[str] = mapped_column(String(80))
    difficulty: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    competition: Mapped[str | None] = mapped_column(String(40), index=True)  # slug, e.g. 'serie-a'
    clubs: Mapped[list[str]] = mapped_column(default=list)  # club slugs; mirrored in question_clubs
    text_it: Mapped[str | None] = mapped_column(Text)
    answer_it: Mapped[str | None] = mapped_column(String(200))
    choices_it: Mapped[list[str]] = mapped_column(default=list)
    # A random number fixed per question: picking seeks to a random point in this index (no full scan).
    sample_key: Mapped[int] = mapped_column(Integer, default=new_sample_key)


class AskedQuestion(Base):
    """The last time a server was asked a question, stamped with the server's cycle generation then: a
    quiz's filter skips questions asked since its own cycle began (`AskCycle.since`)."""

    __tablename__ = "asked_questions"

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    question_id: Mapped[str] = mapped_column(
        String(120), ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class AskCycle(Base):
    """A quiz filter's current cycle in a server. A cycle walks the filter's questions once in sampling
    order (`sample_key`), from a random `start_key` round to it again; `cursor_key` is the last key taken
    (`wrapped` once past the top). `since` is the cycle's generation: questions asked since (stamped
    `AskedQuestion.generation` >= since, under any filter) are skipped. A server's highest `since` is its
    current generation. Restarting a cycle rewrites this one row; the history is kept."""

    __tablename__ = "ask_cycles"

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    pool: Mapped[str] = mapped_column(String(200), primary_key=True)  # the filter, e.g. 'category=x'
    since: Mapped[int] = mapped_column(Integer)
    start_key: Mapped[int] = mapped_column(Integer)
    cursor_key: Mapped[int] = mapped_column(Integer)
    wrapped: Mapped[bool] = mapped_column(Boolean, default=False)


class QuestionClub(Base):
    """Which clubs a question is about (for `/quiz start club:` and a server's club), one row each."""

    __tablename__ = "question_clubs"
    __table_args__ = (
        Index("ix_question_clubs_club", "club", "question_id"),
        Index("ix_question_clubs_sample", "club", "sample_key"),
    )

    question_id: Mapped[str] = mapped_column(
        String(120), ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    club: Mapped[str] = mapped_column(String(40), primary_key=True)
    # Random, like `Question.sample_key`: a club's quiz seeks to random points of its own index.
    sample_key: Mapped[int] = mapped_column(Integer, default=new_sample_key)


class Fact(Base):
    """A fact with its source; dated facts feed "on this day"."""

    __tablename__ = "facts"
    __table_args__ = (Index("ix_facts_month_day", "month", "day"),)

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    pack: Mapped[str] = mapped_column(String(80), index=True)
    text: Mapped[str] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    month: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[int | None] = mapped_column(Integer)
    date_source: Mapped[str | None] = mapped_column(String(40))
    tags: Mapped[list[str]] = mapped_column(default=list)
    source: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    clubs: Mapped[list[str]] = mapped_column(default=list)  # club slugs the fact is about
    text_it: Mapped[str | None] = mapped_column(Text)


class ContentState(Base):
    """The hash of the content sources last synced, so an unchanged start-up skips the sync."""

    __tablename__ = "content_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class QuizSession(Base):
    """One /quiz run in a channel. At most one running per channel (partial unique index)."""

    __tablename__ = "quiz_sessions"
    __table_args__ = (
        Index(
            "uq_quiz_sessions_running_channel",
            "channel_id",
            unique=True,
            sqlite_where=text("state = 'running'"),
            postgresql_where=text("state = 'running'"),
        ),
        Index("ix_quiz_sessions_guild_started", "guild_id", "started_at"),  # a server's latest quizzes
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(index=True)
    channel_id: Mapped[int]
    starter_id: Mapped[int]
    mode: Mapped[str] = mapped_column(String(10))
    category: Mapped[str | None] = mapped_column(String(80))
    difficulty: Mapped[str | None] = mapped_column(String(10))
    total: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="running")
    question_ids: Mapped[list[str]] = mapped_column(default=list)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class QuizRound(Base):
    """One question asked in a session."""

    __tablename__ = "quiz_rounds"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("quiz_sessions.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(120))
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None]


class ScoreEvent(Base):
    """One answer's outcome: the source of truth for leaderboards and stats."""

    __tablename__ = "score_events"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id", name="uq_score_events_round_user"),
        Index("ix_score_events_guild_user_time", "guild_id", "user_id", "answered_at"),
        Index("ix_score_events_session", "session_id"),
        # One VAR award per question: at most one upheld event per round, whoever decides.
        Index(
            "uq_score_events_var_award",
            "round_id",
            unique=True,
            sqlite_where=text("decided_by IS NOT NULL"),
            postgresql_where=text("decided_by IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int]
    user_id: Mapped[int]
    session_id: Mapped[int | None] = mapped_column(ForeignKey("quiz_sessions.id", ondelete="SET NULL"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("quiz_rounds.id", ondelete="SET NULL"))
    question_id: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(80))
    correct: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer)
    response_ms: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    local_day: Mapped[dt.date] = mapped_column(Date)
    archive_id: Mapped[int] = mapped_column(Integer, default=0)
    team_id: Mapped[int | None]  # a teams quiz: the role id of the fan's team, which got the points too
    # Who upheld a contested answer (VAR) that this event awards; None for every ordinary answer.
    decided_by: Mapped[int | None]


class RefusedAnswer(Base):
    """A typed message a quiz round refused, kept a day so the fan can contest it (VAR). Written with the
    round's results, in the same transaction; pruned by age in that same write."""

    __tablename__ = "refused_answers"
    __table_args__ = (Index("ix_refused_answers_sent_at", "sent_at"),)

    message_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    round_id: Mapped[int] = mapped_column(ForeignKey("quiz_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int]
    text: Mapped[str] = mapped_column(String(200))
    hints_shown: Mapped[int] = mapped_column(Integer, default=0)  # hints on screen when it was sent
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class VarClaim(Base):
    """A contested answer posted for staff: one per fan per question; open until upheld or rejected."""

    __tablename__ = "var_claims"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_var_claims_round_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int]
    channel_id: Mapped[int]
    round_id: Mapped[int] = mapped_column(ForeignKey("quiz_rounds.id", ondelete="CASCADE"))
    message_id: Mapped[int]  # the contested message
    user_id: Mapped[int]  # the fan whose answer it is
    raised_by: Mapped[int]  # the fan, or a moderator on their behalf
    text: Mapped[str] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(Integer)  # what upholding awards
    status: Mapped[str] = mapped_column(String(10), default="open")  # open, upheld, rejected
    claim_message_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[int | None]
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    alias_added: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ServerAlias(Base):
    """An answer a server accepts for a question beyond the content's own aliases (added from an upheld
    VAR claim). Kept apart from `questions`, so the content sync never overwrites it."""

    __tablename__ = "server_aliases"

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    question_id: Mapped[str] = mapped_column(
        String(120), ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True
    )
    alias: Mapped[str] = mapped_column(String(200), primary_key=True)
    added_by: Mapped[int]
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DailyScore(Base):
    """Rollup of score events per (guild, local day, user, category), updated in the same transaction."""

    __tablename__ = "daily_scores"
    __table_args__ = (
        Index("ix_daily_scores_guild_day", "guild_id", "day", "user_id"),
        Index("ix_daily_scores_guild_user", "guild_id", "user_id"),
    )

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(String(80), primary_key=True)
    archive_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0, autoincrement=False)
    points: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class PeriodScore(Base):
    """Totals per (guild, period key, user), updated with each event: 'all', season 's2024', month
    'm2025-05', ISO week 'w2025-21'. Uncategorised leaderboards read one row per member from here."""

    __tablename__ = "period_scores"
    __table_args__ = (
        Index("ix_period_scores_board", "guild_id", "period_key", "archive_id", "points", "user_id"),
    )

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    period_key: Mapped[str] = mapped_column(String(12), primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    archive_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0, autoincrement=False)
    points: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class CategoryScore(Base):
    """Totals per (guild, category, period key, user), updated with each event: category leaderboards
    and a member's favourite category read a few rows from here instead of aggregating days."""

    __tablename__ = "category_scores"
    __table_args__ = (
        Index(
            "ix_category_scores_board",
            "guild_id",
            "category",
            "period_key",
            "archive_id",
            "points",
            "user_id",
        ),
        Index("ix_category_scores_member", "guild_id", "user_id", "period_key", "archive_id"),
    )

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(String(80), primary_key=True)
    period_key: Mapped[str] = mapped_column(String(12), primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    archive_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0, autoincrement=False)
    points: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class TeamRole(Base):
    """A role a server marked as a team (`/server teams add`): teams quizzes play its holders as one."""

    __tablename__ = "team_roles"

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    role_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TeamScore(Base):
    """Totals per (guild, period key, team), updated with each team-scored event like `PeriodScore`:
    the team board (`/leaderboard show board:teams`) reads one row per team from here."""

    __tablename__ = "team_scores"
    __table_args__ = (
        Index("ix_team_scores_board", "guild_id", "period_key", "archive_id", "points", "team_id"),
    )

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    period_key: Mapped[str] = mapped_column(String(12), primary_key=True)
    team_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    archive_id: Mapped[int] = mapped_column(Integer, primary_key=True, default=0, autoincrement=False)
    points: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class MemberStreak(Base):
    """A member's live answer streaks and fastest right answer in a server, kept up with each event so
    /stats never reads a fan's whole history (rebuilt from the live events after an archive)."""

    __tablename__ = "member_streaks"

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    current: Mapped[int] = mapped_column(Integer, default=0)
    best: Mapped[int] = mapped_column(Integer, default=0)
    fastest_ms: Mapped[int | None] = mapped_column(Integer)


class DailyPost(Base):
    """Log of daily posts; the unique key makes a post exactly-once per server per local date."""

    __tablename__ = "daily_posts"
    __table_args__ = (UniqueConstraint("guild_id", "local_date", name="uq_daily_posts_guild_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int]
    local_date: Mapped[dt.date] = mapped_column(Date)
    channel_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(10))
    fact_id: Mapped[str | None] = mapped_column(String(120))
    nonce: Mapped[str] = mapped_column(String(25))
    message_id: Mapped[int | None]
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class DailyQuestion(Base):
    """The question of the day a daily post carries: which question, for which server-local day, and
    the order its options are shown in (0 is the right answer). Open until a newer one for the server."""

    __tablename__ = "daily_questions"
    __table_args__ = (Index("ix_daily_questions_guild_day", "guild_id", "local_date"),)

    post_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("daily_posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    guild_id: Mapped[int]
    local_date: Mapped[dt.date] = mapped_column(Date)
    question_id: Mapped[str] = mapped_column(String(120))
    option_order: Mapped[list[int]] = mapped_column(JSON, default=list)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DailyAnswer(Base):
    """A fan's one press on a question of the day (the key makes it one per fan)."""

    __tablename__ = "daily_answers"

    post_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("daily_questions.post_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    choice: Mapped[int] = mapped_column(Integer)
    correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DailyStreakRow(Base):
    """A fan's daily streak in a server (see `bot.daily_question.rules`)."""

    __tablename__ = "daily_streaks"
    __table_args__ = (Index("ix_daily_streaks_board", "guild_id", "current", "best"),)

    guild_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    current: Mapped[int] = mapped_column(Integer, default=0)
    best: Mapped[int] = mapped_column(Integer, default=0)
    last_day: Mapped[dt.date | None] = mapped_column(Date)
    reached_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
