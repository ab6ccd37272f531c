"""Catalog upkeep: extract every marked string (code and slash commands) and merge it into the `.po` files.

`calcio-quiz i18n update` runs this; the catalog test runs `template()` and compares.
- Code strings: Babel's Python extractor over `bot/` and `cogs/` with the keywords below.
- Command strings: the real command tree, built offline with every cog loaded, asked for its payload
  through a translator that records what discord.py would ask to translate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import CATEGORY_CONTEXT, DOMAIN, LANGUAGES, LOCALES_DIR, SOURCE_LANG

ROOT = LOCALES_DIR.parent
CODE_DIRS = ("bot", "cogs")
KEYWORDS = {"translate": (2,), "ntranslate": (2, 3), "N_": None, "UserError": (1,), "Refused": (1,)}


def code_strings() -> Iterator[tuple[str | tuple[str, str], str | None, str]]:
    """(msgid or (singular, plural), msgctxt, 'file:line') for every marked string in the code."""
    for folder in CODE_DIRS:
        for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            yield message, context, f"{folder}/{filename}:{lineno}"


async def _command_strings() -> list[tuple[str, str | None]]:
    logging.disable(logging.WARNING)  # imports, migrations and cog start-up chatter
    try:
        return await _record_commands()
    finally:
        logging.disable(logging.NOTSET)


async def _record_commands() -> list[tuple[str, str | None]]:
    from discord import app_commands

    from bot.client import EXTENSIONS, CalcioBot
    from bot.config import load_settings
    from bot.database import open_database
    from bot.translator import context_of, is_menu

    seen: list[tuple[str, str | None]] = []

    class Recorder(app_commands.Translator):
        async def translate(self, string, locale, context):  # type: ignore[no-untyped-def]
            item = (string.message, context_of(context.location, is_menu(context)))
            if item not in seen:
                seen.append(item)
            return None

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp))
        db, _ = await open_database(settings, sync=False)
        async with CalcioBot(settings, db=db) as bot:
            try:
                for ext in EXTENSIONS:
                    await bot.load_extension(ext)
                recorder = Recorder()
                for command in bot.tree.get_commands():
                    await command.get_translated_payload(bot.tree, recorder)
            finally:
                for ext in list(bot.extensions):
                    with contextlib.suppress(Exception):
                        await bot.unload_extension(ext)
    return seen


def command_strings() -> list[tuple[str, str | None]]:
    """(msgid, msgctxt) of every command, group, option and choice name and description."""
    return asyncio.run(_command_strings())


def template() -> Catalog:
    """The `.pot` catalog: everything the bot can say, in English."""
    pot = Catalog(domain=DOMAIN, project="calcio-quiz", charset="utf-8")
    for message, context, where in code_strings():
        path, line = where.rsplit(":", 1)
        existing = pot.get(message if isinstance(message, str) else message[0], context=context)
        if existing is not None:
            existing.locations.append((path, int(line)))
        else:
            pot.add(message, locations=[(path, int(line))], context=context)
    for message, context in command_strings():
        pot.add(message, context=context, auto_comments=["slash command"])
    for category in content_categories():
        pot.add(category, context=CATEGORY_CONTEXT, auto_comments=["quiz category in content/banks"])
    return pot


def content_categories() -> list[str]:
    """The quiz categories of the built-in banks (shown translated; filters use the English name)."""
    from bot.content.loader import load_content

    content = load_content(ROOT / "content")
    return sorted({q.category for bank in content.banks for q in bank.questions})


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update() -> dict[str, tuple[int, int]]:
    """Write `locales/messages.pot`, merge it into each language's `.po`: {lang: (entries, untranslated)}."""
    pot = template()
    LOCALES_DIR.mkdir(exist_ok=True)
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("wb") as fh:
        write_po(fh, pot, omit_header=False, sort_output=True)
    report: dict[str, tuple[int, int]] = {}
    for lang in LANGUAGES:
        if lang == SOURCE_LANG:
            continue
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang, domain=DOMAIN)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, domain=DOMAIN, project="calcio-quiz", charset="utf-8")
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.fuzzy = False  # the header
        with path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, ignore_obsolete=True, include_previous=False)
        missing = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
        report[lang] = (sum(1 for m in catalog if m.id), missing)
    return report
