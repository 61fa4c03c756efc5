"""Calendar arithmetic on day windows."""

from __future__ import annotations

import datetime as dt

from sitroom.extract import calendar_windows as cal
from sitroom.model import Window

D = dt.date


def test_month_year_and_iso_week_windows() -> None:
    assert cal.month_window(2020, 2) == Window(D(2020, 2, 1), D(2020, 2, 29))
    assert cal.year_window(2019) == Window(D(2019, 1, 1), D(2019, 12, 31))
    assert cal.week_window(D(2019, 12, 24)) == Window(D(2019, 12, 23), D(2019, 12, 29))


def test_invalid_days_are_none_and_months_clip() -> None:
    assert cal.valid_date(2019, 2, 30) is None
    assert cal.add_months(D(2020, 1, 31), 1) == D(2020, 2, 29)
    assert cal.add_months(D(2020, 1, 15), -2) == D(2019, 11, 15)


def test_winter_runs_into_the_next_year() -> None:
    assert cal.season_window("winter", 2019) == Window(D(2019, 12, 1), D(2020, 2, 29))


def test_a_partial_date_takes_the_year_nearest_before_publication() -> None:
    published = D(2020, 1, 10)
    assert cal.infer_year(12, 24, published, future=False) == D(2019, 12, 24)
    assert cal.infer_year(1, 5, published, future=False) == D(2020, 1, 5)


def test_weekday_before_publication_and_the_same_weekday() -> None:
    tuesday = D(2019, 12, 24)
    assert cal.weekday_near(tuesday, 0, after=False, strict=False) == D(2019, 12, 23)
    assert cal.weekday_near(tuesday, 1, after=False, strict=False) == tuesday
    assert cal.weekday_near(tuesday, 1, after=False, strict=True) == D(2019, 12, 17)
