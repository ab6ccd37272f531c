"""Catalogs: every marked string translated, placeholders kept, numbers and dates per locale."""

from __future__ import annotations

import datetime as dt
import re
import string

import discord
import pytest
from babel.messages.pofile import read_po
from discord import app_commands
from discord.app_commands import TranslationContext
from discord.app_commands import TranslationContextLocation as Where

from bot import catalogs
from bot.content.loader import Content
from bot.i18n import (
    LANGUAGES,
    MENU_CONTEXT,
    NAME_CONTEXT,
    SOURCE_LANG,
    day_month,
    lang_of,
    long_date,
    lookup,
    ntranslate,
    number,
    relative,
    server_lang,
    translate,
)
from bot.translator import CatalogTranslator, valid_menu_name, valid_name

TRANSLATED = [lang for lang in LANGUAGES if lang != SOURCE_LANG]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def template():
    return catalogs.template()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_string_is_translated(template, lang: str) -> None:
    with catalogs.po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    assert len(template) > 50
    missing, empty, fuzzy, placeholders = [], [], [], []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        key = (message.context, message.id)
        if entry is None:
            missing.append(key)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            empty.append(key)
        if entry.fuzzy:
            fuzzy.append(key)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(_fields(i) for i in ids))
        if any(_fields(s) - wanted for s in strings) or _fields(strings[-1]) != _fields(ids[-1]):
            placeholders.append(key)
    assert not missing, f"not in locales/{lang}: run `calcio-quiz i18n update` and translate: {missing}"
    assert not empty, f"empty translations in locales/{lang}: {empty}"
    assert not fuzzy, f"fuzzy translations in locales/{lang}: {fuzzy}"
    assert not placeholders, f"translations with other {{placeholders}} than the English: {placeholders}"


def test_template_sees_code_and_command_strings(template) -> None:
    # The template really sees code strings and command strings.
    ids = {(m.context, m.id) for m in template}
    assert (NAME_CONTEXT, "quiz") in ids
    assert (None, "Start a quiz in this channel") in ids


def test_code_extraction_finds_every_marker(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cogs").mkdir()
    (tmp_path / "cogs" / "x.py").write_text(
        "from bot.i18n import N_, ntranslate, translate\n"
        "A = N_('marked for later')\n"
        "def f(lang, n):\n"
        "    return translate(lang, 'Hello {name}', name='x') + \\\n"
        "        ntranslate(lang, '{n} goal', '{n} goals', n)\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    monkeypatch.setattr(catalogs, "CODE_DIRS", ("cogs",))
    found = {(message, where) for message, _, where in catalogs.code_strings()}
    assert found == {
        ("marked for later", "cogs/x.py:2"),
        ("Hello {name}", "cogs/x.py:4"),
        (("{n} goal", "{n} goals"), "cogs/x.py:5"),
    }


def test_italian_names_follow_discords_rules() -> None:
    with catalogs.po_path("it").open("rb") as fh:
        catalog = read_po(fh, locale="it")
    names = [m for m in catalog if m.context == NAME_CONTEXT]
    assert names
    bad = [(m.id, m.string) for m in names if not valid_name(m.string)]
    assert not bad
    # Command, option and choice descriptions and choice names: 1-100 characters.
    slash = [m for m in catalog if "slash command" in m.auto_comments and m.context != NAME_CONTEXT]
    assert slash
    too_long = [(m.id, len(m.string)) for m in slash if not 1 <= len(m.string) <= 100]
    assert not too_long


def test_italian_context_menu_names_follow_discords_rules() -> None:
    with catalogs.po_path("it").open("rb") as fh:
        catalog = read_po(fh, locale="it")
    menus = [m for m in catalog if m.context == MENU_CONTEXT]
    assert [m.id for m in menus] == ["Contest answer"]
    assert all(valid_menu_name(m.string) for m in menus)
    assert valid_menu_name("Contesta risposta") and not valid_menu_name("x" * 33) and not valid_menu_name(" ")


async def test_translator_localises_a_context_menu_name_with_its_own_rule() -> None:
    async def noop(interaction: discord.Interaction, message: discord.Message) -> None: ...

    menu = app_commands.ContextMenu(name=app_commands.locale_str("Contest answer"), callback=noop)
    context = TranslationContext(Where.command_name, menu)
    translator = CatalogTranslator()
    name = app_commands.locale_str("Contest answer")
    assert await translator.translate(name, discord.Locale.italian, context) == "Contesta risposta"
    # The same words as a slash command name would break the slash rule: never offered there.
    assert (
        await translator.translate(name, discord.Locale.italian, TranslationContext(Where.command_name, None))
        is None
    )


def test_valid_name_rule() -> None:
    assert valid_name("curiosità") and valid_name("fuso_orario") and valid_name("inizia")
    assert not valid_name("Inizia") and not valid_name("fuso orario") and not valid_name("x" * 33)
    assert not valid_name("")


async def test_translator_localises_names_and_descriptions() -> None:
    translator = CatalogTranslator()

    async def t(text: str, where: Where, locale: discord.Locale) -> str | None:
        context = TranslationContext(where, None)
        return await translator.translate(app_commands.locale_str(text), locale, context)

    assert await t("start", Where.command_name, discord.Locale.italian) == "inizia"
    assert await t("leaderboard", Where.group_name, discord.Locale.italian) == "classifica"
    assert await t("easy", Where.choice_name, discord.Locale.italian) == "facile"
    assert (
        await t("Start a quiz in this channel", Where.command_description, discord.Locale.italian)
        == "Inizia un quiz in questo canale"
    )
    assert await t("start", Where.command_name, discord.Locale.french) is None
    assert await t("start", Where.command_name, discord.Locale.british_english) is None
    assert await t("no such command", Where.command_name, discord.Locale.italian) is None


def test_translate_and_plurals() -> None:
    assert translate("it", "Show the leaderboard") == "Mostra la classifica"
    assert translate("en", "Show the leaderboard") == "Show the leaderboard"
    assert translate(None, "Show the leaderboard") == "Show the leaderboard"
    assert translate("it", "not a catalog entry {x}", x=1) == "not a catalog entry 1"
    assert lookup("it", "not a catalog entry") is None
    assert lookup("it", "quiz", NAME_CONTEXT) == "quiz"


def test_locale_resolution() -> None:
    assert lang_of("it") == "it" and lang_of(discord.Locale.italian) == "it"
    assert lang_of("en-GB") == "en" and lang_of("fr") == "en" and lang_of(None) == "en"
    # The server's setting wins; without one, its preferred locale if we speak it; else English.
    assert server_lang("it", "en-US") == "it"
    assert server_lang("en", "it") == "en"
    assert server_lang(None, discord.Locale.italian) == "it"
    assert server_lang(None, "pt-BR") == "en"
    assert server_lang("xx", "pt-BR") == "en"


def test_numbers_and_dates_per_locale() -> None:
    assert number(23500, "it") == "23.500"
    assert number(23500, "en") == "23,500"
    assert long_date(dt.date(2024, 5, 22), "it") == "22 maggio 2024"
    assert long_date(dt.date(2024, 5, 22), "en") == "22 May 2024"
    assert day_month(dt.date(2024, 5, 22), "it") == "22 maggio"
    assert relative(dt.timedelta(days=3), "it") == "tra 3 giorni"
    assert relative(-dt.timedelta(hours=2), "it") == "2 ore fa"
    assert relative(dt.timedelta(days=3), "en") == "in 3 days"


def test_plural_forms_follow_the_catalog_header() -> None:
    one = ntranslate("it", "{n} question", "{n} questions", 1)
    many = ntranslate("it", "{n} question", "{n} questions", 5)
    assert re.fullmatch(r"1 \w+", one) and re.fullmatch(r"5 \w+", many)


def test_every_built_in_question_and_fact_has_italian_text(shipped_content: Content) -> None:
    content = shipped_content
    questions = [(b.bank, q) for b in content.banks for q in b.questions]
    facts = [(p.pack, f) for p in content.packs for f in p.facts]
    assert questions and facts
    assert [f"{bank}:{q.id}" for bank, q in questions if not q.question_it] == []
    assert [f"{bank}:{q.id}" for bank, q in questions if q.choices and not q.choices_it] == []
    assert [f"{pack}:{f.id}" for pack, f in facts if not f.text_it] == []


def test_italian_answers_are_accepted_in_either_language(shipped_content: Content) -> None:
    from bot.quiz.engine import QuestionView, Round

    content = shipped_content
    for bank in content.banks:
        for q in bank.questions:
            view = QuestionView(
                q.id, q.question, q.answer, tuple(q.aliases), tuple(q.choices), q.category, q.difficulty,
                text_it=q.question_it, answer_it=q.answer_it, choices_it=tuple(q.choices_it),
            )  # fmt: skip
            english, italian = Round(0, view, "typed", 20), Round(0, view.in_lang("it"), "typed", 20)
            for rnd in (english, italian):
                assert rnd.key.matches(q.answer), (q.id, q.answer)
                if q.answer_it:
                    assert rnd.key.matches(q.answer_it), (q.id, q.answer_it)
                for wrong in (*q.choices, *q.choices_it):
                    assert not rnd.key.matches(wrong), (q.id, wrong)


def test_no_marked_string_hides_inside_an_f_string() -> None:
    """Babel cannot see a translate() call inside an f-string, so its text would never reach the catalog."""
    import ast

    hidden = []
    for folder in catalogs.CODE_DIRS:
        for path in sorted((catalogs.ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    for inner in ast.walk(node):
                        if (
                            isinstance(inner, ast.Call)
                            and getattr(inner.func, "id", getattr(inner.func, "attr", ""))
                            in catalogs.KEYWORDS
                        ):
                            hidden.append(f"{path.relative_to(catalogs.ROOT)}:{inner.lineno}")
    assert not hidden


def test_charts_speak_the_readers_language() -> None:
    import datetime as dt

    from bot.charts import fan_chart, race_chart

    weeks = [(dt.date(2024, 9, 2), 10), (dt.date(2024, 9, 9), 0)]
    italian = fan_chart("Giulia", weeks, [("Storia", 3)], "it")
    assert italian.alt.startswith("Grafico di Giulia: punteggio della stagione 10")
    assert "settimana migliore quella del 2 set con 10 punti" in italian.alt
    assert fan_chart("Giulia", weeks, [("History", 3)]).alt.startswith("Chart for Giulia: 10 points")
    race = race_chart([("Giulia", weeks)], dt.date(2024, 7, 1), dt.date(2024, 10, 1), "it")
    assert "dal 1 luglio 2024: 1. Giulia 10" in race.alt and race.png.startswith(b"\x89PNG")


def test_category_autocomplete_shows_the_readers_names_and_keeps_stored_values() -> None:
    from bot.i18n import category_choices

    names = ["History", "Players", "Server quiz"]
    assert category_choices("it", names, "") == [
        ("Storia", "History"),
        ("Giocatori", "Players"),
        ("Server quiz", "Server quiz"),
    ]
    assert category_choices("it", names, "stor") == [("Storia", "History")]
    assert category_choices("it", names, "hist") == [("Storia", "History")]
    assert category_choices("en", names, "play") == [("Players", "Players")]
