"""The `calcio-quiz content …` commands that read the content folder (no database, no Discord)."""

from __future__ import annotations

import sys
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
