"""Imported once by the server that forks the benchmark smokes (tests/bench_forkserver.py), never by the
suite itself: the imports every script pays, and the shipped content built once (bot.database caches it
per process, so a bot started in a child finds it). matplotlib is left out: bench/charts.py times its
first import."""

from __future__ import annotations

import aiosqlite  # noqa: F401
import sqlalchemy.ext.asyncio  # noqa: F401
import yaml  # noqa: F401

import bot.client
import discord_emulator  # noqa: F401
import tests.bench_forkserver  # noqa: F401 - the children's entry point
from bot import PROJECT_ROOT
from bot.content.generate import content_digest
from bot.database import _content

for _extension in bot.client.EXTENSIONS:  # the cogs' imports (discord.py runs each cog's module afresh)
    __import__(_extension)

_content((PROJECT_ROOT / "content").resolve(), content_digest(PROJECT_ROOT / "content"))
