"""Over every question in the shipped banks: no wrong choice is ever accepted as the answer, in English or
Italian, with the club forms and surname rules the quiz uses."""

from __future__ import annotations

import pytest

from bot.content.loader import Content
from bot.quiz.engine import QuestionView, Round


def bank_questions(content: Content) -> list[QuestionView]:
    return [
        QuestionView(
            q.id,
            q.question,
            q.answer,
            tuple(q.aliases),
            tuple(q.choices),
            q.category,
            q.difficulty,
            text_it=q.question_it,
            answer_it=q.answer_it,
            choices_it=tuple(q.choices_it or ()),
        )
        for bank in content.banks
        for q in bank.questions
    ]


@pytest.fixture(scope="module")
def questions(shipped_content: Content) -> list[QuestionView]:
    return bank_questions(shipped_content)


@pytest.mark.parametrize("lang", ["en", "it"])
def test_no_wrong_choice_is_accepted(questions: list[QuestionView], lang: str) -> None:
    assert len(questions) > 100
    accepted = []
    for question in questions:
        shown = question.in_lang(lang)
        rnd = Round(0, shown, "typed", 20)
        for wrong in (*shown.choices, *shown.refused):
            if rnd.key.matches(wrong):
                accepted.append((question.id, shown.answer, wrong))
    assert accepted == []
