"""The `calcio-quiz` command line: run the bot, migrate, check and sync content, demo, play."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings
from bot.content.loader import ContentError, load_content
from bot.logs import setup_logging

SETUP_HELP = """\
Calcio Quiz needs a Discord bot token to connect to Discord.

  * Put DISCORD_TOKEN=... in a .env file (see .env.example and the README), then run `calcio-quiz run`.
  * No token yet? Try `calcio-quiz demo` (the real bot against a local Discord emulator)
    or `calcio-quiz play` (a quiz in your terminal).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="calcio-quiz", description="Calcio Quiz, a Discord trivia bot.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (needs DISCORD_TOKEN)")
    sub.add_parser("migrate", help="apply database migrations")
    content = sub.add_parser("content", help="check or sync the content folder")
    content.add_argument("action", choices=["check", "sync"])
    sub.add_parser("demo", help="the real bot against a local Discord emulator, no token needed")
    play = sub.add_parser("play", help="a quiz in your terminal")
    play.add_argument("--questions", type=int, default=5, choices=range(1, 51), metavar="1-50")
    play.add_argument("--category", default=None)
    play.add_argument("--mode", choices=["typed", "buttons"], default="typed")
    play.add_argument("--seconds", type=int, default=20, choices=range(5, 121), metavar="5-120")
    play.add_argument("--seed", type=int, default=None, help="fix the question order")
    return parser


async def _run_bot(settings: Settings) -> int:
    from bot.client import CalcioBot

    assert settings.token is not None
    async with CalcioBot(settings) as bot:
        await bot.start(settings.token)
    return 0


async def _migrate(settings: Settings) -> int:
    from bot.database import open_database

    db, _ = await open_database(settings, sync=False)
    await db.close()
    print(f"Database at head: {settings.db_url}")
    return 0


async def _content(settings: Settings, action: str) -> int:
    content = load_content(settings.content_dir)
    questions = sum(len(b.questions) for b in content.banks)
    facts = sum(len(p.facts) for p in content.packs)
    print(f"OK: {len(content.banks)} banks, {questions} questions; {len(content.packs)} packs, {facts} facts")
    if action == "sync":
        from bot.database import open_database

        db, report = await open_database(settings)
        await db.close()
        assert report is not None
        print(
            f"Synced: {report.added} added, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.deactivated} deactivated"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `calcio-quiz` console script."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"calcio-quiz: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, [settings.token or ""])
    command = args.command
    try:
        if command in (None, "run"):
            if settings.token is None:
                print(SETUP_HELP, file=sys.stderr if command else sys.stdout)
                return 2 if command else 0
            return asyncio.run(_run_bot(settings))
        if command == "migrate":
            return asyncio.run(_migrate(settings))
        if command == "content":
            return asyncio.run(_content(settings, args.action))
        if command == "demo":
            from bot.demo import run_demo

            setup_logging("ERROR", [settings.token or ""])  # the transcript is the output

            return asyncio.run(run_demo())
        if command == "play":
            from bot.terminal import run_play

            return asyncio.run(
                run_play(
                    settings.content_dir,
                    count=args.questions,
                    category=args.category,
                    mode=args.mode,
                    seconds=args.seconds,
                    seed=args.seed,
                )
            )
    except ContentError as exc:
        print(f"calcio-quiz: content error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 2
