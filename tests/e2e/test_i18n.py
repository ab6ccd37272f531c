"""Languages end to end: the synced commands carry Italian names, and replies follow who reads them."""

from __future__ import annotations

from typing import Any

import pytest

from bot.translator import valid_menu_name, valid_name
from tests.conftest import World

pytestmark = pytest.mark.e2e

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


def _walk(items: list[dict[str, Any]], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every command, group, option and choice in a sync payload, with its path."""
    out: list[tuple[str, dict[str, Any]]] = []
    for item in items:
        here = f"{path} {item['name']}".strip()
        out.append((here, item))
        for choice in item.get("choices") or []:
            out.append((f"{here}={choice['name']}", choice | {"_choice": True}))
        out += _walk(item.get("options") or [], here)
    return out


async def test_synced_commands_carry_italian_names_and_descriptions(world: World) -> None:
    commands = world.emulator.global_commands
    assert commands, "the bot registered no commands"
    names = {c["name"]: c for c in commands}
    assert names["quiz"]["name_localizations"]["it"] == "quiz"
    assert names["leaderboard"]["name_localizations"]["it"] == "classifica"
    start = next(o for o in names["quiz"]["options"] if o["name"] == "start")
    assert start["name_localizations"]["it"] == "inizia"
    assert start["description_localizations"]["it"] == "Inizia un quiz in questo canale"

    missing, invalid = [], []
    menus = [
        c for c in commands if c.get("type", 1) != 1
    ]  # context menus: their own name rule, no description
    assert [m["name"] for m in menus] == ["Contest answer"]
    for menu in menus:
        localized = (menu.get("name_localizations") or {}).get("it")
        if not localized or not valid_menu_name(localized):
            invalid.append(f"{menu['name']} -> {localized!r}")
    for path, item in _walk([c for c in commands if c not in menus]):
        localized = (item.get("name_localizations") or {}).get("it")
        if not localized:
            missing.append(f"{path} (name)")
        elif not item.get("_choice") and not valid_name(localized):
            invalid.append(f"{path} -> {localized!r}")
        if not item.get("_choice"):
            description = (item.get("description_localizations") or {}).get("it")
            if not description:
                missing.append(f"{path} (description)")
            elif not 1 <= len(description) <= 100:
                invalid.append(f"{path} description length {len(description)}")
    assert not missing, f"no Italian for: {missing}"
    assert not invalid, f"names Discord would refuse: {invalid}"
    # Only languages we have catalogs for are sent.
    assert set(names["quiz"]["name_localizations"]) == {"it"}


MANAGE_GUILD = 1 << 5


async def _language(world: World) -> str | None:
    from db.queries.guilds import guild_language

    async with world.bot.db.sessions() as s:
        return await guild_language(s, world.guild.id)


async def test_server_language_needs_manage_server_and_answers_in_the_fans_language(world: World) -> None:
    emu = world.emulator
    english_fan = emu.member(world.guild, "Tom", locale="en-GB")
    italian_fan = emu.member(world.guild, "Giulia", locale="it")
    refused = await english_fan.slash("server language", language="it")
    assert refused.messages[0].ephemeral and "Manage Server" in refused.messages[0].text()
    rifiutato = await italian_fan.slash("server language", language="it")
    assert rifiutato.messages[0].ephemeral
    assert "Per farlo ti serve il permesso **Gestisci server**." in rifiutato.messages[0].text()
    assert await _language(world) is None

    admin = emu.member(world.guild, "Presidente", permissions=MANAGE_GUILD, locale="it")
    done = await admin.slash("server language", language="it")
    assert done.messages[0].ephemeral
    assert done.messages[0].text() == (
        "Fatto: qui domande del quiz, classifiche e post quotidiani saranno in **italiano**."
    )
    assert await _language(world) == "it"
    shown = await emu.member(world.guild, "Mod", permissions=MANAGE_GUILD).slash("server language")
    assert shown.messages[0].text() == "Public messages here are in **Italian**."

    await admin.slash("server language", language="auto")
    assert await _language(world) is None
    auto = await admin.slash("server language")
    assert "**inglese**, la lingua del server su Discord" in auto.messages[0].text()


async def test_an_italian_server_defaults_to_italian(settings, template_db) -> None:
    from discord_emulator import Emulator
    from tests.conftest import seed_database, start_world, stop_world

    seed_database(settings, template_db)

    emu = Emulator()
    await emu.start()
    guild = emu.guild("Curva Sud", locale="it")
    emu.channel(guild, "quiz")
    world, task = await start_world(settings, emulator=emu)
    try:
        admin = emu.member(guild, "Admin", permissions=MANAGE_GUILD)
        shown = await admin.slash("server language")
        assert "**Italian**, the server's Discord language" in shown.messages[0].text()
    finally:
        await stop_world(world, task)


# ----- who reads which language ----------------------------------------------------------------------


async def _italian_question(world: World, msg) -> Any:
    """The database question behind an Italian quiz round on screen."""
    import discord
    from sqlalchemy import select

    from db.models import Question

    text = msg.embeds[0]["description"]
    async with world.bot.db.sessions() as s:
        rows = (await s.scalars(select(Question))).all()
    return next(q for q in rows if q.text_it and discord.utils.escape_markdown(q.text_it) == text)


def _is_round(prefix: str, position: int):
    def pred(m) -> bool:
        return bool(m.embeds) and m.embeds[0].get("title", "").startswith(f"{prefix} {position}/")

    return pred


async def test_a_fan_whose_discord_is_italian_gets_italian_replies(world: World) -> None:
    emu = world.emulator  # an English server
    giulia = emu.member(world.guild, "Giulia", locale="it")
    tom = emu.member(world.guild, "Tom", locale="en-GB")
    bad = await giulia.slash("onthisday", date="dopodomani")
    assert bad.messages[0].ephemeral
    assert "Non riesco a leggere 'dopodomani' come data." in bad.messages[0].text()
    unknown = await giulia.slash("fact", topic="Maradona")
    assert "Non ho ancora curiosità su 'Maradona'." in unknown.messages[0].text()
    stats = await giulia.slash("stats")
    reply = await emu.wait_for(lambda m: m.interaction_id == stats.id and bool(m.embeds))
    fields = [f["name"] for f in reply.embeds[0]["fields"]]
    assert fields[:4] == ["Punti", "Posizione", "Risposte", "Precisione"]

    # The quiz itself is public: in the server's language (English); each fan's own replies in theirs.
    await tom.slash("quiz start", questions=1, mode="buttons", seconds=20)
    msg = await emu.wait_for(_is_round("Question", 1))
    first = msg.buttons()[0]["label"]
    locked = await giulia.click(msg, first)
    assert locked.messages[0].ephemeral and locked.messages[0].text().startswith("🔒 Risposta data: ")
    again = await giulia.click(msg, first)
    assert again.messages[0].text() == "Hai già risposto a questa domanda."
    mine = await tom.click(msg, first)
    assert mine.messages[0].text().startswith("🔒 Locked in: ")
    skipped = await tom.slash("quiz skip")
    assert skipped.messages[0].text() == "⏭️ Skipping…"
    await emu.wait_for(lambda m: "Final standings" in m.text())


async def test_an_italian_server_gets_italian_rounds_reveals_and_daily_posts(world: World) -> None:
    import datetime as dt

    emu = world.emulator
    admin = emu.member(world.guild, "Presidente", permissions=MANAGE_GUILD, locale="it")
    await admin.slash("server language", language="it")
    marco = emu.member(world.guild, "Marco", locale="it")
    tom = emu.member(world.guild, "Tom", locale="en-US")  # an English fan in the Italian server

    start = await tom.slash("quiz start", questions=2, mode="typed", seconds=60)
    assert start.messages[0].text() == (
        "🏁 **Si gioca!** 2 domande, risposte scritte, 60 s a domanda. Ha iniziato Tom."
    )
    q1 = await emu.wait_for(_is_round("Domanda", 1))
    embed = q1.embeds[0]
    assert [f["name"] for f in embed["fields"]] == ["Categoria", "Difficoltà", "Tempo"]
    assert embed["footer"]["text"] == "Scrivi la risposta nel canale: vince la prima risposta esatta."
    question = await _italian_question(world, q1)
    italian = question.answer_it or question.answer
    await marco.say(italian)  # answered in Italian
    won = await emu.wait_for(lambda m: "ha indovinato!" in m.text())
    assert "**Marco** ha indovinato! La risposta esatta era" in won.text() and italian in won.text()

    q2 = await emu.wait_for(_is_round("Domanda", 2))
    question2 = await _italian_question(world, q2)
    await tom.say(question2.answer)  # answered in English: it counts too
    await emu.wait_for(lambda m: "**Tom** ha indovinato!" in m.text())
    final = await emu.wait_for(lambda m: "Classifica finale" in m.text())
    assert "Marco" in final.text() and "punti" in final.text()

    # The English fan's own errors stay English; the Italian fan's are Italian.
    refused = await tom.slash("quiz stop")
    assert refused.messages[0].ephemeral and refused.messages[0].text() == (
        "There's no quiz running in this channel."
    )
    rifiutato = await marco.slash("quiz stop")
    assert rifiutato.messages[0].text() == "Non c'è nessun quiz in corso in questo canale."
    board = await tom.slash("leaderboard show")
    assert board.messages[0].embeds[0]["title"] == "🏆 Classifica — tutti i tempi"

    # The daily post: Italian headline, Italian fact text, Italian dates.
    world.clock.set(dt.datetime(2025, 5, 22, 6, 0, tzinfo=dt.UTC))  # 08:00 in Rome
    set_reply = await admin.slash("dailypost set", channel=world.channel, time="09:00")
    assert set_reply.messages[0].text().startswith("✅ Post quotidiano impostato:")
    world.clock.advance(hours=1, minutes=1)
    cog: Any = world.bot.get_cog("Daily")
    await cog.check_guild(world.guild.id)
    post = await emu.wait_for(lambda m: "Daily post · 2025-05-22" in m.text())
    text = post.text()
    assert post.content == "📅 **Accadde oggi, 22 maggio**"
    assert "22 maggio 2024" in text and "tripletta di Ademola Lookman" in text
    assert "Fonte" in text and "On this day" not in text
