"""The strict emulator refuses what Discord refuses, with Discord's status and error code (over HTTP)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord
import pytest

from discord_emulator import Emulator, Interaction
from discord_emulator.actors import Fan
from discord_emulator.state import Channel
from tests.conftest import World, seed_database, start_world, stop_world

pytestmark = pytest.mark.e2e


class FakeClock:
    """The emulator's clock for interaction deadlines, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Rig:
    emu: Emulator
    clock: FakeClock
    channel: Channel
    fan: Fan
    http: aiohttp.ClientSession

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bot {Emulator.TOKEN}"}

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        auth: bool = True,
        params: dict[str, str] | None = None,
    ) -> tuple[int, Any, aiohttp.typedefs.LooseHeaders]:
        async with self.http.request(
            method,
            self.emu.api_base + path,
            json=body,
            headers=self.auth if auth else {},
            params=params,
        ) as resp:
            text = await resp.text()
            return resp.status, (json.loads(text) if text else None), resp.headers

    async def interaction(self, kind: int = 2) -> Interaction:
        data: dict[str, Any] = {"id": "1", "name": "fact", "type": 1, "options": []}
        if kind == 3:
            data = {"custom_id": "x", "component_type": 2}
        payload = self.fan._base(kind, self.channel) | {"data": data}
        if kind == 3:
            payload["message"] = {"id": "1"}
        return await self.emu.send_interaction(payload)

    async def callback(self, inter: Interaction, body: dict[str, Any], **params: str) -> tuple[int, Any]:
        status, data, _ = await self.call(
            "POST",
            f"/interactions/{inter.id}/{inter.token}/callback",
            body,
            auth=False,
            params=params or {"with_response": "true"},
        )
        return status, data


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    clock = FakeClock()
    emu = Emulator(clock=clock)
    await emu.start()
    guild = emu.guild("Rules")
    channel = emu.channel(guild, "rules")
    fan = emu.member(guild, "Tester")
    async with aiohttp.ClientSession() as http:
        yield Rig(emu, clock, channel, fan, http)
    await emu.stop()


def form_error(data: Any, *path: str) -> str:
    """The first error code at `path` of Discord's "Invalid Form Body" errors tree."""
    assert data["code"] == 50035 and data["message"] == "Invalid Form Body", data
    node = data["errors"]
    for key in path:
        node = node[key]
    return node["_errors"][0]["code"]


def embed(**fields: Any) -> dict[str, Any]:
    return {"type": "rich"} | fields


def row(*items: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(items)}


def button(custom_id: str, label: str = "ok") -> dict[str, Any]:
    return {"type": 2, "style": 2, "label": label, "custom_id": custom_id}


MESSAGE_CASES = [
    ({"content": "x" * 2001}, ("content",), "BASE_TYPE_MAX_LENGTH"),
    ({"embeds": [embed(title="t")] * 11}, ("embeds",), "BASE_TYPE_MAX_LENGTH"),
    ({"embeds": [embed(title="t" * 257)]}, ("embeds", "0", "title"), "BASE_TYPE_MAX_LENGTH"),
    ({"embeds": [embed(description="d" * 4097)]}, ("embeds", "0", "description"), "BASE_TYPE_MAX_LENGTH"),
    (
        {"embeds": [embed(fields=[{"name": "n", "value": "v"}] * 26)]},
        ("embeds", "0", "fields"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        {"embeds": [embed(fields=[{"name": "n" * 257, "value": "v"}])]},
        ("embeds", "0", "fields", "0", "name"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        {"embeds": [embed(fields=[{"name": "n", "value": "v" * 1025}])]},
        ("embeds", "0", "fields", "0", "value"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        {"embeds": [embed(title="t", footer={"text": "f" * 2049})]},
        ("embeds", "0", "footer", "text"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        {"embeds": [embed(title="t", author={"name": "a" * 257})]},
        ("embeds", "0", "author", "name"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        {"embeds": [embed(description="d" * 3000), embed(description="d" * 3000, title="t")]},
        ("embeds",),
        "MAX_EMBED_SIZE_EXCEEDED",
    ),
    (
        {"content": "x", "components": [row(button(f"b{i}")) for i in range(6)]},
        ("components",),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        {"content": "x", "components": [row(*(button(f"b{i}") for i in range(6)))]},
        ("components", "0", "components"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        {"content": "x", "components": [row(button("c" * 101))]},
        ("components", "0", "components", "0", "custom_id"),
        "BASE_TYPE_BAD_LENGTH",
    ),
    (
        {"content": "x", "components": [row(button("same")), row(button("same"))]},
        ("components", "1", "components", "0", "custom_id"),
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    ),
    (
        {"content": "x", "components": [row(button("b", label="l" * 81))]},
        ("components", "0", "components", "0", "label"),
        "BASE_TYPE_MAX_LENGTH",
    ),
    (
        {
            "content": "x",
            "components": [
                row(
                    {
                        "type": 3,
                        "custom_id": "s",
                        "options": [{"label": f"o{i}", "value": f"o{i}"} for i in range(26)],
                    }
                )
            ],
        },
        ("components", "0", "components", "0", "options"),
        "BASE_TYPE_BAD_LENGTH",
    ),
]


@pytest.mark.parametrize(("body", "path", "code"), MESSAGE_CASES)
async def test_message_limits_are_invalid_form_body(rig: Rig, body, path, code) -> None:
    status, data, _ = await rig.call("POST", f"/channels/{rig.channel.id}/messages", body)
    assert status == 400
    assert form_error(data, *path) == code
    assert not rig.emu.sent
    # The same payload is refused as an interaction reply, under "data".
    inter = await rig.interaction()
    status, data = await rig.callback(inter, {"type": 4, "data": body})
    assert status == 400 and form_error(data, "data", *path) == code


async def test_a_valid_message_passes_with_rate_limit_headers(rig: Rig) -> None:
    body = {"content": "x" * 2000, "embeds": [embed(description="d" * 4096, title="t" * 256)]}
    status, data, headers = await rig.call("POST", f"/channels/{rig.channel.id}/messages", body)
    assert status == 200 and data["content"] == "x" * 2000
    for name in ("Limit", "Remaining", "Reset", "Reset-After", "Bucket"):
        assert f"X-RateLimit-{name}" in headers
    assert int(headers["X-RateLimit-Remaining"]) == int(headers["X-RateLimit-Limit"]) - 1


async def test_empty_message_is_50006(rig: Rig) -> None:
    status, data, _ = await rig.call("POST", f"/channels/{rig.channel.id}/messages", {"content": ""})
    assert (status, data["code"]) == (400, 50006)


async def test_missing_or_wrong_authorization_is_401(rig: Rig) -> None:
    status, data, _ = await rig.call(
        "POST", f"/channels/{rig.channel.id}/messages", {"content": "x"}, auth=False
    )
    assert (status, data["code"]) == (401, 0)
    async with rig.http.get(rig.emu.api_base + "/users/@me", headers={"Authorization": "Bot nope"}) as resp:
        assert resp.status == 401


async def test_upload_over_10_mib_is_413(rig: Rig) -> None:
    form = aiohttp.FormData()
    form.add_field("payload_json", json.dumps({"content": "big"}), content_type="application/json")
    form.add_field("files[0]", b"\0" * (10 * 1024 * 1024 + 1), filename="big.bin")
    url = f"{rig.emu.api_base}/channels/{rig.channel.id}/messages"
    async with rig.http.post(url, data=form, headers=rig.auth) as resp:
        data = await resp.json()
        assert (resp.status, data["code"]) == (413, 40005)
    assert not rig.emu.sent


def modal(
    title: str = "Edit", label: str = "Answer", value: str = "v", max_length: int = 10
) -> dict[str, Any]:
    text_input = {
        "type": 4,
        "custom_id": "answer",
        "style": 1,
        "label": label,
        "max_length": max_length,
        "value": value,
    }
    return {"type": 9, "data": {"custom_id": "m", "title": title, "components": [row(text_input)]}}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (modal(title="t" * 46), ("data", "title")),
        (modal(label="l" * 46), ("data", "components", "0", "components", "0", "label")),
        (modal(value="v" * 11), ("data", "components", "0", "components", "0", "value")),
    ],
)
async def test_modal_limits(rig: Rig, body, path) -> None:
    inter = await rig.interaction()
    status, data = await rig.callback(inter, body)
    assert status == 400 and form_error(data, *path) in ("BASE_TYPE_MAX_LENGTH", "BASE_TYPE_BAD_LENGTH")
    status, _ = await rig.callback(inter, modal())  # not acknowledged by the refusal: a valid one opens
    assert status == 200


async def test_autocomplete_over_25_choices(rig: Rig) -> None:
    inter = await rig.interaction(kind=4)
    choices = [{"name": f"c{i}", "value": f"c{i}"} for i in range(26)]
    status, data = await rig.callback(inter, {"type": 8, "data": {"choices": choices}})
    assert status == 400 and form_error(data, "data", "choices") == "BASE_TYPE_MAX_LENGTH"
    status, _ = await rig.callback(inter, {"type": 8, "data": {"choices": choices[:25]}})
    assert status == 200


@pytest.mark.parametrize(
    ("command", "path", "code"),
    [
        ({"name": "Quiz Start", "description": "d"}, ("0", "name"), "APPLICATION_COMMAND_INVALID_NAME"),
        ({"name": "quiz", "description": "d" * 101}, ("0", "description"), "BASE_TYPE_BAD_LENGTH"),
        (
            {
                "name": "big",
                "description": "d",
                "options": [
                    {"type": 3, "name": f"o{i}", "description": "x" * 100, "choices": []} for i in range(25)
                ]
                + [],
            },
            None,
            None,
        ),
        (
            {
                "name": "huge",
                "description": "d",
                "options": [
                    {
                        "type": 3,
                        "name": f"o{i}",
                        "description": "x" * 100,
                        "choices": [{"name": "n" * 100, "value": "v" * 100} for _ in range(2)],
                    }
                    for i in range(25)
                ],
            },
            ("0",),
            "APPLICATION_COMMAND_TOO_LARGE",
        ),
        # Message context menus (type 3): 1-32 characters, capitals and spaces allowed; no description,
        # no options. Localized names follow the same rule as the default name, for every type.
        ({"type": 3, "name": "Contest answer"}, None, None),
        ({"type": 3, "name": "Contest answer", "description": ""}, None, None),
        ({"type": 3, "name": "C" * 33}, ("0", "name"), "BASE_TYPE_BAD_LENGTH"),
        ({"type": 3, "name": "   "}, ("0", "name"), "APPLICATION_COMMAND_INVALID_NAME"),
        ({"type": 3, "name": "Contest", "description": "d"}, ("0", "description"), "BASE_TYPE_MAX_LENGTH"),
        (
            {"type": 3, "name": "Contest", "options": [{"type": 3, "name": "o", "description": "d"}]},
            ("0", "options"),
            "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
        ),
        (
            {"type": 3, "name": "Contest", "name_localizations": {"it": "C" * 33}},
            ("0", "name_localizations", "it"),
            "BASE_TYPE_BAD_LENGTH",
        ),
        (
            {"name": "quiz", "description": "d", "name_localizations": {"it": "Quiz Inizia"}},
            ("0", "name_localizations", "it"),
            "APPLICATION_COMMAND_INVALID_NAME",
        ),
        ({"type": 4, "name": "quiz", "description": "d"}, ("0", "type"), "BASE_TYPE_CHOICES"),
        (  # short defaults, long Italian localizations: the longest localization counts
            {
                "name": "localized",
                "description": "d",
                "options": [
                    {
                        "type": 3,
                        "name": f"o{i}",
                        "description": "x",
                        "description_localizations": {"it": "x" * 100},
                        "choices": [
                            {"name": "n", "name_localizations": {"it": "n" * 100}, "value": "v" * 100}
                            for _ in range(2)
                        ],
                    }
                    for i in range(25)
                ],
            },
            ("0",),
            "APPLICATION_COMMAND_TOO_LARGE",
        ),
    ],
)
async def test_command_registration_rules(rig: Rig, command, path, code) -> None:
    status, data, _ = await rig.call("PUT", f"/applications/{rig.emu.app_id}/commands", [command])
    if path is None:  # valid: e.g. 25 options of 100-character descriptions (under 8000)
        assert status == 200
        return
    assert status == 400 and form_error(data, *path) == code


async def test_first_callback_after_3_seconds_is_unknown_interaction(rig: Rig) -> None:
    inter = await rig.interaction()
    rig.clock.now += 3.3
    status, data = await rig.callback(inter, {"type": 4, "data": {"content": "late"}})
    assert (status, data["code"], data["message"]) == (404, 10062, "Unknown interaction")
    assert not rig.emu.sent


async def test_follow_up_before_any_reply_is_unknown_webhook(rig: Rig) -> None:
    inter = await rig.interaction()
    status, data, _ = await rig.call(
        "POST", f"/webhooks/{rig.emu.app_id}/{inter.token}", {"content": "too soon"}, auth=False
    )
    assert (status, data["code"]) == (404, 10015)


async def test_token_expires_after_15_minutes(rig: Rig) -> None:
    inter = await rig.interaction()
    status, _ = await rig.callback(inter, {"type": 5})
    assert status == 200
    rig.clock.now += 14 * 60
    follow = f"/webhooks/{rig.emu.app_id}/{inter.token}"
    status, _, _ = await rig.call("POST", follow, {"content": "in time"}, auth=False)
    assert status == 200
    rig.clock.now += 2 * 60
    status, data, _ = await rig.call("POST", follow, {"content": "too late"}, auth=False)
    assert (status, data["code"]) == (401, 50027)


async def test_wrong_application_id(rig: Rig) -> None:
    inter = await rig.interaction()
    await rig.callback(inter, {"type": 5})
    status, data, _ = await rig.call(
        "POST", f"/webhooks/123456789/{inter.token}", {"content": "x"}, auth=False
    )
    assert (status, data["code"]) == (404, 10015)
    status, data, _ = await rig.call("PUT", "/applications/123456789/commands", [])
    assert (status, data["code"]) == (403, 20012)


async def test_update_message_reply_to_a_slash_command_is_400(rig: Rig) -> None:
    inter = await rig.interaction(kind=2)
    status, data = await rig.callback(inter, {"type": 7, "data": {"content": "edit?"}})
    assert status == 400 and form_error(data, "type") == "INTERACTION_RESPONSE_TYPE_INVALID"


async def test_history_limit_over_100_is_refused(rig: Rig) -> None:
    path = f"/channels/{rig.channel.id}/messages"
    status, data, _ = await rig.call("GET", path, params={"limit": "500"})
    assert status == 400 and form_error(data, "limit") == "NUMBER_TYPE_MAX"
    status, data, _ = await rig.call("GET", path, params={"limit": "100"})
    assert status == 200 and data == []


async def test_callback_without_with_response_is_204(rig: Rig) -> None:
    inter = await rig.interaction()
    async with rig.http.post(
        f"{rig.emu.api_base}/interactions/{inter.id}/{inter.token}/callback",
        json={"type": 4, "data": {"content": "hi"}},
    ) as resp:
        assert resp.status == 204
    assert inter.messages[0].content == "hi"
    again = await rig.interaction()
    status, data = await rig.callback(again, {"type": 4, "data": {"content": "hi"}})
    assert status == 200 and data["resource"]["message"]["content"] == "hi"


async def test_second_callback_is_already_acknowledged(rig: Rig) -> None:
    inter = await rig.interaction()
    await rig.callback(inter, {"type": 4, "data": {"content": "one"}})
    status, data = await rig.callback(inter, {"type": 4, "data": {"content": "two"}})
    assert (status, data["code"]) == (400, 40060)


async def test_typing(rig: Rig) -> None:
    status, _, _ = await rig.call("POST", f"/channels/{rig.channel.id}/typing")
    assert status == 204


async def test_follow_up_after_deferred_reply_edits_it(rig: Rig) -> None:
    inter = await rig.interaction()
    status, data = await rig.callback(inter, {"type": 5, "data": {"flags": 64}})
    deferred_id = data["resource"]["message"]["id"]
    assert data["resource"]["message"]["flags"] & 128
    follow = f"/webhooks/{rig.emu.app_id}/{inter.token}"
    status, first, _ = await rig.call("POST", follow, {"content": "done"}, auth=False)
    assert status == 200 and first["id"] == deferred_id and not first["flags"] & 128 and first["flags"] & 64
    status, second, _ = await rig.call("POST", follow, {"content": "more"}, auth=False)
    assert second["id"] != deferred_id
    assert [m.content for m in inter.messages] == ["done", "more"]


async def test_route_buckets_reset_and_refuse_past_the_limit() -> None:
    emu = Emulator(route_limit=2, route_window=60)
    await emu.start()
    try:
        guild = emu.guild()
        ch1, ch2 = emu.channel(guild, "a"), emu.channel(guild, "b")
        auth = {"Authorization": f"Bot {Emulator.TOKEN}"}
        async with aiohttp.ClientSession() as http:

            async def post(ch: Channel) -> aiohttp.ClientResponse:
                url = f"{emu.api_base}/channels/{ch.id}/messages"
                async with http.post(url, json={"content": "x"}, headers=auth) as resp:
                    await resp.read()
                    return resp

            first, second, third = [await post(ch1) for _ in range(3)]
            other = await post(ch2)  # a different major parameter: its own bucket
        assert [r.headers["X-RateLimit-Remaining"] for r in (first, second)] == ["1", "0"]
        assert third.status == 429 and third.headers["Via"] and "X-RateLimit-Bucket" in third.headers
        assert other.status == 200 and other.headers["X-RateLimit-Remaining"] == "1"
        assert first.headers["X-RateLimit-Bucket"] == other.headers["X-RateLimit-Bucket"]
    finally:
        await emu.stop()


async def test_discord_py_waits_on_exhausted_buckets_instead_of_429(settings, template_db) -> None:
    """discord.py reads the headers: with 2 requests per 0.3 s, 6 sends never meet a 429."""
    seed_database(settings, template_db)  # start from the synced template, as the `world` fixture does
    emu = Emulator(route_limit=2, route_window=0.3)
    await emu.start()
    guild = emu.guild("Curva Nord")
    emu.channel(guild, "quiz")
    world, task = await start_world(settings, emulator=emu)
    try:
        channel = world.bot.get_partial_messageable(world.channel.id)
        await asyncio.gather(*(channel.send(f"m{i}") for i in range(6)))
        posts = [
            r for r in emu.requests if r.method == "POST" and r.path.endswith(f"{world.channel.id}/messages")
        ]
        assert [r.status for r in posts] == [200] * 6
        assert emu.limits.exhausted >= 2 and emu.rate_limited == 0
    finally:
        await stop_world(world, task)


async def test_bot_sees_its_own_messages_as_message_create(world: World) -> None:
    seen = asyncio.get_running_loop().create_future()

    async def on_message(message: discord.Message) -> None:
        if message.author.id == world.bot.user.id and not seen.done():
            seen.set_result(message)

    world.bot.add_listener(on_message)
    try:
        sent = await world.bot.get_partial_messageable(world.channel.id).send("echo")
        got = await asyncio.wait_for(seen, 5)
        assert got.id == sent.id and got.content == "echo"
    finally:
        world.bot.remove_listener(on_message)


async def test_a_reply_to_an_unknown_message_is_refused(rig: Rig) -> None:
    said = await rig.fan.say("a fan's message")
    path = f"/channels/{rig.channel.id}/messages"
    ref = {"message_id": said["id"], "channel_id": str(rig.channel.id)}
    status, data, _ = await rig.call("POST", path, {"content": "reply", "message_reference": ref})
    assert status == 200 and data["type"] == 19 and data["referenced_message"]["id"] == said["id"]
    assert data["message_reference"]["message_id"] == said["id"]
    unknown = {"message_id": "12345", "channel_id": str(rig.channel.id)}
    status, data, _ = await rig.call("POST", path, {"content": "reply", "message_reference": unknown})
    assert status == 400 and form_error(data, "message_reference") == "MESSAGE_REFERENCE_UNKNOWN_MESSAGE"
    # With fail_if_not_exists false Discord sends it as a plain message.
    lenient = unknown | {"fail_if_not_exists": False}
    status, data, _ = await rig.call("POST", path, {"content": "plain", "message_reference": lenient})
    assert status == 200 and data["type"] == 0 and "referenced_message" not in data
    other = rig.emu.channel(next(iter(rig.emu.guilds.values())), "elsewhere")
    status, data, _ = await rig.call(  # a reply lives in the channel of the message it answers
        "POST", f"/channels/{other.id}/messages", {"content": "reply", "message_reference": ref}
    )
    assert status == 400 and form_error(data, "message_reference") == "MESSAGE_REFERENCE_UNKNOWN_MESSAGE"
