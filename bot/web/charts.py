"""Bar geometry for the small inline SVG charts of the web pages (no JavaScript, no images to fetch)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    top: int
    summary: str  # the text fallback read by screen readers


def bar_chart(points: list[tuple[str, int]], summary: str, width: int = 320, height: int = 120) -> BarChart:
    """Vertical bars scaled to the largest value, in a `width` x `height` viewBox."""
    top = max((v for _, v in points), default=0)
    n = max(len(points), 1)
    slot = width / n
    gap = min(2.0, slot * 0.2)
    bars = []
    for i, (label, value) in enumerate(points):
        h = (value / top) * (height - 4) if top else 0.0
        bars.append(
            Bar(
                round(i * slot + gap / 2, 2),
                round(height - h, 2),
                round(slot - gap, 2),
                round(h, 2),
                label,
                value,
            )
        )
    return BarChart(width, height, bars, top, summary)
