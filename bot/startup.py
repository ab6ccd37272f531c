"""Run the bot until it is closed: wait out network trouble, stop with one clear line on what only
the operator can fix (the token, the privileged intents), each with its own exit code."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable

import aiohttp
import discord

from bot.client import CalcioBot
from bot.config import Settings

log = logging.getLogger(__name__)

EXIT_BAD_TOKEN = 3
EXIT_INTENTS = 4
PORTAL = "https://discord.com/developers/applications"
BAD_TOKEN = (
    f"Discord refused the token (401). In the developer portal ({PORTAL}) open your application → Bot → "
    "Reset Token, and put the new token in DISCORD_TOKEN."
)
NO_INTENTS = (
    f"Discord refused the privileged intents. In the developer portal ({PORTAL}) open your application → "
    "Bot → Privileged Gateway Intents, turn on Message Content and Server Members, save, and start again."
)
# Failures that mean "Discord can't be reached right now": DNS, refused or dropped connections, 5xx.
UNREACHABLE: tuple[type[BaseException], ...] = (
    aiohttp.ClientError,
    socket.gaierror,
    ConnectionError,
    TimeoutError,
    discord.GatewayNotFound,
    discord.DiscordServerError,
)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


async def run_bot(
    settings: Settings,
    *,
    make_bot: Callable[[Settings], CalcioBot] = CalcioBot,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    first_delay: float = 1.0,
    max_delay: float = 300.0,
) -> int:
    """Start a fresh bot until it runs; back off (doubling up to `max_delay`) while Discord is
    unreachable. Returns 0 when the bot closes, or EXIT_BAD_TOKEN / EXIT_INTENTS."""
    assert settings.token is not None
    delay = first_delay
    while True:
        try:
            async with make_bot(settings) as bot:
                await bot.start(settings.token)
            return 0
        except discord.LoginFailure:
            log.error(BAD_TOKEN)
            return EXIT_BAD_TOKEN
        except discord.PrivilegedIntentsRequired:
            log.error(NO_INTENTS)
            return EXIT_INTENTS
        except UNREACHABLE as exc:
            log.warning("Can't reach Discord (%s); retrying in %.0f s", _reason(exc), delay)
        await sleep(delay)
        delay = min(delay * 2, max_delay)
