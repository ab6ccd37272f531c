"""Text the bot shows: no pings, no bidirectional overrides, no invisible characters."""

from __future__ import annotations

import pytest

from bot.text import defuse, display_name, plain

HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff"


@pytest.mark.parametrize("show", [defuse, plain])
def test_bidi_controls_and_zero_width_characters_are_stripped(show) -> None:
    shown = show("\u202eevil\u2066 na\u200bme\ufeff")
    assert not set(shown) & set(HIDDEN)
    assert shown == "evil name"


def test_stripping_comes_before_mention_defusing() -> None:
    assert defuse("@\u200beveryone") == "@\u200beveryone"  # defused on purpose, once
    assert defuse("@\u202eeveryone") == "@\u200beveryone"


def test_a_name_made_only_of_hidden_characters_still_shows_something() -> None:
    class Member:
        display_name = "\u202e\u200b\u2066"

    class Guild:
        def get_member(self, _user_id: int) -> Member:
            return Member()

    assert display_name(Guild(), 1) == "unnamed member"  # type: ignore[arg-type]
