"""Config: defaults, .env, and one clear line for a bad setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import ConfigError, load_settings


def test_defaults_use_sqlite_in_data_dir(settings) -> None:
    settings = settings.model_copy(update={"database_url": ""})  # the test run may be on PostgreSQL
    assert settings.db_url.startswith("sqlite+aiosqlite:///")
    assert settings.db_url.endswith("calcio-quiz.db")
    assert settings.token is None


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    (tmp_path / ".env").write_text("DISCORD_TOKEN=abc.def\nDEV_GUILD_ID=123\nLOG_LEVEL=debug\n")
    s = load_settings()
    assert s.token == "abc.def"
    assert s.dev_guild_id == 123
    assert s.log_level == "DEBUG"
    assert "abc.def" not in repr(s)


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("DEV_GUILD_ID", "not-a-number", "DEV_GUILD_ID"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("DISCORD_API_BASE", "ftp://x", "DISCORD_API_BASE"),
        ("DAILY_POST_GRACE_MINUTES", "-5", "DAILY_POST_GRACE_MINUTES"),
        ("DATABASE_URL", "calcio.db", "DATABASE_URL"),
    ],
)
def test_bad_setting_names_the_key(
    key: str, value: str, named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert named in str(info.value)
    assert "\n" not in str(info.value)


def test_cli_reports_bad_setting_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("calcio-quiz: Invalid setting LOG_LEVEL")
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_no_token_explains_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "DISCORD_TOKEN" in out and "calcio-quiz demo" in out
    assert main(["run"]) == 2
