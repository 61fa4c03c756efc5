"""Event attributes, confidence and merging, on sentences written here.

Typing and the not-an-event rules are tested in `test_event_triggers`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sitroom.extract.events import EventExtractor
from sitroom.extract.text import Document
from sitroom.model import Article, Figure, Place, PlaceMention, Span, TimeMention, Window

PUBLISHED = dt.date(2021, 3, 9)


def _doc(text: str, **layers: object) -> Document:
    article = Article.create(text, id="t", published=PUBLISHED)
    return replace(Document.from_article(article), **layers)  # type: ignore[arg-type]


def _subtypes(text: str) -> list[str]:
    doc = EventExtractor()(_doc(text))
    return [e.subtype for e in doc.events]


def _primary(text: str) -> str:
    found = EventExtractor()(_doc(text)).events
    return max(found, key=lambda e: e.confidence).subtype if found else "(none)"


def test_history_months_before_publication_is_background() -> None:
    text = "The war began with shelling in 2011."
    old = TimeMention("t", Span(text.index("2011"), text.index("2011") + 4), "2011",
                      Window(dt.date(2011, 1, 1), dt.date(2011, 12, 31)), "year")  # fmt: skip
    doc = EventExtractor()(_doc(text, times=(old,)))
    assert doc.events == ()


def test_event_takes_date_place_fatalities_and_actors_from_its_clause() -> None:
    text = "Russian warplanes struck Ariha on Monday, killing 9 civilians."
    monday = TimeMention("t", Span(text.index("Monday"), text.index("Monday") + 6), "Monday",
                         Window.day(dt.date(2021, 3, 8)), "day")  # fmt: skip
    town = Place("geonames:172994", "Arihah", "SY", "Idlib", 35.81, 36.61, "city")
    ariha = PlaceMention("t", Span(25, 30), "Ariha", town, 0.9)
    killed = Figure("t", Span(48, 49), "9", 9, "exact", "civilian", "killed", Span(0, len(text)))
    doc = EventExtractor()(_doc(text, times=(monday,), places=(ariha,), figures=(killed,)))
    [event] = doc.events
    assert (event.subtype, event.type) == ("Air/drone strike", "Explosions/Remote violence")
    assert event.date == Window.day(dt.date(2021, 3, 8)) and not event.date_from_publication
    assert event.place_id == "geonames:172994"
    assert event.fatalities == 9
    assert event.actors == ("Military Forces of Russia", "Civilians")
    assert text[event.span.start : event.span.end].startswith("Russian warplanes")


def test_without_a_time_the_event_falls_back_to_publication_and_says_so() -> None:
    [event] = EventExtractor()(_doc("Shelling hit the town.")).events
    assert event.date == Window.day(PUBLISHED) and event.date_from_publication


def test_reports_of_one_incident_in_an_article_are_one_event() -> None:
    text = "Air strikes hit the town. The air strikes destroyed a school."
    assert _subtypes(text) == ["Air/drone strike"]


def test_a_long_article_takes_linear_time_per_clause() -> None:
    """Regression (#3): events once scanned every fact per clause, quadratic in length."""
    sentence = "Shelling hit the town on Monday, killing 4 people. "
    text = sentence * 3000
    step = len(sentence)
    times = tuple(
        TimeMention("t", Span(i * step + 25, i * step + 31), "Monday",
                    Window.day(dt.date(2021, 3, 8)), "day")
        for i in range(3000)
    )  # fmt: skip
    doc = EventExtractor()(_doc(text, times=times))
    # Every report is the same incident (same sub-type, place and date): one event.
    assert [e.subtype for e in doc.events] == ["Shelling/artillery/missile attack"]


def test_a_later_sentence_tells_how_a_protest_was_met() -> None:
    text = "Hundreds protested outside the ministry. Police later dispersed the crowd."
    assert _subtypes(text) == ["Protest with intervention"]
    violent = "Traders demonstrated in the capital. The protesters then torched a bank."
    assert _primary(violent) == "Violent demonstration"


def test_arrests_in_a_later_sentence_stay_their_own_event() -> None:
    text = "Teachers held a protest in the capital. Police detained 30 people in another town."
    assert _subtypes(text) == ["Peaceful protest", "Arrests"]


def test_later_sentences_report_with_less_confidence() -> None:
    alone = EventExtractor()(_doc("Protesters gathered in the capital.")).events
    text = "Officials met. Ministers spoke. Protesters gathered in the capital."
    later = EventExtractor()(_doc(text)).events
    assert later[0].confidence < alone[0].confidence


def _killed(text: str, number: str, value: int) -> Figure:
    start = text.index(number)
    return Figure("t", Span(start, start + len(number)), number, value, "exact", "people",
                  "killed", Span(0, len(text)))  # fmt: skip


def test_fatalities_sum_the_dead_of_each_group() -> None:
    text = "Three soldiers and two militants were killed in clashes."
    figures = (_killed(text, "Three", 3), _killed(text, "two", 2))
    [event] = EventExtractor()(_doc(text, figures=figures)).events
    assert event.fatalities == 5


def test_fatalities_do_not_add_a_part_to_its_total() -> None:
    text = "Clashes killed 10 people, including 4 rebels."
    figures = (_killed(text, "10", 10), _killed(text, "4", 4))
    [event] = EventExtractor()(_doc(text, figures=figures)).events
    assert event.fatalities == 10
