"""Six bot paths that real Discord refused: each reproduced against the strict emulator, each fixed."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest
import yaml

import bot.content.exporting
import cogs.bank
from bot.content.schema import QuestionEntry
from bot.limits import EMBED_TOTAL_MAX, UPLOAD_MAX_BYTES, embed_size
from db.models import Fact
from db.queries import banks, posts
from db.queries.guilds import daily_schedule
from discord_emulator import SentMessage
from discord_emulator.payloads import MANAGE_GUILD
from tests.conftest import World
from tests.e2e.helpers import is_question, question_for

pytestmark = pytest.mark.e2e

LONG_DAY = dt.date(2025, 3, 3)


async def add_long_facts(world: World, day: dt.date = LONG_DAY, count: int = 5) -> None:
    """`count` facts on `day` with 700-character texts and 500-character sources."""
    async with world.bot.db.sessions.begin() as s:
        for i in range(count):
            s.add(
                Fact(
                    id=f"long-{i}",
                    pack="test",
                    text=f"Fact {i}: " + "A long tale of a famous night. " * 22,
                    year=1990 + i,
                    month=day.month,
                    day=day.day,
                    tags=["Atalanta", "Serie A"],
                    source=f"Source {i}: " + "An archive, a book and a match report. " * 13,
                )
            )


def total(msg: SentMessage) -> int:
    return sum(embed_size(e) for e in msg.embeds)


def assert_nothing_refused(world: World) -> None:
    assert world.emulator.refusals == [], [str(r) for _, _, r in world.emulator.refusals]


async def test_onthisday_with_long_facts_fits_6000(world: World) -> None:
    await add_long_facts(world)
    fan = world.emulator.member(world.guild, "Fan")
    reply = await fan.slash("onthisday", date="3 March")
    msg = reply.messages[0]
    assert_nothing_refused(world)
    # Built-in content may add more facts on the day: the oldest come first, up to 10 embeds.
    assert not msg.ephemeral and 5 <= len(msg.embeds) <= 10 and total(msg) <= EMBED_TOTAL_MAX
    assert "Fact 0:" in msg.text() and "Fact 4:" in msg.text() and "3 March 1990" in msg.text()


async def test_daily_post_with_long_facts_is_delivered(world: World) -> None:
    await add_long_facts(world, dt.date(2025, 5, 23))
    emu = world.emulator
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    world.clock.set(dt.datetime(2025, 5, 23, 6, 0, tzinfo=dt.UTC))
    await admin.slash("dailypost set", channel=world.channel, time="08:00", timezone="Europe/Rome")
    cog = world.bot.get_cog("Daily")
    await cog.check_guild(world.guild.id)
    posts = [m for m in emu.channel_posts(world.channel) if "Daily post · 2025-05-23" in m.text()]
    assert_nothing_refused(world)
    assert len(posts) == 1 and total(posts[0]) <= EMBED_TOTAL_MAX
    assert posts[0].embeds[-1]["footer"]["text"] == "Daily post · 2025-05-23"  # the recovery marker survives

    preview = await admin.slash("dailypost test")
    shown = await emu.wait_for(lambda m: "Preview" in m.text() and m.interaction_id == preview.id)
    assert shown.ephemeral and total(shown) <= EMBED_TOTAL_MAX
    test = await admin.slash("dailypost test", public=True)
    assert test.response_type == 5
    done = await emu.wait_for(lambda m: "Test post sent" in m.text() and m.interaction_id == test.id)
    assert done.ephemeral
    tested = [m for m in emu.channel_posts(world.channel) if "Daily post · 2025-05-23 · test" in m.text()]
    assert len(tested) == 1 and total(tested[0]) <= EMBED_TOTAL_MAX
    assert_nothing_refused(world)


async def test_daily_post_refused_with_400_is_not_retried(world: World) -> None:
    emu = world.emulator
    cog = world.bot.get_cog("Daily")
    await asyncio.wait_for(cog.caught_up.wait(), 10)  # start-up catch-up is over: only our check runs
    admin = emu.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    world.clock.set(dt.datetime(2025, 5, 22, 6, 0, tzinfo=dt.UTC))
    await admin.slash("dailypost set", channel=world.channel, time="08:00", timezone="Europe/Rome")
    emu.inject("POST", r"/channels/\d+/messages$", status=400)
    await cog.check_guild(world.guild.id)
    assert cog.scheduler.get_job(f"retry:{world.guild.id}") is None  # the same payload would fail again
    logged = await posts.posts_for(world.bot.db.sessions, world.guild.id)
    assert [p.status for p in logged] == ["failed"]
    async with world.bot.db.sessions() as s:
        assert await daily_schedule(s, world.guild.id) is not None  # a bad day does not switch it off
    await cog.check_guild(world.guild.id)  # and nothing is tried again that day
    sent = [r for r in emu.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert [r.status for r in sent] == [400]


async def test_buttons_reveal_with_60_right_answers_is_capped(world: World) -> None:
    emu = world.emulator
    starter = emu.member(world.guild, "Starter")
    fans = [emu.member(world.guild, f"Supporter {i:02d} of Atalanta Bergamo") for i in range(60)]
    assert len(fans[0].name) == 32
    await starter.slash("quiz start", mode="buttons", questions=1, seconds=120)
    shown = await emu.wait_for(is_question(1), timeout=10)
    q = await question_for(world, shown)
    await asyncio.gather(*(fan.click(shown, q.answer) for fan in fans))
    await starter.slash("quiz skip")
    reveal = await emu.wait_for(lambda m: "🎯 Right:" in m.content, timeout=10)
    names, source = reveal.content.splitlines()[-2:]
    assert len(reveal.content) <= 2000 and names.endswith("more") and source.startswith("-# Source: ")
    await emu.wait_for(lambda m: "Final standings" in m.text(), timeout=10)
    assert_nothing_refused(world)


async def test_failed_reveal_does_not_kill_the_quiz(world: World) -> None:
    emu = world.emulator
    fan = emu.member(world.guild, "Fan")
    await fan.slash("quiz start", questions=2, seconds=120)
    await emu.wait_for(is_question(1), timeout=10)
    emu.inject("POST", r"/channels/\d+/messages$", status=400)  # the reveal is refused
    await fan.slash("quiz skip")
    await emu.wait_for(is_question(2), timeout=10)
    await fan.slash("quiz skip")
    await emu.wait_for(lambda m: "Final standings" in m.text(), timeout=10)


async def add_server_questions(world: World, entries: list[QuestionEntry]) -> None:
    async with world.bot.db.sessions.begin() as s:
        await banks.import_entries(s, world.guild.id, entries)


async def test_bank_edit_prefill_longer_than_max_length_still_opens(world: World) -> None:
    aliases = [f"Alias number {i} for a long answer, {'x' * 30}" for i in range(12)]
    assert len("|".join(aliases)) > 600
    entry = QuestionEntry(
        id="long-aliases",
        question="Who scored three in Dublin?",
        answer="Ademola Lookman",
        aliases=aliases,
        category="Finals",
        source="test",
    )
    await add_server_questions(world, [entry])
    admin = world.emulator.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    editing = await admin.slash("bank edit", question_id="long-aliases")
    assert_nothing_refused(world)
    assert editing.modal is not None
    fields = {
        c["custom_id"]: c
        for row in editing.modal["components"]
        for c in (row.get("components") or [row["component"]])
    }
    aliases_field = next(c for c in fields.values() if c.get("value", "").startswith("Alias number 0"))
    assert aliases_field["value"] == "|".join(aliases)  # nothing cut: saving again loses no alias
    saved = await admin.submit(editing, {k: c.get("value", "") for k, c in fields.items()})
    assert "Updated question" in saved.messages[0].text()
    async with world.bot.db.sessions() as s:
        stored = await banks.find(s, world.guild.id, "long-aliases")
    assert stored is not None and list(stored.aliases) == aliases


def big_entries(count: int, aliases: int = 6) -> list[QuestionEntry]:
    """Long questions: about 2 KB each in YAML with 6 aliases, 6 KB with 60."""
    return [
        QuestionEntry(
            id=f"q{i:05d}",
            question=f"Question {i}: " + "which club won that famous final on a rainy night? " * 5,
            answer=f"Answer {i} " + "a" * 60,
            aliases=[f"Alias {i}-{j} " + "b" * 60 for j in range(aliases)],
            choices=[f"Choice {i}-{j} " + "c" * 60 for j in range(3)],
            category="Big",
            source="A long source line: " + "archive " * 60,
        )
        for i in range(count)
    ]


async def test_bank_export_is_deferred_and_built_off_the_loop(world: World, monkeypatch) -> None:
    await add_server_questions(world, big_entries(20))
    threads: list[bool] = []
    real_export = bot.content.exporting.export

    def spying_export(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real_export(*args, **kwargs)

    monkeypatch.setattr(bot.content.exporting, "export", spying_export)
    admin = world.emulator.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    exported = await admin.slash("bank export")
    assert exported.response_type == 5  # deferred before any work
    msg = await world.emulator.wait_for(lambda m: bool(m.files) and m.interaction_id == exported.id)
    assert msg.ephemeral and threads == [False]
    doc = yaml.safe_load(msg.files[0][1].decode())
    assert len(doc["questions"]) == 20
    assert_nothing_refused(world)


@pytest.mark.slow
async def test_bank_export_over_10_mib_is_split_into_importable_parts(world: World) -> None:
    entries = big_entries(banks.MAX_SERVER_QUESTIONS, aliases=60)  # a full bank with many aliases
    await add_server_questions(world, entries)
    admin = world.emulator.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    exported = await admin.slash("bank export")
    await world.emulator.wait_for(
        lambda m: "part" in m.text() and m.interaction_id == exported.id, timeout=60
    )
    await asyncio.sleep(0.5)
    assert_nothing_refused(world)
    files = [f for m in exported.messages for f in m.files]
    assert len(files) > 1 and sum(len(data) for _, data in files) > UPLOAD_MAX_BYTES  # too big for one upload
    ids: set[str] = set()
    for m in exported.messages:
        assert sum(len(data) for _, data in m.files) <= UPLOAD_MAX_BYTES and len(m.files) <= 10
    for name, data in files:
        assert len(data) <= cogs.bank.MAX_FILE_BYTES, name  # each part imports back on its own
        ids |= {q["id"] for q in yaml.load(data.decode(), Loader=yaml.CSafeLoader)["questions"]}
    assert ids == {e.id for e in entries}
    assert any("split" in m.text() for m in exported.messages)


async def test_server_bank_size_is_capped(world: World, monkeypatch) -> None:
    monkeypatch.setattr(banks, "MAX_SERVER_QUESTIONS", 3)
    await add_server_questions(world, big_entries(2))
    csv = "id,question,answer,category\n" + "".join(f"n{i},Question {i}?,Answer {i},Cap\n" for i in range(2))
    admin = world.emulator.member(world.guild, "Admin", permissions=MANAGE_GUILD)
    done = await admin.slash("bank import", file=("more.csv", csv.encode()))
    report = await world.emulator.wait_for(lambda m: "Import" in m.text() and m.interaction_id == done.id)
    assert "3 questions" in report.text() and "Nothing imported" in report.text()
    async with world.bot.db.sessions() as s:
        assert len(await banks.server_questions(s, world.guild.id)) == 2
    opened = await admin.slash("bank add")
    assert opened.modal is not None  # one more fits
    ids = [
        c["custom_id"]
        for row in opened.modal["components"]
        for c in (row.get("components") or [row["component"]])
    ]
    saved = await admin.submit(opened, dict(zip(ids, ["Q?", "A", "", "", "Cap"], strict=True)))
    assert "Added question" in saved.messages[0].text()
    refused = await admin.slash("bank add")
    assert refused.modal is None and "3 questions" in refused.messages[0].text()
