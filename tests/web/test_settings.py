"""Where the bot's links point: WEB_PUBLIC_URL, else the web server's own host and port."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings, load_settings


def test_links_use_the_public_address(settings: Settings) -> None:
    assert settings.web_base == "http://127.0.0.1:8080"
    moved = load_settings(data_dir=settings.data_dir, web_port=9000, web_host="0.0.0.0")  # noqa: S104
    assert moved.web_base == "http://0.0.0.0:9000"
    public = load_settings(data_dir=settings.data_dir, web_public_url="https://quiz.example.org/")
    assert public.web_base == "https://quiz.example.org"


@pytest.mark.parametrize(("key", "value"), [("web_public_url", "quiz.example.org"), ("web_port", 70000)])
def test_bad_web_settings_are_one_line(settings: Settings, key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=key.upper()):
        load_settings(data_dir=settings.data_dir, **{key: value})
