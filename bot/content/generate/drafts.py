"""Question drafts: the fields of a bank entry, plus the key that says what the question asks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.content.clubs import Club, key


@dataclass
class Draft:
    """One generated question. `asks` identifies the fact asked, so two drafts never ask the same."""

    id: str
    asks: tuple[Any, ...]
    question: str
    answer: str
    choices: list[str]
    category: str
    difficulty: str
    source: str
    competition: str
    clubs: list[str]
    question_it: str
    answer_it: str
    choices_it: list[str]
    aliases: list[str] = field(default_factory=list)

    def entry(self) -> dict[str, Any]:
        aliases = _unique(
            [*self.aliases, *([self.answer_it] if key(self.answer_it) != key(self.answer) else [])]
        )
        aliases = [a for a in aliases if key(a) != key(self.answer)]
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "aliases": aliases[:40],
            "choices": self.choices,
            "category": self.category,
            "difficulty": self.difficulty,
            "source": self.source[:1024],
            "competition": self.competition,
            "clubs": _unique(self.clubs),
            "question_it": self.question_it,
            "answer_it": self.answer_it,
            "choices_it": self.choices_it,
        }


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        k = key(item)
        if k and k not in seen:
            seen.add(k)
            out.append(item)
    return out


def club_aliases(club: Club | None) -> list[str]:
    """The typed forms of a club for a generated answer (the engine adds the rest of the table's)."""
    if club is None:
        return []
    return list(club.forms())[:30]


def stable_id(prefix: str, *parts: object) -> str:
    """A readable id that stays the same while the record it comes from does: prefix + short hash."""
    digest = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=5).hexdigest()
    return f"{prefix}-{digest}"


def nearest_other(values: Sequence[int], answer: int, n: int = 3) -> list[int] | None:
    """`n` distinct values other than `answer`, the closest to it; None when there are not enough."""
    others = sorted({v for v in values if v != answer}, key=lambda v: (abs(v - answer), v))
    return others[:n] if len(others) >= n else None


def number_choices(answer: int, pool: Sequence[int], floor: int = 0) -> list[int]:
    """Three plausible wrong numbers: the nearest from `pool` (same season or competition), topped up
    with neighbours of the answer."""
    picked = nearest_other(pool, answer) or []
    step = 1
    while len(picked) < 3:
        for cand in (answer + step, answer - step):
            if cand >= floor and cand != answer and cand not in picked and len(picked) < 3:
                picked.append(cand)
        step += 1
    return sorted(picked[:3])


def score_choices(h: int, a: int) -> list[tuple[int, int]]:
    """Three wrong scores near `h-a`, never the score itself nor its reverse (both are accepted)."""
    candidates = [(h + 1, a), (h, a + 1), (h - 1, a), (h, a - 1), (h + 1, a + 1), (h + 2, a), (h, a + 2)]
    if h != a:
        candidates.insert(2, (max(h, a) + 1, min(h, a)) if h > a else (min(h, a), max(h, a) + 1))
    out: list[tuple[int, int]] = []
    for c in candidates:
        if min(c) < 0 or c in ((h, a), (a, h)) or c in out or (c[1], c[0]) in out:
            continue
        out.append(c)
        if len(out) == 3:
            break
    return out


def score_text(score: tuple[int, int]) -> str:
    return f"{score[0]}-{score[1]}"
