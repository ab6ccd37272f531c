"""In-memory state of the emulated Discord: guilds, channels, members, messages, interactions."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from discord_emulator import payloads as p


@dataclass
class Channel:
    id: int
    guild_id: int
    name: str
    overwrites: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    def payload(self) -> dict[str, Any]:
        return p.text_channel(self.id, self.guild_id, self.name, self.overwrites)


@dataclass
class Member:
    user_id: int
    guild_id: int
    name: str
    permissions: int
    role_ids: list[int]
    bot: bool = False

    @property
    def user(self) -> dict[str, Any]:
        return p.user(self.user_id, self.name, bot=self.bot)

    def payload(self) -> dict[str, Any]:
        return p.member(self.user, self.role_ids)

    @property
    def mention(self) -> str:
        return f"<@{self.user_id}>"


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: list[dict[str, Any]] = field(default_factory=list)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    locale: str = "en-US"  # the server's preferred locale

    def payload(self) -> dict[str, Any]:
        return p.guild(
            self.id,
            self.name,
            self.owner_id,
            self.roles,
            [c.payload() for c in self.channels.values() if not c.deleted],
            [m.payload() for m in self.members.values()],
            self.locale,
        )


@dataclass
class SentMessage:
    """A message the bot made, however it was made, with what it asked of Discord."""

    id: int
    channel_id: int
    kind: str  # "channel", "response", "followup"
    payload: dict[str, Any]
    request: dict[str, Any]
    interaction_id: int | None = None
    deleted: bool = False
    edits: int = 0
    files: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def content(self) -> str:
        return self.payload.get("content") or ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.payload.get("embeds") or []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.payload.get("components") or []

    @property
    def ephemeral(self) -> bool:
        return bool(self.payload.get("flags", 0) & 64)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.request.get("allowed_mentions")

    def buttons(self) -> list[dict[str, Any]]:
        return [c for row in self.components for c in row.get("components", []) if c.get("type") == 2]

    def text(self) -> str:
        """Content and embeds flattened to text, for assertions and transcripts."""
        parts = [self.content] if self.content else []
        for embed in self.embeds:
            for key in ("title", "description"):
                if embed.get(key):
                    parts.append(str(embed[key]))
            for fld in embed.get("fields", []):
                parts.append(f"{fld.get('name')}: {fld.get('value')}")
            if embed.get("footer", {}).get("text"):
                parts.append(embed["footer"]["text"])
        return "\n".join(parts)


@dataclass
class Interaction:
    """An interaction the emulator sent, and how the bot answered it."""

    id: int
    token: str
    type: int
    user_id: int
    channel_id: int
    guild_id: int
    payload: dict[str, Any]
    sent_at: float
    callback: dict[str, Any] | None = None
    callback_at: float | None = None
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    original_id: int | None = None
    messages: list[SentMessage] = field(default_factory=list)

    @property
    def response_type(self) -> int | None:
        return self.callback["type"] if self.callback else None

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete choices the bot returned."""
        return (self.callback or {}).get("data", {}).get("choices", [])

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.callback["data"] if self.callback and self.callback["type"] == 9 else None
