"""Crash safety with real processes: the bot runs as `python -m bot run` against the emulator and is
killed with SIGKILL mid-question, mid daily post and mid bank import. Each process is forked from a warm
server that has the imports done (tests/warm_process.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot import PROJECT_ROOT
from db.engine import make_engine, make_sessionmaker
from db.models import DailyPost, DailyScore, Question, ScoreEvent
from db.queries.banks import MAX_SERVER_QUESTIONS
from discord_emulator import Emulator
from discord_emulator.payloads import MANAGE_GUILD
from discord_emulator.state import Channel, Guild
from tests import warm_process
from tests.conftest import seed_data_dir
from tests.e2e.helpers import contains, is_question
from tests.warm_process import WarmProcess

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


class BotProcess:
    """The real bot in its own process, pointed at the emulator."""

    guild_ready_timeout = Emulator.GUILD_READY_TIMEOUT

    def __init__(self, emu: Emulator, workdir: Path, database_url: str = "") -> None:
        self.emu = emu
        self.workdir = workdir
        self.database_url = database_url  # '' = the SQLite file in workdir/data
        self.proc: WarmProcess | None = None
        self.log = workdir / "bot.log"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DISCORD_TOKEN": Emulator.TOKEN,
            "DISCORD_API_BASE": self.emu.api_base,
            "DATA_DIR": str(self.workdir / "data"),
            "CONTENT_DIR": str(PROJECT_ROOT / "content"),
            "DAILY_POST_CLAIM_TIMEOUT_SECONDS": "2",
            "LOG_LEVEL": "INFO",
            "DATABASE_URL": self.database_url,
            # One server, sent with READY: no need for the default 2 s wait for more before start-up work.
            "GUILD_READY_TIMEOUT": str(self.guild_ready_timeout),
        }

    async def spawn(self) -> None:
        """`python -m bot run` in a child of the warm server, its output added to the log."""
        with self.log.open("ab") as log:
            out = log.fileno()
            command = ["-m", "bot", "run"]
            self.proc = await warm_process.start_async(
                command, env=self.env(), cwd=self.workdir, stdout=out, stderr=out
            )

    async def start(self) -> None:
        before = self.emu.identifies
        await self.spawn()
        for _ in range(300):
            if self.emu.identifies > before:
                break
            await asyncio.sleep(0.05)
        else:
            raise TimeoutError(self.log.read_text()[-3000:])
        await asyncio.sleep(0.5)  # GUILD_CREATE processed, start-up recovery run

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no clean-up at all
        await self.proc.wait_async()

    async def stop(self) -> None:
        if self.proc and self.proc.returncode is None:
            await self.kill()


@pytest.fixture
async def crash_world(tmp_path: Path, test_database_url: str, template_db: Path):
    if not test_database_url:  # the SQLite file starts migrated and synced, like the PostgreSQL copy
        seed_data_dir(tmp_path / "data", template_db)
    emu = Emulator()
    await emu.start()
    guild = emu.guild("Crash Test Dummies")
    emu.channel(guild, "quiz")
    bot = BotProcess(emu, tmp_path, test_database_url)
    yield emu, guild, bot
    await bot.stop()
    await emu.stop()
    assert Emulator.TOKEN not in bot.log.read_text(errors="replace"), "the token leaked into the logs"


async def db_of(tmp_path: Path, database_url: str = ""):
    engine = make_engine(database_url or f"sqlite+aiosqlite:///{tmp_path / 'data' / 'calcio-quiz.db'}")
    return engine, make_sessionmaker(engine)


async def test_kill_mid_question_keeps_points_once(crash_world, tmp_path: Path) -> None:
    emu, guild, bot = crash_world
    await bot.start()
    fan = emu.member(guild, "Ultra")
    await fan.slash("quiz start", questions=3, seconds=60)
    msg = await emu.wait_for(is_question(1), timeout=10)
    engine, sessions = await db_of(tmp_path, bot.database_url)
    async with sessions() as s:
        answer = await s.scalar(
            select(Question.answer).where(Question.text == msg.embeds[0]["description"].replace("\\", ""))
        )
    await fan.say(answer or "")
    await emu.wait_for(contains("got it!"), timeout=10)
    await bot.kill()  # right after the point was announced

    await bot.start()
    notice = await emu.wait_for(contains("I restarted"), timeout=10)
    assert "Ultra" in notice.text()
    async with sessions() as s:
        events = (await s.scalars(select(ScoreEvent))).all()
        rollup = await s.scalar(select(func.sum(DailyScore.points)))
    await engine.dispose()
    assert len([e for e in events if e.points > 0]) == 1
    assert rollup == sum(e.points for e in events) > 0


async def kill_after_the_post_is_sent(emu: Emulator, guild: Guild, bot: BotProcess) -> Channel:
    """A daily post owed since a minute ago, sent by a restarted bot that is killed before Discord's answer
    reaches it (the message exists; the bot never learnt so). The post's channel."""
    await bot.start()
    admin = emu.member(guild, "Admin", permissions=MANAGE_GUILD)
    channel = next(iter(guild.channels.values()))
    past = (dt.datetime.now(ZoneInfo("Europe/Rome")) - dt.timedelta(minutes=1)).strftime("%H:%M")
    await admin.slash("dailypost set", channel=channel, time=past, timezone="Europe/Rome")
    await bot.kill()
    emu.inject("POST", r"/channels/\d+/messages$", delay=30, after=True)
    await bot.start()
    await emu.wait_for(lambda m: "Daily post ·" in m.text(), timeout=10)
    await bot.kill()
    emu.faults.clear()
    return channel


async def assert_recorded_and_posted_once(
    emu: Emulator, bot: BotProcess, channel: Channel, tmp_path: Path
) -> None:
    """The restarted bot records the post as sent (within 10 s), and the channel holds it once."""
    engine, sessions = await db_of(tmp_path, bot.database_url)
    for _ in range(100):
        async with sessions() as s:
            status = await s.scalar(select(DailyPost.status))
        if status == "sent":
            break
        await asyncio.sleep(0.1)
    await engine.dispose()
    assert status == "sent"
    assert len([m for m in emu.channel_posts(channel) if "Daily post ·" in m.text()]) == 1


async def test_kill_mid_daily_post_posts_exactly_once(crash_world, tmp_path: Path) -> None:
    emu, guild, bot = crash_world
    channel = await kill_after_the_post_is_sent(emu, guild, bot)

    await bot.start()  # finds the stale claim, checks the channel, records the post: no second message
    await assert_recorded_and_posted_once(emu, bot, channel, tmp_path)


async def test_kill_after_daily_post_then_chatter_posts_exactly_once(crash_world, tmp_path: Path) -> None:
    """Killed after the send, before the log; 60 members' messages follow before the restart. The check
    reads the channel after the claim, not its last 50 messages, so the post is found, not sent again."""
    emu, guild, bot = crash_world
    fan = emu.member(guild, "Chatty")
    channel = await kill_after_the_post_is_sent(emu, guild, bot)
    for i in range(60):
        await fan.say(f"forza ragazzi {i}")
    # The restart comes minutes later: Discord only dedupes a nonce "in the past few minutes".
    for sent in emu.sent:
        sent.request.pop("nonce", None)

    await bot.start()
    await assert_recorded_and_posted_once(emu, bot, channel, tmp_path)


def big_csv(n: int) -> str:
    rows = [f"Question number {i} about Atalanta?,Answer {i},Fuzz" for i in range(n)]
    return "question,answer,category\n" + "\n".join(rows) + "\n"


# After the command logs that the content is ready (synced or unchanged) it parses the file (0.1-0.2 s) and
# writes it in one transaction (under 0.1 s): kills before, inside and after that transaction.
KILLS_AFTER_CONTENT = (0.0, *(0.1 + 0.025 * i for i in range(13)), 0.5, 0.6)


async def test_kill_during_bank_import_is_all_or_nothing(tmp_path: Path, test_database_url: str) -> None:
    """`bank import` of a full server bank, SIGKILLed at its start, then at growing delays once the import
    is under way, then left to finish: the server holds none of the file or all of it, never part. It
    holds none after the first kill and all at the end (a file over the cap would be refused whole)."""
    src = tmp_path / "big.csv"
    src.write_text(big_csv(MAX_SERVER_QUESTIONS))
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "CONTENT_DIR": str(PROJECT_ROOT / "content"),
        "DATABASE_URL": test_database_url,
        "LOG_LEVEL": "INFO",  # "Content synced"/"Content unchanged": the import starts
    }
    log = tmp_path / "import.log"
    seen: list[int] = []
    for kill_after in ("start", *KILLS_AFTER_CONTENT, "never"):
        with log.open("wb") as out:
            proc = await warm_process.start_async(
                ["-m", "bot", "bank", "import", str(src), "--guild", "5"],
                env=env,
                cwd=tmp_path,
                stdout=out.fileno(),
                stderr=out.fileno(),
            )
        if isinstance(kill_after, float):
            await logged(log, "bot.database: Content ", proc)
            await asyncio.sleep(kill_after)
        if kill_after != "never":
            proc.kill()
        code = await proc.wait_async()
        if kill_after == "never":
            assert code == 0, tail(log)
        seen.append(await server_questions(tmp_path, test_database_url))
        if seen[-1]:
            break
    print(f"questions after each kill, then at the end: {seen}")
    assert seen[0] == 0 and seen[-1] == MAX_SERVER_QUESTIONS, seen
    assert all(c in (0, MAX_SERVER_QUESTIONS) for c in seen), seen


async def logged(log: Path, text: str, proc: WarmProcess, timeout: float = 60) -> None:
    """Return once `text` is in the log, or the process has exited."""
    for _ in range(int(timeout / 0.01)):
        if text in tail(log) or proc.returncode is not None:
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(tail(log))


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


async def server_questions(tmp_path: Path, database_url: str) -> int:
    """How many questions server 5 holds (none while the SQLite file or its tables do not exist yet)."""
    if not database_url and not (tmp_path / "data" / "calcio-quiz.db").exists():
        return 0
    engine, sessions = await db_of(tmp_path, database_url)
    try:
        async with sessions() as s:
            count = await s.scalar(select(func.count()).select_from(Question).where(Question.guild_id == 5))
    except OperationalError as exc:
        # Killed before the first migration committed: the file exists, its tables don't yet.
        assert "no such table" in str(exc), exc
        count = 0
    finally:
        await engine.dispose()
    return int(count or 0)
