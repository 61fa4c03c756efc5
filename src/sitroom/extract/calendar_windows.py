"""Calendar arithmetic on day windows: months, weeks, parts of periods, seasons, inferred years."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from sitroom.model import Granularity, Window

__all__ = [
    "PART_TABLE",
    "SEASON_MONTHS",
    "UNIT_GRANULARITY",
    "add_months",
    "around",
    "infer_month",
    "infer_season",
    "infer_year",
    "month_window",
    "part_of",
    "season_window",
    "shift",
    "unit_window",
    "valid_date",
    "week_window",
    "weekday_near",
    "year_window",
]

SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    """The day, or None when the numbers name no real calendar day."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Windows are frozen, so one object can stand for every mention of the same month, season
# or year: reports name a handful, and building one (`calendar.monthrange`, two dates, the
# window's check) took longer than the rest of resolving "in March".
@lru_cache(maxsize=4096)
def month_window(year: int, month: int) -> Window:
    """Every day of one month."""
    last = calendar.monthrange(year, month)[1]
    return Window(dt.date(year, month, 1), dt.date(year, month, last))


@lru_cache(maxsize=1024)
def year_window(year: int) -> Window:
    """Every day of one year."""
    return Window(dt.date(year, 1, 1), dt.date(year, 12, 31))


def week_window(day: dt.date) -> Window:
    """The ISO week (Monday to Sunday) holding `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return Window(monday, monday + dt.timedelta(days=6))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, kept inside the target month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def shift(day: dt.date, unit: str, count: int) -> dt.date:
    """`day` moved by `count` calendar units; hours move by whole days only."""
    if unit == "hour":
        return day + dt.timedelta(days=int(count / 24))
    if unit in ("week", "weekend"):
        return day + dt.timedelta(weeks=count)
    if unit in ("month", "year", "decade"):
        return add_months(day, count * {"month": 1, "year": 12, "decade": 120}[unit])
    return day + dt.timedelta(days=count)


UNIT_GRANULARITY: dict[str, Granularity] = {
    "week": "week",
    "month": "month",
    "year": "year",
    "weekend": "range",
    "day": "day",
}


def unit_window(day: dt.date, unit: str) -> tuple[Window, Granularity]:
    """The calendar unit ('week', 'month', 'night'...) holding `day`, and its granularity."""
    if unit == "week":
        return week_window(day), "week"
    if unit == "weekend":
        saturday = week_window(day).start + dt.timedelta(days=5)
        return Window(saturday, saturday + dt.timedelta(days=1)), "range"
    if unit == "month":
        return month_window(day.year, day.month), "month"
    if unit == "year":
        return year_window(day.year), "year"
    return Window.day(day), UNIT_GRANULARITY.get(unit, "time")


# Each part as (days into a month, days into a week, months of a year, years of a decade);
# a negative first day counts from the end ("the end of August" is its last seven days).
PART_TABLE: dict[str, tuple[tuple[int, int], ...]] = {
    "early": ((0, 9), (0, 1), (1, 4), (0, 3)),
    "beginning": ((0, 6), (0, 1), (1, 1), (0, 1)),
    "start": ((0, 6), (0, 1), (1, 1), (0, 1)),
    "mid": ((10, 19), (2, 3), (5, 8), (4, 6)),
    "middle": ((10, 19), (2, 3), (5, 8), (4, 6)),
    "late": ((20, 30), (4, 6), (9, 12), (7, 9)),
    "end": ((-7, 30), (4, 6), (12, 12), (8, 9)),
    "first half": ((0, 14), (0, 2), (1, 6), (0, 4)),
    "second half": ((15, 30), (3, 6), (7, 12), (5, 9)),
}


def part_of(window: Window, unit: str, part: str, published: dt.date | None) -> Window:
    """The early/mid/late/end... part of a calendar unit's window."""
    if part in ("earlier", "later"):
        return around(window, published, earlier=part == "earlier")
    in_month, in_week, in_year, in_decade = PART_TABLE[part]
    year = window.start.year
    if unit == "year":
        return Window(dt.date(year, in_year[0], 1), month_window(year, in_year[1]).end)
    if unit == "decade":
        return Window(dt.date(year + in_decade[0], 1, 1), dt.date(year + in_decade[1], 12, 31))
    if unit not in ("month", "week"):
        return window
    first, last = in_month if unit == "month" else in_week
    length = (window.end - window.start).days + 1
    start = window.start + dt.timedelta(days=first if first >= 0 else length + first)
    return Window(start, window.start + dt.timedelta(days=min(last, length - 1)))


def around(window: Window, published: dt.date | None, *, earlier: bool) -> Window:
    """'earlier this month' runs up to the day before publication; 'later' from the day after."""
    if published is None or not window.contains(published):
        return window
    if earlier:
        return Window(window.start, max(window.start, published - dt.timedelta(days=1)))
    return Window(min(window.end, published + dt.timedelta(days=1)), window.end)


def infer_year(month: int, day: int, published: dt.date, *, future: bool) -> dt.date | None:
    """The date nearest on or before publication (on or after it when the clause is future)."""
    years = range(published.year + 1, published.year - 9, -1)
    dates = [d for y in years if (d := valid_date(y, month, day)) is not None]
    if future:
        return min((d for d in dates if d >= published), default=None)
    return max((d for d in dates if d <= published), default=None)


def infer_month(month: int, published: dt.date, rel: str | None, *, future: bool) -> Window:
    """'March', 'last March', 'this March', 'next March' relative to publication."""
    year = published.year
    if rel == "last":
        year -= month >= published.month
    elif rel in ("next", "coming"):
        year += month <= published.month
    elif rel != "this":
        year += (month < published.month) if future else -(month > published.month)
    return month_window(year, month)


@lru_cache(maxsize=1024)
def season_window(season: str, year: int) -> Window:
    """The three months of a northern-hemisphere season starting in `year`."""
    first = SEASON_MONTHS[season]
    end_year, last = divmod(year * 12 + first + 1, 12)
    return Window(dt.date(year, first, 1), month_window(end_year, last + 1).end)


def infer_season(season: str, published: dt.date, rel: str | None, *, future: bool) -> Window:
    """The occurrence of a season meant by 'last summer', 'this winter', 'in the spring'."""
    seasons = [season_window(season, y) for y in range(published.year - 2, published.year + 2)]
    if rel == "this":
        holding = [w for w in seasons if w.contains(published)]
        return holding[0] if holding else season_window(season, published.year)
    if rel in ("last", "past"):
        return max((w for w in seasons if w.end < published), key=lambda w: w.start)
    if rel in ("next", "coming") or future:
        return min((w for w in seasons if w.start > published), key=lambda w: w.start)
    return max((w for w in seasons if w.start <= published), key=lambda w: w.start)


def weekday_near(published: dt.date, weekday: int, *, after: bool, strict: bool) -> dt.date:
    """The nearest `weekday` before (or after) publication; `strict` skips the day itself."""
    delta = (weekday - published.weekday()) % 7 if after else (published.weekday() - weekday) % 7
    if delta == 0 and strict:
        delta = 7
    return published + dt.timedelta(days=delta if after else -delta)
