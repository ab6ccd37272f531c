"""The scoring rule (also in the README).

- Base points by difficulty: easy 10, medium 20, hard 30.
- Typed mode: the first correct message wins the full base; nobody else scores on that question.
- Buttons mode: everyone who picks the right button scores, more for answering sooner:
  base × (0.5 + 0.5 × time left / time limit), rounded; so between half and all of the base.
- Wrong answers score 0 but count as answers for accuracy.
"""

from __future__ import annotations

BASE_POINTS = {"easy": 10, "medium": 20, "hard": 30}


def base_points(difficulty: str) -> int:
    """Points for a question of this difficulty (unknown difficulties count as medium)."""
    return BASE_POINTS.get(difficulty, BASE_POINTS["medium"])


def typed_points(difficulty: str) -> int:
    """Points for winning a typed question."""
    return base_points(difficulty)


def button_points(difficulty: str, elapsed: float, limit: float) -> int:
    """Points for a right button press `elapsed` seconds into a `limit`-second question."""
    base = base_points(difficulty)
    left = 0.0 if limit <= 0 else min(max(1.0 - elapsed / limit, 0.0), 1.0)
    return max(round(base * (0.5 + 0.5 * left)), (base + 1) // 2)
