"""The offline demo (as a real command) and terminal play driven through its input.

The commands run in processes forked from a warm server (tests/warm_process.py), but for one: the bare
`python -m bot` runs in a fresh interpreter, as a user types it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot import PROJECT_ROOT
from bot.quiz.engine import QuestionView
from bot.quiz.scoring import typed_points
from bot.terminal import bank_questions, choose
from tests import warm_process

pytestmark = pytest.mark.e2e


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"} | {"DISCORD_TOKEN": ""}


def run(args: list[str], stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m bot *args` in a process forked from the warm server."""
    return warm_process.run(["-m", "bot", *args], input=stdin, env=env(), cwd=PROJECT_ROOT, timeout=timeout)


def test_demo_runs_every_step() -> None:
    done = run(["demo"])
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    out = done.stdout
    assert "All 10 steps got the expected reply" in out
    for expected in (
        "Quiz time!",
        "got it!",
        "Final standings",
        "Leaderboard",
        "On this day",
        "Daily post ·",
    ):
        assert expected in out
    assert "Traceback" not in out + done.stderr


@pytest.fixture(scope="module")
def seven() -> list[QuestionView]:
    """The two questions `play --questions 2 --seed 7` asks."""
    return choose(bank_questions(PROJECT_ROOT / "content"), 2, seed=7)


def test_play_in_terminal(seven: list[QuestionView]) -> None:
    first, second = seven
    done = run(
        ["play", "--questions", "2", "--seed", "7", "--seconds", "5"],
        stdin=f"definitely wrong\n{first.answer.upper()}\nnot it either\n",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert first.text[:40] in out and second.text[:40] in out
    assert "Not quite, try again." in out
    assert f"Correct! +{typed_points(first.difficulty)}" in out
    assert f"The answer was {second.answer}." in out
    assert f"Final score: {typed_points(first.difficulty)}" in out


def test_play_buttons_mode() -> None:
    done = run(
        ["play", "--questions", "1", "--seed", "3", "--mode", "buttons", "--seconds", "5"], stdin="9\n"
    )
    assert done.returncode == 0
    assert "Type a number from 1 to 4." in done.stdout and "Final score: 0" in done.stdout


def test_no_token_no_command_explains() -> None:
    """A fresh interpreter (`python -m bot`, nothing imported yet), unlike the other commands here."""
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env(),
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert done.returncode == 0
    assert "DISCORD_TOKEN" in done.stdout and "calcio-quiz demo" in done.stdout


def test_play_in_italian(seven: list[QuestionView]) -> None:
    first, second = seven
    first_it, second_it = first.in_lang("it"), second.in_lang("it")
    assert first_it.text != first.text and second_it.text != second.text  # the bank has Italian text
    done = run(
        ["play", "--lang", "it", "--questions", "2", "--seed", "7", "--seconds", "5"],
        stdin=f"sicuramente sbagliato\n{first.answer}\nnemmeno questa\n",  # English answers count too
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert first_it.text[:40] in out and second_it.text[:40] in out
    assert "Domanda 1/2" in out and "Scrivi la tua risposta entro 5 s." in out
    assert "Non proprio, riprova." in out
    assert f"Esatto! +{typed_points(first.difficulty)}" in out
    assert f"La risposta esatta era {second_it.answer}." in out
    assert f"Punteggio finale: {typed_points(first.difficulty)}" in out
    assert "Question" not in out and "Final score" not in out


def test_demo_in_italian() -> None:
    done = run(["demo", "--lang", "it"])
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    out = done.stdout
    assert "Tutti i 10 passaggi hanno avuto la risposta attesa" in out
    for expected in (
        "**Si gioca!** 2 domande, risposte scritte",
        "Domanda 1/2",
        "ha indovinato! La risposta esatta era",
        "Classifica finale",
        "Classifica — tutti i tempi",
        "Accadde oggi, 22 maggio 2024",
        "Post quotidiano impostato",
    ):
        assert expected in out, expected
    assert "23 maggio**" in out  # the daily post's headline ("Accadde oggi" or "La curiosità del giorno")
    for english in ("Quiz time!", "got it!", "Final standings", "On this day", "Fact of the day"):
        assert english not in out, english
    assert "Traceback" not in out + done.stderr
