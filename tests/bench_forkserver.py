"""Benchmark scripts run as their own processes, forked from one warm server per test worker.

`python bench/x.py --smoke` pays about 1.5 s of CPU for imports before it does anything, and the scripts
that start the bot build the shipped content again (another 1.5 s). The server behind
`multiprocessing`'s "forkserver" imports the bot and builds the content once (tests/bench_warm.py); each
script then runs in a child forked from it, as `__main__`, with its own argv, working directory, output
file and exit code, as the command would.
"""

from __future__ import annotations

import multiprocessing
import os
import runpy
import sys
from pathlib import Path

from bot import PROJECT_ROOT

BENCH = PROJECT_ROOT / "bench"


def _main(script: str, args: list[str], output: str) -> None:
    """In the child: stdout and stderr to `output`, then `python script args` from bench/."""
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    os.chdir(BENCH)
    sys.argv = [script, *args]
    sys.path.insert(0, str(BENCH))
    runpy.run_path(str(BENCH / script), run_name="__main__")


def run_script(script: str, args: list[str], output: Path, timeout: float) -> int:
    """Run `bench/<script> <args>` in a child of the warm server and return its exit code (its stdout
    and stderr are in `output`); after `timeout` seconds the child is killed and TimeoutError raised."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.bench_warm"])
    child = context.Process(target=_main, args=(script, args, str(output)), name=f"bench {script}")
    child.start()
    child.join(timeout)
    if child.exitcode is None:
        child.kill()
        child.join()
        raise TimeoutError(f"{script} {' '.join(args)} still running after {timeout} s")
    return child.exitcode
