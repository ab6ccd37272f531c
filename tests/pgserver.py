"""A throwaway PostgreSQL server for tests and CI: a temporary data directory, 127.0.0.1, a free port.

As root it runs the server as the unprivileged `postgres` user (initdb refuses root); as anyone else, as
that user. Durability is switched off (fsync, synchronous_commit, full_page_writes): the data is thrown away
anyway. The data directory goes to memory (/dev/shm) when there is room: every test database is a copy of
hundreds of small files, and creating files on a disk's file system costs far more CPU than on tmpfs.

    python -m tests.pgserver start DIR   # prints the postgresql+asyncpg:// URL
    python -m tests.pgserver stop DIR
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "postgres"  # the unprivileged account used when started as root
DB_USER = "calcio"
MEMORY_DIR = Path("/dev/shm")  # noqa: S108 (tmpfs on Linux; only used through mkdtemp)
MEMORY_NEEDED = 1 << 30  # free bytes needed there (Docker's default /dev/shm, 64 MB, is too small)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started here; the message says why."""


def find_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin, or the folder of `pg_ctl` on PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parent.parent.name)
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (apt-get install postgresql, or put pg_ctl on PATH)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user_prefix() -> tuple[list[str], str | None]:
    """Command prefix to drop root privileges, and the user to own the data directory."""
    if os.geteuid() != 0:
        return [], None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PostgresUnavailable(f"running as root and there is no {SERVER_USER!r} user to run as") from None
    return ["runuser", "-u", SERVER_USER, "--"], SERVER_USER


@dataclass
class PostgresServer:
    """A running server: its base directory (data, socket, log) and the URL of database `postgres`."""

    base: Path
    port: int

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://{DB_USER}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server fast and remove its directories."""
        prefix, _ = _as_user_prefix()
        pg_ctl = find_bin_dir() / "pg_ctl"
        subprocess.run(
            [*prefix, str(pg_ctl), "stop", "-D", str(self.data_dir), "-m", "immediate", "-w"],
            capture_output=True,
            check=False,
        )
        self.remove()

    def remove(self) -> None:
        """Remove the base directory, and the data directory in memory that `data` may link to."""
        if self.data_dir.is_symlink():
            shutil.rmtree(self.data_dir.resolve(), ignore_errors=True)
        shutil.rmtree(self.base, ignore_errors=True)


def _memory_dir() -> Path | None:
    """MEMORY_DIR if it is there with room to spare and writable, else None."""
    try:
        st = os.statvfs(MEMORY_DIR)
    except OSError:
        return None
    if st.f_bavail * st.f_frsize < MEMORY_NEEDED or not os.access(MEMORY_DIR, os.W_OK | os.X_OK):
        return None
    return MEMORY_DIR


def start(base: Path | None = None) -> PostgresServer:
    """initdb a new cluster under `base` (a new temporary folder by default) and start it on 127.0.0.1;
    `base/data` links to a folder in memory when there is one (see the module's docstring)."""
    bin_dir = find_bin_dir()
    prefix, owner = _as_user_prefix()
    base = Path(base) if base else Path(tempfile.mkdtemp(prefix="calcio-pg-"))
    base.mkdir(parents=True, exist_ok=True)
    if owner:
        shutil.chown(base, owner)
    base.chmod(0o700)
    server = PostgresServer(base, _free_port())
    memory = _memory_dir()
    if memory is not None:
        data = Path(tempfile.mkdtemp(prefix="calcio-pg-data-", dir=memory))  # mode 0700
        if owner:
            shutil.chown(data, owner)
        server.data_dir.symlink_to(data, target_is_directory=True)
    try:
        _initdb_and_start(server, bin_dir, prefix)
    except BaseException:  # failed or interrupted: leave no server and no folder behind
        server.stop()
        raise
    (base / "url").write_text(server.url())
    return server


def _initdb_and_start(server: PostgresServer, bin_dir: Path, prefix: list[str]) -> None:
    """initdb the cluster and start its server (PostgresUnavailable when either fails)."""
    log_file = server.base / "server.log"
    run = {"capture_output": True, "text": True, "check": False}
    done = subprocess.run(
        [
            *prefix,
            str(bin_dir / "initdb"),
            "-D",
            str(server.data_dir),
            "-U",
            DB_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ],
        **run,  # type: ignore[arg-type]
    )
    if done.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
    # max_wal_size: the WAL is in memory too (and checkpoints cost little with fsync off).
    options = (
        f"-h 127.0.0.1 -p {server.port} -k {server.base} -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=200 -c max_wal_size=256MB"
    )
    done = subprocess.run(
        [
            *prefix,
            str(bin_dir / "pg_ctl"),
            "start",
            "-D",
            str(server.data_dir),
            "-w",
            "-t",
            "30",
            "-l",
            str(log_file),
            "-o",
            options,
        ],
        **run,  # type: ignore[arg-type]
    )
    if done.returncode != 0:
        log = log_file.read_text(errors="replace") if log_file.exists() else ""
        raise PostgresUnavailable(f"pg_ctl start failed: {done.stderr.strip()} {log[-500:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("dir", type=Path, help="the server's base directory (created by start)")
    args = parser.parse_args(argv)
    if args.action == "start":
        try:
            server = start(args.dir)
        except PostgresUnavailable as exc:
            print(exc, file=sys.stderr)
            return 1
        print(server.url())
        return 0
    port = int(args.dir.joinpath("url").read_text().rsplit(":", 1)[1].split("/")[0])
    PostgresServer(args.dir, port).stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
