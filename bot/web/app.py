"""The aiohttp application serving the public pages: GET only, security headers, no tracebacks."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.clock import Clock, SystemClock
from bot.storable import storable
from bot.web import pages
from db.queries.profiles import site_by_slug

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SLUG = re.compile(r"[A-Za-z0-9_-]{16,32}")
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the address is the secret: never leak it to other sites
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
}

SESSIONS: web.AppKey[async_sessionmaker] = web.AppKey("sessions", async_sessionmaker)
CLOCK: web.AppKey[Clock] = web.AppKey("clock", object)  # type: ignore[arg-type]
SEASON_START: web.AppKey[int] = web.AppKey("season_start", int)
TEMPLATES: web.AppKey[jinja2.Environment] = web.AppKey("templates", jinja2.Environment)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def templates() -> jinja2.Environment:
    """The page templates, HTML-escaped by default."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda x: f"{x:.0%}"
    return env


def render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    html = request.app[TEMPLATES].get_template(name).render(**context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Map bad input to 400, missing pages to 404, and anything unexpected to a plain 500 page."""
    try:
        return await handler(request)
    except pages.BadRequest as exc:
        return render(request, "error.html", 400, title="Bad request", message=str(exc))
    except pages.NotFound:
        return render(request, "error.html", 404, title="Not found", message="There is no page here.")
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        resp = render(request, "error.html", exc.status, title=exc.reason, message=exc.reason)
        for key in ("Allow",):
            if key in exc.headers:
                resp.headers[key] = exc.headers[key]
        return resp
    except Exception:
        log.exception("web page %s failed", request.path)
        return render(request, "error.html", 500, title="Error", message="Something went wrong on our side.")


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    if request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "public, max-age=3600"
    else:
        response.headers["Cache-Control"] = "no-store"  # a page switched off disappears at once


async def _site(request: web.Request, session: Any) -> pages.Site:
    slug = request.match_info["slug"]
    if not SLUG.fullmatch(slug):
        raise pages.NotFound
    row = await site_by_slug(session, slug)
    if row is None:
        raise pages.NotFound
    return pages.Site.of(row)


async def index(request: web.Request) -> web.Response:
    return render(request, "index.html")


def _param(request: web.Request, name: str) -> str | None:
    """A query parameter without the characters a database refuses (NUL): `?q=%00x` searches for "x"."""
    value = request.query.get(name)
    return None if value is None else storable(value)


async def ranking(request: web.Request) -> web.Response:
    async with request.app[SESSIONS]() as s:
        site = await _site(request, s)
        board = await pages.ranking(
            s,
            site,
            request.app[CLOCK].now(),
            request.app[SEASON_START],
            period=_param(request, "period"),
            category=_param(request, "category"),
            search=_param(request, "q"),
            page=_param(request, "page"),
        )
    return render(
        request, "ranking.html", board=board, site=site, periods=pages.PERIODS, labels=pages.PERIOD_LABEL
    )


async def fan(request: web.Request) -> web.Response:
    raw = request.match_info["user_id"]
    if not raw.isdigit() or len(raw) > 20:
        raise pages.NotFound
    async with request.app[SESSIONS]() as s:
        site = await _site(request, s)
        page = await pages.fan_page(s, site, int(raw), request.app[CLOCK].now(), request.app[SEASON_START])
    return render(request, "fan.html", page=page, site=site)


async def recent(request: web.Request) -> web.Response:
    async with request.app[SESSIONS]() as s:
        site = await _site(request, s)
        listing = await pages.quizzes(s, site)
    return render(request, "quizzes.html", listing=listing, site=site)


async def stylesheet(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        HERE / "static" / "style.css", headers={"Content-Type": "text/css; charset=utf-8"}
    )


def make_app(
    sessions: async_sessionmaker, *, clock: Clock | None = None, season_start_month: int = 7
) -> web.Application:
    """The web application over an open session factory (read-only: GET and HEAD routes only)."""
    app = web.Application(middlewares=[errors])
    app[SESSIONS] = sessions
    app[CLOCK] = clock or SystemClock()
    app[SEASON_START] = season_start_month
    app[TEMPLATES] = templates()
    app.on_response_prepare.append(_headers)
    app.router.add_get("/", index)
    app.router.add_get("/static/style.css", stylesheet)
    app.router.add_get("/s/{slug}", ranking)
    app.router.add_get("/s/{slug}/", ranking)
    app.router.add_get("/s/{slug}/quizzes", recent)
    app.router.add_get("/s/{slug}/fan/{user_id}", fan)
    return app
