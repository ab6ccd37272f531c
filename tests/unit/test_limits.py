"""Fitting text and embeds inside Discord's limits (Discord-free helpers)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.content.exporting import batches, export_files
from bot.content.formats import parse
from bot.content.schema import QuestionEntry
from bot.limits import EMBED_TOTAL_MAX, MIN_SLOT, clip, embed_size, fit_embeds, join_capped


def fact(i: int, text: int = 700, source: int = 500) -> dict:
    return {
        "title": f"On this day, {i}",
        "description": "t" * text,
        "fields": [{"name": "Date", "value": "03 March 1990"}, {"name": "Source", "value": "s" * source}],
        "footer": {"text": f"fact {i}"},
    }


def test_fit_trims_sources_before_texts() -> None:
    embeds = [fact(i) for i in range(5)]
    assert sum(embed_size(e) for e in embeds) > EMBED_TOTAL_MAX
    fitted, dropped = fit_embeds(embeds)
    assert dropped == 0 and len(fitted) == 5
    assert sum(embed_size(e) for e in fitted) <= EMBED_TOTAL_MAX
    assert all(e["description"] == "t" * 700 for e in fitted)  # the facts themselves are whole
    assert all(e["fields"][1]["value"].endswith("…") for e in fitted)
    assert embeds[0]["fields"][1]["value"] == "s" * 500  # the input is not changed


def test_fit_trims_texts_then_drops_embeds() -> None:
    fitted, dropped = fit_embeds([fact(i, text=4000, source=1000) for i in range(3)])
    assert dropped == 0 and sum(embed_size(e) for e in fitted) <= EMBED_TOTAL_MAX
    assert all(len(e["description"]) >= MIN_SLOT for e in fitted)
    many, dropped = fit_embeds([fact(i) for i in range(14)])
    assert len(many) == 10 and dropped == 4
    assert sum(embed_size(e) for e in many) <= EMBED_TOTAL_MAX
    tiny, dropped = fit_embeds([fact(i) for i in range(5)], budget=700)
    assert dropped >= 1 and sum(embed_size(e) for e in tiny) <= 700


@given(
    st.lists(st.tuples(st.integers(1, 4096), st.integers(1, 1024)), min_size=1, max_size=12),
    st.integers(400, EMBED_TOTAL_MAX),
)
def test_fit_always_fits(sizes: list[tuple[int, int]], budget: int) -> None:
    fitted, dropped = fit_embeds([fact(i, t, s) for i, (t, s) in enumerate(sizes)], budget)
    assert sum(embed_size(e) for e in fitted) <= budget
    assert len(fitted) + dropped == len(sizes) and len(fitted) <= 10


def test_join_capped() -> None:
    names = [f"Supporter {i:02d} of Atalanta Bergamo (+10)" for i in range(60)]
    text = join_capped(names, 500)
    assert len(text) <= 500 and text.startswith(names[0]) and text.endswith("more")
    shown = text.count("(+10)")
    assert text.endswith(f"… and {60 - shown} more")
    assert join_capped(names[:3], 500) == ", ".join(names[:3])
    assert join_capped(["x" * 50], 20) == "… and 1 more"
    assert clip("abcdef", 4) == "abc…" and clip("abc", 4) == "abc"


@given(st.lists(st.text(min_size=1, max_size=60), max_size=80), st.integers(30, 2000))
def test_join_capped_never_passes_the_limit(items: list[str], limit: int) -> None:
    assert len(join_capped(items, limit)) <= limit


def entries(n: int) -> list[QuestionEntry]:
    return [
        QuestionEntry(
            id=f"q{i}", question=f"Question {i} " + "x" * 200, answer=f"A{i}", category="C", source="s"
        )
        for i in range(n)
    ]


def test_export_files_split_into_importable_parts() -> None:
    items = entries(200)
    one = export_files(items, "yaml")
    assert len(one) == 1 and one[0].name == "calcio-quiz-bank.yaml"
    parts = export_files(items, "yaml", part_bytes=8000)
    assert len(parts) > 1 and all(len(p.data) <= 8000 for p in parts)
    assert parts[0].name == f"calcio-quiz-bank-part1-of-{len(parts)}.yaml"
    ids = [e.id for p in parts for e in parse(p.data.decode(), "yaml").entries]
    assert ids == [e.id for e in items] and sum(p.questions for p in parts) == 200
    csv_parts = export_files(items, "csv", part_bytes=8000)
    assert [e.id for p in csv_parts for e in parse(p.data.decode(), "csv").entries] == ids
    grouped = batches(parts, max_bytes=20000, max_files=2)
    assert [f for b in grouped for f in b] == parts
    assert all(len(b) <= 2 and sum(len(f.data) for f in b) <= 20000 for b in grouped)
