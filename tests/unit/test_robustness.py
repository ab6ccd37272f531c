"""Bad input never escapes as an unexpected exception; concurrent writers never see 'database is locked'."""

from __future__ import annotations

import asyncio
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.content.formats import FORMATS, BankFileError, parse
from bot.errors import UserError
from bot.facts.selection import parse_day
from bot.schedule.rules import check_timezone, parse_time, timezone_suggestions
from db.engine import make_engine, make_sessionmaker
from db.models import ScoreEvent
from db.queries.scores import EventDraft, record_events

TODAY = dt.date(2025, 5, 22)


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_time_and_timezone_inputs(text: str) -> None:
    for fn in (parse_time, check_timezone):
        try:
            fn(text)
        except UserError as exc:
            assert str(exc)
    assert len(timezone_suggestions(text)) <= 25


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_date_inputs(text: str) -> None:
    try:
        assert isinstance(parse_day(text, TODAY), dt.date)
    except UserError as exc:
        assert "couldn't read" in str(exc)


yamlish = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def alias_bomb(width: int, levels: int, red: bool) -> str:
    """Each level lists the previous one `width` times: width**levels values once expanded."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    last = f"*l{levels - 1}"
    lines.append(f"Who?: {last}" if red else f"questions:\n- {{question: {last}, answer: {last}}}")
    return "\n".join(lines) + "\n"


def deep(fmt: str, depth: int, opener: str) -> str:
    closer = {"[": "]", "{a: ": "}", '{"a": ': "}"}[opener]
    body = opener * depth + "1" + closer * depth
    if fmt == "opentdb":
        return '{"results": [' + body.replace("{a: ", '{"a": ') + "]}"
    return ("questions:\n- " if fmt == "yaml" else "Who?: ") + body + "\n"


def many(fmt: str, n: int) -> str:
    if fmt == "csv":
        return "question,answer\n" + "".join(f"Q{i}?,A{i}\n" for i in range(n))
    if fmt == "opentdb":
        return '{"results": [' + ",".join(f'{{"question": "Q{i}?"}}' for i in range(n)) + "]}"
    if fmt == "red":
        return "".join(f"Q{i}?: [A{i}]\n" for i in range(n))
    return "questions:\n" + "".join(f"- {{question: Q{i}?, answer: A{i}}}\n" for i in range(n))


hostile = st.one_of(
    st.builds(
        lambda fmt, w, n: (fmt, alias_bomb(w, n, fmt == "red"), "alias"),
        st.sampled_from(["yaml", "red"]),
        st.integers(2, 12),
        st.integers(2, 9),
    ),
    st.builds(
        lambda fmt, d, o: (fmt, deep(fmt, d, o), "nested too deeply"),
        st.sampled_from(["yaml", "red", "opentdb"]),
        st.integers(40, 60_000),
        st.sampled_from(["[", "{a: "]),
    ),
    st.builds(
        lambda fmt, n: (fmt, many(fmt, n), "over 5000 questions"),
        st.sampled_from(FORMATS),
        st.integers(5001, 6000),
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FORMATS), st.one_of(st.text(max_size=400), yamlish.map(repr)))
def test_bank_parsers_never_crash(fmt: str, text: str) -> None:
    try:
        parsed = parse(text, fmt)  # type: ignore[arg-type]
    except BankFileError as exc:
        assert str(exc)
        return
    assert all(isinstance(p, str) for p in parsed.problems)


@settings(max_examples=40, deadline=None)
@given(hostile)
def test_bank_parsers_refuse_hostile_shapes(case: tuple[str, str, str]) -> None:
    """Alias bombs, deep nesting and oversized files: refused as a whole, with the reason (and the line
    where there is one), before anything is expanded or validated."""
    fmt, text, reason = case
    try:
        parse(text, fmt)  # type: ignore[arg-type]
    except BankFileError as exc:
        assert reason in str(exc), (reason, str(exc))
        if reason != "over 5000 questions":
            assert "line " in str(exc)
        return
    raise AssertionError(f"accepted a hostile {fmt} file ({reason})")


async def test_two_processes_writing_at_once(tmp_path, test_database_url: str) -> None:
    url = test_database_url or f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}"
    from db.engine import migrate

    first, second = make_engine(url), make_engine(url)
    await migrate(first)
    makers = [make_sessionmaker(first), make_sessionmaker(second)]
    now = dt.datetime(2025, 5, 22, 12, tzinfo=dt.UTC)

    async def write(i: int) -> None:
        async with makers[i % 2].begin() as s:
            await record_events(s, [EventDraft(1, i % 17, "b:q", "c", True, 10, 100, now)], "Europe/Rome")

    await asyncio.gather(*(write(i) for i in range(300)))
    async with makers[0]() as s:
        assert await s.scalar(select(func.count()).select_from(ScoreEvent)) == 300
    await first.dispose()
    await second.dispose()
