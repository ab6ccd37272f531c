"""The scoring rule (also in the README).

- Base points by difficulty: easy 10, medium 20, hard 30.
- Typed mode: the first correct message wins the full base; nobody else scores on that question.
  After a hint it wins less: 75% of the base after the first hint, 50% after the second (rounded).
- Buttons mode: everyone who picks the right button scores, more for answering sooner:
  base × (0.5 + 0.5 × time left / time limit), rounded; so between half and all of the base.
- Wrong answers score 0 but count as answers for accuracy.
"""

from __future__ import annotations

BASE_POINTS = {"easy": 10, "medium": 20, "hard": 30}
HINT_FACTORS = (1.0, 0.75, 0.5)  # share of the base a typed answer wins after 0, 1 or 2 hints


def base_points(difficulty: str) -> int:
    """Points for a question of this difficulty (unknown difficulties count as medium)."""
    return BASE_POINTS.get(difficulty, BASE_POINTS["medium"])


def typed_points(difficulty: str, hints_shown: int = 0) -> int:
    """Points for winning a typed question after `hints_shown` hints."""
    factor = HINT_FACTORS[min(max(hints_shown, 0), len(HINT_FACTORS) - 1)]
    return round(base_points(difficulty) * factor)


def button_points(difficulty: str, elapsed: float, limit: float) -> int:
    """Points for a right button press `elapsed` seconds into a `limit`-second question."""
    base = base_points(difficulty)
    left = 0.0 if limit <= 0 else min(max(1.0 - elapsed / limit, 0.0), 1.0)
    return max(round(base * (0.5 + 0.5 * left)), (base + 1) // 2)
