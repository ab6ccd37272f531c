"""Calcio Quiz: a Discord trivia and facts bot for football fans."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout the package runs from (content/ and data/ live beside the packages)."""
