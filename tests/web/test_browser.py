"""The web page in a real headless Chromium: loads clean and offline, shows the example events,
opens a figure's article at its span, and runs nothing an article's text says (issue 9)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")),
    reason="no chromium on PATH: apt-get install chromium, pip install playwright (CI does)",
)

#: An article written here whose title, URL and text try to run script in the page.
HOSTILE = {
    "id": "hostile-1",
    "title": "<img src=x onerror=\"window.__xss='title'\">Attack <script>window.__xss='t'</script>",
    "url": "javascript:window.__xss='url'",
    "published": "2021-03-04",
    "text": (
        "Shelling killed 7 people in Aleppo on Monday. <script>window.__xss='script'</script> "
        "Witnesses said <img src=x onerror=\"window.__xss='img'\"> about 40 families fled "
        "<b onmouseover=\"window.__xss='b'\">the town</b>."
    ),
}


@dataclass
class Watch:
    """What a page said on its console and which addresses it tried beyond this server."""

    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser: Any, url: str) -> tuple[Any, Watch]:
    """A fresh page at `url` that refuses every request off 127.0.0.1 and records problems."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    watch = Watch()
    page.on("console", lambda m: m.type == "error" and watch.errors.append(m.text))
    page.on("pageerror", lambda e: watch.errors.append(str(e)))
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))

    def only_loopback(route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(url)
    return page, watch


@pytest.fixture(scope="module")
def idlib_db(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path, new_store: Any) -> Path:
    """Our examples and the team's example report (Idlib, 24 December 2019)."""
    report = shared_dir / "examples" / "idlib-2019-12-24.txt"
    return Path(new_store(tmp_path_factory.mktemp("idlib") / "s.db", ROOT / "examples", report))


@pytest.fixture(scope="module")
def site(idlib_db: Path, serve: Any) -> Iterator[str]:
    """The base URL of a server over the examples and the example report."""
    with serve(idlib_db) as base:
        yield base


def test_page_loads_clean_offline_and_the_example_report_is_on_the_map(
    browser: Any, site: str, artifacts: Path
) -> None:
    page, watch = open_page(browser, site + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    page.screenshot(path=str(artifacts / "page.png"), full_page=True)
    assert watch.errors == [] and watch.outside == []
    assert page.locator(".country").count() > 200, "the basemap was not drawn"
    markers = page.locator(".marker")
    shown = sum(int(markers.nth(i).get_attribute("data-count")) for i in range(markers.count()))
    points = httpx.get(site + "/api/map").json()["items"]
    assert shown == sum(p["count"] for p in points)
    # Every place of the example report's incidents has a marker.
    report = next(
        a
        for a in httpx.get(site + "/api/articles").json()["items"]
        if a["published"] == "2019-12-24"
    )
    incidents = httpx.get(site + "/api/incidents", params={"limit": 500}).json()["items"]
    report_places = {
        i["place"]["id"]
        for i in incidents
        if i["place"] and any(r["article_id"] == report["id"] for r in i["reports"])
    }
    on_map = {
        p
        for i in range(markers.count())
        for p in markers.nth(i).get_attribute("data-places").split()
    }
    assert report_places and report_places <= on_map
    assert page.locator("#timeline .bar").count() > 0
    assert page.locator("#events-body tr.event-row").count() == min(50, len(incidents))
    # The map, incidents and timeline draw before the figure series (issue 9's first render).
    marks = page.evaluate(
        "() => [document.body.dataset.firstRenderAt, document.body.dataset.readyAt]"
    )
    assert 0 < int(marks[0]) <= int(marks[1])


def test_clicking_a_figure_opens_its_article_at_the_highlighted_span(
    browser: Any, site: str, artifacts: Path
) -> None:
    page, watch = open_page(browser, site + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    claim = page.locator("button.claim").first
    figure_text = claim.locator(".claim-value").inner_text()
    start, end = claim.get_attribute("data-start"), claim.get_attribute("data-end")
    claim.click()
    page.wait_for_selector("#article .focus")
    page.screenshot(path=str(artifacts / "article.png"))
    focus = page.locator("#article .focus")
    assert "".join(focus.nth(i).inner_text() for i in range(focus.count())) == figure_text
    assert f"at={start}-{end}" in page.url and "article=" in page.url
    assert page.locator("#focus").is_visible()
    # The shared URL opens the same view.
    again, _ = open_page(browser, page.url)
    again.wait_for_selector("#article .focus")
    assert again.locator("#article .focus").first.inner_text() == focus.first.inner_text()
    assert watch.errors == []


def test_filters_live_in_the_url(browser: Any, site: str) -> None:
    page, watch = open_page(browser, site + "/?type=Battles&since=2019-12-01")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    assert page.locator("#f-type").input_value() == "Battles"
    assert page.locator("#f-since").input_value() == "2019-12-01"
    expected = httpx.get(site + "/api/incidents", params={"type": "Battles", "since": "2019-12-01"})
    assert page.locator("#events-body tr.event-row").count() == len(expected.json()["items"])
    page.select_option("#f-type", "Displacement")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**type=Displacement**")
    assert watch.errors == []


def test_article_text_with_script_and_img_onerror_runs_nothing(
    browser: Any, tmp_path: Path, serve: Any, new_store: Any, artifacts: Path
) -> None:
    source = tmp_path / "hostile.jsonl"
    source.write_text(json.dumps(HOSTILE) + "\n", "utf-8")
    db = new_store(tmp_path / "hostile.db", source)
    with serve(db) as base:
        page, watch = open_page(browser, f"{base}/?article={HOSTILE['id']}&at=0-7")
        page.wait_for_selector("#article .article-text")
        page.wait_for_selector("body[data-ready=true]", timeout=20_000)
        page.hover("#article .article-text")
        page.screenshot(path=str(artifacts / "hostile.png"))
        assert page.evaluate("() => window.__xss") is None
        assert watch.dialogs == []
        article = page.locator("#article")
        assert article.locator("script, img, b").count() == 0
        assert (
            "<script>window.__xss='script'</script>"
            in article.locator(".article-text").inner_text()
        )
        assert "<img src=x" in article.locator(".article-title").inner_text()
        # A javascript: URL is shown as text, never as a link.
        assert article.locator("a[href^='javascript']").count() == 0
        assert page.locator("body script").count() == 0


def test_a_long_series_shows_its_latest_claims_and_the_rest_when_asked(
    browser: Any, tmp_path: Path, serve: Any, new_store: Any, artifacts: Path
) -> None:
    # Issue 9: a count reported every day shows its latest claims, not a page-long wall.
    outlets = ("UN", "OCHA", "UNHCR", "IOM")
    source = tmp_path / "daily.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for day in range(15):
            text = (
                f"About {40 + 5 * day},000 people have been displaced from Idlib province "
                f"since December, {outlets[day % 4]} said on Monday."
            )
            record = {"id": f"daily-{day}", "text": text, "published": f"2021-03-{day + 1:02d}"}
            out.write(json.dumps(record) + "\n")
    with serve(new_store(tmp_path / "daily.db", source)) as base:
        page, watch = open_page(browser, base + "/")
        page.wait_for_selector("body[data-ready=true]", timeout=20_000)
        group = page.locator(".claim-group").first
        values = group.locator(".claim-value")
        assert values.count() == 12
        assert (
            "About 110,000" in values.all_inner_texts()
            and "About 40,000" not in values.all_inner_texts()
        )
        more = group.locator("button.more-claims")
        assert more.inner_text() == "all 15 claims (3 more)"
        more.click()
        page.wait_for_function(
            "() => document.querySelectorAll('.claim-group .claim-value').length === 15"
        )
        page.screenshot(path=str(artifacts / "long-series.png"))
        assert "About 40,000" in page.locator(".claim-group .claim-value").all_inner_texts()
        assert page.locator(".claim-group .more-claims").count() == 0
        assert watch.errors == []


def test_api_docs_render_offline(browser: Any, site: str, artifacts: Path) -> None:
    page, watch = open_page(browser, site + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    page.screenshot(path=str(artifacts / "docs.png"))
    assert page.locator(".opblock").count() >= 10
    assert watch.outside == [] and watch.errors == []
