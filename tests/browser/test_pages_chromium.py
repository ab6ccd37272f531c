"""The web pages in real headless Chromium: the ranking, period switching, the category and search
form (no JavaScript), a fan's page, the hidden fan, and a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from bot.database import Database
from tests.browser.conftest import WebServer, csp_violations
from tests.web.seed import NOW, Seeded, seed_site

pytestmark = pytest.mark.browser


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    return await seed_site(db.sessions, extra_fans=55)


@pytest.fixture
def web_source(settings: Settings, seeded: Seeded) -> tuple[str, ManualClock]:
    return settings.db_url, ManualClock(NOW)


def by(kind: str) -> Any:
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def follow(driver: Any, element: Any, url_part: str) -> None:
    """Click a link or button and wait until the browser is at the new address."""
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.current_url
    element.click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url != old and url_part in d.current_url)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


def fans_listed(driver: Any) -> list[str]:
    return [td.text for td in driver.find_elements(by("CSS_SELECTOR"), "table.ranking td.fan")]


def test_ranking(page: Any, web_server: WebServer, seeded: Seeded) -> None:
    page.get(f"{web_server.base}/s/{seeded.slug}")
    assert page.find_element(by("TAG_NAME"), "h1").text == "Curva Nord"
    names = fans_listed(page)
    assert names[:4] == ["Ada Negri", "Bruno Conti", "hidden fan", "Dario <b>Fo</b>"]  # shown as text
    assert len(names) == 50
    ranks = [td.text for td in page.find_elements(by("CSS_SELECTOR"), "table.ranking td.rank")]
    assert ranks[:4] == ["1", "2", "3", "4"]
    header = page.find_element(by("CSS_SELECTOR"), "header.top")
    assert header.value_of_css_property("background-color") == "rgba(30, 80, 160, 1)"  # CSS allowed by CSP
    assert csp_violations(page) == []
    follow(page, page.find_element(by("LINK_TEXT"), "Next ▶"), "page=2")
    assert "page=2" in page.current_url and "Page 2 of 2" in page.page_source


def test_period_switching(page: Any, web_server: WebServer, seeded: Seeded) -> None:
    page.get(f"{web_server.base}/s/{seeded.slug}")
    follow(page, page.find_element(by("LINK_TEXT"), "this week"), "period=week")
    assert "period=week" in page.current_url
    assert fans_listed(page)[:2] == ["Bruno Conti", "Ada Negri"]
    current = page.find_element(by("CSS_SELECTOR"), '.periods a[aria-current="page"]')
    assert current.text == "this week"
    follow(page, page.find_element(by("LINK_TEXT"), "this month"), "period=month")
    assert "Dario <b>Fo</b>" not in fans_listed(page)
    follow(page, page.find_element(by("LINK_TEXT"), "this season"), "period=season")
    assert "Dario <b>Fo</b>" in fans_listed(page)


def test_category_and_search_form_without_javascript(
    page: Any, web_server: WebServer, seeded: Seeded
) -> None:
    from selenium.webdriver.support.ui import Select

    page.get(f"{web_server.base}/s/{seeded.slug}?period=season")
    Select(page.find_element(by("NAME"), "category")).select_by_visible_text("Gasperini")
    follow(page, page.find_element(by("CSS_SELECTOR"), "form.filters button"), "category=Gasperini")
    assert "category=Gasperini" in page.current_url and "period=season" in page.current_url
    assert fans_listed(page) == ["Bruno Conti", "Ada Negri", "hidden fan"]  # 90, 80, 60 in Gasperini
    page.get(f"{web_server.base}/s/{seeded.slug}")
    box = page.find_element(by("NAME"), "q")
    box.send_keys("conti")
    follow(page, page.find_element(by("CSS_SELECTOR"), "form.filters button"), "q=conti")
    assert fans_listed(page) == ["Bruno Conti"]


def test_fan_page(page: Any, web_server: WebServer, seeded: Seeded) -> None:
    page.get(f"{web_server.base}/s/{seeded.slug}")
    follow(page, page.find_element(by("LINK_TEXT"), "Ada Negri"), "/fan/101")
    assert page.find_element(by("TAG_NAME"), "h1").text == "Ada Negri"
    stats = {
        dt.text: dd.text
        for dt, dd in zip(
            page.find_elements(by("CSS_SELECTOR"), ".stats dt"),
            page.find_elements(by("CSS_SELECTOR"), ".stats dd"),
            strict=True,
        )
    }
    assert stats["Points"] == "120" and stats["Rank"] == "#1" and stats["Streak"].startswith("0")
    chart = page.find_element(by("CSS_SELECTOR"), "figure.chart svg")
    assert chart.get_attribute("role") == "img" and "120" in chart.get_attribute("aria-label")
    assert chart.size["width"] > 200 and chart.size["height"] > 50
    assert len(page.find_elements(by("CSS_SELECTOR"), "figure.chart rect.bar")) >= 40  # weeks since July
    meters = page.find_elements(by("CSS_SELECTOR"), "table.categories meter")
    assert [m.get_attribute("value") for m in meters] == ["1", "0.5"]  # Gasperini 2/2, History 1/2
    assert csp_violations(page) == []


def test_hidden_fan(page: Any, web_server: WebServer, seeded: Seeded) -> None:
    page.get(f"{web_server.base}/s/{seeded.slug}")
    row = page.find_element(by("CSS_SELECTOR"), "tr.hidden-fan")
    assert row.find_element(by("CSS_SELECTOR"), "td.fan").text == "hidden fan"
    assert row.find_elements(by("TAG_NAME"), "a") == []
    assert "Carla" not in page.page_source
    page.get(f"{web_server.base}/s/{seeded.slug}/fan/103")
    assert page.find_element(by("TAG_NAME"), "h1").text == "Not found"
    assert "Carla" not in page.page_source


def test_phone_viewport(page: Any, web_server: WebServer, seeded: Seeded) -> None:
    page.set_window_size(390, 844)
    page.get(f"{web_server.base}/s/{seeded.slug}")
    inner = page.execute_script("return window.innerWidth")
    assert inner <= 400
    scroll = page.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= inner  # nothing sticks out sideways
    wide = page.find_elements(by("CSS_SELECTOR"), "table.ranking .wide")
    assert wide and not any(cell.is_displayed() for cell in wide)  # secondary columns fold away
    assert page.find_element(by("LINK_TEXT"), "Ada Negri").is_displayed()
    follow(page, page.find_element(by("LINK_TEXT"), "Ada Negri"), "/fan/101")
    assert page.execute_script("return document.documentElement.scrollWidth") <= inner
