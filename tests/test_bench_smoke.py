"""Every benchmark script runs in its tiny smoke size, so none can rot (figures are never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot import PROJECT_ROOT

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
]


@pytest.mark.slow
@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_smoke(name: str) -> None:
    done = subprocess.run(
        [sys.executable, f"{name}.py", "--smoke"],
        cwd=PROJECT_ROOT / "bench",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((PROJECT_ROOT / "bench" / "results" / f"{name}-smoke.json").read_text())
    assert result["smoke"] is True and result["rows"]
