"""Discord's side of the languages: command names and descriptions from the catalogs, and who reads what.

- `CatalogTranslator` localises every command, group, option and choice from the same gettext catalogs
  the messages use, so the decorators in cogs stay in plain English.
- `reply_lang` (ephemeral replies: the fan's own Discord language) and `public_lang` (messages everyone
  in the server sees: the server's language) pick the language of a message.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import MENU_CONTEXT, NAME_CONTEXT, SOURCE_LANG, lang_of, lookup, server_lang
from db.queries.guilds import guild_language

log = logging.getLogger(__name__)

CHOICE_CONTEXT = "choice"
NAMES = {Where.command_name, Where.group_name, Where.parameter_name}
DESCRIPTIONS = {Where.command_description, Where.group_description, Where.parameter_description}
# Discord's rule for command and option names (CHAT_INPUT): letters, digits, - and _, 1-32, lowercase.
VALID_NAME = re.compile(r"^[-_\w]{1,32}$")


def valid_name(name: str) -> bool:
    """True if Discord accepts `name` as a slash command, group or option name."""
    return bool(VALID_NAME.fullmatch(name)) and name == name.lower()


def valid_menu_name(name: str) -> bool:
    """True if Discord accepts `name` as a message or user context menu name: 1-32 characters, spaces and
    capitals allowed (not only spaces)."""
    return 1 <= len(name) <= 32 and bool(name.strip())


def is_menu(context: app_commands.TranslationContextTypes) -> bool:
    """True for the name of a context menu command (a message or user command)."""
    return context.location is Where.command_name and isinstance(context.data, app_commands.ContextMenu)


def context_of(location: Where, menu: bool = False) -> str | None:
    """The catalog msgctxt for strings at `location` (names and choices are told apart from sentences;
    context menu names, which follow other rules, from both)."""
    if menu:
        return MENU_CONTEXT
    if location in NAMES:
        return NAME_CONTEXT
    if location is Where.choice_name:
        return CHOICE_CONTEXT
    return None


class CatalogTranslator(app_commands.Translator):
    """Command names, descriptions and choices in every language that has a catalog."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        lang = lang_of(locale)
        if lang == SOURCE_LANG or not str(locale.value).startswith(lang):
            return None
        menu = is_menu(context)
        text = lookup(lang, string.message, context_of(context.location, menu))
        if text is None:
            return None
        if menu and not valid_menu_name(text):
            log.warning("Ignoring invalid %s context menu name %r for %r", lang, text, string.message)
            return None
        if not menu and context.location in NAMES and not valid_name(text):
            log.warning("Ignoring invalid %s name %r for %r", lang, text, string.message)
            return None
        if context.location in DESCRIPTIONS and len(text) > 100:
            log.warning("Ignoring %s description over 100 characters for %r", lang, string.message)
            return None
        return text


def reply_lang(interaction: discord.Interaction) -> str:
    """The language of an ephemeral reply: the fan's own Discord language."""
    return lang_of(interaction.locale)


async def public_lang(bot: object, guild: discord.Guild | None) -> str:
    """The language of a message everyone in `guild` sees: its setting, else its preferred locale."""
    if guild is None:
        return SOURCE_LANG
    async with bot.db.sessions() as session:  # type: ignore[attr-defined]
        language = await guild_language(session, guild.id)
    return server_lang(language, guild.preferred_locale)
