"""Discord-style rate limits: per-route buckets keyed by major parameter, with X-RateLimit-* headers.

Discord answers every REST call with `X-RateLimit-Limit/Remaining/Reset/Reset-After/Bucket`; clients
such as discord.py read them to wait *before* a bucket runs dry. The emulator does the same, so the
client's own bucket logic runs in tests, and a request past a bucket's limit gets a 429 as on Discord
(Topics: Rate Limits, "Header Format" and "Exceeding A Rate Limit").
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

# A path's major parameter (channel, guild, webhook or interaction) stays in the bucket key; other ids
# become placeholders, so /channels/1/messages/2 and /channels/1/messages/3 share a bucket.
_MAJOR_KINDS = ("channels", "guilds", "webhooks", "interactions")
_TOKENED = ("webhooks", "interactions")


def route_of(method: str, path: str) -> tuple[str, str]:
    """(route template, major parameter) for a REST path under /api/v10."""
    parts = path.strip("/").split("/")
    major = ""
    if len(parts) > 1 and parts[0] in _MAJOR_KINDS:
        major = parts[1]
        if parts[0] in _TOKENED and len(parts) > 2:
            major += "/" + parts[2]
            parts[2] = "{token}"
    template = "/".join("{id}" if p.isdigit() or p == "@original" else p for p in parts)
    return f"{method} /{template}", major


@dataclass
class Bucket:
    """One bucket's window: `limit` requests per `per` seconds."""

    name: str
    limit: int
    per: float
    used: int = 0
    resets_at: float = 0.0


@dataclass
class Decision:
    """What to answer: headers for the response and, when over the limit, how long to retry after."""

    headers: dict[str, str]
    retry_after: float | None = None
    scope: str = "user"


class RateLimits:
    """Per-route buckets (default `route_limit` per `route_window` s) and an optional global cap."""

    def __init__(
        self,
        *,
        route_limit: int = 50,
        route_window: float = 1.0,
        global_per_s: float | None = None,
        overrides: dict[str, tuple[int, float]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.route_limit = route_limit
        self.route_window = route_window
        self.global_per_s = global_per_s
        self.overrides = overrides or {}
        self.clock = clock
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._global: list[float] = []
        self.exhausted = 0  # times a bucket reached remaining 0 (the client should then wait)

    def _bucket(self, route: str, major: str) -> Bucket:
        key = (route, major)
        bucket = self._buckets.get(key)
        if bucket is None:
            limit, per = self.overrides.get(route, (self.route_limit, self.route_window))
            name = hashlib.sha1(route.encode()).hexdigest()[:16]  # noqa: S324 - a bucket label, not security
            bucket = self._buckets[key] = Bucket(name, limit, per)
        return bucket

    def check(self, method: str, path: str) -> Decision:
        """Count this request in its bucket; say whether it passes and with which headers."""
        now = self.clock()
        if self.global_per_s is not None:
            while self._global and now - self._global[0] >= 1.0:
                self._global.pop(0)
            if len(self._global) >= self.global_per_s:
                wait = max(1.0 - (now - self._global[0]), 0.01)
                return Decision({"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}, wait, "global")
        route, major = route_of(method, path)
        bucket = self._bucket(route, major)
        if now >= bucket.resets_at:
            bucket.used, bucket.resets_at = 0, now + bucket.per
        reset_after = max(bucket.resets_at - now, 0.0)
        if bucket.used >= bucket.limit:
            return Decision(self._headers(bucket, reset_after) | {"X-RateLimit-Scope": "user"}, reset_after)
        bucket.used += 1
        if self.global_per_s is not None:
            self._global.append(now)
        if bucket.used == bucket.limit:
            self.exhausted += 1
        return Decision(self._headers(bucket, reset_after))

    @staticmethod
    def _headers(bucket: Bucket, reset_after: float) -> dict[str, str]:
        reset_after = math.ceil(reset_after * 1000) / 1000
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(bucket.limit - bucket.used, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket.name,
        }
