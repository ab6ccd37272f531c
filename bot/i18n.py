"""Words in the reader's language: gettext catalogs (Babel) and locale-aware numbers and dates.

Catalogs are `locales/<lang>/LC_MESSAGES/messages.po`. They are compiled in memory when first used
(Babel's `.po` reader and `.mo` writer), so a fresh checkout needs no build step.

Mark strings in code with `translate(lang, "…")` / `ntranslate(lang, "one", "many", n)`, or `N_("…")`
for a string translated later; placeholders are `{name}` and are filled after translation.
English is the source language: an unknown language, or a missing entry, gives the English text.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from pathlib import Path
from typing import Any

from babel import Locale, dates, numbers
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it yet."""
    return message


LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SOURCE_LANG = "en"
LANGUAGES: dict[str, str] = {"en": "English", "it": "Italiano"}  # every language the bot speaks, by itself
NAME_CONTEXT = "slash"  # msgctxt of command, option and choice names (short, distinct from sentences)
MENU_CONTEXT = "menu"  # msgctxt of context menu command names ("Contest answer": spaces and capitals)
CATEGORY_CONTEXT = "category"  # msgctxt of the built-in content's quiz categories
LANGUAGE_NAMES = {"en": N_("English"), "it": N_("Italian")}  # the same, named in the reader's language
PERIOD_NAMES = (N_("this week"), N_("this month"), N_("this season"), N_("all time"))  # periods.PERIOD_LABEL
DIFFICULTY_NAMES = {"easy": N_("easy"), "medium": N_("medium"), "hard": N_("hard")}


def lang_of(locale: object) -> str:
    """The supported language for a Discord locale ('it', 'en-GB', Locale.italian…); English otherwise."""
    value = str(getattr(locale, "value", locale) or "").replace("_", "-").casefold()
    base = value.split("-", 1)[0]
    return base if base in LANGUAGES else SOURCE_LANG


def server_lang(language: str | None, preferred_locale: object = None) -> str:
    """A server's language: its setting if it has one, else its preferred locale if we speak it."""
    if language in LANGUAGES:
        return language
    return lang_of(preferred_locale)


@functools.cache
def catalog(lang: str) -> Catalog | None:
    """The parsed `.po` catalog of `lang`, or None (English, or no catalog)."""
    path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == SOURCE_LANG or not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    cat = catalog(lang)
    if cat is None:
        return gettext.NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, cat, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _fill(text: str, values: dict[str, Any]) -> str:
    return text.format(**values) if values else text


def translate(lang: str | None, message: str, /, **values: Any) -> str:
    """`message` in `lang`, with `{placeholders}` filled from `values`."""
    return _fill(_translations(lang or SOURCE_LANG).gettext(message), values)


def ntranslate(lang: str | None, singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The singular or plural form for `n` in `lang`; `{n}` is available as a placeholder."""
    text = _translations(lang or SOURCE_LANG).ngettext(singular, plural, n)
    return _fill(text, {"n": n, **values})


def lookup(lang: str, message: str, context: str | None = None) -> str | None:
    """The catalog's translation of `message`, or None when there is none (used for command names)."""
    cat = catalog(lang)
    entry = cat.get(message, context=context) if cat is not None else None
    if entry is None or entry.fuzzy or not entry.string or not isinstance(entry.string, str):
        return None
    return entry.string


def category_name(lang: str | None, category: str) -> str:
    """A quiz category as shown in `lang` (built-in categories are in the catalog; others stay as typed)."""
    return lookup(lang, category, CATEGORY_CONTEXT) or category if lang else category


def category_choices(
    lang: str | None, names: list[str], typed: str, limit: int = 25
) -> list[tuple[str, str]]:
    """(shown name, value) for a category autocomplete: names in `lang`, values as stored; the typed text
    may match either."""
    needle = typed.casefold()[:100]
    out = []
    for name in names:
        shown = category_name(lang, name)
        if needle in name.casefold() or needle in shown.casefold():
            out.append((shown[:100], name[:100]))
    return out[:limit]


def difficulty_name(lang: str | None, difficulty: str) -> str:
    """'easy' → 'facile'."""
    return translate(lang, DIFFICULTY_NAMES[difficulty]) if difficulty in DIFFICULTY_NAMES else difficulty


# ----- numbers and dates ---------------------------------------------------------------------------------


def _babel_locale(lang: str | None) -> Locale:
    return Locale.parse(lang if lang in LANGUAGES else SOURCE_LANG)


def number(value: float, lang: str | None) -> str:
    """23500 → '23,500' (en) or '23.500' (it)."""
    return numbers.format_decimal(value, locale=_babel_locale(lang))


def decimal(value: float, lang: str | None, digits: int = 2) -> str:
    """1.5 → '1.50' (en) or '1,50' (it)."""
    pattern = "0." + "0" * digits if digits else "0"
    return numbers.format_decimal(value, format=pattern, locale=_babel_locale(lang))


def percent(value: float, lang: str | None) -> str:
    """0.75 → '75%' (en) or '75%' (it)."""
    return numbers.format_percent(value, locale=_babel_locale(lang))


def when(day: dt.date, pattern: str, lang: str | None) -> str:
    """`day` in a CLDR `pattern` ("d MMM" → '22 May' / '22 mag')."""
    return dates.format_date(day, pattern, locale=_babel_locale(lang))


def long_date(day: dt.date, lang: str | None) -> str:
    """'22 May 2024' / '22 maggio 2024'."""
    return dates.format_date(day, "d MMMM y", locale=_babel_locale(lang))


def day_month(day: dt.date, lang: str | None) -> str:
    """'22 May' / '22 maggio'."""
    return dates.format_date(day, "d MMMM", locale=_babel_locale(lang))


def relative(delta: dt.timedelta, lang: str | None) -> str:
    """'in 3 days' / 'tra 3 giorni', '2 hours ago' / '2 ore fa'."""
    return dates.format_timedelta(delta, add_direction=True, locale=_babel_locale(lang))
