"""Figure 8: the Discord charts rendered to PNG (matplotlib, Agg) as the bot does it: in a worker
thread, one at a time. A typical fan's /stats chart (a season of weeks, five categories) and the
top 10's season race for /leaderboard show chart:true. The first render (imports, fonts) is shown apart."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable

from common import args, report, summary

_started = time.perf_counter()
from bot import charts  # imports matplotlib: the bot pays this once per process

IMPORT_MS = (time.perf_counter() - _started) * 1000

GOAL_MS = 200.0
START = dt.date(2024, 7, 1)
TODAY = dt.date(2025, 5, 22)
CATEGORIES = ["Players", "History", "Europa League 2024", "Gasperini", "Club & stadium"]


def typical_fan(rng: random.Random) -> tuple[list[tuple[dt.date, int]], list[tuple[str, int]]]:
    weeks = [(START + dt.timedelta(weeks=i), rng.choice([0, 0, 20, 40, 60, 90])) for i in range(47)]
    cats = sorted(((c, rng.randrange(0, 40)) for c in CATEGORIES), key=lambda c: -c[1])
    return weeks, cats


def top_ten(rng: random.Random) -> list[tuple[str, list[tuple[dt.date, int]]]]:
    days = (TODAY - START).days
    return [
        (
            f"Tifoso {i:02d}",
            sorted(
                {
                    START + dt.timedelta(days=rng.randrange(days)): rng.randrange(10, 200) for _ in range(120)
                }.items()
            ),
        )
        for i in range(10)
    ]


def timed(make: Callable[[], charts.Chart]) -> tuple[charts.Chart, float]:
    """Render, and the CPU time this thread spent on it (what the render costs, whatever else runs)."""
    t = time.thread_time()
    chart = make()
    return chart, (time.thread_time() - t) * 1000


async def run(repeat: int) -> list[dict[str, object]]:
    rng = random.Random(3)
    rows: list[dict[str, object]] = [
        {"what": "import matplotlib, once per process", "n": 1, "median": IMPORT_MS}
    ]
    for label, make in (
        ("/stats chart, typical fan", lambda: charts.fan_chart("Tifoso", *typical_fan(rng))),
        ("/leaderboard chart, top 10 race", lambda: charts.race_chart(top_ten(rng), START, TODAY)),
    ):
        times, cpu, size = [], [], 0
        for i in range(repeat + 1):
            t = time.perf_counter()
            chart, used = await asyncio.to_thread(timed, make)
            ms = (time.perf_counter() - t) * 1000
            size = len(chart.png)
            if i == 0:
                rows.append(
                    {"what": f"{label} (first)", "n": 1, "median": ms, "cpu_median": used, "bytes": size}
                )
            else:
                times.append(ms)
                cpu.append(used)
        rows.append(
            {
                "what": label,
                **summary(times),
                "cpu_median": statistics.median(cpu),
                "goal_ms": GOAL_MS,
                "bytes": size,
            }
        )
    return rows


def main() -> None:
    opts = args(__doc__ or "")
    rows = asyncio.run(run(3 if opts.smoke else 30))
    print("milliseconds (wall clock, and CPU time of the rendering thread), PNG size in bytes\n")
    report("charts", rows, smoke=opts.smoke)


if __name__ == "__main__":
    main()
