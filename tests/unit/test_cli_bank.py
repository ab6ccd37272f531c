"""`calcio-quiz bank import|validate|export` share the importers with /bank."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot import PROJECT_ROOT
from bot.cli import main
from tests.conftest import seed_data_dir

CSV = "question,answer,choices,category\nWho won in Dublin?,Atalanta,Inter|Milan|Roma,Finals\n"


@pytest.fixture
def cli_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_database_url: str, template_db: Path
) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(PROJECT_ROOT / "content", tmp_path / "content")
    if not test_database_url:  # migrated and synced, like the PostgreSQL copy (the same content, copied)
        seed_data_dir(tmp_path / "data", template_db)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path / "content"))
    monkeypatch.setenv("DATABASE_URL", test_database_url)  # '' = the SQLite file in DATA_DIR
    return tmp_path


def test_validate_reports_problems(cli_env: Path, capsys) -> None:
    good, bad = cli_env / "good.csv", cli_env / "bad.csv"
    good.write_text(CSV)
    bad.write_text(CSV + "No answer?,,,Finals\n")
    assert main(["bank", "validate", str(good)]) == 0
    assert "1 valid, 0 rejected (csv)" in capsys.readouterr().out
    assert main(["bank", "validate", str(bad)]) == 1
    assert "line 3: answer" in capsys.readouterr().err


def test_import_for_a_guild_then_export(cli_env: Path, capsys) -> None:
    src = cli_env / "b.csv"
    src.write_text(CSV)
    assert main(["bank", "import", str(src), "--guild", "42"]) == 0
    assert "1 added" in capsys.readouterr().out
    out = cli_env / "out.yaml"
    assert main(["bank", "export", "--guild", "42", "--out", str(out)]) == 0
    doc = yaml.safe_load(out.read_text())
    assert doc["questions"][0]["answer"] == "Atalanta"


def test_import_without_guild_makes_a_builtin_bank(cli_env: Path, capsys) -> None:
    src = cli_env / "Finals Quiz.csv"
    src.write_text(CSV)
    assert main(["bank", "import", str(src)]) == 0
    target = cli_env / "content" / "banks" / "finals-quiz.yaml"
    assert target.exists()
    assert main(["content", "check"]) == 0
    assert main(["bank", "import", str(src)]) == 1  # never overwrites
    assert "exists" in capsys.readouterr().err


def test_missing_file_is_one_line(cli_env: Path, capsys) -> None:
    assert main(["bank", "validate", "nope.csv"]) == 1
    assert "cannot read nope.csv" in capsys.readouterr().err


def test_deep_nesting_is_one_located_line_in_the_cli(cli_env: Path, capsys) -> None:
    deep = cli_env / "deep.yaml"
    deep.write_text("bank: x\nquestions:\n- " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert main(["bank", "validate", str(deep)]) == 1
    err = capsys.readouterr().err
    assert "line 3: nested too deeply" in err and "Traceback" not in err
    (cli_env / "content" / "banks" / "deep.yaml").write_text(deep.read_text())
    assert main(["content", "check"]) == 1
    err = capsys.readouterr().err
    assert "deep.yaml: line 3: nested too deeply" in err and "Traceback" not in err


def test_export_of_a_server_without_questions_is_one_line(cli_env: Path, capsys) -> None:
    assert main(["bank", "export", "--guild", "99"]) == 1
    captured = capsys.readouterr()
    assert "no questions of its own" in captured.err and "Traceback" not in captured.err + captured.out
    assert captured.out == ""
