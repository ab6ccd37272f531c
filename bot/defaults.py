"""Words and defaults the whole project shares: the default timezone, the difficulties, the quiz modes.

Imports nothing, so every layer (services, cogs, db) may use it."""

from __future__ import annotations

from typing import Literal

DEFAULT_TIMEZONE = "Europe/Rome"  # a server's timezone until an admin picks one

Difficulty = Literal["easy", "medium", "hard"]
DEFAULT_DIFFICULTY: Difficulty = "medium"

Mode = Literal["typed", "buttons"]  # typed answers in the channel, or multiple-choice buttons
DEFAULT_MODE: Mode = "typed"

Switch = Literal["on", "off"]  # an on/off slash option (e.g. /quiz start hints)

TeamsChoice = Literal["off", "roles"]  # /quiz start teams: play alone, or with the server's team roles
