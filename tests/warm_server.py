"""Imported once by the server that forks the commands of tests/warm_process.py, never by the suite
itself: the imports every command pays, and the shipped content built once (bot.content.loader caches it
per process, so a bot, `play` or `demo` started in a child finds it). No event loop is started and logging
is left unconfigured: the children set up their own. matplotlib is left out: bench/charts.py times its
first import."""

from __future__ import annotations

import contextlib
import gc

import aiosqlite  # noqa: F401
import sqlalchemy.dialects.postgresql.asyncpg
import sqlalchemy.ext.asyncio  # noqa: F401
import yaml  # noqa: F401

import bot.cli
import bot.client
import bot.demo
import bot.startup
import bot.terminal
import bot.web.serve
import discord_emulator  # noqa: F401
import tests.warm_process  # noqa: F401 - the children's entry point
from bot import PROJECT_ROOT
from bot.content.generate import content_digest
from bot.content.loader import cached_content

with contextlib.suppress(ImportError):  # the postgres extra: `pip install -e '.[dev]'` runs without it
    import asyncpg  # noqa: F401

for _extension in bot.client.EXTENSIONS:  # the cogs' imports (discord.py runs each cog's module afresh)
    __import__(_extension)

cached_content((PROJECT_ROOT / "content").resolve(), content_digest(PROJECT_ROOT / "content"))

# Everything built so far stays put: a child's collections skip it instead of walking (and copying) the
# server's pages; a demo child used 1.4 s of CPU instead of 1.95 s.
gc.freeze()
