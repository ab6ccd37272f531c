"""SHARD_COUNT and SHARD_IDS: read from the environment, checked together, one clear line when wrong."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for key in ("SHARD_COUNT", "SHARD_IDS"):
        monkeypatch.delenv(key, raising=False)


def test_unset_means_discord_decides() -> None:
    settings = load_settings()
    assert settings.shard_count is None and settings.shard_ids is None


@pytest.mark.parametrize(
    ("raw", "ids"), [("0,1", [0, 1]), ("2-3", [2, 3]), (" 0, 2-3 ", [0, 2, 3]), ("", None)]
)
def test_ids_from_the_environment(monkeypatch: pytest.MonkeyPatch, raw: str, ids: list[int] | None) -> None:
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", raw)
    settings = load_settings()
    assert settings.shard_count == 4 and settings.shard_ids == ids


@pytest.mark.parametrize(
    ("count", "ids", "says"),
    [
        ("", "0,1", "SHARD_IDS needs SHARD_COUNT"),
        ("2", "2", "between 0 and SHARD_COUNT-1"),
        ("2", "0,0", "distinct"),
        ("2", "one", "SHARD_IDS"),
        ("0", "", "SHARD_COUNT"),
    ],
)
def test_wrong_shards_stop_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch, count: str, ids: str, says: str
) -> None:
    monkeypatch.setenv("SHARD_COUNT", count)
    monkeypatch.setenv("SHARD_IDS", ids)
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert says in str(err.value) and "\n" not in str(err.value)
