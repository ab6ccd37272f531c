"""`python -m bot [command]`: the same as `calcio-quiz [command]`."""

import sys

from bot.cli import main

raise SystemExit(main(sys.argv[1:]))
