"""A server bank's export as files that Discord accepts and `/bank import` reads back. Discord-free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.content.formats import Format, export
from bot.content.loader import MAX_FILE_BYTES
from bot.content.schema import QuestionEntry

EXTENSION = {"yaml": "yaml", "red": "yaml", "opentdb": "json", "csv": "csv"}


@dataclass(frozen=True)
class ExportFile:
    name: str
    data: bytes
    questions: int


def export_files(
    entries: Sequence[QuestionEntry], fmt: Format, *, part_bytes: int = MAX_FILE_BYTES
) -> list[ExportFile]:
    """The export as one file, or, when it is larger than `part_bytes` (the import limit), split into
    parts of whole questions, each under `part_bytes` and each a complete bank file that imports alone."""
    ext = EXTENSION[fmt]
    whole = export(entries, fmt).encode()
    if len(whole) <= part_bytes or len(entries) <= 1:
        return [ExportFile(f"calcio-quiz-bank.{ext}", whole, len(entries))]
    chunks: list[tuple[bytes, int]] = []
    start = 0
    per_part = max(int(len(entries) * part_bytes / len(whole) * 0.95), 1)  # a first guess, then halved
    while start < len(entries):
        size = per_part
        while True:
            data = export(entries[start : start + size], fmt).encode()
            if len(data) <= part_bytes or size == 1:
                break
            size = max(size // 2, 1)
        chunks.append((data, min(size, len(entries) - start)))
        start += size
    total = len(chunks)
    return [
        ExportFile(f"calcio-quiz-bank-part{i}-of-{total}.{ext}", data, count)
        for i, (data, count) in enumerate(chunks, 1)
    ]


def batches(files: Sequence[ExportFile], max_bytes: int, max_files: int = 10) -> list[list[ExportFile]]:
    """Group files into messages of at most `max_files` files and `max_bytes` bytes each."""
    out: list[list[ExportFile]] = []
    for f in files:
        last = out[-1] if out else []
        fits = len(last) < max_files and sum(len(x.data) for x in last) + len(f.data) <= max_bytes
        if last and fits:
            last.append(f)
        else:
            out.append([f])
    return out
