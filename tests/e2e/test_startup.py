"""Start-up failures: no network retries with backoff in one line each; a bad token and missing
privileged intents each end in one line that says what to do, with their own exit codes."""

from __future__ import annotations

import asyncio
import logging
import socket

import discord
import pytest
from pydantic import SecretStr

from bot.client import CalcioBot
from bot.config import Settings
from bot.startup import EXIT_BAD_TOKEN, EXIT_INTENTS, run_bot
from discord_emulator import Emulator
from tests.conftest import GUILD_READY_TIMEOUT, seed_database

pytestmark = pytest.mark.e2e


def dead_api() -> str:
    """A local address where nothing listens (connection refused, as with no network)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v10"


async def test_no_network_logs_one_line_and_retries_with_backoff(
    settings: Settings, template_db, caplog
) -> None:
    seed_database(settings, template_db)  # the bot that connects opens a synced database, as in `world`
    emu = Emulator()
    await emu.start()
    bases = [dead_api(), dead_api(), dead_api(), emu.api_base]
    delays: list[float] = []
    made: list[CalcioBot] = []
    reached = asyncio.Event()

    def make_bot(s: Settings) -> CalcioBot:
        base = bases.pop(0)
        made.append(
            CalcioBot(
                s.model_copy(update={"discord_api_base": base}), guild_ready_timeout=GUILD_READY_TIMEOUT
            )
        )
        if not bases:
            reached.set()
        return made[-1]

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    async def close_when_ready() -> None:
        await reached.wait()
        await asyncio.wait_for(made[-1].wait_until_ready(), 15)
        await made[-1].close()

    token_settings = settings.model_copy(update={"discord_token": SecretStr(Emulator.TOKEN)})
    try:
        with caplog.at_level(logging.INFO):
            closer = asyncio.create_task(close_when_ready())
            code = await asyncio.wait_for(run_bot(token_settings, make_bot=make_bot, sleep=sleep), 30)
            await closer
    finally:
        await emu.stop()
    assert code == 0
    assert delays == [1.0, 2.0, 4.0]
    retries = [r for r in caplog.records if "Can't reach Discord" in r.getMessage()]
    assert len(retries) == 3 and all(r.exc_info is None and "\n" not in r.getMessage() for r in retries)
    assert "Traceback" not in caplog.text


async def test_invalid_token_is_one_line_with_its_exit_code(settings: Settings, caplog) -> None:
    emu = Emulator()
    await emu.start()
    bad = settings.model_copy(
        update={"discord_token": SecretStr("not-a-token"), "discord_api_base": emu.api_base}
    )
    try:
        with caplog.at_level(logging.INFO):
            code = await asyncio.wait_for(run_bot(bad), 15)
    finally:
        await emu.stop()
    assert code == EXIT_BAD_TOKEN
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "Reset Token" in errors[0].getMessage() and errors[0].exc_info is None
    assert "not-a-token" not in caplog.text


async def test_missing_privileged_intents_is_one_line_with_its_exit_code(settings: Settings, caplog) -> None:
    class NoIntents(CalcioBot):
        async def start(self, token: str, *, reconnect: bool = True) -> None:
            raise discord.PrivilegedIntentsRequired(None)

    s = settings.model_copy(update={"discord_token": SecretStr("x")})
    with caplog.at_level(logging.INFO):
        code = await run_bot(s, make_bot=NoIntents)
    assert code == EXIT_INTENTS and EXIT_INTENTS != EXIT_BAD_TOKEN
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "Privileged Gateway Intents" in errors[0].getMessage()
    assert "Message Content" in errors[0].getMessage() and errors[0].exc_info is None


def test_start_up_log_is_quiet(settings: Settings, capfd) -> None:
    """Migrations and the voice-less client log nothing an operator doesn't need at INFO."""
    from bot.logs import setup_logging

    setup_logging("INFO")
    try:
        asyncio.run(_open_and_make(settings))
        err = capfd.readouterr().err
        assert "alembic" not in err and "voice will NOT be supported" not in err, err
    finally:
        logging.getLogger().handlers.clear()


async def _open_and_make(settings: Settings) -> None:
    from bot.database import open_database

    db, _ = await open_database(settings)
    await db.close()
    bot = CalcioBot(settings)
    await bot.close()
