"""Logging set-up with a filter that keeps the token out of every log line."""

from __future__ import annotations

import logging


class RedactFilter(logging.Filter):
    """Replaces each secret in a formatted record with '[redacted]'."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, "[redacted]")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "[redacted]")
        record.msg, record.args = message, None
        return True


def setup_logging(level: str, secrets: list[str] | None = None) -> None:
    """Log to stderr at `level`, redacting `secrets`."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets or []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Keep start-up to what an operator needs: migrations say nothing unless they fail...
    quiet = logging.DEBUG if logging.getLevelName(level) == logging.DEBUG else logging.WARNING
    logging.getLogger("alembic").setLevel(quiet)
    # ...and a bot without voice doesn't warn that voice libraries are missing.
    import discord.voice_client

    discord.voice_client.VoiceClient.warn_nacl = False
    discord.voice_client.VoiceClient.warn_dave = False
