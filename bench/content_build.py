"""Content build and start-up: parsing the match records, generating questions and facts, and opening the
database with 10,000 questions (first start: build and sync; restart: digest unchanged, nothing synced).

Goals (issues 13 and 20): whole generation < 10 s; first start <= 5 s and restart <= 2 s with 10,000
questions. The database part is `open_database` (migrate, digest, build, bulk sync), the work the bot does
before it logs in; `bench/footprint.py` times the whole process to its first answered command. Each row
has its wall time (`value`) and the CPU time of this process over it, all threads (`cpu`): on a loaded
machine the wall time grows, the CPU time much less. `items` counts the rows the start-up wrote.
`--database-url postgresql+asyncpg://…` times the start-ups on PostgreSQL too (a scratch database)."""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from common import args, backend_name, content_with, database_url_option, databases, report, scratch_postgres

from bot import PROJECT_ROOT
from bot.config import load_settings
from bot.content.generate import build, content_digest
from bot.content.generate.context import Records
from bot.content.generate.facts import generate_facts
from bot.content.generate.questions import generate_questions
from bot.content.loader import cached_content, load_content
from bot.content.yamlio import dump_yaml
from bot.database import open_database


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median wall and CPU seconds of `fn` over `repeat` runs, and its last result."""
    times, cpus, result = [], [], None
    for _ in range(repeat):
        cpu, start = time.process_time(), time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(times), statistics.median(cpus), result


def edit_one_question(content: Path, n: int) -> None:
    """Change one answer in the first bank file (a maintainer's edit): that file's question re-syncs."""
    path = sorted((content / "banks").glob("*.yaml"))[0]
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    bank["questions"][0]["answer"] = f"{bank['questions'][0]['answer']} {n}"
    path.write_text(dump_yaml(bank, sort_keys=False, allow_unicode=True), encoding="utf-8")


async def start(data: Path, content: Path, url: str) -> tuple[float, float, Any]:
    """Wall and CPU seconds (every thread of this process) of `open_database`, and its sync report."""
    cached_content.cache_clear()  # as in a new process: nothing built yet
    settings = load_settings(data_dir=data, content_dir=content, database_url=url)
    cpu, began = time.process_time(), time.perf_counter()
    db, sync = await open_database(settings)
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    await db.close()
    return took, cpu, sync


async def starts(data: Path, content: Path, database: str, attempt: int) -> list[dict[str, Any]]:
    """A first start on an empty database, a restart, and a restart after one bank file was edited."""
    if database != "sqlite":
        async with scratch_postgres(database) as url:
            return await starts_on(data, content, url, attempt)
    return await starts_on(data, content, "", attempt)


async def starts_on(data: Path, content: Path, url: str, attempt: int) -> list[dict[str, Any]]:
    on = backend_name(url or "sqlite")
    rows = []
    for measure, goal in (
        ("first start: migrate, build, sync", "<= 5 s"),
        ("restart: digest unchanged, no sync", "<= 2 s"),
        ("restart, one bank file edited: build, sync", None),
    ):
        if goal is None:
            edit_one_question(content, attempt)
        t, c, sync = await start(data, content, url)
        rows.append({"measure": measure, "database": on, "value": t, "cpu": c})
        rows[-1].update(items=sync.added + sync.updated, goal=goal)
    return rows


def main() -> None:
    opts = args(__doc__ or "", database_url_option)
    repeat = 1 if opts.smoke else 3
    shipped = PROJECT_ROOT / "content"
    rows: list[dict[str, Any]] = []

    def row(measure: str, wall: float, cpu: float, **more: Any) -> None:
        rows.append({"measure": measure, "value": wall, "cpu": cpu, "unit": "s", **more})

    t, c, records = timed(lambda: Records.load(shipped), repeat)
    row("parse the records", t, c, items=len(records.matches))
    t, c, qs = timed(lambda: generate_questions(records), repeat)
    row("generate questions", t, c, items=sum(map(len, qs.values())))
    t, c, facts = timed(lambda: generate_facts(records), repeat)
    row("generate facts", t, c, items=len(facts))
    t, c, made = timed(lambda: build(shipped), repeat)
    n = sum(len(b.questions) for b in made.banks) + sum(len(p.facts) for p in made.packs)
    row("whole generation, validated", t, c, items=n, goal="< 10 s")
    t, c, _ = timed(lambda: content_digest(shipped), repeat)
    row("content digest (every source file)", t, c)

    total = 200 if opts.smoke else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        hand_written = load_content(shipped, generated=False).banks
        generated = [] if opts.smoke else made.banks  # a smoke's start-ups leave the records out
        have = sum(len(b.questions) for b in [*hand_written, *generated])
        content, questions = content_with(root, total, have, records=not opts.smoke)
        for database in databases(opts):
            for attempt in range(repeat):
                data = root / f"data-{backend_name(database)}-{attempt}"
                for made_row in asyncio.run(starts(data, content, database, attempt)):
                    rows.append({**made_row, "unit": "s", "questions": questions})
    load = os.getloadavg()[0]
    report("content_build", rows, {"questions": questions, "load_1min": load}, smoke=opts.smoke)
    print(f"load average (1 min) at the end: {load:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
