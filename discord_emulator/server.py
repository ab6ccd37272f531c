"""A Discord API emulator on loopback: REST (v10) and the gateway, as discord.py speaks them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from discord_emulator import clocks, rules
from discord_emulator import payloads as p
from discord_emulator.actors import Fan
from discord_emulator.ratelimits import RateLimits
from discord_emulator.rules import Refusal
from discord_emulator.state import Channel, Guild, Interaction, Member, SentMessage

log = logging.getLogger(__name__)

Predicate = Callable[[SentMessage], bool]


@dataclass
class Fault:
    """An injected REST fault: answer `status` (with `retry_after` for 429) or wait `delay` first."""

    method: str
    path: re.Pattern[str]
    status: int | None = None
    retry_after: float = 0.1
    delay: float = 0.0
    times: int = 1
    hits: int = 0
    after: bool = False  # delay after handling: the request takes effect, the answer is late


@dataclass
class RequestRecord:
    method: str
    path: str
    status: int
    at: float
    body: Any = None


@dataclass
class _Conn:
    ws: web.WebSocketResponse
    zlib: Any | None
    session_id: str = ""
    closed: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class _Session:
    """One gateway session: shard `shard_id` of `shard_count`, with its own sequence and RESUME buffer."""

    shard_id: int
    shard_count: int
    session_id: str
    conn: _Conn | None = None
    seq: int = 0
    buffer: list[dict[str, Any]] = field(default_factory=list)

    def serves(self, guild_id: int) -> bool:
        """Discord's rule: a guild belongs to shard (guild_id >> 22) % shard_count."""
        return (guild_id >> 22) % self.shard_count == self.shard_id


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response with Discord's exact content type (discord.py compares it verbatim)."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json"} | (headers or {}),
    )


class Emulator:
    """The emulated Discord. Start it, point the bot's DISCORD_API_BASE at `api_base`, drive it as fans."""

    TOKEN = "emulator-token"  # noqa: S105 - a fixed fake token the emulator accepts
    # Every GUILD_CREATE follows READY at once, so a client needs not wait discord.py's default 2 s for
    # more: pass this as the client's `guild_ready_timeout`.
    GUILD_READY_TIMEOUT = 0.25

    def __init__(
        self,
        *,
        heartbeat_ms: int = 41250,
        global_per_s: float | None = None,
        route_per_s: int | None = None,
        route_limit: int = 50,
        route_window: float = 1.0,
        strict: bool = True,
        clock: Callable[[], float] | None = None,
        first_response_seconds: float = rules.FIRST_RESPONSE_SECONDS,
        token_lifetime_seconds: float = rules.TOKEN_LIFETIME_SECONDS,
        shard_count: int = 1,
        max_concurrency: int = 1,
    ) -> None:
        """`strict` (the default) enforces Discord's request rules (`rules.py`); `clock` times the
        interaction deadlines (3 s, 15 min), so tests can move it; `route_limit` per `route_window` s
        is each route bucket's size (`route_per_s` is the same per 1 s), `global_per_s` a global cap.
        `shard_count` is what `GET /gateway/bot` recommends and `max_concurrency` its identify buckets;
        a client may IDENTIFY with any `[shard_id, shard_count]`, and each guild's events go to the
        session of shard `(guild_id >> 22) % shard_count`."""
        self.app_id = p.snowflake()
        self.bot_name = "Calcio Quiz"
        self.heartbeat_ms = heartbeat_ms
        self.guilds: dict[int, Guild] = {}
        self.sent: list[SentMessage] = []
        self.messages: dict[int, SentMessage] = {}
        self.user_messages: list[dict[str, Any]] = []
        self.interactions: dict[int, Interaction] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.requests: list[RequestRecord] = []
        self.unknown_routes: list[str] = []
        self.faults: list[Fault] = []
        self.attachments: dict[int, tuple[str, bytes]] = {}
        self.strict = strict
        self.clock = clock or clocks.deadline_clock()
        self.first_response_seconds = first_response_seconds
        self.token_lifetime_seconds = token_lifetime_seconds
        self.limits = RateLimits(
            route_limit=route_per_s or route_limit,
            route_window=1.0 if route_per_s else route_window,
            global_per_s=global_per_s,
        )
        self.refusals: list[tuple[str, str, Refusal]] = []  # (method, path, what Discord would answer)
        self.rate_limited = 0
        self.identifies = 0
        self.compressed_connections = 0
        self.resumes = 0
        self.invalidate_next_resume = False
        self.shard_count = shard_count
        self.max_concurrency = max_concurrency
        self.identified_shards: list[tuple[int, int]] = []  # [shard_id, shard_count] of every IDENTIFY
        self._sessions: dict[int, _Session] = {}  # by shard id
        self._waiters: list[tuple[Predicate, asyncio.Future[SentMessage]]] = []
        self.on_new_message: Callable[[SentMessage], None] | None = None  # e.g. the demo's transcript
        self.ready = asyncio.Event()
        self._stopping = asyncio.Event()  # cuts injected delays short, so stop() never waits them out
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ----- lifecycle -------------------------------------------------------------------------------
    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=16 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{id}/{name}", self._attachment)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]

    @property
    def _conn(self) -> _Conn | None:
        """A live gateway connection, if any (is a bot connected?)."""
        return next((s.conn for s in self._sessions.values() if s.conn is not None), None)

    def connected_shards(self) -> set[int]:
        """The shard ids with a live gateway connection."""
        return {s.shard_id for s in self._sessions.values() if s.conn is not None}

    def shard_of(self, guild: Guild | int) -> int:
        """The shard id whose session receives this guild's events, by Discord's rule."""
        gid = guild if isinstance(guild, int) else guild.id
        counts = {s.shard_count for s in self._sessions.values()} or {self.shard_count}
        return (gid >> 22) % max(counts)

    async def stop(self) -> None:
        self._stopping.set()
        for session in self._sessions.values():
            if session.conn is not None:
                with contextlib.suppress(Exception):
                    await session.conn.ws.close(code=1001)
        for _, fut in self._waiters:
            fut.cancel()
        if self._runner is not None:
            await self._runner.cleanup()

    # ----- world building --------------------------------------------------------------------------
    def guild(self, name: str = "Curva Nord", *, locale: str = "en-US") -> Guild:
        """Add a guild (with its preferred `locale`) with @everyone and the bot's own role and member."""
        gid = p.snowflake()
        owner = p.snowflake()
        g = Guild(gid, name, owner, locale=locale)
        g.roles.append(p.role(gid, "@everyone", p.EVERYONE_PERMS, 0))
        bot_role = p.snowflake()
        g.roles.append(p.role(bot_role, self.bot_name, p.EVERYONE_PERMS | p.MANAGE_MESSAGES, 1))
        g.members[self.app_id] = Member(self.app_id, gid, self.bot_name, 0, [bot_role], bot=True)
        self.guilds[gid] = g
        if self._conn is not None:
            asyncio.get_running_loop().create_task(self.dispatch("GUILD_CREATE", g.payload()))
        return g

    def channel(self, guild: Guild, name: str = "quiz", *, bot_can_send: bool = True) -> Channel:
        ch = Channel(p.snowflake(), guild.id, name)
        if not bot_can_send:
            ch.overwrites.append(
                {
                    "id": str(self.app_id),
                    "type": 1,
                    "allow": "0",
                    "deny": str(p.SEND_MESSAGES | p.EMBED_LINKS),
                }
            )
        guild.channels[ch.id] = ch
        return ch

    async def open_channel(self, guild: Guild, name: str, *, bot_can_send: bool = True) -> Channel:
        """Add a channel while the bot is connected (CHANNEL_CREATE), as an admin would."""
        ch = self.channel(guild, name, bot_can_send=bot_can_send)
        await self.dispatch("CHANNEL_CREATE", ch.payload())
        return ch

    def role(self, guild: Guild, name: str, *, permissions: int = 0) -> int:
        """Add a role to `guild` (GUILD_ROLE_CREATE while the bot is connected, as when an admin makes
        one) and return its id; give it to fans with `member(..., roles=[id])`."""
        rid = p.snowflake()
        payload = p.role(rid, name, permissions, len(guild.roles))
        guild.roles.append(payload)
        if self._conn is not None:
            data = {"guild_id": str(guild.id), "role": payload}
            asyncio.get_running_loop().create_task(self.dispatch("GUILD_ROLE_CREATE", data))
        return rid

    def member(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: int = 0,
        locale: str = "en-GB",
        roles: list[int] | tuple[int, ...] = (),
    ) -> Fan:
        """Add a fan (with extra `permissions` bits through a role of their own, the guild's `roles`
        given by id, and their Discord client's `locale`) and return its handle."""
        known = {int(r["id"]) for r in guild.roles}
        unknown = [r for r in roles if r not in known]
        if unknown:
            raise ValueError(f"roles {unknown} are not roles of guild {guild.id}: make them with role()")
        uid = p.snowflake()
        role_ids = list(roles)
        if permissions:
            rid = p.snowflake()
            guild.roles.append(p.role(rid, f"{name} role", permissions, 2))
            role_ids.append(rid)
        m = Member(uid, guild.id, name, permissions | p.EVERYONE_PERMS, role_ids)
        guild.members[uid] = m
        if self._conn is not None:
            data = m.payload() | {"guild_id": str(guild.id)}
            asyncio.get_running_loop().create_task(self.dispatch("GUILD_MEMBER_ADD", data))
        return Fan(self, guild, m, locale=locale)

    async def remove_member(self, guild: Guild, user_id: int) -> None:
        m = guild.members.pop(user_id)
        await self.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": str(guild.id), "user": m.user})

    async def kick_bot(self, guild: Guild) -> None:
        """The bot is removed from `guild` (GUILD_DELETE without `unavailable`)."""
        self.guilds.pop(guild.id, None)
        await self.dispatch("GUILD_DELETE", {"id": str(guild.id)})

    async def delete_channel(self, channel: Channel) -> None:
        channel.deleted = True
        await self.dispatch("CHANNEL_DELETE", channel.payload())

    def bot_member(self, guild: Guild) -> Member:
        return guild.members[self.app_id]

    def find_channel(self, channel_id: int) -> Channel | None:
        for g in self.guilds.values():
            if channel_id in g.channels:
                return g.channels[channel_id]
        return None

    # ----- faults ---------------------------------------------------------------------------------
    def inject(
        self,
        method: str,
        path: str,
        *,
        status: int | None = None,
        retry_after: float = 0.1,
        delay: float = 0.0,
        times: int = 1,
        after: bool = False,
    ) -> Fault:
        """Make the next `times` requests matching `method` and the `path` regex fail or stall
        (`after`: the request takes effect, then its answer is `delay` seconds late)."""
        fault = Fault(method.upper(), re.compile(path), status, retry_after, delay, times, after=after)
        self.faults.append(fault)
        return fault

    async def drop_connection(self, code: int = 4000, *, shard_id: int | None = None) -> None:
        """Close the gateway websocket (of every shard, or of `shard_id`) as Discord does on a
        server-side fault (resumable codes)."""
        for session in list(self._sessions.values()):
            if session.conn is not None and shard_id in (None, session.shard_id):
                conn, session.conn = session.conn, None
                await conn.ws.close(code=code)

    # ----- gateway --------------------------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a dispatch event (op 0) to the session of the guild's shard (shard 0 for events of no
        guild), buffering it for RESUME. Without a session for that shard the event is lost."""
        gid = data.get("guild_id") or (data.get("id") if event.startswith("GUILD_") else None)
        session = next(
            (s for s in self._sessions.values() if (s.serves(int(gid)) if gid else s.shard_id == 0)), None
        )
        if session is not None:
            await self._dispatch_to(session, event, data)

    async def _dispatch_to(self, session: _Session, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.buffer.append(frame)
        if session.conn is not None:
            await self._send(session.conn, frame)

    async def _send(self, conn: _Conn, frame: dict[str, Any]) -> None:
        data = json.dumps(frame)
        try:
            if conn.zlib is not None:
                await conn.ws.send_bytes(
                    conn.zlib.compress(data.encode()) + conn.zlib.flush(zlib.Z_SYNC_FLUSH)
                )
            else:
                await conn.ws.send_str(data)
        except ConnectionError:
            log.debug("gateway send failed: connection closed")

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        compress = request.query.get("compress") == "zlib-stream"
        self.compressed_connections += int(compress)
        conn = _Conn(ws, zlib.compressobj() if compress else None)
        await self._send(
            conn, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}, "s": None, "t": None}
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                await self._on_frame(conn, json.loads(msg.data))
        finally:
            for session in self._sessions.values():
                if session.conn is conn:
                    session.conn = None
            conn.closed.set()
        return ws

    async def _on_frame(self, conn: _Conn, frame: dict[str, Any]) -> None:
        op, d = frame.get("op"), frame.get("d")
        if op == 1:
            await self._send(conn, {"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            await self._identify(conn, d or {})
        elif op == 6:
            await self._resume(conn, d or {})
        elif op == 8:
            for gid in d.get("guild_id", []) if isinstance(d.get("guild_id"), list) else [d.get("guild_id")]:
                g = self.guilds.get(int(gid))
                if g:
                    await self.dispatch(
                        "GUILD_MEMBERS_CHUNK",
                        {
                            "guild_id": str(g.id),
                            "members": [m.payload() for m in g.members.values()],
                            "chunk_index": 0,
                            "chunk_count": 1,
                            "nonce": d.get("nonce"),
                        },
                    )

    async def _identify(self, conn: _Conn, d: dict[str, Any]) -> None:
        if d.get("token") != self.TOKEN:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        shard = d.get("shard", [0, 1])
        if (
            not isinstance(shard, list)
            or len(shard) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in shard)
            or not 0 <= shard[0] < shard[1]
        ):
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        self.identifies += 1
        self.identified_shards.append((shard[0], shard[1]))
        session = _Session(shard[0], shard[1], secrets.token_hex(16), conn)
        old = self._sessions.get(session.shard_id)
        if old is not None and old.conn is not None and old.conn is not conn:
            with contextlib.suppress(Exception):  # one session per shard: the newer one wins
                await old.conn.ws.close(code=4000)
        self._sessions[session.shard_id] = session
        mine = [g for g in self.guilds.values() if session.serves(g.id)]
        await self._dispatch_to(
            session,
            "READY",
            {
                "v": 10,
                "user": p.user(self.app_id, self.bot_name, bot=True)
                | {"verified": True, "mfa_enabled": False, "flags": 0},
                "guilds": [{"id": str(g.id), "unavailable": True} for g in mine],
                "session_id": session.session_id,
                "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                "application": {"id": str(self.app_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "shard": [session.shard_id, session.shard_count],
            },
        )
        for g in mine:
            await self._dispatch_to(session, "GUILD_CREATE", g.payload())
        self.ready.set()

    async def _resume(self, conn: _Conn, d: dict[str, Any]) -> None:
        session = next((s for s in self._sessions.values() if s.session_id == d.get("session_id")), None)
        if self.invalidate_next_resume or session is None:
            self.invalidate_next_resume = False
            await self._send(conn, {"op": 9, "d": False, "s": None, "t": None})
            return
        self.resumes += 1
        session.conn = conn
        last = int(d.get("seq") or 0)
        for frame in [f for f in session.buffer if f["s"] > last]:
            await self._send(conn, frame)
        await self._dispatch_to(session, "RESUMED", {})

    # ----- REST -----------------------------------------------------------------------------------
    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        path = request.path
        if path.startswith("/api/v10"):
            for fault in self.faults:
                if fault.hits < fault.times and fault.method == request.method and fault.path.search(path):
                    fault.hits += 1
                    if fault.after:
                        response = await handler(request)
                        self._record(request, response.status)
                        await self._pause(fault.delay)
                        return response
                    if fault.delay:
                        await self._pause(fault.delay)
                    if fault.status == 429:
                        return self._too_many(request, fault.retry_after, is_global=False)
                    if fault.status is not None:
                        self._record(request, fault.status)
                        return _json({"message": "Injected fault", "code": 0}, status=fault.status)
                    break
            decision = self.limits.check(request.method, path.removeprefix("/api/v10"))
            if decision.retry_after is not None:
                self.rate_limited += 1
                wait, is_global = decision.retry_after, decision.scope == "global"
                return self._too_many(request, wait, is_global=is_global, headers=decision.headers)
            response = await handler(request)
            response.headers.update(decision.headers)
            self._record(request, response.status)
            return response
        response = await handler(request)
        self._record(request, response.status)
        return response

    async def _pause(self, seconds: float) -> None:
        """Sleep for an injected delay, or less if the emulator is stopping."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    def _too_many(
        self,
        request: web.Request,
        retry_after: float,
        *,
        is_global: bool,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        self._record(request, 429)
        headers = (headers or {}) | {
            "Via": "1.1 google",
            "Retry-After": str(max(int(retry_after), 1)),
            "X-RateLimit-Scope": "global" if is_global else "user",
        }
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global}
        return _json(body, status=429, headers=headers)

    def _record(self, request: web.Request, status: int) -> None:
        self.requests.append(RequestRecord(request.method, request.path, status, time.monotonic()))

    async def _attachment(self, request: web.Request) -> web.Response:
        item = self.attachments.get(int(request.match_info["id"]))
        if item is None:
            return web.Response(status=404)
        return web.Response(body=item[1])

    async def _body(self, request: web.Request) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
        if request.content_type.startswith("multipart/"):
            data: dict[str, Any] = {}
            files: list[tuple[str, bytes]] = []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    data = json.loads(await part.text())  # type: ignore[union-attr]
                else:
                    files.append((part.filename or "file", await part.read()))  # type: ignore[union-attr]
            return data, files
        if request.can_read_body:
            return await request.json(), []
        return {}, []

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        try:
            return await self._route(request, path)
        except Refusal as refusal:
            self.refusals.append((request.method, path, refusal))
            log.info("emulator refused %s %s: %s", request.method, path, refusal)
            return _json(refusal.body(), status=refusal.status)

    def _check_auth(self, request: web.Request, path: str) -> None:
        """Bot routes need `Authorization: Bot <token>`; interaction and webhook routes carry their token."""
        auth = request.headers.get("Authorization")
        tokened = path.startswith(("/interactions/", "/webhooks/"))
        if auth != f"Bot {self.TOKEN}" and not (tokened and auth is None):
            if self.strict or auth is not None:
                raise rules.unauthorized()

    def _check_app(self, app_id: str, *, webhook: bool) -> None:
        """A path naming another application: Discord refuses it."""
        if self.strict and app_id != str(self.app_id):
            raise (
                rules.unknown_webhook()
                if webhook
                else Refusal(403, 20012, "You are not authorized to perform this action on this application")
            )

    async def _route(self, request: web.Request, path: str) -> web.StreamResponse:
        self._check_auth(request, path)
        for method, pattern, handler in self._routes():
            m = re.fullmatch(pattern, path)
            if m and method == request.method:
                args = m.groupdict()
                if "app" in args:
                    self._check_app(args.pop("app"), webhook=path.startswith("/webhooks/"))
                return await handler(request, **args)
        self.unknown_routes.append(f"{request.method} {path}")
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _routes(self) -> list[tuple[str, str, Callable[..., Awaitable[web.StreamResponse]]]]:
        mid = r"(?P<mid>\d+|@original)"
        return [
            ("GET", r"/gateway/bot", self._get_gateway),
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/oauth2/applications/@me", self._get_app),
            ("PUT", r"/applications/(?P<app>\d+)/commands", self._put_commands),
            ("PUT", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands", self._put_commands),
            ("GET", r"/applications/(?P<app>\d+)/commands", self._get_commands),
            ("GET", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands", self._get_commands),
            ("POST", r"/interactions/(?P<iid>\d+)/(?P<tok>[^/]+)/callback", self._callback),
            ("POST", r"/webhooks/(?P<app>\d+)/(?P<tok>[^/]+)", self._followup),
            ("GET", rf"/webhooks/(?P<app>\d+)/(?P<tok>[^/]+)/messages/{mid}", self._get_webhook_msg),
            ("PATCH", rf"/webhooks/(?P<app>\d+)/(?P<tok>[^/]+)/messages/{mid}", self._edit_webhook_msg),
            ("DELETE", rf"/webhooks/(?P<app>\d+)/(?P<tok>[^/]+)/messages/{mid}", self._delete_webhook_msg),
            ("POST", r"/channels/(?P<cid>\d+)/typing", self._typing),
            ("POST", r"/channels/(?P<cid>\d+)/messages", self._create_message),
            ("GET", r"/channels/(?P<cid>\d+)/messages", self._history),
            ("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._get_message),
            ("PATCH", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._edit_message),
            ("DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._delete_message),
            ("GET", r"/channels/(?P<cid>\d+)", self._get_channel),
            ("GET", r"/guilds/(?P<gid>\d+)/members/(?P<uid>\d+)", self._get_member),
        ]

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return _json(
            {
                "url": f"ws://127.0.0.1:{self.port}/gateway",
                "shards": self.shard_count,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": self.max_concurrency,
                },
            }
        )

    async def _get_me(self, request: web.Request) -> web.Response:
        return _json(p.user(self.app_id, self.bot_name, bot=True) | {"verified": True, "flags": 0})

    async def _get_app(self, request: web.Request) -> web.Response:
        owner = p.user(1, "owner")
        return _json(
            {
                "id": str(self.app_id),
                "name": self.bot_name,
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": owner,
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "summary": "",
                "rpc_origins": [],
                "interactions_endpoint_url": None,
                "redirect_uris": [],
            }
        )

    async def _put_commands(self, request: web.Request, gid: str | None = None) -> web.Response:
        body, _ = await self._body(request)
        if self.strict:
            rules.check_commands(body)
        registered = []
        for cmd in body:
            registered.append(
                cmd
                | {
                    "id": str(p.snowflake()),
                    "application_id": str(self.app_id),
                    "version": str(p.snowflake()),
                    "guild_id": gid,
                    "type": cmd.get("type", 1),
                    "description": cmd.get("description") or "",  # "" for context menus, as Discord
                    "default_member_permissions": cmd.get("default_member_permissions"),
                }
            )
        if gid is None:
            self.global_commands = registered
        else:
            self.guild_commands[int(gid)] = registered
        return _json(registered)

    async def _get_commands(self, request: web.Request, gid: str | None = None) -> web.Response:
        return _json(self.global_commands if gid is None else self.guild_commands.get(int(gid), []))

    def _interaction_by_token(self, tok: str) -> Interaction | None:
        return next((i for i in self.interactions.values() if i.token == tok), None)

    def _new_message(
        self,
        channel_id: int,
        kind: str,
        body: dict[str, Any],
        files: list[tuple[str, bytes]],
        interaction: Interaction | None = None,
        flags: int = 0,
    ) -> SentMessage:
        ch = self.find_channel(channel_id)
        mid = p.snowflake()
        attachments = []
        for i, (name, data) in enumerate(files):
            aid = p.snowflake()
            self.attachments[aid] = (name, data)
            attachments.append(self._attachment_payload(aid, name, data, i))
        meta = None
        if interaction is not None:
            meta = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": self._member_of(interaction).user,
                "authorizing_integration_owners": {},
            }
        payload = p.message(
            mid,
            channel_id,
            ch.guild_id if ch else None,
            p.user(self.app_id, self.bot_name, bot=True),
            body.get("content") or "",
            embeds=body.get("embeds"),
            components=body.get("components"),
            attachments=attachments,
            flags=flags | int(body.get("flags") or 0),
            interaction_metadata=meta,
            msg_type=20 if kind == "response" else 0,
        )
        sent = SentMessage(
            mid, channel_id, kind, payload, body, interaction.id if interaction else None, files=files
        )
        self.sent.append(sent)
        self.messages[mid] = sent
        if interaction is not None:
            interaction.messages.append(sent)
        if self.on_new_message is not None:
            self.on_new_message(sent)
        self._notify(sent)
        return sent

    def _attachment_payload(self, aid: int, name: str, data: bytes, index: int = 0) -> dict[str, Any]:
        return {
            "id": str(aid),
            "filename": name,
            "size": len(data),
            "url": f"http://127.0.0.1:{self.port}/attachments/{aid}/{name}",
            "proxy_url": f"http://127.0.0.1:{self.port}/attachments/{aid}/{name}",
            "content_type": "application/octet-stream",
        }

    def _member_of(self, interaction: Interaction) -> Member:
        return self.guilds[interaction.guild_id].members[interaction.user_id]

    def _notify(self, sent: SentMessage) -> None:
        for pred, fut in list(self._waiters):
            if not fut.done() and pred(sent):
                fut.set_result(sent)
                self._waiters.remove((pred, fut))

    def _edit(self, sent: SentMessage, body: dict[str, Any], files: list[tuple[str, bytes]]) -> None:
        for key in ("content", "embeds", "components", "flags"):
            if key in body and body[key] is not None:
                sent.payload[key] = body[key]
        sent.request = body | {
            "allowed_mentions": body.get("allowed_mentions", sent.request.get("allowed_mentions"))
        }
        if files:
            sent.files = files
            sent.payload["attachments"] = []
            for i, (name, data) in enumerate(files):
                aid = p.snowflake()
                self.attachments[aid] = (name, data)
                sent.payload["attachments"].append(self._attachment_payload(aid, name, data, i))
        sent.edits += 1
        sent.payload["edited_timestamp"] = p.iso_now()
        self._notify(sent)

    def _check_token(self, inter: Interaction) -> None:
        """Discord's clock on an interaction token: a first answer within 3 s, then 15 minutes."""
        if self.strict:
            rules.check_timing(
                self.clock() - inter.sent_at,
                answered=inter.callback is not None,
                first_deadline=self.first_response_seconds,
                token_lifetime=self.token_lifetime_seconds,
            )

    async def _callback(self, request: web.Request, iid: str, tok: str) -> web.StreamResponse:
        inter = self.interactions.get(int(iid))
        if inter is None or inter.token != tok:
            raise rules.unknown_interaction()
        self._check_token(inter)
        if inter.callback is not None:
            raise rules.already_acknowledged()
        body, files = await self._body(request)
        if self.strict:
            rules.check_callback(body, files, inter.type)
        kind, data = body.get("type"), body.get("data") or {}
        resource: dict[str, Any] = {"type": kind}
        info = {
            "id": str(inter.id),
            "type": inter.type,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64),
        }
        created: SentMessage | None = None
        if kind in (4, 5):
            created = self._new_message(
                inter.channel_id,
                "response",
                data if kind == 4 else {},
                files,
                inter,
                flags=(128 | int(data.get("flags") or 0) if kind == 5 else 0),
            )
            inter.original_id = created.id
            resource["message"] = created.payload
            info["response_message_id"] = str(created.id)
        elif kind == 7:
            target = self.messages.get(int(inter.payload["message"]["id"]))
            if target is not None:
                self._edit(target, data, files)
                resource["message"] = target.payload
        inter.callback, inter.callback_at = body, self.clock()
        inter.answered.set()
        if created is not None:
            await self._announce(created)
        if request.query.get("with_response", "").lower() not in ("1", "true"):
            return web.Response(status=204)
        return _json({"interaction": info, "resource": resource})

    def _live_interaction(self, tok: str) -> Interaction:
        """The interaction behind a webhook token, if Discord would still honour the token."""
        inter = self._interaction_by_token(tok)
        if inter is None or (self.strict and inter.callback is None):
            raise rules.unknown_webhook()  # no webhook exists before the first answer
        if self.strict and self.clock() - inter.sent_at > self.token_lifetime_seconds:
            raise rules.invalid_webhook_token()
        return inter

    async def _followup(self, request: web.Request, tok: str) -> web.Response:
        inter = self._live_interaction(tok)
        body, files = await self._body(request)
        if self.strict:
            rules.check_message(body, files)
        original = self.messages.get(inter.original_id or 0)
        if (
            inter.response_type == 5
            and original is not None
            and not original.deleted
            and original.payload.get("flags", 0) & 128
        ):
            # The first follow-up after a deferred reply replaces the "thinking…" message.
            original.payload["flags"] = original.payload.get("flags", 0) & ~128
            self._edit(original, body, files)
            return _json(original.payload)
        sent = self._new_message(inter.channel_id, "followup", body, files, inter)
        await self._announce(sent)
        return _json(sent.payload)

    def _webhook_target(self, tok: str, mid: str) -> SentMessage | None:
        inter = self._live_interaction(tok)
        wanted = inter.original_id if mid == "@original" else int(mid)
        sent = self.messages.get(wanted) if wanted else None
        return None if sent is None or sent.deleted else sent

    async def _get_webhook_msg(self, request: web.Request, tok: str, mid: str) -> web.Response:
        sent = self._webhook_target(tok, mid)
        if sent is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return _json(sent.payload)

    async def _edit_webhook_msg(self, request: web.Request, tok: str, mid: str) -> web.Response:
        sent = self._webhook_target(tok, mid)
        if sent is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        body, files = await self._body(request)
        if self.strict:
            rules.check_message(body, files, edit=True)
        sent.payload["flags"] = sent.payload.get("flags", 0) & ~128
        self._edit(sent, body, files)
        return _json(sent.payload)

    async def _delete_webhook_msg(self, request: web.Request, tok: str, mid: str) -> web.Response:
        sent = self._webhook_target(tok, mid)
        if sent is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        sent.deleted = True
        return web.Response(status=204)

    def _channel_error(self, cid: str, *, write: bool) -> web.Response | None:
        ch = self.find_channel(int(cid))
        if ch is None or ch.deleted:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        if write and any(
            o["id"] == str(self.app_id) and int(o["deny"]) & p.SEND_MESSAGES for o in ch.overwrites
        ):
            return _json({"message": "Missing Permissions", "code": 50013}, status=403)
        return None

    async def _create_message(self, request: web.Request, cid: str) -> web.Response:
        error = self._channel_error(cid, write=True)
        if error is not None:
            return error
        body, files = await self._body(request)
        nonce = body.get("nonce")
        if nonce and body.get("enforce_nonce"):
            dup = next(
                (s for s in self.sent if s.channel_id == int(cid) and s.request.get("nonce") == nonce), None
            )
            if dup is not None:
                return _json(dup.payload)
        if self.strict:
            rules.check_message(body, files)
        reference = body.get("message_reference")
        replied_to = self._replied_to(int(cid), reference)
        if self.strict:
            rules.check_reply(reference, replied_to is not None)
        sent = self._new_message(int(cid), "channel", body, files)
        if replied_to is not None:  # a reply: Discord's type 19 with the message it answers
            sent.payload |= {
                "type": 19,
                "message_reference": {"type": 0, "message_id": replied_to["id"], "channel_id": cid},
                "referenced_message": replied_to,
            }
        await self._announce(sent)
        return _json(sent.payload)

    def _replied_to(self, channel_id: int, reference: dict[str, Any] | None) -> dict[str, Any] | None:
        """The message a `message_reference` points at, if it is in this channel and not deleted."""
        if not reference or "message_id" not in reference:
            return None
        if int(reference.get("channel_id") or channel_id) != channel_id:
            return None
        mid = int(reference["message_id"])
        mine = self._channel_message(str(channel_id), str(mid))
        if mine is not None:
            return mine.payload
        theirs = (m for m in self.user_messages if int(m["channel_id"]) == channel_id)
        return next((m for m in theirs if int(m["id"]) == mid), None)

    async def _typing(self, request: web.Request, cid: str) -> web.Response:
        error = self._channel_error(cid, write=True)
        return error or web.Response(status=204)

    async def _announce(self, sent: SentMessage) -> None:
        """Discord sends the bot its own new messages as MESSAGE_CREATE (never the ephemeral ones)."""
        if not sent.ephemeral:
            await self.dispatch("MESSAGE_CREATE", sent.payload)

    async def _history(self, request: web.Request, cid: str) -> web.Response:
        error = self._channel_error(cid, write=False)
        if error is not None:
            return error
        if self.strict:
            limit = rules.check_history_query(request.query)
        else:
            limit = min(int(request.query.get("limit", "50")), 100)
        # Like Discord: the bot's messages and members' messages, newest first; `before`/`after` are
        # message ids (`after` gives the `limit` messages right after it, still newest first).
        channel_id = int(cid)
        mine = [s.payload for s in self.sent if s.channel_id == channel_id and not s.deleted]
        members = [m for m in self.user_messages if int(m["channel_id"]) == channel_id]
        found = sorted(mine + members, key=lambda m: int(m["id"]))
        if "before" in request.query:
            found = [m for m in found if int(m["id"]) < int(request.query["before"])]
        if "after" in request.query:
            found = [m for m in found if int(m["id"]) > int(request.query["after"])][:limit]
        return _json(found[::-1][:limit])

    def _channel_message(self, cid: str, mid: str) -> SentMessage | None:
        sent = self.messages.get(int(mid))
        return sent if sent is not None and not sent.deleted and sent.channel_id == int(cid) else None

    async def _get_message(self, request: web.Request, cid: str, mid: str) -> web.Response:
        sent = self._channel_message(cid, mid)
        if sent is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return _json(sent.payload)

    async def _edit_message(self, request: web.Request, cid: str, mid: str) -> web.Response:
        sent = self._channel_message(cid, mid)
        if sent is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        body, files = await self._body(request)
        if self.strict:
            rules.check_message(body, files, edit=True)
        self._edit(sent, body, files)
        return _json(sent.payload)

    async def _delete_message(self, request: web.Request, cid: str, mid: str) -> web.Response:
        sent = self._channel_message(cid, mid)
        if sent is None:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        sent.deleted = True
        return web.Response(status=204)

    async def _get_channel(self, request: web.Request, cid: str) -> web.Response:
        error = self._channel_error(cid, write=False)
        if error is not None:
            return error
        ch = self.find_channel(int(cid))
        assert ch is not None
        return _json(ch.payload())

    async def _get_member(self, request: web.Request, gid: str, uid: str) -> web.Response:
        g = self.guilds.get(int(gid))
        m = g.members.get(int(uid)) if g else None
        if m is None:
            return _json({"message": "Unknown Member", "code": 10007}, status=404)
        return _json(m.payload())

    # ----- test-facing helpers --------------------------------------------------------------------
    async def wait_for(self, predicate: Predicate, timeout: float = 5.0, *, past: bool = True) -> SentMessage:
        """Wait for a bot message (new or edited) matching `predicate`; `past` also searches earlier ones."""
        if past:
            for sent in self.sent:
                if not sent.deleted and predicate(sent):
                    return sent
        fut: asyncio.Future[SentMessage] = asyncio.get_running_loop().create_future()
        entry = (predicate, fut)
        self._waiters.append(entry)
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    def channel_posts(self, channel: Channel | int) -> list[SentMessage]:
        cid = channel if isinstance(channel, int) else channel.id
        return [s for s in self.sent if s.channel_id == cid and s.kind == "channel" and not s.deleted]

    async def wait_answered(self, inter: Interaction, timeout: float = 5.0) -> Interaction:
        """Wait until the bot has answered `inter` (any callback type)."""
        await asyncio.wait_for(inter.answered.wait(), timeout)
        return inter

    async def send_interaction(self, data: dict[str, Any]) -> Interaction:
        inter = Interaction(
            int(data["id"]),
            data["token"],
            data["type"],
            int(data["member"]["user"]["id"]),
            int(data["channel_id"]),
            int(data["guild_id"]),
            data,
            self.clock(),
        )
        self.interactions[inter.id] = inter
        await self.dispatch("INTERACTION_CREATE", data)
        return inter
