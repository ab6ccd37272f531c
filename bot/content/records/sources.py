"""The vendored openfootball files (content/records/openfootball/) and what each one holds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.content.records.football_txt import ParseResult, parse_text
from bot.content.records.model import Match

RECORDS_DIR = Path("records") / "openfootball"

# file name -> competition slug; the folder gives the season ("2023-24") or the tournament year.
COMPETITIONS = {
    "1-seriea.txt": "serie-a",
    "2-serieb.txt": "serie-b",
    "cup.txt": "coppa-italia",  # italy/…/cup.txt; the World Cup's cup.txt is told apart by its folder
    "cl.txt": "champions-league",
    "el.txt": "europa-league",
    "conf.txt": "conference-league",
    "clq.txt": "champions-league-qualifying",
    "elq.txt": "europa-league-qualifying",
    "confq.txt": "conference-league-qualifying",
    "cup_finals.txt": "world-cup",
    "euro.txt": "euro",
}
COMPETITION_NAMES = {
    "serie-b": "Serie B",
    "champions-league-qualifying": "Champions League qualifying",
    "europa-league-qualifying": "Europa League qualifying",
    "conference-league-qualifying": "Conference League qualifying",
    "serie-a": "Serie A",
    "coppa-italia": "Coppa Italia",
    "champions-league": "Champions League",
    "europa-league": "Europa League",
    "conference-league": "Conference League",
    "world-cup": "World Cup",
    "euro": "European Championship",
}
COMPETITION_NAMES_IT = {
    "serie-b": "Serie B",
    "champions-league-qualifying": "qualificazioni di Champions League",
    "europa-league-qualifying": "qualificazioni di Europa League",
    "conference-league-qualifying": "qualificazioni di Conference League",
    "serie-a": "Serie A",
    "coppa-italia": "Coppa Italia",
    "champions-league": "Champions League",
    "europa-league": "Europa League",
    "conference-league": "Conference League",
    "world-cup": "Mondiali",
    "euro": "Europei",
}


@dataclass(frozen=True)
class RecordFile:
    """One vendored file: its path relative to the content folder, competition and season."""

    path: Path
    relative: str
    competition: str
    season: str


def record_files(content_dir: Path) -> list[RecordFile]:
    """Every vendored Football.TXT file, in a stable order."""
    root = content_dir / RECORDS_DIR
    out: list[RecordFile] = []
    for path in sorted(root.glob("*/*/*.txt")):
        repo, folder = path.parts[-3], path.parts[-2]
        competition = "world-cup" if repo == "worldcup" else COMPETITIONS.get(path.name)
        if competition is None:
            continue
        season = folder.split("--")[0]
        out.append(RecordFile(path, path.relative_to(content_dir).as_posix(), competition, season))
    return out


def sources_digest(content_dir: Path) -> str:
    """A hash of every vendored record file (names and bytes)."""
    digest = hashlib.sha256()
    for f in record_files(content_dir):
        digest.update(f.relative.encode())
        digest.update(f.path.read_bytes())
    return digest.hexdigest()


def load_records(content_dir: Path) -> tuple[list[Match], list[str]]:
    """Parse every vendored file: all matches and all problems (`file:line: why: text`)."""
    matches: list[Match] = []
    problems: list[str] = []
    for f in record_files(content_dir):
        result: ParseResult = parse_text(
            f.path.read_text(encoding="utf-8"), f.relative, f.competition, f.season
        )
        matches += result.matches
        problems += result.problems
    return matches, problems
