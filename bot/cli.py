"""The `calcio-quiz` command line: run the bot, migrate, new migrations, content, banks, demo, play."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

from bot.config import ConfigError, Settings, load_settings
from bot.content.formats import FORMATS
from bot.content.loader import ContentError, load_content
from bot.defaults import DEFAULT_MODE, Mode
from bot.i18n import LANGUAGES
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
    db = sub.add_parser("db", help="database migrations for contributors")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply database migrations (same as `migrate`)")
    rev = db_sub.add_parser(
        "revision", help="write a new migration in db/migrations/versions from the models' changes"
    )
    rev.add_argument("-m", "--message", required=True, help="what the migration does, e.g. 'add polls'")
    rev.add_argument("--rev-id", default=None, help="default: the number after the head, e.g. 0004")
    rev.add_argument("--empty", action="store_true", help="an empty migration (no autogenerate)")
    content = sub.add_parser("content", help="check, sync or explore the content folder")
    content.add_argument("action", choices=["check", "sync", "stats", "onthisday"])
    content.add_argument("day", nargs="?", default=None, help='onthisday: a day such as "9 July"')
    bank = sub.add_parser("bank", help="import, validate or export question banks")
    bank_sub = bank.add_subparsers(dest="bank_command", required=True)
    for name in ("import", "validate"):
        cmd = bank_sub.add_parser(name)
        cmd.add_argument("file", type=Path)
        cmd.add_argument("--format", choices=FORMATS, default=None, help="default: detect")
        if name == "import":
            cmd.add_argument(
                "--guild",
                type=int,
                default=None,
                help="a server id; without it the file becomes a built-in bank in content/banks",
            )
            cmd.add_argument("--skip-bad", action="store_true", help="import the valid entries anyway")
    exp = bank_sub.add_parser("export")
    exp.add_argument("--guild", type=int, required=True)
    exp.add_argument("--format", choices=FORMATS, default="yaml")
    exp.add_argument("--out", type=Path, default=None, help="default: standard output")
    web = sub.add_parser("web", help="serve the servers' public leaderboard pages (read-only)")
    web.add_argument("--host", default=None, help="default: WEB_HOST (127.0.0.1)")
    web.add_argument("--port", type=int, default=None, help="default: WEB_PORT (8080)")
    i18n = sub.add_parser("i18n", help="extract marked strings and merge them into locales/*/messages.po")
    i18n.add_argument("action", choices=["update"])
    demo = sub.add_parser("demo", help="the real bot against a local Discord emulator, no token needed")
    play = sub.add_parser("play", help="a quiz in your terminal")
    play.add_argument("--questions", type=int, default=5, choices=range(1, 51), metavar="1-50")
    play.add_argument("--category", default=None)
    play.add_argument("--mode", choices=get_args(Mode), default=DEFAULT_MODE)
    play.add_argument("--seconds", type=int, default=20, choices=range(5, 121), metavar="5-120")
    play.add_argument("--seed", type=int, default=None, help="fix the question order")
    for cmd in (play, demo):
        cmd.add_argument("--lang", choices=sorted(LANGUAGES), default="en", help="the language to play in")
    return parser


async def _run_bot(settings: Settings) -> int:
    from bot.startup import run_bot

    return await run_bot(settings)


async def _migrate(settings: Settings) -> int:
    from bot.database import open_database

    db, _ = await open_database(settings, sync=False)
    await db.close()
    print(f"Database at head: {settings.db_url}")
    return 0


async def _revision(args: argparse.Namespace) -> int:
    from db.engine import make_revision

    path = await make_revision(args.message, rev_id=args.rev_id, autogenerate=not args.empty)
    print(f"Wrote {path}")
    print("Read it and fix what autogenerate cannot know (SQLite batch mode, server defaults).")
    return 0


async def _content(settings: Settings, action: str, day: str | None = None) -> int:
    from bot.content import commands

    if action == "stats":
        return commands.stats(settings.content_dir)
    if action == "onthisday":
        return commands.on_this_day(settings.content_dir, day)
    if action == "check" and not commands.check_records(settings.content_dir):
        return 1
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


async def _bank(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.formats import BankFileError, decode, export, guess_format, parse
    from bot.content.importer import import_bank
    from bot.content.schema import BankFile
    from bot.database import open_database
    from db.queries.banks import bank_writer, entry_of, server_questions

    if args.bank_command == "export":
        db, _ = await open_database(settings)
        try:
            async with db.sessions() as s:
                rows = await server_questions(s, args.guild)
        finally:
            await db.close()
        if not rows:
            print(
                f"calcio-quiz: server {args.guild} has no questions of its own; nothing to export.",
                file=sys.stderr,
            )
            return 1
        text = export([entry_of(q) for q in rows], args.format)
        if args.out:
            args.out.write_text(text, encoding="utf-8")
            print(f"Exported {len(rows)} questions to {args.out}")
        else:
            sys.stdout.write(text)
        return 0
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"calcio-quiz: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    if args.bank_command == "import" and args.guild is not None:
        db, _ = await open_database(settings)
        try:
            write = bank_writer(db.sessions, args.guild)
            report = await import_bank(write, args.file.name, data, fmt=args.format, skip_bad=args.skip_bad)
        finally:
            await db.close()
        print(report.summary())
        return 0 if report.written else 1
    try:
        text = decode(data)
        fmt = args.format or guess_format(args.file.name, text)
        parsed = parse(text, fmt)
    except BankFileError as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    for problem in parsed.problems:
        print(f"{args.file}: {problem}", file=sys.stderr)
    print(f"{args.file}: {len(parsed.entries)} valid, {len(parsed.problems)} rejected ({fmt})")
    if args.bank_command == "validate" or (parsed.problems and not args.skip_bad) or not parsed.entries:
        return 1 if parsed.problems or not parsed.entries else 0
    slug = re.sub(r"[^a-z0-9_-]+", "-", args.file.stem.lower()).strip("-")[:60] or "imported"
    target = settings.content_dir / "banks" / f"{slug}.yaml"
    if target.exists():
        print(f"calcio-quiz: {target} exists; rename the file or remove the old bank first.", file=sys.stderr)
        return 1
    BankFile(bank=slug, title=args.file.stem, questions=parsed.entries)
    target.write_text(export(parsed.entries, "yaml", bank=slug, title=args.file.stem), encoding="utf-8")
    print(f"Wrote built-in bank {target}; it is synced at the next start (or `calcio-quiz content sync`).")
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
        if command == "migrate" or (command == "db" and args.db_command == "upgrade"):
            return asyncio.run(_migrate(settings))
        if command == "db":
            return asyncio.run(_revision(args))
        if command == "content":
            return asyncio.run(_content(settings, args.action, args.day))
        if command == "bank":
            return asyncio.run(_bank(settings, args))
        if command == "web":
            from bot.web.serve import serve

            return asyncio.run(serve(settings, host=args.host, port=args.port))
        if command == "i18n":
            from bot.catalogs import update

            for lang, (entries, missing) in update().items():
                print(f"locales/{lang}: {entries} entries, {missing} to translate")
            return 0
        if command == "demo":
            from bot.demo import run_demo

            setup_logging("ERROR", [settings.token or ""])  # the transcript is the output

            return asyncio.run(run_demo(lang=args.lang))
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
                    lang=args.lang,
                )
            )
    except ContentError as exc:
        print(f"calcio-quiz: content error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 2
