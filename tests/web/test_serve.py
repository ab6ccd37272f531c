"""`calcio-quiz web` as a real process (forked from a warm server, tests/warm_process.py): serves a migrated
database on 127.0.0.1, refuses an old one."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path

import aiohttp

from bot import PROJECT_ROOT
from bot.config import Settings
from bot.database import Database
from tests import warm_process
from tests.web.seed import seed_site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """The environment of `calcio-quiz web` on the test's database ('' = the SQLite file in data_dir)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "WEB_"))}
    return keep | {"DATA_DIR": str(data_dir), "DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT_ROOT)}


async def test_web_command_serves_the_pages(settings: Settings, db: Database, tmp_path: Path) -> None:
    site = await seed_site(db.sessions)
    port = free_port()
    output = tmp_path / "web.log"
    with output.open("wb") as out:
        proc = await warm_process.start_async(
            ["-m", "bot", "web", "--port", str(port)],
            cwd=tmp_path, env=env_for(settings.data_dir, settings.database_url),
            stdout=out.fileno(), stderr=out.fileno(),
        )  # fmt: skip
    try:
        for _ in range(3000):  # its first line, within 30 s
            if first_line(output) or proc.returncode is not None:
                break
            await asyncio.sleep(0.01)
        assert f"http://127.0.0.1:{port}" in first_line(output), output.read_text()
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/s/{site.slug}") as resp:
                assert resp.status == 200 and "Ada Negri" in await resp.text()
            async with http.post(f"http://127.0.0.1:{port}/s/{site.slug}") as resp:
                assert resp.status == 405
    finally:
        proc.terminate()
        await asyncio.wait_for(proc.wait_async(), 15)


def first_line(output: Path) -> str:
    """The first whole line written to `output` ('' until there is one)."""
    text = output.read_text()
    return text.partition("\n")[0] if "\n" in text else ""


def test_web_command_needs_a_migrated_database(tmp_path: Path) -> None:
    command = ["-m", "bot", "web", "--port", str(free_port())]
    done = warm_process.run(command, cwd=tmp_path, env=env_for(tmp_path / "empty"), timeout=60)
    assert done.returncode == 1 and "calcio-quiz migrate" in done.stdout and "Traceback" not in done.stderr
