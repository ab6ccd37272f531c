"""Errors a user caused and can fix; cogs show their message (ephemeral) in the reader's language."""

from __future__ import annotations

from typing import Any

from bot.i18n import translate


class UserError(Exception):
    """A friendly, complete sentence for the user: bad input, a refused action, a missing thing.

    The message is an English catalog entry with `{placeholders}` filled from `values`, so it can be
    shown in any language: `UserError("No fact about {topic}.", topic=...)`.
    """

    def __init__(self, message: str, /, **values: Any) -> None:
        self.message = message
        self.values = values
        super().__init__(message.format(**values) if values else message)

    def render(self, lang: str | None) -> str:
        """The message in `lang`."""
        return translate(lang, self.message, **self.values)
