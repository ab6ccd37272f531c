"""Shared helpers for the benchmark scripts: percentiles, a table, JSON results, a bot on the emulator."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import PROJECT_ROOT
from bot.client import CalcioBot
from bot.clock import ManualClock
from bot.config import Settings
from bot.content.yamlio import dump_yaml
from discord_emulator import Emulator
from discord_emulator.clocks import StoppedClock, use_deadline_clock

RESULTS = Path(__file__).resolve().parent / "results"


def args(
    description: str, extra: Callable[[argparse.ArgumentParser], None] | None = None
) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI: proves the script runs")
    if extra is not None:
        extra(parser)
    opts = parser.parse_args()
    if opts.smoke:  # a smoke run proves the script runs: the machine's load must not trip the 3 s rule
        use_deadline_clock(StoppedClock())
    return opts


def database_url_option(parser: argparse.ArgumentParser) -> None:
    """`--database-url`: also run on this PostgreSQL server, side by side with SQLite."""
    parser.add_argument(
        "--database-url",
        default="",
        metavar="URL",
        help="postgresql+asyncpg://user@host/db: also run on PostgreSQL, beside SQLite (a scratch database "
        "is created there and dropped; the user needs CREATEDB)",
    )


def databases(opts: argparse.Namespace) -> list[str]:
    """The backends to run: "sqlite", then the PostgreSQL URL if one was given."""
    url = getattr(opts, "database_url", "")
    if url and not url.startswith("postgresql"):
        raise SystemExit(f"--database-url must be a postgresql+asyncpg:// URL, not {url.split(':')[0]}")
    return ["sqlite", *([url] if url else [])]


def backend_name(url: str) -> str:
    return "sqlite" if url == "sqlite" or url.startswith("sqlite") else "postgresql"


@contextlib.asynccontextmanager
async def scratch_postgres(url: str) -> AsyncIterator[str]:
    """A new, empty database on the server of `url` for one run; dropped afterwards."""
    import asyncpg
    from sqlalchemy.engine import make_url

    admin_dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"calcio_bench_{os.getpid()}_{int(dt.datetime.now().timestamp() * 1000) % 10**8}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f"CREATE DATABASE {name}")
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": pct(values, 0.95),
        "max": max(values),
    }


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "system": platform.system(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def report(
    name: str, rows: list[dict[str, Any]], extra: dict[str, Any] | None = None, smoke: bool = False
) -> None:
    """Print rows as a table and write them (with the machine) to bench/results/<name>.json."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    widths = {k: max(len(k), *(len(fmt(r.get(k))) for r in rows)) for k in keys}
    print(" | ".join(k.ljust(widths[k]) for k in keys))
    print("-+-".join("-" * widths[k] for k in keys))
    for row in rows:
        print(" | ".join(fmt(row.get(k)).ljust(widths[k]) for k in keys))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}{'-smoke' if smoke else ''}.json"
    out.write_text(
        json.dumps(
            {"benchmark": name, "smoke": smoke, "machine": machine(), "rows": rows, **(extra or {})}, indent=1
        )
    )
    print(f"\nwritten: {out}")


def fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


@contextlib.asynccontextmanager
async def bot_world(
    emu: Emulator | None = None,
    guilds: int = 1,
    channels: int = 1,
    time_scale: float = 1.0,
    content_dir: Path | None = None,
    database_url: str = "",
) -> AsyncIterator[tuple[Emulator, CalcioBot, list[Any]]]:
    """The emulator with `guilds` guilds of `channels` channels each, and the real bot, ready; on a
    temporary SQLite file, or on `database_url`."""
    emu = emu or Emulator()
    await emu.start()
    made = []
    for g in range(guilds):
        guild = emu.guild(f"Guild {g}")
        for c in range(channels):
            emu.channel(guild, f"c{c}")
        made.append(guild)
    with tempfile.TemporaryDirectory() as tmp:
        update: dict[str, Any] = {"data_dir": Path(tmp), "database_url": database_url}
        if content_dir:
            update["content_dir"] = content_dir
        settings = Settings(discord_token=None, **update).model_copy(
            update={"discord_api_base": emu.api_base}
        )
        bot = CalcioBot(
            settings,
            clock=ManualClock(dt.datetime(2025, 5, 22, 10, tzinfo=dt.UTC)),
            time_scale=time_scale,
            guild_ready_timeout=Emulator.GUILD_READY_TIMEOUT,
        )
        task = asyncio.create_task(bot.start(Emulator.TOKEN))
        await asyncio.wait_for(bot.wait_until_ready(), 600)
        try:
            yield emu, bot, made
        finally:
            await bot.close()
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(task, 10)
            await emu.stop()


async def seed_bank(bot: CalcioBot, questions: int) -> None:
    """A generated built-in bank of `questions` questions (ids `bench:q000000`…), in bulk inserts."""
    from sqlalchemy import insert

    from db.models import Question, new_sample_key

    rows = [
        {
            "id": f"bench:q{i:06d}",
            "bank": "bench",
            "guild_id": None,
            "text": f"Bench question {i}?",
            "answer": f"Answer {i}",
            "aliases": [],
            "choices": ["A", "B", "C"],
            "category": ("Serie A", "Europe", "Italy", "Records")[i % 4],
            "difficulty": ("easy", "medium", "hard")[i % 3],
            "source": "bench",
            "active": True,
            "clubs": [],
            "choices_it": [],
            "sample_key": new_sample_key(),
        }
        for i in range(questions)
    ]
    async with bot.db.sessions.begin() as s:
        for chunk in range(0, len(rows), 2000):
            await s.execute(insert(Question), rows[chunk : chunk + 2000])


def content_with(root: Path, total: int, have: int, *, records: bool = True) -> tuple[Path, int]:
    """A copy of the shipped content (`have` questions) topped up with plain banks to `total` questions; the
    folder and the number of questions it holds. Without `records`, the copy leaves the match records out,
    and so the questions and facts generated from them (a smoke run: its start-ups then build in a blink)."""
    content, shipped = root / "content", PROJECT_ROOT / "content"

    def leave_out(folder: str, _: list[str]) -> list[str]:
        return ["records"] if not records and folder == str(shipped) else []

    shutil.copytree(shipped, content, ignore=leave_out)
    extra = max(total - have, 0)
    for part in range(0, extra, 2000):  # bank files are limited to 2 MB each
        bank = {
            "bank": f"bench-{part // 2000}",
            "title": "Bench",
            "questions": [
                {
                    "id": f"q{i}",
                    "question": f"Benchmark question number {i}?",
                    "answer": f"Answer {i}",
                    "choices": [f"W{i}a", f"W{i}b", f"W{i}c"],
                    "category": "Bench",
                    "source": "generated for the benchmark",
                }
                for i in range(part, min(part + 2000, extra))
            ],
        }
        (content / "banks" / f"bench-{part // 2000}.yaml").write_text(dump_yaml(bank), encoding="utf-8")
    return content, have + extra
