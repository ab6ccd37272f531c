"""The `calcio-quiz content …` commands that read the content folder (no database, no Discord)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

from bot.content.records.sources import load_records, record_files


def check_records(content_dir: Path) -> bool:
    """Print every line of the vendored match records that could not be read; True if there is none."""
    files = record_files(content_dir)
    matches, problems = load_records(content_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"Records: {len(files)} files, {len(matches)} matches, {len(problems)} unreadable lines")
    return not problems


def stats(content_dir: Path) -> int:
    """Print the content's counts as JSON: questions by source, category and difficulty; facts; days."""
    from bot.content.loader import load_content

    content = load_content(content_dir)
    by_source: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    by_difficulty: Counter[str] = Counter()
    by_competition: Counter[str] = Counter()
    for bank in content.banks:
        for q in bank.questions:
            by_source[bank.bank] += 1
            by_category[q.category] += 1
            by_difficulty[q.difficulty] += 1
            by_competition[q.competition or "none"] += 1
    facts = [f for p in content.packs for f in p.facts]
    per_day = Counter((f.date.month, f.date.day) for f in facts if f.date)
    report = {
        "questions": sum(by_source.values()),
        "questions_by_source": dict(sorted(by_source.items())),
        "questions_by_category": dict(sorted(by_category.items())),
        "questions_by_difficulty": {d: by_difficulty[d] for d in ("easy", "medium", "hard")},
        "questions_by_competition": dict(sorted(by_competition.items())),
        "questions_italian": sum(1 for b in content.banks for q in b.questions if q.question_it),
        "facts": len(facts),
        "facts_by_source": {p.pack: len(p.facts) for p in content.packs},
        "facts_dated": sum(1 for f in facts if f.date),
        "facts_italian": sum(1 for f in facts if f.text_it),
        "days_covered": len(per_day),
        "days_with_3_or_more": sum(1 for n in per_day.values() if n >= 3),
        "days_without_facts": [
            f"{d.day} {d:%B}"
            for d in (dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366))
            if (d.month, d.day) not in per_day
        ],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def on_this_day(content_dir: Path, day_text: str | None, today: dt.date | None = None) -> int:
    """Print the facts of a calendar day ("9 July"), most important first, with how long ago."""
    from bot.content.loader import load_content
    from bot.errors import UserError
    from bot.facts.ago import years_ago_text
    from bot.facts.selection import FactView, on_this_day, parse_day

    today = today or dt.date.today()
    try:
        day = parse_day(day_text or "", today)
    except UserError as exc:
        print(f"calcio-quiz: {exc}", file=sys.stderr)
        return 2
    content = load_content(content_dir)
    views = [
        FactView(f"{p.pack}:{f.id}", f.text, f.source, tuple(f.tags), f.date.year, f.date.month, f.date.day)
        for p in content.packs
        for f in p.facts
        if f.date
    ]
    hits = on_this_day(views, day)
    print(f"{day.day} {day:%B}: {len(hits)} facts")
    for f in hits:
        assert f.date is not None
        print(f"- {f.date.isoformat()} ({years_ago_text(f.date, today)}): {f.text}")
    return 0
