"""Where and when a figure holds: the place and period of its clause."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sitroom
from sitroom.extract.figures import FigureExtractor
from sitroom.extract.text import Document
from sitroom.model import Article, Place, PlaceMention, Span, TimeMention, Window

PUBLISHED = dt.date(2021, 3, 10)


def _doc(text: str, *, published: dt.date | None = PUBLISHED) -> Document:
    return Document.from_article(Article.create(text, published=published))


def _place(doc: Document, name: str, place_id: str, kind: str) -> PlaceMention:
    start = doc.text.index(name)
    place = Place(place_id, name, "XX", None, 0.0, 0.0, kind)
    return PlaceMention(doc.article.id, Span(start, start + len(name)), name, place, 0.9)


def _time(doc: Document, phrase: str, window: Window) -> TimeMention:
    start = doc.text.index(phrase)
    span = Span(start, start + len(phrase))
    return TimeMention(doc.article.id, span, phrase, window, "range")


def test_place_is_the_most_specific_resolved_place_of_the_clause() -> None:
    text = "In Utopia, 400 families fled Springfield for camps near Shelbyville."
    doc = _doc(text)
    places = (
        _place(doc, "Utopia", "geonames:1", "country"),
        _place(doc, "Springfield", "geonames:2", "city"),
        _place(doc, "Shelbyville", "geonames:3", "city"),
    )
    doc = dataclasses.replace(doc, places=places)
    (figure,) = FigureExtractor()(doc).figures
    assert figure.place_id == "geonames:2"


def test_an_unresolved_place_in_the_sentence_keeps_the_figure_unplaced() -> None:
    text = "400 families fled Springfield. Utopia is far away."
    doc = _doc(text)
    unresolved = dataclasses.replace(_place(doc, "Springfield", "geonames:2", "city"), place=None)
    doc = dataclasses.replace(
        doc, places=(unresolved, _place(doc, "Utopia", "geonames:1", "country"))
    )
    (figure,) = FigureExtractor()(doc).figures
    assert (figure.place_id, figure.place_basis) == (None, None)


def test_the_place_basis_says_clause_sentence_or_article() -> None:
    text = (
        "Shelbyville was shelled again. In Springfield, 400 families fled; 30 people were "
        "hurt. Shelbyville's mayor spoke. Some 2,000 people have been displaced."
    )
    doc = _doc(text)
    springfield = _place(doc, "Springfield", "geonames:2", "city")
    shelbyville = _place(doc, "Shelbyville", "geonames:3", "city")
    second = text.index("Shelbyville's")
    shelbyville_again = dataclasses.replace(
        shelbyville, span=Span(second, second + len("Shelbyville"))
    )
    doc = dataclasses.replace(doc, places=(shelbyville, springfield, shelbyville_again))
    found = {f.text: (f.place_id, f.place_basis) for f in FigureExtractor()(doc).figures}
    assert found == {
        "400": ("geonames:2", "clause"),
        "30": ("geonames:2", "sentence"),
        # No place in its sentence: the place the article names most often.
        "Some 2,000": ("geonames:3", "article"),
    }


def test_an_article_without_places_leaves_figures_unplaced() -> None:
    (figure,) = FigureExtractor()(_doc("Some 2,000 people have been displaced.")).figures
    assert (figure.place_id, figure.place_basis) == (None, None)


def test_period_is_the_window_of_the_clause_time() -> None:
    text = "On Monday, 400 families fled the town."
    doc = _doc(text)
    monday = Window.day(dt.date(2021, 3, 8))
    doc = dataclasses.replace(doc, times=(_time(doc, "Monday", monday),))
    (figure,) = FigureExtractor()(doc).figures
    assert figure.period == monday


def test_since_runs_the_period_to_publication() -> None:
    text = "Some 9,000 residents had been displaced since the offensive began early last month."
    doc = _doc(text)
    early = Window(dt.date(2021, 2, 1), dt.date(2021, 2, 10))
    doc = dataclasses.replace(doc, times=(_time(doc, "early last month", early),))
    (figure,) = FigureExtractor()(doc).figures
    assert (figure.text, figure.qualifier, figure.unit, figure.measure) == (
        "Some 9,000",
        "approx",
        "resident",
        "displaced",
    )
    assert figure.period == Window(dt.date(2021, 2, 1), PUBLISHED)


def test_since_without_publication_date_keeps_the_time_window() -> None:
    text = "Some 9,000 residents had been displaced since early last month."
    doc = _doc(text, published=None)
    early = Window(dt.date(2021, 2, 1), dt.date(2021, 2, 10))
    doc = dataclasses.replace(doc, times=(_time(doc, "early last month", early),))
    (figure,) = FigureExtractor()(doc).figures
    assert figure.period == early


def test_the_day_a_source_spoke_is_not_the_period_of_its_count() -> None:
    """Regression (#3): "said on Monday that N have fled ... since December 1"."""
    text = (
        "The agency said on Monday that more than 40,000 people have fled their homes "
        "in the province since December 1, most of them children."
    )
    result = sitroom.extract(text, published="2020-02-10")
    [figure] = [f for f in result.figures if f.value == 40000]
    assert figure.period == Window(dt.date(2019, 12, 1), dt.date(2020, 2, 10))


def test_place_falls_back_to_the_sentence_when_the_clause_names_none() -> None:
    text = "Shelling went on in Springfield; 400 families fled overnight."
    doc = _doc(text)
    doc = dataclasses.replace(doc, places=(_place(doc, "Springfield", "geonames:2", "city"),))
    (figure,) = FigureExtractor()(doc).figures
    assert figure.place_id == "geonames:2"


def test_over_the_past_days_ends_at_publication() -> None:
    result = sitroom.extract(
        "Some 2,000 people have fled over the past 10 days.", published=PUBLISHED
    )
    (figure,) = result.figures
    assert figure.period == Window(dt.date(2021, 3, 1), PUBLISHED)


def test_a_figure_with_no_time_in_its_sentence_has_no_period() -> None:
    text = "Floods struck on Monday. Some 2,000 people have fled."
    result = sitroom.extract(text, published=PUBLISHED)
    (figure,) = result.figures
    assert (figure.value, figure.period) == (2000, None)
