"""The import structure the design promises: no view without the shared error path, no upward arrows."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import discord

import cogs
from bot import PROJECT_ROOT
from cogs.views import Modal, View


def test_every_view_and_form_shares_the_error_path() -> None:
    found = []
    for info in pkgutil.iter_modules(cogs.__path__, "cogs."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for ui_base, ours in ((discord.ui.View, View), (discord.ui.Modal, Modal)):
                if issubclass(cls, ui_base):
                    assert issubclass(cls, ours), f"{module.__name__}.{cls.__qualname__} bypasses {ours}"
                    found.append(cls.__name__)
    assert {"PageView", "ChoiceView", "ConfirmRemove", "ConfirmReset", "QuestionModal"} <= set(found)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_services_import_neither_discord_nor_db() -> None:
    """bot/<feature>/ packages are Discord-free and never reach up into db/ (the runner takes a Store)."""
    offenders = {}
    for package in ("quiz", "facts", "schedule", "leaderboard"):
        for path in (PROJECT_ROOT / "bot" / package).rglob("*.py"):
            bad = {m for m in imports_of(path) if m.split(".")[0] in {"discord", "db", "cogs"}}
            if bad:
                offenders[str(path.relative_to(PROJECT_ROOT))] = sorted(bad)
    assert offenders == {}


def test_emulator_imports_nothing_of_the_bot() -> None:
    for path in (PROJECT_ROOT / "discord_emulator").rglob("*.py"):
        bad = {m for m in imports_of(path) if m.split(".")[0] in {"bot", "cogs", "db"}}
        assert not bad, (path, bad)
