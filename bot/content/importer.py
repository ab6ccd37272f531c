"""Import a bank file for a server: validate everything first, then write it in one transaction."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Protocol

from bot.content.formats import FORMATS, BankFileError, Format, Parsed, decode, guess_format, parse
from bot.content.schema import QuestionEntry
from bot.i18n import translate

SHOWN_PROBLEMS = 5


class BankFullError(Exception):
    """Adding these questions would pass the server's question cap."""

    def __init__(self, cap: int, have: int, adding: int) -> None:
        super().__init__(
            f"a server's bank holds at most {cap} questions, and this one has {have}"
            + (f"; these would add {adding} new." if adding > 1 else ".")
            + " Remove some with `/bank remove` first."
        )


class WriteCounts(Protocol):
    """What a write did to the server's bank."""

    added: int
    updated: int
    unchanged: int


class BankWriter(Protocol):
    """Writes validated entries into one server's bank in one transaction (all or nothing); raises
    BankFullError when they would pass the cap. The database layer provides it (db/queries/banks.py)."""

    async def __call__(self, entries: list[QuestionEntry]) -> WriteCounts: ...


@dataclass
class ImportReport:
    """What an import did: N added, M updated, K rejected, and the first problems with their location."""

    fmt: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[str] = field(default_factory=list)
    written: bool = False
    error: str | None = None

    def summary(self, lang: str | None = None) -> str:
        """The report in `lang` (the located problems themselves stay as the parser wrote them)."""
        if self.error:
            return translate(lang, "Nothing imported: {error}", error=self.error)
        head = translate(
            lang,
            "{added} added, {updated} updated, {unchanged} unchanged, {rejected} rejected ({format}).",
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            rejected=self.rejected,
            format=self.fmt,
        )
        if not self.written:
            head = (
                translate(
                    lang,
                    "Nothing imported: fix these entries, or import again with skip_bad to leave them out.",
                )
                + " "
                + head
            )
        lines = [head, *(f"• {p}" for p in self.problems[:SHOWN_PROBLEMS])]
        if len(self.problems) > SHOWN_PROBLEMS:
            lines.append(translate(lang, "… and {count} more.", count=len(self.problems) - SHOWN_PROBLEMS))
        return "\n".join(lines)


def _read(report: ImportReport, filename: str, data: bytes, fmt: str | None) -> Parsed:
    """Decode, detect (into `report.fmt`) and parse: CPU-bound, so it runs in a thread."""
    text = decode(data)
    chosen: Format = fmt if fmt in FORMATS else guess_format(filename, text)  # type: ignore[assignment]
    report.fmt = chosen
    return parse(text, chosen)


async def import_bank(
    write: BankWriter,
    filename: str,
    data: bytes,
    *,
    fmt: str | None = None,
    skip_bad: bool = False,
) -> ImportReport:
    """Validate `data`; unless problems were found (and not skipped), write it all in one transaction."""
    report = ImportReport(fmt or "?")
    try:
        parsed = await asyncio.to_thread(_read, report, filename, data, fmt)
    except BankFileError as exc:
        report.error = str(exc)
        return report
    report.problems = parsed.problems
    report.rejected = len(parsed.problems)
    if (parsed.problems and not skip_bad) or not parsed.entries:
        if not parsed.entries and not parsed.problems:
            report.error = "the file has no questions."
        return report
    try:
        result = await write(parsed.entries)
    except BankFullError as exc:
        report.error = str(exc)
        return report
    report.added, report.updated, report.unchanged = result.added, result.updated, result.unchanged
    report.written = True
    return report
