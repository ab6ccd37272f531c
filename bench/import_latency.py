"""Figure 7: /fact latency (INTERACTION_CREATE → callback) while another member's 2 MB /bank import
runs, against the same bot when idle. Parsing runs in a thread, so the median should stay < 100 ms."""

from __future__ import annotations

import asyncio
import time

from common import args, bot_world, report, summary

from bot.content.formats import MAX_FILE_BYTES, MAX_QUESTIONS
from discord_emulator.payloads import MANAGE_GUILD


def big_csv(rows: int, limit: int = MAX_FILE_BYTES) -> bytes:
    """A valid CSV bank of `rows` long questions, just under `limit` bytes."""
    head = "question,answer,aliases,choices,category,source\n"
    width = max(60, (limit - len(head)) // rows - 120)
    lines = [
        f"Question {i} {'about Atalanta in Europe ' * (width // 25)}?"[:290]
        + f",Answer {i},Alias {i}|Other {i},Wrong {i}a|Wrong {i}b|Wrong {i}c,Cat {i % 40},Bench source {i}"
        for i in range(rows)
    ]
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
    data = big_csv(rows)
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
        for k in range(imports):
            done = asyncio.Event()
            body = data.replace(b"Question ", f"Round {k} question ".encode()) if k else data

            async def one(body: bytes = body, done: asyncio.Event = done) -> None:
                start = time.perf_counter()
                inter = await admin.slash("bank import", file=("big.csv", body))
                await emu.wait_for(
                    lambda m: m.interaction_id == inter.id and "import" in m.text().lower(), timeout=600
                )
                import_s.append(time.perf_counter() - start)
                done.set()

            task = asyncio.create_task(one())
            busy += await fact_times(fan, done, 0)
            await task
        for case, times in (("/fact, idle", idle), ("/fact, during import", busy)):
            slow = sum(t > 100 for t in times)
            out.append({"case": case, **summary(times), "over_100ms": slow, "goal_median_ms": 100.0})
        out.append({"case": "import (s)", **summary(import_s)})
    return out, len(data)


def main() -> None:
    opts = args(__doc__ or "")
    rows, imports, idle_n = (50, 1, 5) if opts.smoke else (MAX_QUESTIONS, 3, 50)
    table, size = asyncio.run(run(rows, imports, idle_n))
    print(f"{imports} imports of a {size / 1e6:.2f} MB CSV ({rows} questions); /fact in milliseconds\n")
    report("import_latency", table, {"file_bytes": size, "questions": rows}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
