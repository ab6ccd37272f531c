"""Question-bank import and export: the project's YAML, Red-DiscordBot trivia lists, Open Trivia DB JSON
and CSV. Everything is validated before anything is written.

CSV header (UTF-8, comma-separated, first row):
    id,question,answer,aliases,choices,category,difficulty,source
`aliases` and `choices` hold several values separated by `|`; only question and answer are required.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterable, Sized
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from bot.content import safe_yaml
from bot.content.loader import MAX_FILE_BYTES
from bot.content.schema import BankFile, QuestionEntry
from bot.content.yamlio import dump_yaml

MAX_QUESTIONS = 5000
Format = Literal["yaml", "red", "opentdb", "csv"]
FORMATS: tuple[Format, ...] = ("yaml", "red", "opentdb", "csv")
CSV_FIELDS = ["id", "question", "answer", "aliases", "choices", "category", "difficulty", "source"]
RED_RESERVED = {"AUTHOR", "CONFIG", "DESCRIPTION"}
MAX_DEPTH = safe_yaml.MAX_DEPTH
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class BankFileError(ValueError):
    """The whole file is unusable (size, encoding, syntax, shape)."""


@dataclass
class Parsed:
    """Valid entries and per-entry problems (`where`: line or entry number)."""

    entries: list[QuestionEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 text of an uploaded file within the size limit, or BankFileError."""
    if len(data) > MAX_FILE_BYTES:
        raise BankFileError(
            f"The file is {len(data) / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB."
        )
    if b"\x00" in data:
        raise BankFileError("That looks like a binary file, not a text question bank.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BankFileError(f"The file isn't UTF-8 text (bad byte at position {exc.start}).") from None


def guess_format(filename: str, text: str) -> Format:
    """Pick the format from the file name, then the content."""
    name = filename.lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".json"):
        return "opentdb"
    stripped = text.lstrip()
    if stripped.startswith("{") and '"results"' in stripped[:2000]:
        return "opentdb"
    if any(line.startswith(("bank:", "questions:")) for line in text.splitlines()[:50]):
        return "yaml"
    return "red"


def slug_for(text: str) -> str:
    """A stable id for a question that came without one: from its text."""
    return (
        "h" + hashlib.sha1(" ".join(text.casefold().split()).encode(), usedforsecurity=False).hexdigest()[:12]
    )


def _entry(raw: dict[str, Any], where: str, parsed: Parsed, default_category: str) -> None:
    raw = {k: v for k, v in raw.items() if v not in (None, "", [])}
    raw.setdefault("category", default_category)
    raw.setdefault("source", "imported")
    if "question" in raw and "id" not in raw:
        raw["id"] = slug_for(str(raw["question"]))
    try:
        parsed.entries.append(QuestionEntry.model_validate(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        fld = ".".join(str(p) for p in first["loc"])
        msg = str(first["msg"]).removeprefix("Value error, ")
        parsed.problems.append(f"{where}: {fld}: {msg}" if fld else f"{where}: {msg}")


def _yaml_load(text: str) -> Any:
    try:
        return safe_yaml.load(text)
    except safe_yaml.UnsafeYAML as exc:
        if str(exc).startswith("line ") and "not valid YAML" in str(exc):
            raise BankFileError(f"Not valid YAML at line {exc.line}.") from None
        raise BankFileError(f"Refused at {exc}.") from None


def _deep_json_line(text: str, max_depth: int) -> int | None:
    """The line where `text` (JSON) first nests deeper than `max_depth`, strings skipped."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        piece = match.group()
        if piece in "[{":
            depth += 1
            if depth > max_depth:
                return text.count("\n", 0, match.start()) + 1
        elif piece in "]}":
            depth -= 1
    return None


def _json_load(text: str) -> Any:
    line = _deep_json_line(text, MAX_DEPTH)
    if line is not None:
        raise BankFileError(f"Refused at line {line}: nested too deeply (over {MAX_DEPTH} levels).")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BankFileError(f"Not valid JSON at line {exc.lineno}.") from None


def _cap(items: Sized) -> None:
    """Refuse a file with too many entries before validating any of them."""
    if len(items) > MAX_QUESTIONS:
        raise BankFileError(f"The file has over {MAX_QUESTIONS} questions; split it up.")


def parse(text: str, fmt: Format, default_category: str = "Custom") -> Parsed:
    """Parse `text` in `fmt` into validated entries and located problems (duplicates included)."""
    parsed = Parsed()
    if fmt == "yaml":
        data = _yaml_load(text)
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            raise BankFileError("A Calcio Quiz YAML bank needs a `questions:` list.")
        _cap(data["questions"])
        for i, raw in enumerate(data["questions"], 1):
            if not isinstance(raw, dict):
                parsed.problems.append(f"entry {i}: expected a mapping")
                continue
            _entry(dict(raw), f"entry {i}", parsed, default_category)
    elif fmt == "red":
        data = _yaml_load(text)
        if not isinstance(data, dict):
            raise BankFileError("A Red trivia list maps each question to a list of answers.")
        _cap([q for q in data if str(q) not in RED_RESERVED])
        for i, (question, answers) in enumerate(data.items(), 1):
            if str(question) in RED_RESERVED:
                continue
            if not isinstance(answers, list) or not answers:
                parsed.problems.append(f"entry {i} ({str(question)[:40]!r}): needs a list of answers")
                continue
            answers = [str(a) for a in answers]
            _entry(
                {"question": str(question), "answer": answers[0], "aliases": answers[1:]},
                f"entry {i}",
                parsed,
                default_category,
            )
    elif fmt == "opentdb":
        data = _json_load(text)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            raise BankFileError("An Open Trivia DB file needs a `results` list.")
        _cap(results)
        for i, raw in enumerate(results, 1):
            if not isinstance(raw, dict):
                parsed.problems.append(f"result {i}: expected an object")
                continue
            wrong = [html.unescape(str(w)) for w in raw.get("incorrect_answers") or []]
            _entry(
                {
                    "question": html.unescape(str(raw.get("question", ""))),
                    "answer": html.unescape(str(raw.get("correct_answer", ""))),
                    "choices": wrong if len(wrong) == 3 else [],
                    "category": html.unescape(str(raw.get("category") or default_category)),
                    "difficulty": raw.get("difficulty") or "medium",
                    "source": "Open Trivia Database",
                },
                f"result {i}",
                parsed,
                default_category,
            )
    elif fmt == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            missing = {"question", "answer"} - set(reader.fieldnames or [])
            if missing:
                raise BankFileError(
                    f"The CSV header needs the columns: {', '.join(CSV_FIELDS)} (missing "
                    f"{', '.join(sorted(missing))})."
                )
            rows = [(reader.line_num, row) for row in reader]
            _cap(rows)
            for line, row in rows:
                raw: dict[str, Any] = {
                    k: _from_cell(v or "").strip() for k, v in row.items() if k in CSV_FIELDS
                }
                for key in ("aliases", "choices"):
                    raw[key] = [v.strip() for v in raw.get(key, "").split("|") if v.strip()]
                _entry(raw, f"line {line}", parsed, default_category)
        except csv.Error as exc:
            raise BankFileError(f"Not valid CSV at line {reader.line_num}: {exc}.") from None
    else:
        raise BankFileError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    _flag_duplicates(parsed)
    return parsed


def _flag_duplicates(parsed: Parsed) -> None:
    seen: dict[str, int] = {}
    kept: list[QuestionEntry] = []
    for index, entry in enumerate(parsed.entries, 1):
        key = " ".join(entry.question.casefold().split())
        if key in seen or any(e.id == entry.id for e in kept):
            parsed.problems.append(
                f"question {index} ({entry.question[:40]!r}): duplicate of question {seen.get(key)}"
            )
            continue
        seen[key] = index
        kept.append(entry)
    parsed.entries = kept


def export(
    entries: Iterable[QuestionEntry], fmt: Format, bank: str = "server-bank", title: str = "Server bank"
) -> str:
    """Serialise entries in `fmt` so that `parse` gives them back."""
    items = list(entries)
    if fmt == "yaml":
        doc = BankFile(bank=bank, title=title, questions=items).model_dump(mode="json", exclude_none=True)
        return dump_yaml(doc, allow_unicode=True, sort_keys=False, width=120)
    if fmt == "red":
        doc = {"AUTHOR": title, **{e.question: [e.answer, *e.aliases] for e in items}}
        return dump_yaml(doc, allow_unicode=True, sort_keys=False, width=120)
    if fmt == "opentdb":
        results = [
            {
                "category": html.escape(e.category),
                "type": "multiple" if e.choices else "text",
                "difficulty": e.difficulty,
                "question": html.escape(e.question),
                "correct_answer": html.escape(e.answer),
                "incorrect_answers": [html.escape(c) for c in e.choices],
            }
            for e in items
        ]
        return json.dumps({"response_code": 0, "results": results}, ensure_ascii=False, indent=1)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for e in items:
        row = {
            "id": e.id,
            "question": e.question,
            "answer": e.answer,
            "aliases": "|".join(e.aliases),
            "choices": "|".join(e.choices),
            "category": e.category,
            "difficulty": e.difficulty,
            "source": e.source,
        }
        writer.writerow({k: _to_cell(v) for k, v in row.items()})
    return out.getvalue()


def _to_cell(value: str) -> str:
    """Quote a value a spreadsheet would run as a formula (OWASP: prefix a single quote)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _from_cell(value: str) -> str:
    """Undo `_to_cell`: a quote in front of a formula start was added by the export."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value
