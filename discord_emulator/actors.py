"""Fans: test-facing handles that act in the emulated Discord as a member would."""

from __future__ import annotations

import secrets
from typing import Any, Protocol

from discord_emulator import payloads as p
from discord_emulator.state import Channel, Guild, Interaction, Member, SentMessage


class Emulator(Protocol):
    """What a fan needs of the emulated Discord (the server implements it; no import back to it)."""

    app_id: int
    user_messages: list[dict[str, Any]]
    global_commands: list[dict[str, Any]]
    guild_commands: dict[int, list[dict[str, Any]]]
    attachments: dict[int, tuple[str, bytes]]

    def find_channel(self, channel_id: int) -> Channel | None: ...

    async def dispatch(self, event: str, data: dict[str, Any]) -> None: ...

    async def send_interaction(self, data: dict[str, Any]) -> Interaction: ...

    async def wait_answered(self, inter: Interaction, timeout: float = 5.0) -> Interaction: ...

    def _attachment_payload(self, aid: int, name: str, data: bytes, index: int = 0) -> dict[str, Any]: ...


# Application command option types.
(
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    STRING,
    INTEGER,
    BOOLEAN,
    USER,
    CHANNEL,
    ROLE,
    MENTIONABLE,
    NUMBER,
    ATTACHMENT,
) = range(1, 12)


class CommandNotFound(LookupError):
    """The bot has not registered the command (or option) a test tried to use."""


class Fan:
    """A guild member who runs slash commands, types in channels, clicks buttons and fills modals."""

    def __init__(self, emulator: Emulator, guild: Guild, member: Member, *, locale: str = "en-GB") -> None:
        self.emulator = emulator
        self.locale = locale  # the language of this fan's Discord client
        self.guild = guild
        self.member = member
        self.channel: Channel | None = next((c for c in guild.channels.values() if not c.deleted), None)

    @property
    def id(self) -> int:
        return self.member.user_id

    @property
    def name(self) -> str:
        return self.member.name

    def _base(self, kind: int, channel: Channel) -> dict[str, Any]:
        member = self.member.payload() | {"permissions": str(self.member.permissions)}
        return {
            "id": str(p.snowflake()),
            "application_id": str(self.emulator.app_id),
            "type": kind,
            "token": secrets.token_urlsafe(24),
            "version": 1,
            "guild_id": str(self.guild.id),
            "guild": {"id": str(self.guild.id), "locale": self.guild.locale, "features": []},
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "member": member,
            "app_permissions": str(p.EVERYONE_PERMS | p.MANAGE_MESSAGES),
            "locale": self.locale,
            "guild_locale": self.guild.locale,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild.id)},
            "context": 0,
            "attachment_size_limit": 8 * 1024 * 1024,
        }

    def _command(self, name: str, kind: int = 1) -> dict[str, Any]:
        """The registered command of this type (1 slash, 2 user menu, 3 message menu) called `name`."""
        pool = self.emulator.guild_commands.get(self.guild.id, []) + self.emulator.global_commands
        for cmd in pool:
            if cmd["name"] == name and cmd.get("type", 1) == kind:
                return cmd
        what = {1: "/", 2: "user command ", 3: "message command "}.get(kind, "")
        raise CommandNotFound(f"{what}{name} is not registered")

    def _options(
        self,
        spec: list[dict[str, Any]],
        values: dict[str, Any],
        resolved: dict[str, Any],
        focused: str | None,
    ) -> list[dict[str, Any]]:
        out = []
        by_name = {o["name"]: o for o in spec}
        for key, value in values.items():
            opt = by_name.get(key)
            if opt is None:
                raise CommandNotFound(f"option {key!r} is not registered (have {sorted(by_name)})")
            kind = opt["type"]
            if kind == CHANNEL:
                ch: Channel = value
                resolved.setdefault("channels", {})[str(ch.id)] = ch.payload() | {
                    "permissions": str(p.EVERYONE_PERMS)
                }
                value = str(ch.id)
            elif kind in (USER, MENTIONABLE):
                fan: Fan = value
                resolved.setdefault("users", {})[str(fan.id)] = fan.member.user
                resolved.setdefault("members", {})[str(fan.id)] = fan.member.payload() | {
                    "permissions": str(fan.member.permissions)
                }
                value = str(fan.id)
            elif kind == ROLE:
                role = next((r for r in self.guild.roles if int(r["id"]) == int(value)), None)
                if role is None:
                    raise LookupError(f"option {key!r}: {value} is not a role of guild {self.guild.id}")
                resolved.setdefault("roles", {})[role["id"]] = role
                value = role["id"]
            elif kind == ATTACHMENT:
                filename, data = value
                aid = p.snowflake()
                self.emulator.attachments[aid] = (filename, data)
                resolved.setdefault("attachments", {})[str(aid)] = self.emulator._attachment_payload(
                    aid, filename, data
                )
                value = str(aid)
            item: dict[str, Any] = {"name": key, "type": kind, "value": value}
            if key == focused:
                item["focused"] = True
            out.append(item)
        return out

    def _command_data(self, path: str, options: dict[str, Any], focused: str | None = None) -> dict[str, Any]:
        parts = path.split()
        cmd = self._command(parts[0])
        resolved: dict[str, Any] = {}
        spec = cmd.get("options", [])
        nest: list[dict[str, Any]] = []
        container = nest
        for sub in parts[1:]:
            match = next(
                (o for o in spec if o["name"] == sub and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)), None
            )
            if match is None:
                raise CommandNotFound(f"/{path}: no subcommand {sub!r}")
            node: dict[str, Any] = {"name": sub, "type": match["type"], "options": []}
            container.append(node)
            container = node["options"]
            spec = match.get("options", [])
        container.extend(self._options(spec, options, resolved, focused))
        data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": nest}
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        if resolved:
            data["resolved"] = resolved
        return data

    async def slash(self, path: str, *, in_channel: Channel | None = None, **options: Any) -> Interaction:
        """Run `/path` (e.g. "quiz start") with options, in `in_channel`; wait for the bot's first answer."""
        ch = in_channel or self.channel
        assert ch is not None, "the guild has no channel"
        payload = self._base(2, ch) | {"data": self._command_data(path, options)}
        inter = await self.emulator.send_interaction(payload)
        await self.emulator.wait_answered(inter)
        return inter

    async def message_command(
        self, name: str, target: SentMessage | dict[str, Any], *, wait: bool = True
    ) -> Interaction:
        """Right-click a message (a bot's `SentMessage` or a fan's message from `say`) and pick the
        message context menu command `name` (application command type 3): Discord sends `target_id` and
        the message under `resolved.messages`, in the message's channel."""
        cmd = self._command(name, kind=3)
        message = target.payload if isinstance(target, SentMessage) else target
        ch = self.emulator.find_channel(int(message["channel_id"]))
        assert ch is not None, "the message's channel is gone"
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": cmd["name"],
            "type": 3,
            "target_id": str(message["id"]),
            "resolved": {"messages": {str(message["id"]): message}},
        }
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        inter = await self.emulator.send_interaction(self._base(2, ch) | {"data": data})
        if wait:
            await self.emulator.wait_answered(inter)
        return inter

    async def autocomplete(
        self, path: str, focused: str, *, in_channel: Channel | None = None, **options: Any
    ) -> list[dict[str, Any]]:
        """Type into option `focused` of `/path` and return the choices the bot suggests."""
        ch = in_channel or self.channel
        assert ch is not None
        payload = self._base(4, ch) | {"data": self._command_data(path, options, focused)}
        inter = await self.emulator.send_interaction(payload)
        await self.emulator.wait_answered(inter)
        return inter.choices

    async def say(self, text: str, *, in_channel: Channel | None = None) -> dict[str, Any]:
        """Post a message in a channel (MESSAGE_CREATE)."""
        ch = in_channel or self.channel
        assert ch is not None
        msg = p.message(
            p.snowflake(), ch.id, self.guild.id, self.member.user, text, member_payload=self.member.payload()
        )
        self.emulator.user_messages.append(msg)
        await self.emulator.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def click(self, message: SentMessage, label: str, *, wait: bool = True) -> Interaction:
        """Click the button labelled (or with custom id) `label` on a bot message."""
        button = next((b for b in message.buttons() if label in (b.get("label"), b.get("custom_id"))), None)
        if button is None:
            raise LookupError(
                f"no button {label!r} on message {message.id}: {[b.get('label') for b in message.buttons()]}"
            )
        ch = self.emulator.find_channel(message.channel_id)
        assert ch is not None
        payload = self._base(3, ch) | {
            "data": {"custom_id": button["custom_id"], "component_type": 2},
            "message": message.payload,
        }
        inter = await self.emulator.send_interaction(payload)
        if wait:
            await self.emulator.wait_answered(inter)
        return inter

    async def submit(self, opened: Interaction, values: dict[str, str]) -> Interaction:
        """Fill the modal the bot opened in answer to `opened` and submit it."""
        modal = opened.modal
        assert modal is not None, "the bot did not open a modal"
        rows = []
        for comp in modal.get("components", []):
            inner = (
                comp.get("components", [comp.get("component")])[0] if comp["type"] == 1 else comp["component"]
            )
            field = {"type": 4, "custom_id": inner["custom_id"], "value": values.get(inner["custom_id"], "")}
            rows.append(
                {"type": 1, "components": [field]}
                if comp["type"] == 1
                else {"type": comp["type"], "component": field}
            )
        ch = self.emulator.find_channel(opened.channel_id)
        assert ch is not None
        payload = self._base(5, ch) | {"data": {"custom_id": modal["custom_id"], "components": rows}}
        inter = await self.emulator.send_interaction(payload)
        await self.emulator.wait_answered(inter)
        return inter
