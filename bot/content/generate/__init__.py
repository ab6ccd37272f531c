"""Generated content: question banks and an on-this-day fact pack built from the match records.

`build(content_dir)` is deterministic (same files in, same entries out, same order) and validated by the
same models as the hand-written files. `content_digest(content_dir)` hashes everything the content
depends on (YAML files, records, club table, and this package's code), so a start-up whose digest is
unchanged skips both the build and the sync.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.content.generate.context import Records
from bot.content.generate.facts import FACT_PACK, generate_facts
from bot.content.generate.questions import generate_questions
from bot.content.schema import BankFile, FactFile

CONTENT_CODE = Path(__file__).parent.parent  # bot/content: loading, validation, clubs, records, generation
STORABLE = CONTENT_CODE.parent / "storable.py"  # the text cleaning every stored entry goes through
BANK_TITLES = {
    "serie-a-tables": "Serie A final tables, 2013-14 to 2024-25",
    "serie-a-runs": "Serie A unbeaten runs",
    "serie-a-biggest-wins": "Serie A biggest wins",
    "serie-a-matches": "Serie A derbies, big wins and Atalanta's matches",
    "club-cups": "Coppa Italia and European club competitions",
    "nations": "World Cups and European Championships",
}
REFERENCE = "openfootball match records (CC0), content/records/openfootball; see its SOURCES for the commits"


@dataclass(frozen=True)
class Generated:
    """The generated banks (one per template) and fact pack, validated."""

    banks: list[BankFile]
    packs: list[FactFile]


def build(content_dir: Path) -> Generated:
    """Parse the records and generate every question and fact; raises if any entry is invalid."""
    records = Records.load(content_dir)
    if records.problems:
        raise ValueError(f"{len(records.problems)} unreadable record lines (see `calcio-quiz content check`)")
    banks = [
        BankFile.model_validate(
            {
                "bank": f"gen-{name}",
                "title": BANK_TITLES[name],
                "reference": REFERENCE,
                "questions": [d.entry() for d in drafts],
            }
        )
        for name, drafts in generate_questions(records).items()
        if drafts
    ]
    facts = sorted(generate_facts(records), key=lambda f: (f.date, f.id))
    pack = FactFile.model_validate(
        {
            "pack": FACT_PACK,
            "title": "On this day, from the match records",
            "reference": REFERENCE,
            "facts": [f.entry() for f in facts],
        }
    )
    return Generated(banks, [pack])


def code_files() -> list[Path]:
    """The code that shapes the stored content: a change to any of it re-syncs at the next start."""
    return sorted([*CONTENT_CODE.rglob("*.py"), STORABLE])


def content_digest(content_dir: Path) -> str:
    """A hash of every content source and of the code that turns the records into content."""
    digest = hashlib.sha256()
    files = sorted(p for p in content_dir.rglob("*") if p.is_file() and p.suffix in (".yaml", ".txt", ".md"))
    for path in (*files, *code_files()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
