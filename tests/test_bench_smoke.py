"""Every benchmark script runs in its tiny smoke size, so none can rot (figures are never asserted).

Each runs in its own process, forked from a server that has the imports done (tests/warm_process.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from tests.backend import postgres_pass_in_ci
from tests.warm_process import run_script

SCRIPTS = [
    "message_path",
    "interaction_latency",
    "leaderboard_scale",
    "dailypost_fanout",
    "busy_quiz",
    "footprint",
    "import_latency",
    "web_page",
    "charts",
    "bank_export",
    "content_build",
    "quiz_pick",
    "write_path",
    "matcher_speed",
    "var_refused",
    "qotd_presses",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_smoke(name: str, tmp_path: Path) -> None:
    output = tmp_path / "output.txt"
    assert run_script(f"{name}.py", ["--smoke"], output, timeout=300) == 0, output.read_text()[-3000:]
    result = json.loads((PROJECT_ROOT / "bench" / "results" / f"{name}-smoke.json").read_text())
    assert result["smoke"] is True and result["rows"]


@pytest.mark.slow
@postgres_pass_in_ci
@pytest.mark.parametrize("name", ["leaderboard_scale", "busy_quiz", "write_path", "content_build"])
def test_benchmark_smoke_beside_postgresql(name: str, postgres_url: str, tmp_path: Path) -> None:
    """`--database-url` runs the same figures on PostgreSQL in the same run, beside SQLite."""
    output = tmp_path / "output.txt"
    args = ["--smoke", "--database-url", postgres_url]
    assert run_script(f"{name}.py", args, output, timeout=300) == 0, output.read_text()[-3000:]
    result = json.loads((PROJECT_ROOT / "bench" / "results" / f"{name}-smoke.json").read_text())
    # rows that do not depend on the database (content_build's parse and generation) name none
    assert {row["database"] for row in result["rows"] if "database" in row} == {"sqlite", "postgresql"}
