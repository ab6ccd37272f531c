"""Hints: initials and letter count, then half the letters, never more than half; a number gets a clue."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.quiz.announce import SOURCE_MAX, hint_text, source_line
from bot.quiz.hints import MASK, build_hint, is_number, revealed


def shown_count(answer: str, pattern: str) -> int:
    assert len(pattern) == len(answer)
    return sum(1 for a, p in zip(answer, pattern, strict=True) if a.isalnum() and p == a)


@pytest.mark.parametrize(
    ("answer", "first", "second"),
    [
        ("Ademola Lookman", "A______ L______", "A_e_o_a L_o_m__"),
        ("Alessandro Del Piero", "A_________ D__ P____", "A_e_s_n___ D_l P_e_o"),
        ("AC Milan", "A_ M____", "A_ M_l__"),
        ("Gigi Riva", "G___ R___", "G_g_ R_v_"),
        ("Sant'Elia", "S___'E___", "S_n_'E_i_"),
    ],
)
def test_initials_then_half_the_letters(answer: str, first: str, second: str) -> None:
    assert build_hint(answer, 1).pattern == first
    assert build_hint(answer, 2).pattern == second
    letters = sum(c.isalnum() for c in answer)
    assert shown_count(answer, second) == letters // 2


def test_numbers_get_a_clue_not_initials() -> None:
    year = build_hint("1982", 1)
    assert year.pattern == "____" and year.digits == 4
    assert build_hint("1982", 2).pattern == "19__"
    assert hint_text("en", year, 1) == "Hint 1: `____` A number with 4 digits."
    seven = build_hint("7", 1)
    assert seven.pattern == "_" and seven.parity == "odd"
    assert "odd number" in hint_text("en", seven, 1)
    assert is_number("2-1") and not is_number("Inter 2-1")


def test_tiny_answers_reveal_nothing_beyond_half() -> None:
    assert build_hint("X", 1).pattern == "_"
    assert build_hint("X", 2).pattern == "_"
    assert build_hint("A B C D", 1).pattern == "A B _ _"  # initials stop at half


def test_italian_clue_is_translated() -> None:
    assert hint_text("it", build_hint("1982", 1), 1) != hint_text("en", build_hint("1982", 1), 1)


answers = st.text(
    alphabet=st.sampled_from("abcdeèéìòùXYZ0123456789 -'.ß"), min_size=0, max_size=40
) | st.text(max_size=30)


@given(answers, st.integers(min_value=0, max_value=5))
def test_a_hint_never_shows_more_than_half(answer: str, level: int) -> None:
    hint = build_hint(answer, level)
    chars = sum(c.isalnum() for c in answer)
    assert shown_count(answer, hint.pattern) <= chars // 2
    assert len(revealed(answer, level)) <= chars // 2
    # what is not alphanumeric (spaces, hyphens, apostrophes) is kept as is, the rest masked or shown
    for a, p in zip(answer, hint.pattern, strict=True):
        assert p == a or (a.isalnum() and p == MASK)


@given(answers)
def test_the_second_hint_shows_at_least_what_the_first_did(answer: str) -> None:
    assert revealed(answer, 1) <= revealed(answer, 2)


def test_source_line_is_one_trimmed_line() -> None:
    long = "A sentence\nfrom the article " + "very " * 200 + "long."
    line = source_line("en", long)
    assert line.startswith("Source: A sentence from the article very") and "\n" not in line
    assert len(line) <= len("Source: ") + SOURCE_MAX and line.endswith("…")
    assert source_line("en", "  ") == ""
    assert source_line("it", "Gazzetta").startswith("Fonte: ")
