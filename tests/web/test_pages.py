"""The web pages through aiohttp's test client: ranking, periods, categories, search, fan page,
recent quizzes, privacy, switching off, headers, and bad input answered 400/404 without a traceback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import ManualClock
from bot.database import Database
from bot.web.app import make_app
from db.queries.profiles import disable_web, enable_web, set_hidden
from tests.web.seed import GUILD, NOW, Seeded, seed_site


@pytest.fixture
async def site(db: Database) -> Seeded:
    return await seed_site(db.sessions, extra_fans=60)


@pytest.fixture
async def client(db: Database, site: Seeded) -> AsyncIterator[TestClient]:
    app = make_app(db.sessions, clock=ManualClock(NOW))
    async with TestClient(TestServer(app)) as c:
        yield c


async def text_of(client: TestClient, path: str, status: int = 200) -> str:
    resp = await client.get(path)
    body = await resp.text()
    assert resp.status == status, body
    return body


async def test_ranking_lists_fans_in_order_with_hidden_fan(client: TestClient, site: Seeded) -> None:
    body = await text_of(client, f"/s/{site.slug}")
    assert "Curva Nord" in body and "all time" in body and "64 fans" in body
    ada, bruno, hidden, dario = (
        body.index("Ada Negri"),
        body.index("Bruno Conti"),
        body.index('class="fan">hidden fan<'),
        body.index("Dario &lt;b&gt;Fo&lt;/b&gt;"),  # names are escaped, never markup
    )
    assert ada < bruno < hidden < dario
    assert "Carla" not in body  # the hidden fan's name never reaches the page
    assert '/fan/103"' not in body  # and her page is not linked
    assert f'href="/s/{site.slug}/fan/101"' in body
    assert "Page 1 of 2" in body and "Extra" in body


async def test_periods_switch_the_ranking(client: TestClient, site: Seeded) -> None:
    week = await text_of(client, f"/s/{site.slug}?period=week")
    assert "this week" in week and "Bruno Conti" in week and "Dario" not in week
    assert week.index("Bruno Conti") < week.index("Ada Negri")  # 90 this week against Ada's 40
    month = await text_of(client, f"/s/{site.slug}?period=month")
    assert "Dario" not in month and "Ada Negri" in month  # Dario scored five weeks ago (April)
    season = await text_of(client, f"/s/{site.slug}?period=season")
    assert "Dario" in season


async def test_category_and_search(client: TestClient, site: Seeded) -> None:
    players = await text_of(client, f"/s/{site.slug}?category=Players")
    assert "Dario" in players and "Ada Negri" not in players
    found = await text_of(client, f"/s/{site.slug}?q=bruno")
    assert "Bruno Conti" in found and "Ada Negri" not in found and ">2<" in found  # his overall rank
    hidden = await text_of(client, f"/s/{site.slug}?q=carla")
    assert "Carla" not in hidden.split("<main>")[1].split("</form>")[1] and "No fan named like" in hidden
    second = await text_of(client, f"/s/{site.slug}?page=2")
    assert "Page 2 of 2" in second and "Ada Negri" not in second


async def test_fan_page(client: TestClient, site: Seeded) -> None:
    body = await text_of(client, f"/s/{site.slug}/fan/101")
    assert "Ada Negri" in body and "120" in body and "#1" in body
    assert "Gasperini" in body and "History" in body and "<meter" in body
    assert 'role="img"' in body and "Points per week this season: 120" in body
    assert "best 3" in body  # three right answers in a row before the miss
    await text_of(client, f"/s/{site.slug}/fan/103", 404)  # hidden
    await text_of(client, f"/s/{site.slug}/fan/999", 404)  # never played


async def test_recent_quizzes(client: TestClient, site: Seeded) -> None:
    body = await text_of(client, f"/s/{site.slug}/quizzes")
    assert "Gasperini" in body and "Bruno Conti" in body and "90 pts" in body
    assert "22 May 2025 11:00" in body  # 09:00 UTC in Rome


async def test_headers_and_read_only(client: TestClient, site: Seeded) -> None:
    resp = await client.get(f"/s/{site.slug}")
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    assert "script-src" not in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert "<script" not in await resp.text()
    css = await client.get("/static/style.css")
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        resp = await client.request(method, f"/s/{site.slug}")
        assert resp.status == 405
        assert "Traceback" not in await resp.text()
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?period=year", 400),
        ("?page=0", 400),
        ("?page=abc", 400),
        ("?page=-1", 400),
        ("?page=99999999999999999999", 400),
        ("?page=50", 404),
        ("?category=Nope", 400),
        ("?q=" + "x" * 51, 400),
        ("?q=%00%27%22;--", 200),
        ("?q=%25", 200),
    ],
)
async def test_bad_parameters(client: TestClient, site: Seeded, query: str, status: int) -> None:
    body = await text_of(client, f"/s/{site.slug}{query}", status)
    assert "Traceback" not in body


@pytest.mark.parametrize(
    "path",
    [
        f"/s/{GUILD}",  # the guild id is not an address
        "/s/short",
        "/s/AAAAAAAAAAAAAAAAAAAAAA",
        "/s/../../etc/passwd",
        "/s/%2e%2e/fan/1",
        "/nope",
        "/static/../bot/config.py",
    ],
)
async def test_bad_paths_are_404(client: TestClient, path: str) -> None:
    body = await text_of(client, path, 404)
    assert "Traceback" not in body


async def test_switching_off_is_404_at_once_and_on_again_keeps_the_address(
    client: TestClient, db: Database, site: Seeded
) -> None:
    async with db.sessions.begin() as s:
        assert await disable_web(s, GUILD)
    await text_of(client, f"/s/{site.slug}", 404)
    await text_of(client, f"/s/{site.slug}/fan/101", 404)
    await text_of(client, f"/s/{site.slug}/quizzes", 404)
    async with db.sessions.begin() as s:
        assert await enable_web(s, GUILD, "Curva Nord") == site.slug
    await text_of(client, f"/s/{site.slug}")


async def test_storage_failure_is_a_plain_500(client: TestClient, db: Database, site: Seeded) -> None:
    await db.engine.dispose()
    async with db.engine.begin() as conn:
        await conn.exec_driver_sql("DROP TABLE fan_profiles")
    body = await text_of(client, f"/s/{site.slug}", 500)
    assert "Something went wrong" in body and "Traceback" not in body and "fan_profiles" not in body


async def test_navigation_marks_the_current_page(client: TestClient, site: Seeded) -> None:
    ranking = await text_of(client, f"/s/{site.slug}?period=season")
    assert f'href="/s/{site.slug}" aria-current="page">Ranking' in ranking
    assert 'aria-current="page">this season' in ranking
    quizzes = await text_of(client, f"/s/{site.slug}/quizzes")
    assert 'aria-current="page">Recent quizzes' in quizzes


async def test_search_within_a_category_and_period(client: TestClient, site: Seeded) -> None:
    body = await text_of(client, f"/s/{site.slug}?period=week&category=Gasperini&q=o")
    assert "Bruno Conti" in body and "Ada Negri" not in body  # Ada's Gasperini points are older
    body = await text_of(client, f"/s/{site.slug}?period=week&q=r")
    table = body.split("<tbody>")[1]
    assert table.index("Bruno Conti") < table.index("Ada Negri") and "Extra" in table
    assert "Dario" not in table  # no points this week


async def test_a_hidden_winner_is_a_hidden_fan_on_recent_quizzes(
    client: TestClient, db: Database, site: Seeded
) -> None:
    async with db.sessions.begin() as s:
        await set_hidden(s, GUILD, 102, True, "Bruno Conti", NOW)
    body = await text_of(client, f"/s/{site.slug}/quizzes")
    assert "Bruno" not in body and "hidden fan <small>90 pts" in body and "/fan/102" not in body
