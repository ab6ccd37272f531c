"""Figure 6: footprint. Resident memory of the bot process with 1,000 servers in its cache and 100
running quizzes; start-up time to ready with 10,000 questions to sync (first start and restart): the shipped
content topped up with plain banks to 10,000 questions in all, as `content_build.py` does (it used to add
10,000 to the shipped ones, about 15,600 in all)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from common import args, content_with, report

from bot import PROJECT_ROOT
from bot.content.loader import load_content
from discord_emulator import Emulator


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def shipped_questions(generated: bool = True) -> int:
    """How many questions the shipped content holds (hand-written banks, and by default generated ones)."""
    return sum(len(b.questions) for b in load_content(PROJECT_ROOT / "content", generated=generated).banks)


async def start_bot(emu: Emulator, work: Path, content: Path) -> tuple[asyncio.subprocess.Process, float]:
    env = {
        **os.environ,
        "DISCORD_TOKEN": Emulator.TOKEN,
        "DISCORD_API_BASE": emu.api_base,
        "DATA_DIR": str(work / "data"),
        "CONTENT_DIR": str(content),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": "",
    }
    guild = next(iter(emu.guilds.values()))
    probe = emu.member(guild, "Probe")
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=work,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=(work / "bot.log").open("ab"),
    )
    before = emu.identifies
    deadline = start + 300
    while emu.identifies == before:
        if proc.returncode is not None or time.perf_counter() > deadline:
            raise RuntimeError(f"the bot did not start (exit {proc.returncode}); see {work / 'bot.log'}")
        await asyncio.sleep(0.02)
    while True:  # ready: a slash command is answered
        try:
            await asyncio.wait_for(probe.slash("fact"), 2)
            break
        except (TimeoutError, LookupError):
            if proc.returncode is not None or time.perf_counter() > deadline:
                raise RuntimeError(f"the bot never answered (exit {proc.returncode})") from None
            await asyncio.sleep(0.05)
    return proc, time.perf_counter() - start


async def run(servers: int, quizzes: int, total: int, records: bool) -> tuple[list[dict[str, object]], int]:
    """The rows, and how many questions the bot synced (the shipped ones topped up to `total`; without the
    questions generated from the match records unless `records`)."""
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        content, questions = content_with(work, total, shipped_questions(records), records=records)
        emu = Emulator()
        await emu.start()
        guilds = [emu.guild(f"Server {i}") for i in range(servers)]
        for g in guilds:
            for c in range(2):
                emu.channel(g, f"c{c}")
        for label in ("first start (sync bank)", "restart (bank in db)"):
            proc, took = await start_bot(emu, work, content)
            rows.append(
                {"measure": f"start-up to ready, {label}", "value": took, "unit": "s", "questions": questions}
            )
            if label.startswith("restart"):
                rows.append(
                    {
                        "measure": f"resident memory, {servers} servers cached",
                        "value": rss_mb(proc.pid),
                        "unit": "MiB",
                    }
                )
                fan = emu.member(guilds[0], "Quizzer")
                targets = [ch for g in guilds for ch in g.channels.values()][:quizzes]
                for ch in targets:
                    fan.guild = emu.guilds[ch.guild_id]
                    fan.member = emu.member(fan.guild, "Q").member
                    await fan.slash("quiz start", questions=10, seconds=120, in_channel=ch)
                await asyncio.sleep(1.0)
                rows.append(
                    {
                        "measure": f"resident memory, {servers} servers + {quizzes} running quizzes",
                        "value": rss_mb(proc.pid),
                        "unit": "MiB",
                    }
                )
            proc.kill()
            await proc.wait()
        await emu.stop()
    return rows, questions


def main() -> None:
    opts = args(__doc__ or "")
    servers, quizzes, questions = (20, 5, 200) if opts.smoke else (1000, 100, 10_000)
    rows, questions = asyncio.run(run(servers, quizzes, questions, records=not opts.smoke))
    report(
        "footprint", rows, {"servers": servers, "quizzes": quizzes, "questions": questions}, smoke=opts.smoke
    )


if __name__ == "__main__":
    main()
