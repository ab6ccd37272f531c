"""`python -m bot` runs the bot (same as `calcio-quiz run`)."""

from bot.cli import main

raise SystemExit(main(["run"]))
