"""Teams (curva mode): which team a fan plays for, team points in a game, the team totals in the database
(= the aggregation of the team-scored events, across periods and archives), the team roles kept."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import Integer, func, select

from bot.leaderboard.periods import period_keys
from bot.quiz.engine import QuestionView, QuizGame
from bot.quiz.teams import (
    MAX_TEAMS,
    Placement,
    Side,
    TeamPlay,
    resolve_team,
    round_team_points,
    team_standings,
)
from db.models import PeriodScore, ScoreEvent, TeamScore
from db.queries import leaderboard as lb
from db.queries.scores import EventDraft, record_events
from db.queries.teams import (
    AlreadyTeam,
    TooManyTeams,
    add_team_role,
    remove_team_role,
    team_board,
    team_role_ids,
)

NORD, SUD, CLUB = 11, 22, 33
G = 1000
T0 = dt.datetime(2025, 5, 22, 12, 0, tzinfo=dt.UTC)


def test_one_team_role_places_the_fan_in_that_team() -> None:
    assert resolve_team([5, NORD, 7], [NORD, SUD]) == Placement(Side.TEAM, NORD)


def test_no_team_role_plays_alone_and_two_count_for_no_team() -> None:
    assert resolve_team([5, 7], [NORD, SUD]) == Placement(Side.NONE)
    assert resolve_team([], [NORD, SUD]) == Placement(Side.NONE)
    assert resolve_team([NORD, SUD], [NORD, SUD, CLUB]) == Placement(Side.SEVERAL)
    assert resolve_team([NORD, SUD, CLUB], [NORD, SUD, CLUB]).team_id is None
    assert resolve_team([NORD, NORD], [NORD, SUD]) == Placement(Side.TEAM, NORD)  # one role, listed twice


def test_a_fan_with_two_team_roles_is_told_once_per_quiz() -> None:
    play = TeamPlay((NORD, SUD))
    assert play.place(1, [NORD, SUD]) is True
    assert play.place(1, [NORD, SUD]) is False  # once
    assert play.team_of(1) is None
    assert play.place(2, [SUD]) is False and play.team_of(2) == SUD
    assert play.place(3, []) is False and play.team_of(3) is None
    assert play.team_of(4) is None  # never answered
    # Roles change during the quiz: the latest answer's roles decide.
    assert play.place(1, [NORD]) is False and play.team_of(1) == NORD
    assert TeamPlay((NORD, SUD)).place(1, [NORD, SUD]) is True  # a new quiz tells again


def test_team_standings_list_every_team_best_first() -> None:
    assert team_standings([NORD, SUD, CLUB], {SUD: 30, NORD: 10}) == [(SUD, 30), (NORD, 10), (CLUB, 0)]
    assert team_standings([NORD, SUD], {}) == [(NORD, 0), (SUD, 0)]  # ties keep the given order


def _game(teams: TeamPlay | None) -> QuizGame:
    q = QuestionView("q1", "Who?", "Ademola Lookman", (), ("Duvan Zapata", "A", "B"), "Cat", "medium")
    return QuizGame(1, G, 2, 3, "buttons", 20, [q], teams=teams)


def test_game_gives_points_to_fans_and_their_teams() -> None:
    play = TeamPlay((NORD, SUD))
    game = _game(play)
    rnd = game.start_round(0, random.Random(1))
    for user, roles in ((1, [NORD]), (2, [SUD]), (3, [NORD, SUD]), (4, [])):
        play.place(user, roles)
        rnd.choose(user, rnd.correct_index if user != 2 else (rnd.correct_index + 1) % 4, 2.0)
    rnd.close("timeout")
    drafts = game.outcome(rnd)
    game.add(drafts)
    assert {d.user_id: d.team_id for d in drafts} == {1: NORD, 2: SUD, 3: None, 4: None}
    assert all(game.totals[u] > 0 for u in (1, 3, 4)) and game.totals[2] == 0  # own points always count
    assert game.team_standings() == [(NORD, game.totals[1]), (SUD, 0)]
    assert round_team_points(drafts) == [(NORD, game.totals[1])]  # a team that scored nothing is left out


def test_without_teams_nothing_changes() -> None:
    game = _game(None)
    rnd = game.start_round(0, random.Random(1))
    rnd.choose(1, rnd.correct_index, 1.0)
    rnd.close("timeout")
    drafts = game.outcome(rnd)
    assert [d.team_id for d in drafts] == [None] and game.team_standings() == []


def ev(user: int, team: int | None, points: int, when: dt.datetime, correct: bool = True) -> EventDraft:
    return EventDraft(G, user, "b:q", "History", correct, points, 1000, when, team_id=team)


async def test_team_totals_equal_the_aggregation_of_team_events(db) -> None:
    rng = random.Random(7)
    drafts = [
        ev(
            rng.randrange(1, 12),
            rng.choice([NORD, SUD, CLUB, None]),
            rng.choice([0, 10, 15, 20, 30]),
            T0 - dt.timedelta(hours=rng.randrange(0, 24 * 120)),
            rng.random() < 0.7,
        )
        for _ in range(400)
    ]
    for i in range(0, len(drafts), 40):  # in rounds, as quizzes write them
        async with db.sessions.begin() as s:
            await record_events(s, drafts[i : i + 40], "Europe/Rome")

    async def check() -> None:
        async with db.sessions() as s:
            events = (
                await s.execute(
                    select(
                        ScoreEvent.team_id, ScoreEvent.local_day, ScoreEvent.points, ScoreEvent.correct
                    ).where(ScoreEvent.archive_id == 0, ScoreEvent.team_id.is_not(None))
                )
            ).all()
            kept = {
                (t.period_key, t.team_id): (t.points, t.answers, t.correct)
                for t in await s.scalars(select(TeamScore).where(TeamScore.archive_id == 0))
            }
        expected: dict[tuple[str, int], list[int]] = {}
        for team, day, points, correct in events:
            for key in period_keys(day):
                acc = expected.setdefault((key, team), [0, 0, 0])
                acc[0] += points
                acc[1] += 1
                acc[2] += int(correct)
        assert kept == {k: tuple(v) for k, v in expected.items()}

    await check()
    async with db.sessions() as s:
        board = await team_board(s, G, "all")
        summed = dict(
            (
                await s.execute(
                    select(ScoreEvent.team_id, func.sum(ScoreEvent.points).cast(Integer))
                    .where(ScoreEvent.team_id.is_not(None))
                    .group_by(ScoreEvent.team_id)
                )
            ).all()
        )
    assert {r.team_id: r.points for r in board} == summed
    assert [r.points for r in board] == sorted(summed.values(), reverse=True)
    assert board[0].rank == 1
    async with db.sessions.begin() as s:  # archive the last month: team totals rebuilt from what is left
        await lb.archive(s, G, (T0 - dt.timedelta(days=30)).date())
    await check()
    async with db.sessions() as s:
        after = {r.team_id: r.points for r in await team_board(s, G, "all")}
    assert sum(after.values()) < sum(summed.values())


async def test_team_board_ties_share_a_rank(db) -> None:
    async with db.sessions.begin() as s:
        await record_events(s, [ev(1, NORD, 20, T0), ev(2, SUD, 20, T0), ev(3, CLUB, 10, T0)], "Europe/Rome")
    async with db.sessions() as s:
        board = await team_board(s, G, "all")
    assert [(r.rank, r.points) for r in board] == [(1, 20), (1, 20), (3, 10)]


async def test_team_roles_are_kept_per_server_and_capped(db) -> None:
    async with db.sessions.begin() as s:
        for i in range(MAX_TEAMS):
            assert await add_team_role(s, G, 100 + i, T0 + dt.timedelta(seconds=i)) == i + 1
        await add_team_role(s, G + 1, 100, T0)  # another server's roles are its own
    async with db.sessions.begin() as s:
        with pytest.raises(TooManyTeams):
            await add_team_role(s, G, 999, T0)
        with pytest.raises(AlreadyTeam):
            await add_team_role(s, G, 100, T0)
    async with db.sessions.begin() as s:
        assert await remove_team_role(s, G, 100) is True
        assert await remove_team_role(s, G, 100) is False
        assert await team_role_ids(s, G) == [100 + i for i in range(1, MAX_TEAMS)]
        assert await team_role_ids(s, G + 1) == [100]


async def test_team_totals_use_the_servers_season_start_like_member_totals(db) -> None:
    """A server whose season starts in September: an August answer belongs to the season before, for the
    team as for the fan (the write path once gave teams a July season whatever the server said)."""
    august = dt.datetime(2025, 8, 15, 12, 0, tzinfo=dt.UTC)
    async with db.sessions.begin() as s:
        await record_events(s, [ev(1, NORD, 20, august)], "Europe/Rome", season_start_month=9)
    async with db.sessions() as s:
        team_keys = set(await s.scalars(select(TeamScore.period_key).where(TeamScore.team_id == NORD)))
        fan_keys = set(await s.scalars(select(PeriodScore.period_key).where(PeriodScore.user_id == 1)))
    assert team_keys == fan_keys == set(period_keys(august.date(), 9))
    assert set(period_keys(august.date(), 9)) != set(period_keys(august.date(), 7))
