"""Commands run as their own processes, forked from one warm server per test worker.

A fresh `python -m bot ...` (or `python bench/x.py`) pays about 1.2-1.5 s of CPU for imports before it does
anything, and the commands that build the shipped content (a first sync, `play`, `demo`) pay another
1.5-2.5 s. The server behind `multiprocessing`'s "forkserver" imports the bot and builds the content once
(tests/warm_server.py); each command then runs in a child forked from it, as the command would: `__main__`
with its own argv, environment, working directory, stdin, stdout and stderr, a real pid that SIGKILL ends,
and its exit code (minus a signal's number when killed). Differences from a fresh interpreter: the modules
are already imported (module-level code ran in the server, before this environment was set) and atexit
handlers are not run.

The real command stays covered by fresh interpreters: tests/e2e/test_demo_and_play.py's
test_no_token_no_command_explains runs `python -m bot`, and bench/footprint.py (tests/test_bench_smoke.py)
starts `python -m bot run` and times it.
"""

from __future__ import annotations

import asyncio
import io
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from multiprocessing import reduction
from pathlib import Path
from typing import Any

from bot import PROJECT_ROOT

BENCH = PROJECT_ROOT / "bench"
_starting = threading.Lock()  # multiprocessing's bookkeeping of children is not thread-safe


class _Fd:
    """A file descriptor of this process, sent to the child (pickled while the child is started)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[object, tuple[object]]:
        return _received, (reduction.DupFd(self.fd),)


def _received(dup: object) -> int:
    return dup.detach()  # type: ignore[attr-defined]


def _text(fd: int, mode: str, errors: str, *, line_buffering: bool, unbuffered: bool) -> io.TextIOWrapper:
    """A std stream on `fd` as the interpreter makes it: stderr line-buffered, stdout only on a tty, and
    neither buffered under PYTHONUNBUFFERED."""
    raw = open(fd, mode, buffering=0 if unbuffered else -1, closefd=False)
    encoding = sys.stdout.encoding
    return io.TextIOWrapper(raw, encoding, errors, line_buffering=line_buffering, write_through=unbuffered)


def _child(command: list[str], env: dict[str, str], cwd: str, stdio: list[int | None]) -> None:
    """In the child: fds 0-2 (None = /dev/null), sys.std* anew, the environment and the working directory,
    then `python *command` (`-m module args` or `script args`)."""
    for target, fd in enumerate(stdio):
        source = os.open(os.devnull, os.O_RDWR) if fd is None else fd
        if source != target:
            os.dup2(source, target)
            os.close(source)
    unbuffered = bool(env.get("PYTHONUNBUFFERED"))
    errors = sys.stdout.errors
    sys.stdin = sys.__stdin__ = _text(0, "rb", errors, line_buffering=False, unbuffered=False)
    sys.stdout = sys.__stdout__ = _text(1, "wb", errors, line_buffering=os.isatty(1), unbuffered=unbuffered)
    sys.stderr = sys.__stderr__ = _text(
        2, "wb", "backslashreplace", line_buffering=True, unbuffered=unbuffered
    )
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    os.chdir(cwd)
    if command[0] == "-m":
        sys.argv = ["-m", *command[2:]]
        sys.path.insert(0, cwd)
        runpy.run_module(command[1], run_name="__main__", alter_sys=True)
    else:
        script = os.path.join(cwd, command[0])
        sys.argv = command
        sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
        runpy.run_path(script, run_name="__main__")


class WarmProcess:
    """A command running in a child of the warm server: its pid, exit code, kill and waits (blocking or in
    an event loop)."""

    def __init__(self, process: multiprocessing.process.BaseProcess) -> None:
        self._process = process

    @property
    def pid(self) -> int:
        assert self._process.pid is not None
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        """The exit code, None while it runs; -9 once SIGKILL ended it."""
        return self._process.exitcode

    def kill(self) -> None:
        """SIGKILL, if it still runs."""
        if self.returncode is None:
            self._process.kill()

    def terminate(self) -> None:
        """SIGTERM, if it still runs."""
        if self.returncode is None:
            self._process.terminate()

    def wait(self, timeout: float | None = None) -> int:
        """Block until it exits (TimeoutError after `timeout` seconds); its exit code."""
        self._process.join(timeout)
        if self.returncode is None:
            raise TimeoutError(f"{self._process.name} still running after {timeout} s")
        return self.returncode

    async def wait_async(self) -> int:
        """Wait until it exits without blocking the event loop; its exit code."""
        if self.returncode is None:
            loop = asyncio.get_running_loop()
            exited = loop.create_future()
            sentinel = self._process.sentinel  # readable once the server has sent the exit code
            loop.add_reader(sentinel, lambda: exited.done() or exited.set_result(None))
            try:
                await exited
            finally:
                loop.remove_reader(sentinel)
        return self.wait()


def start(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    stdin: int | None = None,
    stdout: int | None = None,
    stderr: int | None = None,
) -> WarmProcess:
    """Start `python *command` (e.g. `["-m", "bot", "run"]`) in a child of the warm server. `env` and `cwd`
    default to this process's; stdin, stdout and stderr are file descriptors of this process (None:
    /dev/null), which the caller still owns. The first start in a process waits for the server to warm up;
    a child still running when this process exits gets SIGTERM."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.warm_server"])
    stdio = [None if fd is None else _Fd(fd) for fd in (stdin, stdout, stderr)]
    args = (list(command), dict(os.environ if env is None else env), str(cwd or os.getcwd()), stdio)
    child = context.Process(target=_child, args=args, name=" ".join(command), daemon=True)
    with _starting:
        child.start()
    return WarmProcess(child)


async def start_async(command: Sequence[str], **kwargs: Any) -> WarmProcess:
    """`start` from an event loop, without blocking it (the first start waits seconds for the server)."""
    return await asyncio.to_thread(start, command, **kwargs)


def run(
    command: Sequence[str],
    *,
    input: str = "",
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float,
) -> subprocess.CompletedProcess[str]:
    """Like `subprocess.run([python, *command], input=input, capture_output=True, text=True)`: the child
    killed and subprocess.TimeoutExpired raised after `timeout` seconds."""
    with tempfile.TemporaryFile() as fin, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        fin.write(input.encode())
        fin.seek(0)
        proc = start(command, env=env, cwd=cwd, stdin=fin.fileno(), stdout=out.fileno(), stderr=err.fileno())
        try:
            code = proc.wait(timeout)
        except TimeoutError:
            proc.kill()
            proc.wait()
            raise subprocess.TimeoutExpired(command, timeout) from None
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    return subprocess.CompletedProcess(list(command), code, stdout, stderr)


def run_script(script: str, args: list[str], output: Path, timeout: float) -> int:
    """Run `bench/<script> <args>` from bench/ and return its exit code (stdout and stderr in `output`);
    after `timeout` seconds the child is killed and TimeoutError raised."""
    with output.open("wb") as out:
        proc = start([script, *args], cwd=BENCH, stdout=out.fileno(), stderr=out.fileno())
        try:
            return proc.wait(timeout)
        except TimeoutError:
            proc.kill()
            proc.wait()
            raise
