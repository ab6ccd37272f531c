"""Content build and start-up: parsing the match records, generating questions and facts, and opening the
database with 10,000 questions (first start: build and sync; restart: digest unchanged, nothing synced).

Goals (issues 13 and 20): whole generation < 10 s; first start <= 5 s and restart <= 2 s with 10,000
questions. The database part is `open_database` (migrate, digest, build, bulk sync), the work the bot does
before it logs in; `bench/footprint.py` times the whole process to its first answered command."""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from common import args, report

from bot import PROJECT_ROOT
from bot.config import load_settings
from bot.content.generate import build, content_digest
from bot.content.generate.context import Records
from bot.content.generate.facts import generate_facts
from bot.content.generate.questions import generate_questions
from bot.content.loader import load_content
from bot.database import _content, open_database


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def content_with(root: Path, total: int, have: int) -> tuple[Path, int]:
    """A copy of the shipped content (`have` questions) topped up with a plain bank to `total` questions."""
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
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
        (content / "banks" / f"bench-{part // 2000}.yaml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    return content, have + extra


async def start(data: Path, content: Path) -> tuple[float, Any]:
    settings = load_settings(data_dir=data, content_dir=content)
    began = time.perf_counter()
    db, sync = await open_database(settings)
    took = time.perf_counter() - began
    await db.close()
    return took, sync


def main() -> None:
    opts = args(__doc__ or "")
    repeat = 1 if opts.smoke else 3
    shipped = PROJECT_ROOT / "content"
    rows: list[dict[str, Any]] = []
    t, records = timed(lambda: Records.load(shipped), repeat)
    rows.append({"measure": "parse the records", "value": t, "unit": "s", "items": len(records.matches)})
    t, qs = timed(lambda: generate_questions(records), repeat)
    rows.append(
        {"measure": "generate questions", "value": t, "unit": "s", "items": sum(map(len, qs.values()))}
    )
    t, facts = timed(lambda: generate_facts(records), repeat)
    rows.append({"measure": "generate facts", "value": t, "unit": "s", "items": len(facts)})
    t, made = timed(lambda: build(shipped), repeat)
    n = sum(len(b.questions) for b in made.banks) + sum(len(p.facts) for p in made.packs)
    rows.append(
        {"measure": "whole generation, validated", "value": t, "unit": "s", "items": n, "goal": "< 10 s"}
    )
    t, _ = timed(lambda: content_digest(shipped), repeat)
    rows.append({"measure": "content digest (every source file)", "value": t, "unit": "s"})

    total = 200 if opts.smoke else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        hand_written = load_content(shipped, generated=False).banks
        have = sum(len(b.questions) for b in [*hand_written, *made.banks])
        content, questions = content_with(root, total, have)
        for attempt in range(repeat):
            _content.cache_clear()  # a new process: nothing built yet
            data = root / f"data{attempt}"
            first, sync = asyncio.run(start(data, content))
            rows.append(
                {
                    "measure": "first start: migrate, build, sync",
                    "value": first,
                    "unit": "s",
                    "items": sync.added,
                    "questions": questions,
                    "goal": "<= 5 s",
                }
            )
            _content.cache_clear()
            again, sync = asyncio.run(start(data, content))
            rows.append(
                {
                    "measure": "restart: digest unchanged, no sync",
                    "value": again,
                    "unit": "s",
                    "items": int(sync.skipped),
                    "questions": questions,
                    "goal": "<= 2 s",
                }
            )
    report("content_build", rows, {"questions": questions}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
