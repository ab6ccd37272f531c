"""`calcio-quiz demo`: the real bot against the local Discord emulator, playing a scripted scene.

No token, no network: it prints a transcript and exits 0 only if every step got the reply it expects."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.client import CalcioBot
from bot.clock import ManualClock
from bot.config import Settings
from bot.quiz.matcher import AnswerKey, is_person_question
from db.models import Question
from discord_emulator import Emulator, SentMessage
from discord_emulator.payloads import MANAGE_GUILD

TIME_SCALE = 0.1  # a 20 s question takes 2 s in the demo


def render(msg: SentMessage) -> str:
    """A bot message as plain text: content, embeds and buttons."""
    lines = [msg.content] if msg.content else []
    for embed in msg.embeds:
        if embed.get("title"):
            lines.append(f"┃ {embed['title']}")
        if embed.get("description"):
            lines += [f"┃ {line}" for line in str(embed["description"]).splitlines()]
        for field in embed.get("fields", []):
            # Whole values: a source's supporting words may come after its first sentence's opening.
            first, *rest = str(field["value"]).splitlines() or [""]
            lines += [f"┃ {field['name']}: {first}", *(f"┃ {line}" for line in rest)]
        if embed.get("footer", {}).get("text"):
            lines.append(f"┃ ({embed['footer']['text']})")
    if msg.buttons():
        lines.append(" ".join(f"[ {b.get('label')} ]" for b in msg.buttons()))
    tag = " (only you)" if msg.ephemeral else ""
    return "\n".join(f"  🤖{tag} {line}" if i == 0 else f"     {line}" for i, line in enumerate(lines))


def typo(answer: str, key: AnswerKey) -> str:
    """A one-letter slip of `answer` that the matcher still accepts (or the answer itself)."""
    for i in range(len(answer) - 2, 1, -1):
        candidate = answer[:i] + answer[i + 1 :]
        if candidate.lower() != answer.lower() and key.matches(candidate):
            return candidate.lower()
    return answer.lower()


class Demo:
    """Runs the scene and keeps score of the checks."""

    def __init__(self, out: Callable[[str], None] = print) -> None:
        self.out = out
        self.failures: list[str] = []
        self.steps = 0

    def say(self, who: str, what: str) -> None:
        self.out(f"👤 {who}: {what}")

    async def step(self, name: str, action: Awaitable[Any], check: Callable[[Any], bool]) -> Any:
        self.steps += 1
        try:
            result = await asyncio.wait_for(action, 15)
            ok = check(result)
        except Exception as exc:  # the demo reports, it never crashes with a traceback
            result, ok = None, False
            name += f" ({type(exc).__name__}: {exc})"
        if not ok:
            self.failures.append(name)
            self.out(f"  ❌ step failed: {name}")
        return result

    async def run(self, settings: Settings) -> int:
        started = time.monotonic()
        emu = Emulator()
        await emu.start()
        emu.on_new_message = lambda m: self.out(render(m))
        guild = emu.guild("Curva Nord Bergamo")
        channel = emu.channel(guild, "quiz")
        clock = ManualClock(dt.datetime(2025, 5, 22, 10, 0, tzinfo=dt.UTC))
        bot = CalcioBot(
            settings.model_copy(update={"discord_api_base": emu.api_base}),
            clock=clock,
            time_scale=TIME_SCALE,
            guild_ready_timeout=Emulator.GUILD_READY_TIMEOUT,
        )
        task = asyncio.create_task(bot.start(Emulator.TOKEN))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 20)
            self.out(f"✅ Bot connected to the local Discord emulator at {emu.api_base}\n")
            await self.scene(emu, bot, guild, channel, clock)
        finally:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 10)
            await emu.stop()
        took = time.monotonic() - started
        if self.failures:
            self.out(f"\n❌ {len(self.failures)} of {self.steps} steps failed: {', '.join(self.failures)}")
            return 1
        self.out(f"\n✅ All {self.steps} steps got the expected reply ({took:.1f} s).")
        return 0

    async def scene(
        self, emu: Emulator, bot: CalcioBot, guild: Any, channel: Any, clock: ManualClock
    ) -> None:
        giulia, marco = emu.member(guild, "Giulia"), emu.member(guild, "Marco")
        sara = emu.member(guild, "Sara (admin)", permissions=MANAGE_GUILD)

        async def question(n: int) -> Question:
            msg = await emu.wait_for(
                lambda m: bool(m.embeds) and m.embeds[0].get("title", "").startswith(f"Question {n}/")
            )
            text = msg.embeds[0]["description"]
            async with bot.db.sessions() as s:
                rows = (await s.scalars(select(Question))).all()
            import discord

            return next(q for q in rows if discord.utils.escape_markdown(q.text) == text)

        self.say("Giulia", "/quiz start questions:2 mode:typed")
        await self.step(
            "quiz starts",
            giulia.slash("quiz start", questions=2, mode="typed"),
            lambda i: "Quiz time!" in i.messages[0].text(),
        )
        q1 = await question(1)
        self.say("Marco", "roma")
        await marco.say("roma" if q1.answer.lower() != "roma" else "lazio")
        key = AnswerKey.build(q1.answer, q1.aliases, q1.choices, person=is_person_question(q1.text))
        slip = typo(q1.answer, key)
        self.say("Giulia", slip)
        await giulia.say(slip)
        await self.step(
            "typo accepted", emu.wait_for(lambda m: "got it!" in m.text()), lambda m: "Giulia" in m.text()
        )
        q2 = await question(2)
        self.say("Marco", q2.answer)
        await marco.say(q2.answer)
        await self.step(
            "right answer wins",
            emu.wait_for(lambda m: "got it!" in m.text() and "Marco" in m.text()),
            lambda m: True,
        )
        await self.step(
            "final standings",
            emu.wait_for(lambda m: "Final standings" in m.text()),
            lambda m: "Giulia" in m.text() and "Marco" in m.text(),
        )

        self.say("Marco", "/leaderboard show")
        await self.step(
            "leaderboard",
            marco.slash("leaderboard show"),
            lambda i: "Giulia" in i.messages[0].text() and "Marco" in i.messages[0].text(),
        )
        self.say("Giulia", "/fact topic:Ademola Lookman")
        await self.step(
            "fact", giulia.slash("fact", topic="Ademola Lookman"), lambda i: "Lookman" in i.messages[0].text()
        )
        self.say("Giulia", "/onthisday")
        await self.step("on this day", giulia.slash("onthisday"), lambda i: "Dublin" in i.messages[0].text())

        self.say("Sara", "/dailypost set channel:#quiz time:09:00 timezone:Europe/Rome")
        await self.step(
            "daily post set",
            sara.slash("dailypost set", channel=channel, time="09:00", timezone="Europe/Rome"),
            lambda i: "Daily post set" in i.messages[0].text(),
        )
        clock.set(dt.datetime(2025, 5, 23, 7, 1, tzinfo=dt.UTC))
        self.out("⏩ The clock jumps to 23 May, 09:01 in Rome; the scheduler fires the daily job.")
        cog: Any = bot.get_cog("Daily")
        job = cog.scheduler.get_job(f"daily:{guild.id}")
        if job is not None:
            job.modify(next_run_time=dt.datetime.now(dt.UTC))
        await self.step(
            "daily post arrives",
            emu.wait_for(lambda m: "Daily post · 2025-05-23" in m.text()),
            lambda m: m.channel_id == channel.id,
        )


async def run_demo(out: Callable[[str], None] = print) -> int:
    """Run the scripted scene on a throwaway database; 0 if every step passed."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), discord_token=None)
        return await Demo(out).run(settings)
