"""Small PNG charts for Discord (matplotlib, Agg): a fan's season and the top 10's race. Discord-free.

Rendering is CPU work: call these from a thread (`asyncio.to_thread`), never on the event loop. Each
chart comes with a sentence for screen readers (the attachment's alt text)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported by the first chart, not at start-up (about 0.4 s)
    from matplotlib.figure import Figure

from bot.i18n import long_date, ntranslate, translate, when

BLUE = "#1e50a0"
GREEN = "#2e8b57"
MAX_ALT = 1024  # Discord's limit for an attachment's description


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes and its text alternative."""

    png: bytes
    alt: str


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ALT else text[: MAX_ALT - 1] + "…"


def fan_chart(
    name: str, weeks: list[tuple[dt.date, int]], categories: list[tuple[str, int]], lang: str | None = None
) -> Chart:
    """Points per week over the season (bars) beside right answers by category (horizontal bars), in
    `lang`."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.2, 2.8))
    fig.subplots_adjust(left=0.06, right=0.98, top=0.9, bottom=0.12, wspace=0.45)
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    # one collection of thick lines rather than a patch per bar: the same picture, drawn much faster
    left.vlines(
        range(len(weeks)), 0, [v for _, v in weeks], colors=BLUE, linewidth=max(1.0, 150 / max(len(weeks), 1))
    )
    left.set_ylim(bottom=0)
    left.set_xlim(-1, max(len(weeks), 1))
    left.set_title(translate(lang, "Points per week, this season"), fontsize=10)
    if weeks:
        step = max(1, len(weeks) // 6)
        ticks = list(range(0, len(weeks), step))
        left.set_xticks(ticks, [when(weeks[i][0], "d MMM", lang) for i in ticks], fontsize=8)
    left.tick_params(axis="y", labelsize=8)
    left.spines[["top", "right"]].set_visible(False)
    top = categories[:6]
    right.hlines(range(len(top)), 0, [v for _, v in reversed(top)], colors=GREEN, linewidth=14)
    right.set_yticks(range(len(top)), [c[:18] for c, _ in reversed(top)])
    right.set_xlim(left=0)
    right.set_ylim(-0.7, max(len(top), 1) - 0.3)
    right.set_title(translate(lang, "Right answers by category"), fontsize=10)
    right.tick_params(labelsize=8)
    right.spines[["top", "right"]].set_visible(False)
    if not top:
        no_answers = translate(lang, "no answers yet")
        right.text(0.5, 0.5, no_answers, ha="center", va="center", transform=right.transAxes)
    total = sum(v for _, v in weeks)
    played = sum(1 for _, v in weeks if v)
    alt = translate(
        lang,
        "Chart for {name}: {total} points this season, scored in {played} of {weeks} weeks",
        name=name,
        total=total,
        played=played,
        weeks=len(weeks),
    )
    if played:
        best = max(weeks, key=lambda w: w[1])
        alt += "; " + ntranslate(
            lang,
            "best week {day} with {n} point",
            "best week {day} with {n} points",
            best[1],
            day=when(best[0], "d MMM", lang),
        )
    by_category = ", ".join(f"{c} {v}" for c, v in categories) if categories else translate(lang, "none yet")
    alt += ". " + translate(lang, "Right answers by category: {list}", list=by_category)
    return Chart(_png(fig), _clip(alt + "."))


def race_chart(
    series: list[tuple[str, list[tuple[dt.date, int]]]],
    start: dt.date,
    today: dt.date,
    lang: str | None = None,
) -> Chart:
    """Cumulative points of each fan (best first) day by day from `start` to `today`, in `lang`."""
    from matplotlib.dates import MonthLocator, num2date
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(7.2, 3.6))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.16)
    ax = fig.subplots()
    days = max((today - start).days, 0) + 1
    axis = [start + dt.timedelta(days=i) for i in range(days)]
    finals = []
    for name, daily in series:
        per_day = dict(daily)
        running = list(accumulate(per_day.get(d, 0) for d in axis))
        ax.step(axis, running, where="post", label=name[:20], linewidth=1.6)
        finals.append((name, running[-1] if running else 0))
    ax.set_title(translate(lang, "Top 10 race, this season"), fontsize=10)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(MonthLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: when(num2date(x).date(), "LLL", lang)))
    if series:
        ax.legend(fontsize=7, loc="upper left", frameon=False, ncols=2)
    else:
        nobody = translate(lang, "no points this season yet")
        ax.text(0.5, 0.5, nobody, ha="center", va="center", transform=ax.transAxes)
    ranking = (
        "; ".join(f"{i}. {n} {p}" for i, (n, p) in enumerate(finals, 1))
        if finals
        else translate(lang, "nobody has scored")
    )
    alt = translate(
        lang,
        "Line chart of the top {count} fans' points since {day}: {ranking}",
        count=len(series),
        day=long_date(start, lang),
        ranking=ranking,
    )
    return Chart(_png(fig), _clip(alt + "."))
