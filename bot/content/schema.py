"""The validated shape of question banks and fact packs (see content/README.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from bot.defaults import DEFAULT_DIFFICULTY, Difficulty
from bot.storable import storable_tree

# Limits that keep every field renderable in a Discord embed and a button label.
QUESTION_MAX = 300
ANSWER_MAX = 80
CHOICE_MAX = 80
FACT_MAX = 1000
SOURCE_MAX = 1024

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,59}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, str_strip_whitespace=True)
    _entries: ClassVar[str | None] = None  # a file's list of entries: each entry cleans its own text

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        """Drop characters no database stores (NUL from a JSON escape, lone surrogates)."""
        return storable_tree(value, skip=cls._entries)


class QuestionEntry(_Strict):
    """One question. `choices` are the 3 wrong options shown with the answer in buttons mode (optional:
    a question without them is played in typed mode only)."""

    id: Slug
    question: Annotated[Text, StringConstraints(max_length=QUESTION_MAX)]
    answer: Annotated[Text, StringConstraints(max_length=ANSWER_MAX)]
    aliases: list[Annotated[Text, StringConstraints(max_length=ANSWER_MAX)]] = Field(default_factory=list)
    choices: list[Annotated[Text, StringConstraints(max_length=CHOICE_MAX)]] = Field(default_factory=list)
    category: Annotated[Text, StringConstraints(max_length=60)]
    difficulty: Difficulty = DEFAULT_DIFFICULTY
    source: Annotated[Text, StringConstraints(max_length=SOURCE_MAX)]
    # What the question is about, for filters: a competition slug and club slugs (content/clubs.yaml).
    competition: Slug | None = None
    clubs: list[Slug] = Field(default_factory=list)
    # The Italian text; aliases serve both languages, so list the Italian answer's spellings there too.
    question_it: Annotated[Text, StringConstraints(max_length=QUESTION_MAX)] | None = None
    answer_it: Annotated[Text, StringConstraints(max_length=ANSWER_MAX)] | None = None
    choices_it: list[Annotated[Text, StringConstraints(max_length=CHOICE_MAX)]] = Field(default_factory=list)
    note: Text | None = None

    @field_validator("answer", "question", mode="before")
    @classmethod
    def _numbers_are_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("aliases", "choices", mode="before")
    @classmethod
    def _items_as_text(cls, value: object) -> object:
        if isinstance(value, list):
            return [str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in value]
        return value

    @model_validator(mode="after")
    def _choices_differ(self) -> QuestionEntry:
        if len(self.choices) not in (0, 3):
            raise ValueError("choices must list exactly 3 wrong answers (or none: typed mode only)")
        seen = {self.answer.casefold()}
        for choice in self.choices:
            if choice.casefold() in seen:
                raise ValueError(f"choice {choice!r} repeats the answer or another choice")
            seen.add(choice.casefold())
        if self.choices_it and len(self.choices_it) != len(self.choices):
            raise ValueError("choices_it must translate every choice (the same count as choices)")
        return self


class BankFile(_Strict):
    """A question bank file."""

    bank: Slug
    title: Text
    reference: Text | None = None
    questions: list[QuestionEntry] = Field(min_length=1)
    _entries: ClassVar[str | None] = "questions"


class FactEntry(_Strict):
    """One fact; `date` (YYYY-MM-DD) makes it an "on this day" fact and needs `date_source`."""

    id: Slug
    text: Annotated[Text, StringConstraints(max_length=FACT_MAX)]
    date: dt.date | None = None
    date_source: Literal["article", "match record"] | None = None
    tags: list[Annotated[Text, StringConstraints(max_length=60)]] = Field(default_factory=list)
    source: Annotated[Text, StringConstraints(max_length=SOURCE_MAX)]
    note: Text | None = None
    clubs: list[Slug] = Field(default_factory=list)
    text_it: Annotated[Text, StringConstraints(max_length=FACT_MAX)] | None = None

    @model_validator(mode="after")
    def _dated_needs_source(self) -> FactEntry:
        if self.date is not None and self.date_source is None:
            raise ValueError("a dated fact needs date_source ('article' or 'match record')")
        if self.date is None and self.date_source is not None:
            raise ValueError("date_source given without a date")
        return self


class FactFile(_Strict):
    """A fact pack file."""

    pack: Slug
    title: Text
    reference: Text | None = None
    facts: list[FactEntry] = Field(min_length=1)
    _entries: ClassVar[str | None] = "facts"
