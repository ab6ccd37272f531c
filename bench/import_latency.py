"""Figure 7: /fact latency (INTERACTION_CREATE → callback) while another member's 2 MB /bank import
runs (a full server bank: 2,000 questions, added, then updated twice), against the same bot when idle.
Parsing and row building run in a thread, so the median should stay < 100 ms."""

from __future__ import annotations

import asyncio
import time

from common import args, bot_world, report, summary

from bot.content.formats import MAX_FILE_BYTES
from db.queries.banks import MAX_SERVER_QUESTIONS
from discord_emulator.payloads import MANAGE_GUILD


def big_csv(rows: int, limit: int = MAX_FILE_BYTES, round_: int = 0) -> bytes:
    """A valid CSV bank of `rows` long questions (ids q0…), just under `limit` bytes; each `round_`
    changes every answer, so importing it again updates every question."""
    head = "id,question,answer,aliases,choices,category,source\n"
    width = (limit - len(head)) // rows
    lines = []
    for i in range(rows):
        question = f"Question {i} {'about Atalanta in Europe ' * 12}"[:290] + "?"
        wrong = f"Wrong {i}a|Wrong {i}b|Wrong {i}c"
        start = f"q{i},{question},Answer {i}.{round_},Alias {i}|Other {i},{wrong},Cat {i % 40},"
        lines.append(start + ("Bench source " * 90)[: max(10, width - len(start) - 2)].strip())
    data = (head + "\n".join(lines) + "\n").encode()
    while len(data) > limit:
        lines.pop()
        data = (head + "\n".join(lines) + "\n").encode()
    return data


async def fact_times(fan, until: asyncio.Event | None, n: int) -> list[float]:
    times: list[float] = []
    while (until is None and len(times) < n) or (until is not None and not until.is_set()):
        inter = await fan.slash("fact")
        times.append((inter.callback_at - inter.sent_at) * 1000)
        await asyncio.sleep(0.02)
    return times


async def run(rows: int, imports: int, idle_n: int) -> tuple[list[dict[str, object]], int]:
    out = []
    async with bot_world() as (emu, _bot, guilds):
        guild = guilds[0]
        fan = emu.member(guild, "Fan")
        admin = emu.member(guild, "Admin", permissions=MANAGE_GUILD)
        for _ in range(3):  # warm-up
            await fan.slash("fact")
        idle = await fact_times(fan, None, idle_n)
        busy: list[float] = []
        import_s: list[float] = []
        results: list[str] = []
        for k in range(imports):
            done = asyncio.Event()
            body = big_csv(rows, round_=k)

            async def one(body: bytes = body, done: asyncio.Event = done) -> None:
                start = time.perf_counter()
                inter = await admin.slash("bank import", file=("big.csv", body))
                shown = await emu.wait_for(
                    lambda m: m.interaction_id == inter.id and "import" in m.text().lower(), timeout=600
                )
                import_s.append(time.perf_counter() - start)
                results.append(shown.text().split("(csv)")[0].strip()[-60:])
                done.set()

            task = asyncio.create_task(one())
            busy += await fact_times(fan, done, 0)
            await task
        for case, times in (("/fact, idle", idle), ("/fact, during import", busy)):
            slow = sum(t > 100 for t in times)
            out.append({"case": case, **summary(times), "over_100ms": slow, "goal_median_ms": 100.0})
        out.append({"case": "import (s)", **summary(import_s)})
        print("imports:", *results, sep="\n  ")
    return out, len(big_csv(rows))


def main() -> None:
    opts = args(__doc__ or "")
    rows, imports, idle_n = (50, 1, 5) if opts.smoke else (MAX_SERVER_QUESTIONS, 3, 50)
    table, size = asyncio.run(run(rows, imports, idle_n))
    print(f"{imports} imports of a {size / 1e6:.2f} MB CSV ({rows} questions); /fact in milliseconds\n")
    report("import_latency", table, {"file_bytes": size, "questions": rows}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
