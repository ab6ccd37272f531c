"""Runs a quiz game: ask, wait for the answer or the time limit, score, reveal, next; then standings.

The runner knows nothing of Discord nor of the database: a Presenter shows things (the Discord cog, or
the terminal), a Store writes them (`db.queries.quiz.QuizStore`, or the terminal's memory). Points are
written before they are announced."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
from typing import Protocol

from bot.clock import Clock
from bot.quiz.engine import Ending, QuizGame, Round, ScoreDraft
from bot.quiz.hints import LEVELS, Hint

log = logging.getLogger(__name__)


class Presenter(Protocol):
    """How a game is shown to the players."""

    async def ask(self, game: QuizGame, rnd: Round) -> int | None:
        """Show the question; return its message id if it has one."""

    async def hint(self, game: QuizGame, rnd: Round, hint: Hint) -> None:
        """Show a hint for the open question (typed questions with hints on)."""

    async def reveal(self, game: QuizGame, rnd: Round, drafts: list[ScoreDraft]) -> None:
        """Show the answer and who scored."""

    async def finish(self, game: QuizGame, reason: str) -> None:
        """Show the final standings; reason is an `Ending` value (finished, stopped, target, silent)."""


class Store(Protocol):
    """Where a game's progress is kept."""

    async def open_round(self, game: QuizGame, rnd: Round, now: dt.datetime) -> int:
        """Record that the round was asked; return its id."""

    async def set_message(self, round_id: int, message_id: int) -> None:
        """Remember the message that shows the round."""

    async def close_round(
        self, game: QuizGame, rnd: Round, drafts: list[ScoreDraft], now: dt.datetime
    ) -> None:
        """Write the round's results, at most once."""

    async def finish(self, game: QuizGame, state: str, now: dt.datetime) -> None:
        """Record how the game ended (finished, stopped or failed)."""


class QuizRunner:
    """Drives one game to its end. `time_scale` shrinks every wait (tests and the demo)."""

    def __init__(
        self,
        game: QuizGame,
        presenter: Presenter,
        store: Store,
        clock: Clock,
        *,
        time_scale: float = 1.0,
        pause: float = 3.0,
        rng: random.Random | None = None,
    ) -> None:
        self.game = game
        self.presenter = presenter
        self.store = store
        self.clock = clock
        self.time_scale = time_scale
        self.pause = pause
        self.rng = rng or random.Random()
        self._loop = asyncio.get_running_loop()
        self._started = self._loop.time()

    def elapsed(self, at_ms: int | None = None) -> float:
        """Question-seconds from the current question to an answer, within [0, time limit].

        `at_ms` is the answer's own time (Unix ms; on Discord, its snowflake): measured against the
        question message's own time when the presenter knows it (`Round.shown_ms`), so a slow send or a
        slow event loop can't distort it. Otherwise (no timestamps, or an answer that arrives before the
        question's send returns) the loop clock since the question was sent is used."""
        rnd = self.game.round
        if at_ms is not None and rnd is not None and rnd.shown_ms is not None:
            seconds = (at_ms - rnd.shown_ms) / 1000
        else:
            seconds = self._loop.time() - self._started
        return min(max(seconds / self.time_scale, 0.0), float(self.game.seconds))

    async def _wait(self, game: QuizGame, rnd: Round, shown: float) -> None:
        """Wait for the answer or the time limit; with hints, show one at each third of the time (the
        limit, from `shown` on the loop clock, stays the same however long showing a hint takes)."""
        steps = LEVELS + 1 if game.hints and game.mode == "typed" else 1
        limit = game.seconds * self.time_scale
        for step in range(1, steps + 1):
            left = shown + limit * step / steps - self._loop.time()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rnd.done.wait(), max(left, 0.0))
            if rnd.done.is_set() or step == steps:
                return
            hint = rnd.next_hint()
            if hint is not None:
                await self.presenter.hint(game, rnd, hint)

    async def run(self) -> None:
        game = self.game
        ending = Ending.FINISHED
        try:
            for position in range(game.total):
                if game.stopped:
                    ending = Ending.STOPPED
                    break
                rnd = game.start_round(position, self.rng)
                rnd.round_id = await self.store.open_round(game, rnd, self.clock.now())
                self._started = self._loop.time()  # answers may arrive before the send returns
                rnd.message_id = await self.presenter.ask(game, rnd)
                if rnd.message_id is not None:
                    await self.store.set_message(rnd.round_id, rnd.message_id)
                await self._wait(game, rnd, self._loop.time())
                rnd.close("timeout")
                drafts = game.outcome(rnd)
                await self.store.close_round(game, rnd, drafts, self.clock.now())
                game.add(drafts)
                await self.presenter.reveal(game, rnd, drafts)
                end = game.after_round(rnd)
                if end is not None:
                    ending = end
                    break
                await asyncio.sleep(self.pause * self.time_scale)
        except asyncio.CancelledError:
            raise  # shutting down: the session stays "running" and is recovered at start-up
        except Exception:
            try:
                await self.store.finish(game, "failed", self.clock.now())
            finally:
                try:  # the standings always show, even when the game could not go on
                    await self.presenter.finish(game, Ending.FAILED.value)
                except Exception:
                    log.exception("Could not show the standings of failed session %s", game.session_id)
            raise
        await self.store.finish(game, "stopped" if ending is Ending.STOPPED else "finished", self.clock.now())
        await self.presenter.finish(game, ending.value)
