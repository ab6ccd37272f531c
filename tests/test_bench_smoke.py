"""Every benchmark script runs in its tiny smoke size, so none can rot (figures are never asserted).

Each runs in its own process, forked from a server that has the imports done (tests/warm_process.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import PROJECT_ROOT
from tests.backend import IN_CI, suite_on_postgres
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


# Scripts that take `--database-url`: their smoke runs on PostgreSQL too, beside SQLite, in the same run.
BESIDE_POSTGRESQL = {"leaderboard_scale", "busy_quiz", "write_path", "content_build"}


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_smoke(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    output = tmp_path / "output.txt"
    beside = beside_postgresql(name, request)
    args = ["--smoke", *(["--database-url", request.getfixturevalue("postgres_url")] if beside else [])]
    assert run_script(f"{name}.py", args, output, timeout=300) == 0, output.read_text()[-3000:]
    result = json.loads((PROJECT_ROOT / "bench" / "results" / f"{name}-smoke.json").read_text())
    assert result["smoke"] is True and result["rows"]
    if beside:  # rows that do not depend on the database (content_build's parse and generation) name none
        assert {row["database"] for row in result["rows"] if "database" in row} == {"sqlite", "postgresql"}


def beside_postgresql(name: str, request: pytest.FixtureRequest) -> bool:
    """Whether `name` runs on PostgreSQL too: it takes `--database-url` and a server is at hand. CI's SQLite
    pass leaves PostgreSQL to its PostgreSQL pass; CI without a server fails (the postgres_url fixture)."""
    if name not in BESIDE_POSTGRESQL or (IN_CI and not suite_on_postgres()):
        return False
    return IN_CI or not isinstance(request.getfixturevalue("postgres_databases"), str)
