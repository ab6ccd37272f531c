"""The test suite. Where the environment turns bytecode writing off (PYTHONDONTWRITEBYTECODE), the suite
still caches compiled modules, outside the source tree: every test starts bots whose cogs discord.py
executes afresh, and every bot process imports the whole stack, so compiling the same sources again and
again cost a sixth of the end-to-end tests' CPU. The bot processes the tests start inherit the setting."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

if sys.dont_write_bytecode:
    sys.pycache_prefix = sys.pycache_prefix or str(Path(tempfile.gettempdir()) / "calcio-quiz-pycache")
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
