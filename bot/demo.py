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
from bot.i18n import SOURCE_LANG, translate
from bot.quiz.matcher import AnswerKey, is_person_question
from db.models import Question
from discord_emulator import Emulator, SentMessage
from discord_emulator.payloads import MANAGE_GUILD

# What each step waits for, per language (the bot's own words from the catalog).
EXPECT = {
    "en": {"start": "Quiz time!", "won": "got it!", "final": "Final standings", "set": "Daily post set"},
    "it": {
        "start": "Si gioca!",
        "won": "ha indovinato!",
        "final": "Classifica finale",
        "set": "Post quotidiano",
    },
}
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

    def __init__(self, out: Callable[[str], None] = print, lang: str = SOURCE_LANG) -> None:
        self.out = out
        self.lang = lang
        self.expect = EXPECT[lang]
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
            self.out("  ❌ " + translate(self.lang, "step failed: {name}", name=name))
        return result

    async def run(self, settings: Settings) -> int:
        started = time.monotonic()
        emu = Emulator()
        await emu.start()
        emu.on_new_message = lambda m: self.out(render(m))
        guild = emu.guild("Curva Nord Bergamo", locale="it" if self.lang == "it" else "en-US")
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
            self.out(
                "✅ "
                + translate(
                    self.lang, "Bot connected to the local Discord emulator at {url}", url=emu.api_base
                )
                + "\n"
            )
            await self.scene(emu, bot, guild, channel, clock)
        finally:
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 10)
            await emu.stop()
        took = time.monotonic() - started
        if self.failures:
            failed = translate(
                self.lang,
                "{failed} of {steps} steps failed: {names}",
                failed=len(self.failures),
                steps=self.steps,
                names=", ".join(self.failures),
            )
            self.out("\n❌ " + failed)
            return 1
        done = translate(
            self.lang,
            "All {steps} steps got the expected reply ({seconds} s).",
            steps=self.steps,
            seconds=f"{took:.1f}",
        )
        self.out("\n✅ " + done)
        return 0

    async def scene(
        self, emu: Emulator, bot: CalcioBot, guild: Any, channel: Any, clock: ManualClock
    ) -> None:
        lang, expect = self.lang, self.expect
        fan_locale = "it" if lang == "it" else "en-GB"
        giulia, marco = (
            emu.member(guild, "Giulia", locale=fan_locale),
            emu.member(guild, "Marco", locale=fan_locale),
        )
        sara = emu.member(guild, "Sara (admin)", permissions=MANAGE_GUILD, locale=fan_locale)

        def shown(q: Question) -> tuple[str, str]:
            """The question's text and answer as the server's language shows them."""
            if lang == "it" and q.text_it:
                return q.text_it, q.answer_it or q.answer
            return q.text, q.answer

        async def question(n: int) -> Question:
            title = translate(lang, "Question {position}/{total}", position=n, total=2)
            msg = await emu.wait_for(lambda m: bool(m.embeds) and m.embeds[0].get("title", "") == title)
            text = msg.embeds[0]["description"]
            async with bot.db.sessions() as s:
                rows = (await s.scalars(select(Question))).all()
            import discord

            return next(q for q in rows if discord.utils.escape_markdown(shown(q)[0]) == text)

        self.say("Giulia", "/quiz start questions:2 mode:typed")
        await self.step(
            "quiz starts",
            giulia.slash("quiz start", questions=2, mode="typed"),
            lambda i: expect["start"] in i.messages[0].text(),
        )
        q1 = await question(1)
        text1, answer1 = shown(q1)
        self.say("Marco", "roma")
        await marco.say("roma" if answer1.lower() != "roma" else "lazio")
        aliases = (*q1.aliases, q1.answer) if answer1 != q1.answer else q1.aliases
        key = AnswerKey.build(answer1, aliases, q1.choices, person=is_person_question(text1))
        slip = typo(answer1, key)
        self.say("Giulia", slip)
        await giulia.say(slip)
        await self.step(
            "typo accepted", emu.wait_for(lambda m: expect["won"] in m.text()), lambda m: "Giulia" in m.text()
        )
        q2 = await question(2)
        answer2 = shown(q2)[1]
        self.say("Marco", answer2)
        await marco.say(answer2)
        await self.step(
            "right answer wins",
            emu.wait_for(lambda m: expect["won"] in m.text() and "Marco" in m.text()),
            lambda m: True,
        )
        await self.step(
            "final standings",
            emu.wait_for(lambda m: expect["final"] in m.text()),
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
        await self.step(
            "on this day", giulia.slash("onthisday"), lambda i: "Dublin" in i.messages[0].text()
        )  # Dublino

        self.say("Sara", "/dailypost set channel:#quiz time:09:00 timezone:Europe/Rome")
        await self.step(
            "daily post set",
            sara.slash("dailypost set", channel=channel, time="09:00", timezone="Europe/Rome"),
            lambda i: expect["set"] in i.messages[0].text(),
        )
        clock.set(dt.datetime(2025, 5, 23, 7, 1, tzinfo=dt.UTC))
        self.out(
            "⏩ "
            + translate(lang, "The clock jumps to 23 May, 09:01 in Rome; the scheduler fires the daily job.")
        )
        cog: Any = bot.get_cog("Daily")
        job = cog.scheduler.get_job(f"daily:{guild.id}")
        if job is not None:
            job.modify(next_run_time=dt.datetime.now(dt.UTC))
        post = await self.step(
            "daily post arrives",
            emu.wait_for(lambda m: "Daily post · 2025-05-23" in m.text()),
            lambda m: m.channel_id == channel.id and len(m.buttons()) == 4,
        )
        if post is None or not post.buttons():
            return
        label = post.buttons()[0]["label"]  # the question of the day: Giulia tries the first option

        async def press() -> SentMessage:
            inter = await giulia.click(post, label)
            reply = await emu.wait_for(lambda m: m.interaction_id == inter.id and bool(m.content))
            self.out(render(reply))  # the deferred reply is edited in place, not a new message
            return reply

        self.say("Giulia", f"[ {label} ]")
        await self.step("question of the day answered", press(), lambda m: m.ephemeral)


async def run_demo(out: Callable[[str], None] = print, lang: str = SOURCE_LANG) -> int:
    """Run the scripted scene (in `lang`: the server's and the fans' Discord language) on a throwaway
    database; 0 if every step passed."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), discord_token=None)
        return await Demo(out, lang).run(settings)
