"""Time expressions: finding them, resolving them to day windows, and the publication date.

The *find* half is `find_times` and `find_publication`: pure functions over a string and a
publication date. The *write* half is the `PublicationDate` and `TimeExtractor` components,
which put the results on a `Document`. Patterns run over the folded text, whose offsets are
the article text's offsets.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from sitroom.extract.calendar_windows import (
    SEASON_MONTHS,
    UNIT_GRANULARITY,
    add_months,
    infer_month,
    infer_season,
    infer_year,
    month_window,
    part_of,
    season_window,
    shift,
    unit_window,
    valid_date,
    week_window,
    weekday_near,
    year_window,
)
from sitroom.extract.text import Document, fold, split_sentences
from sitroom.model import Granularity, Span, TimeMention, Window

__all__ = [
    "Basis",
    "FoundTime",
    "PublicationDate",
    "TimeExtractor",
    "find_publication",
    "find_times",
]

#: What a window was resolved against: nothing, the publication date, an earlier time
#: expression ("two days later"), or other mentions ("since ...", "between ... and ...").
Basis = Literal["absolute", "publication", "event", "composite"]


@dataclass(frozen=True, slots=True)
class FoundTime:
    """A time expression found in a string: its offsets, its window and how precise it is."""

    start: int
    end: int
    window: Window | None
    granularity: Granularity
    fuzzy: bool = False
    basis: Basis = "absolute"


# --------------------------------------------------------------------------- vocabulary

_MONTH_NAMES = (
    r"Jan(?:uary|\.)?",
    r"Feb(?:ruary|\.)?",
    r"Mar(?:ch|\.)?",
    r"Apr(?:il|\.)?",
    r"May",
    r"Jun(?:e|\.)?",
    r"Jul(?:y|\.)?",
    r"Aug(?:ust|\.)?",
    r"Sep(?:tember|t\.?|\.)?",
    r"Oct(?:ober|\.)?",
    r"Nov(?:ember|\.)?",
    r"Dec(?:ember|\.)?",
)
_MONTH_TITLE = f"(?:{'|'.join(_MONTH_NAMES)})"
# One flat alternation (no nested groups), so `re` can skip ahead on its first letters.
_MONTH_WORD = rf"(?:{_MONTH_TITLE[3:-1]}|{_MONTH_TITLE[3:-1].upper()})"
_MONTH_NUMBER = {name[:3]: i for i, name in enumerate(calendar.month_name) if name}
_WEEKDAYS = [f"{d}day" for d in "Mon Tues Wednes Thurs Fri Satur Sun".split()]
_WEEKDAY_WORD = f"(?:{'|'.join(_WEEKDAYS + [d.upper() for d in _WEEKDAYS])})"
_WEEKDAY_NUMBER = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_NUMBER_WORDS.update(six=6, seven=7, eight=8, nine=9, ten=10)
_NUMBER_WORDS.update(eleven=11, twelve=12, fifteen=15, twenty=20, thirty=30)
# Vague counts become a range of counts and make the window fuzzy.
_VAGUE_COUNTS = {"a few": (2, 4), "few": (2, 4), "several": (3, 7), "a couple of": (2, 2)}
_NUM = (
    r"(?:\d{1,3}|a\s+couple\s+of|a\s+few|few|several|an?|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
)
_PARTS = (
    r"(?:(?:the\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of"
    r"|early|late|mid|earlier\s+in|later\s+in)"
)
_JOIN = r"(?:\s*-\s*|\s+(?:to|and|until|till|through)\s+)"
_WHEN = r"(?:[ \t]+(?P<when>(?i:morning|afternoon|evening|night)))?"


def _month(group: str) -> str:
    return rf"(?<![A-Za-z])(?P<{group}>{_MONTH_WORD})(?![A-Za-z])"


def _day(group: str) -> str:
    return rf"(?P<{group}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"


def _year(group: str) -> str:
    return rf"(?P<{group}>1[89]\d\d|20\d\d)(?!\d)"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words before a bare month ("in March") or year ("since 2012") that make it a date.
_MONTH_TRIGGERS = _words(
    "in since during until till by before after through throughout from between of to and or"
)
# "May" is also a modal verb and a name, so it needs a stronger cue than "to May".
_MAY_TRIGGERS = _MONTH_TRIGGERS - {"to", "and", "or", "by"}
_YEAR_TRIGGERS = _MONTH_TRIGGERS | {"year", "around", "circa", "for", "as"}
_DETERMINERS = _words("a an the his her its their our")
_CHRISTMAS_TRIGGERS = _words("on at over since before after until by")
# "the 2011 uprising": a year before one of these nouns is a date, not a count.
_YEAR_NOUNS = _words(
    """election elections war uprising revolution ceasefire truce agreement accord deal census
    budget offensive earthquake floods flood crisis coup referendum summit invasion protests
    campaign season report survey"""
)
# Lower-case words ending in "s" that are not plural nouns ("in 2018 was the worst year").
_NOT_PLURAL = _words("was has is as this its his thus across towards unless perhaps whereas")


# --------------------------------------------------------------------------- context

_Move = Callable[[Window], tuple[Window, Granularity, bool]]


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A found time before selection; an event-relative one knows how to move its anchor."""

    found: FoundTime
    move: _Move | None = None
    year_inferred: bool = False

    @property
    def start(self) -> int:
        return self.found.start

    @property
    def end(self) -> int:
        return self.found.end


_PREV_WORD = re.compile(r"([A-Za-z]+)[ \t]+$")
_LAST_LETTERS = re.compile(r"[A-Za-z]+\Z")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")
# Punctuation, or a clause word with `\b` before it written as a look back after its first
# letter (`(?<!\w[stawb])`): a pattern opening with a character class is scanned for in C.
_CLAUSE_BREAK = re.compile(
    r"[.;:!?\nstawb](?:(?<=[.;:!?\n])|(?<!\w[stawb])"
    r"(?:(?<=s)(?:aid|ays)|(?<=t)(?:old|hat)|(?<=a)fter|(?<=w)h(?:en|ile)|(?<=b)ut)\b)"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|scheduled|upcoming|(?:is|are)\s+due|plans?\s+to|(?:is|are)\s+set\s+to"
    r"|to\s+be\s+held|next)\b|'ll\b",
    re.IGNORECASE,
)
# A word every `_FUTURE` match holds, found in lower-cased text: most clauses hold none, and
# this scan is a few times faster than `_FUTURE`'s.
_FUTURE_WORD = re.compile("will|shall|scheduled|upcoming|due|plan|set|held|next|'ll")
_CASE_TWINS = re.compile("[\u0130\u0131\u017f\u212a]")


@dataclass(frozen=True, slots=True)
class _Context:
    text: str
    published: dt.date | None
    #: `text` lower-cased at the same length.
    lowered: str
    #: Whether ASCII letters in `lowered` stand for every letter the patterns match when they
    #: ignore case. A few letters match an ASCII one only then ("ſ", Kelvin's "K"): a
    #: document's folded text holds none, and elsewhere they turn the shortcuts off.
    plain: bool

    def prev_word(self, pos: int) -> str:
        """What `_PREV_WORD` finds before `pos`, lower-cased: most often the last token."""
        head = self.text[max(0, pos - 24) : pos]
        if head[-1:] == "\n":
            head = head[:-1]  # where `$` matches too
        stripped = head.rstrip(" \t")
        if len(stripped) == len(head):
            return ""
        word = stripped[stripped.rfind(" ") + 1 :]
        if not (word.isascii() and word.isalpha()):
            match = _LAST_LETTERS.search(stripped)
            word = match.group() if match else ""
        return word.lower()

    def next_word(self, pos: int) -> str:
        match = _NEXT_WORD.match(self.text, pos, pos + 40)
        return match.group(1) if match else ""

    def is_future(self, pos: int) -> bool:
        """Whether the clause before `pos` speaks of the future ('talks will resume on ...')."""
        start = max(0, pos - 80)
        if self.plain and _FUTURE_WORD.search(self.lowered, start, pos) is None:
            return False
        for match in _CLAUSE_BREAK.finditer(self.text, start, pos):
            start = match.end()
        return _FUTURE.search(self.text, start, pos) is not None


def _candidate(
    match: re.Match[str],
    window: Window | None,
    granularity: Granularity,
    *,
    fuzzy: bool = False,
    basis: Basis = "absolute",
    year_inferred: bool = False,
) -> _Candidate:
    found = FoundTime(match.start(), match.end(), window, granularity, fuzzy, basis)
    return _Candidate(found, year_inferred=year_inferred)


def _norm(words: str | None) -> str | None:
    """'The end of' -> 'end', 'mid-' -> 'mid', 'earlier in' -> 'earlier'."""
    if words is None:
        return None
    text = " ".join(words.lower().replace("-", " ").split())
    return text.removeprefix("the ").removesuffix(" of").removesuffix(" in") or None


def _count(words: str) -> tuple[int, int]:
    key = " ".join(words.lower().split())
    if key.isdigit():
        return int(key), int(key)
    if key in _NUMBER_WORDS:
        return _NUMBER_WORDS[key], _NUMBER_WORDS[key]
    return _VAGUE_COUNTS[key]


def _month_of(word: str) -> int:
    return _MONTH_NUMBER[word[:3].title()]


# --------------------------------------------------------------------------- resolvers

_Resolver = Callable[[re.Match[str], _Context], _Candidate | None]


def _date(match: re.Match[str], ctx: _Context, month: int, day: int) -> _Candidate | None:
    """A day from its parts, or None if no such day exists; a missing year is inferred."""
    if valid_date(2000, month, day) is None:
        return None
    year = match.groupdict().get("year")
    if year is not None:
        when = valid_date(int(year), month, day)
        return None if when is None else _candidate(match, Window.day(when), "day")
    if ctx.published is None:
        return _candidate(match, None, "day", basis="publication")
    when = infer_year(month, day, ctx.published, future=ctx.is_future(match.start()))
    window = None if when is None else Window.day(when)
    return _candidate(match, window, "day", basis="publication", year_inferred=True)


def _resolve_iso(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    return _date(match, ctx, int(match["mon"]), int(match["day"]))


def _resolve_numeric(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    first, second = int(match["a"]), int(match["b"])
    if first > 12 or first == second:
        return _date(match, ctx, second, first)
    if second > 12:
        return _date(match, ctx, first, second)
    # 03/04/2019 is 3 April or 4 March depending on the writer: keep the span, never guess.
    return _candidate(match, None, "day") if second > 0 and first > 0 else None


def _resolve_named(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    return _date(match, ctx, _month_of(match["mon"]), int(match["day"]))


def _resolve_day_range(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'from 1 to 5 March', 'March 1-5': a range inside one month."""
    first = int(match["d1"])
    end = _date(match, ctx, _month_of(match["mon"]), int(match["day"]))
    if end is None or first >= int(match["day"]):
        return None
    window = end.found.window
    if window is not None:
        window = Window(window.end.replace(day=first), window.end)
    intro = _RANGE_INTRO.search(ctx.text, max(0, match.start() - 12), match.start())
    start = match.start() if intro is None else intro.start()
    found = FoundTime(start, match.end(), window, "range", False, end.found.basis)
    return _Candidate(found, year_inferred=end.year_inferred)


def _resolve_month_range(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'from March to May 2019': whole months."""
    if ctx.prev_word(match.start()) not in ("from", "between") and not match["y2"]:
        return None
    first, last = _month_of(match["m1"]), _month_of(match["m2"])
    if match["y2"]:
        end_year = int(match["y2"])
    elif ctx.published is None:
        return _candidate(match, None, "range", basis="publication")
    else:
        end_year = infer_month(last, ctx.published, None, future=False).start.year
    start_year = int(match["y1"]) if match["y1"] else end_year - (first > last)
    if (start_year, first) >= (end_year, last):
        return None
    window = Window(dt.date(start_year, first, 1), month_window(end_year, last).end)
    intro = _RANGE_INTRO.search(ctx.text, max(0, match.start() - 12), match.start())
    start = match.start() if intro is None else intro.start()
    basis: Basis = "absolute" if match["y2"] else "publication"
    return _Candidate(FoundTime(start, match.end(), window, "range", False, basis))


def _resolve_month(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'in March', 'March 2019', 'last March', 'the end of August', 'mid-March'."""
    month = _month_of(match["mon"])
    part, rel, year = _norm(match["part"]), _norm(match["rel"]), match["year"]
    if part is None and rel is None and year is None:
        triggers = _MAY_TRIGGERS if month == 5 else _MONTH_TRIGGERS
        if ctx.prev_word(match.start()) not in triggers:
            return None
    if year is not None:
        window: Window | None = month_window(int(year), month)
    elif ctx.published is None:
        window = None
    else:
        window = infer_month(month, ctx.published, rel, future=ctx.is_future(match.start()))
    basis: Basis = "absolute" if year is not None else "publication"
    if part is None:
        return _candidate(match, window, "month", basis=basis)
    if window is not None:
        window = part_of(window, "month", part, ctx.published)
    return _candidate(match, window, "range", fuzzy=part not in ("earlier", "later"), basis=basis)


def _is_count(ctx: _Context, end: int) -> bool:
    """Whether a number is followed by a plural noun ('2000 people'), so it counts things."""
    word = ctx.next_word(end)
    if not word.islower():
        return False
    return word in ("people", "children", "men", "women") or (
        word.endswith("s") and word not in _NOT_PLURAL
    )


def _year_cue(match: re.Match[str], ctx: _Context) -> bool:
    """A bare year needs a cue: 'in 2018', '2018.', '2018's', 'the 2011 uprising'."""
    if ctx.prev_word(match.start()) in _YEAR_TRIGGERS:
        return True
    after = ctx.text[match.end() : match.end() + 2]
    if after[:1] in ("", ".", ",", ";", ":", ")", "\n") or after == "'s":
        return True
    following = ctx.next_word(match.end())
    if following.lower() in _YEAR_NOUNS:
        return True
    # "a 2010 commando raid", "his 2007 campaign": a year modifying a singular noun.
    return ctx.prev_word(match.start()) in _DETERMINERS and following.islower()


def _resolve_year(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'in 2018', 'since 2012', 'mid-2019', '2018-19'."""
    year, part = int(match["year"]), _norm(match["part"])
    if _is_count(ctx, match.end()) or (part is None and not _year_cue(match, ctx)):
        return None
    if match["y2"]:
        last = int(match["y2"]) if len(match["y2"]) == 4 else year // 100 * 100 + int(match["y2"])
        if not year < last <= year + 10:
            return None
        return _candidate(match, Window(dt.date(year, 1, 1), dt.date(last, 12, 31)), "range")
    if part is None:
        return _candidate(match, year_window(year), "year")
    window = part_of(year_window(year), "year", part, ctx.published)
    return _candidate(match, window, "range", fuzzy=True)


def _resolve_decade(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'the 1990s', 'the late '80s'."""
    digits = match["dec"].lstrip("'")
    first = int(digits)
    if len(digits) == 2:
        recent = ctx.published is not None and 2000 + first <= ctx.published.year
        first += 2000 if recent else 1900
    window = Window(dt.date(first, 1, 1), dt.date(first + 9, 12, 31))
    part = _norm(match["part"])
    if part is None:
        return _candidate(match, window, "range")
    return _candidate(match, part_of(window, "decade", part, ctx.published), "range", fuzzy=True)


def _resolve_season(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'last summer', 'the winter of 2019', 'in the spring'."""
    season, rel, year = match["season"].lower(), _norm(match["rel"]), match["year"]
    # "the fall of Aleppo", "spring water": a bare season needs "in", "during"...
    cued = rel is not None or year is not None
    if not cued and (season == "fall" or ctx.prev_word(match.start()) not in _MONTH_TRIGGERS):
        return None
    if year is not None:
        window: Window | None = season_window(season, int(year))
    elif ctx.published is None:
        window = None
    else:
        future = ctx.is_future(match.start())
        window = infer_season(season, ctx.published, rel, future=future)
    basis: Basis = "absolute" if year else "publication"
    return _candidate(match, window, "range", fuzzy=True, basis=basis)


_RELATIVE_DAYS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def _resolve_relative_day(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'yesterday', 'tonight', 'earlier today', 'yesterday morning'."""
    if ctx.prev_word(match.start()) == "usa":
        return None
    words = " ".join(match["rel"].lower().split())
    is_time = match["when"] is not None or words in ("tonight", "last night") or "this " in words
    granularity: Granularity = "time" if is_time else "day"
    if ctx.published is None:
        return _candidate(match, None, granularity, basis="publication")
    day = ctx.published + dt.timedelta(days=_RELATIVE_DAYS[words])
    return _candidate(match, Window.day(day), granularity, basis="publication")


def _resolve_now(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'now', 'currently': the publication day, the report's present."""
    window = None if ctx.published is None else Window.day(ctx.published)
    return _candidate(match, window, "day", fuzzy=True, basis="publication")


def _resolve_weekday(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'Monday', 'last Monday', 'late Monday', 'Monday night' around publication."""
    weekday = _WEEKDAY_NUMBER[match["wd"][:2].lower()]
    rel = _norm(match["rel"])
    is_time = match["when"] is not None or rel in ("late", "early", "late on", "early on")
    granularity: Granularity = "time" if is_time else "day"
    pub = ctx.published
    if pub is None:
        return _candidate(match, None, granularity, basis="publication")
    if rel in ("last", "past"):
        day = weekday_near(pub, weekday, after=False, strict=True)
    elif rel in ("next", "coming"):
        day = weekday_near(pub, weekday, after=True, strict=True)
    elif rel == "this":
        day = week_window(pub).start + dt.timedelta(days=weekday)
    else:
        # A bare "Monday" is the Monday before publication, the day itself if it is a Monday.
        day = weekday_near(pub, weekday, after=ctx.is_future(match.start()), strict=False)
    return _candidate(match, Window.day(day), granularity, basis="publication")


def _resolve_relative_unit(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'this week', 'last month', 'late last month', 'earlier this year', 'next weekend'."""
    rel, unit, part = match["rel"].lower(), match["unit"].lower(), _norm(match["part"])
    if rel == "the" and part is None:
        return None  # "the week" alone; "the end of the year" is this year's end
    pub = ctx.published
    if pub is None:
        granularity = UNIT_GRANULARITY[unit] if part is None else "range"
        return _candidate(match, None, granularity, basis="publication")
    step = {"last": -1, "next": 1, "coming": 1}.get(rel, 0)
    window, granularity = unit_window(shift(pub, unit, step), unit)
    if part is None:
        return _candidate(match, window, granularity, basis="publication")
    window = part_of(window, unit, part, pub)
    fuzzy = part not in ("earlier", "later")
    return _candidate(match, window, "range", fuzzy=fuzzy, basis="publication")


def _resolve_span(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'over the past three days', 'in the last 24 hours', 'the next two weeks', 'recent days'."""
    direction, unit, number = match["dir"].lower(), match["unit"].lower(), match["n"]
    if number is None and not _is_uncounted_span(match, direction, unit):
        return None
    low, high = _count(number) if number else ((2, 4) if direction == "recent" else (1, 1))
    if high <= 0:
        return None  # "the last 0 days" spans nothing
    fuzzy = low != high or direction == "recent"
    if ctx.published is None:
        return _candidate(match, None, "range", fuzzy=fuzzy, basis="publication")
    pub = ctx.published
    if direction in ("next", "coming"):
        window = Window(pub, _span_edge(pub, unit, high))
    elif unit == "weekend":
        window = unit_window(shift(pub, "week", -1), "weekend")[0]
    else:
        window = Window(_span_edge(pub, unit, -high), pub)
    return _candidate(match, window, "range", fuzzy=fuzzy, basis="publication")


def _is_uncounted_span(match: re.Match[str], direction: str, unit: str) -> bool:
    """Which spans without a number still mean 'up to now': 'the past week', 'recent days'."""
    if direction == "recent":
        return True
    if direction in ("previous", "preceding") or unit == "day":
        return False  # "the previous week", "the next day" are event-relative
    if direction in ("next", "coming"):
        # "over the next week", not "the next week, troops..." nor "in next year's budget"
        return match["prep"] is not None and match["det"] is not None
    return match["det"] is not None  # "last week" without "the" is a calendar week


def _span_edge(day: dt.date, unit: str, count: int) -> dt.date:
    """The far edge of `count` units counted from `day` inclusive ('past three days': day - 2)."""
    if unit == "hour":
        days = (abs(count) + 23) // 24
        return day + dt.timedelta(days=days if count > 0 else -days)
    moved = shift(day, "week" if unit == "weekend" else unit, count)
    return moved - dt.timedelta(days=1) if count > 0 else moved + dt.timedelta(days=1)


def _resolve_count_offset(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'two days ago' (from publication); 'two days later', 'a week earlier' (from an event)."""
    unit, direction = match["unit"].lower(), match["dir"].lower()
    if match["n"]:
        low, high = _count(match["n"])
    elif not match["plural"]:
        return None  # "last week after the collapse": no count, so no offset
    else:
        low, high = (0, 0) if unit == "hour" else (2, 7)
    fuzzy = low != high or unit not in ("day", "hour")
    if direction == "ago":
        if ctx.published is None:
            return _candidate(match, None, "day", fuzzy=fuzzy, basis="publication")
        # "four years ago" is the year four years back, as TimeML reads it.
        unit = "day" if unit == "hour" else unit
        earliest = unit_window(shift(ctx.published, unit, -high), unit)
        latest = unit_window(shift(ctx.published, unit, -low), unit)
        window = Window(earliest[0].start, latest[0].end)
        granularity = earliest[1] if low == high else "range"
        return _candidate(match, window, granularity, fuzzy=low != high, basis="publication")
    if direction in ("before", "after") and _introduces_event(ctx, match.end()):
        return _candidate(match, None, "day", fuzzy=fuzzy, basis="event")
    sign = 1 if direction in ("later", "after", "afterwards") else -1
    near, far = sorted((sign * low, sign * high))

    def move(anchor: Window) -> tuple[Window, Granularity, bool]:
        window = _moved(anchor, unit, near, far)
        return window, "day" if window.start == window.end else "range", fuzzy

    found = FoundTime(match.start(), match.end(), None, "day", fuzzy, "event")
    return _Candidate(found, move=move)


def _introduces_event(ctx: _Context, end: int) -> bool:
    """Whether 'a day after' goes on to name an event ('... the vote'), not an earlier time.

    "X, a day after the talks failed" dates the talks, which are not in the time layer, so
    the expression keeps a null window rather than a guess.
    """
    return ctx.next_word(end) != ""


def _moved(window: Window, unit: str, low: int, high: int) -> Window:
    return Window(shift(window.start, unit, low), shift(window.end, unit, high))


def _resolve_event(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'the following day', 'the previous week', 'that night', 'the day before'."""
    words = match.group().lower().split()
    unit, step = words[-1], 0
    if {"following", "next", "after"} & set(words):
        step = 1
    elif {"previous", "preceding", "prior", "before"} & set(words):
        step = -1
    if unit in ("before", "after"):
        if _introduces_event(ctx, match.end()):
            return _candidate(match, None, "day", basis="event")
        unit = words[1]

    def move(anchor: Window) -> tuple[Window, Granularity, bool]:
        window, granularity = unit_window(shift(anchor.start, unit, step), unit)
        return window, granularity, anchor.start != anchor.end

    found = FoundTime(match.start(), match.end(), None, "day", False, "event")
    return _Candidate(found, move=move)


def _resolve_holiday(match: re.Match[str], ctx: _Context) -> _Candidate | None:
    """'Christmas Day', 'New Year's Eve', 'on Christmas'."""
    name = " ".join(match["holiday"].lower().split())
    if name == "christmas" and ctx.prev_word(match.start()) not in _CHRISTMAS_TRIGGERS:
        return None
    is_new_year = name.startswith("new")
    month, day = (1, 1) if is_new_year else (12, 25)
    if name.endswith("eve"):
        month, day = (12, 31) if is_new_year else (12, 24)
    return _date(match, ctx, month, day)


# --------------------------------------------------------------------------- patterns

_YEAR_TAIL = rf"(?:,?\s+{_year('year')})?"
_ISO = r"(?<![\d/.-])(?P<year>1[89]\d\d|20\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>[0-3]\d)(?!\d)"
_NUMERIC = rf"(?<![\d/.])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep){_year('year')}"
_WEEKDAY_PREFIX = rf"(?:(?<![A-Za-z]){_WEEKDAY_WORD},?\s+)?"
_MONTH_DAY = rf"{_WEEKDAY_PREFIX}{_month('mon')}\s*{_day('day')}{_YEAR_TAIL}"
_DAY_MONTH = (
    rf"{_WEEKDAY_PREFIX}(?:the\s+)?(?<![\d,.:/$]){_day('day')}(?:\s+of)?\s+{_month('mon')}"
    rf"{_YEAR_TAIL}"
)
_D1 = r"(?P<d1>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_DAYS_MONTH = rf"(?<![\d,.:/$]){_D1}{_JOIN}{_day('day')}(?:\s+of)?\s+{_month('mon')}{_YEAR_TAIL}"
_MONTH_DAYS = rf"{_month('mon')}\s*{_D1}{_JOIN}{_day('day')}{_YEAR_TAIL}"
_MONTHS = rf"{_month('m1')}(?:,?\s+{_year('y1')})?{_JOIN}{_month('m2')}(?:,?\s+{_year('y2')})?"
_MONTH_ALONE = (
    rf"(?<![A-Za-z])(?:(?P<part>(?i:{_PARTS}))(?:-|\s+))?(?:(?P<rel>(?i:last|this|next|coming))"
    rf"\s+)?{_month('mon')}(?:(?:\s+of)?,?\s+{_year('year')})?"
)
_YEAR_ALONE = (
    rf"(?<![A-Za-z])(?:(?P<part>(?i:{_PARTS}))(?:-|\s+))?(?<![\d,.$#/])(?<!\d-){_year('year')}"
    r"(?:[-/](?P<y2>20\d\d|1[89]\d\d|\d\d)(?!\d))?(?!%|,\d|\.\d|-\d|\s*per\s*cent)"
)
_DECADE = (
    r"(?<![A-Za-z])(?i:the)\s+(?:(?P<part>(?i:early|mid|late))(?:-|\s+))?"
    r"(?P<dec>(?:1[89]|20)\d0|'\d0)'?s(?!\w)"
)
_SEASON = (
    r"(?<![A-Za-z])(?:(?P<rel>(?i:last|this|next|past|coming))\s+|(?i:the)\s+)?"
    rf"(?P<season>(?i:spring|summer|autumn|fall|winter))(?:(?:\s+of)?,?\s+{_year('year')})?(?!\w)"
)
_RELATIVE_DAY = (
    r"(?<![A-Za-z])(?P<rel>(?i:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow"
    rf"|yesterday|today|tonight|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening))){_WHEN}"
    r"(?!\w)"
)
_WEEKDAY = (
    r"(?<![A-Za-z])(?:(?P<rel>(?i:last|next|this|past|coming|(?:early|late)(?:\s+on)?))\s+)?"
    rf"(?<![A-Za-z])(?P<wd>{_WEEKDAY_WORD}){_WHEN}(?!\w)"
)
_RELATIVE_UNIT = (
    rf"(?<![A-Za-z])(?:(?P<part>(?i:{_PARTS}|earlier|later))(?:-|\s+))?"
    r"(?P<rel>(?i:this|last|next|coming|current|the))\s+(?P<unit>(?i:week|weekend|month|year))(?!\w)"
)
_SPAN = (
    r"(?<![A-Za-z])(?:(?P<prep>(?i:over|in|during|for|within|throughout|across))\s+)?"
    r"(?:(?P<det>(?i:the|this))\s+)?(?P<dir>(?i:past|last|previous|preceding|next|coming|recent))"
    rf"\s+(?:(?P<n>(?i:{_NUM}))\s+)?(?P<unit>(?i:hour|day|week|weekend|month|year|decade))s?(?!\w)"
)
_COUNT_OFFSET = (
    rf"(?<![A-Za-z\d-])(?:(?P<n>(?i:{_NUM}))\s+)?(?P<unit>(?i:hour|day|week|month|year|decade))"
    r"(?P<plural>s)?\s+(?P<dir>(?i:ago|earlier|later|before|after|afterwards))(?!\w)"
)
_EVENT = (
    r"(?<![A-Za-z])(?i:the\s+(?:following|next|previous|preceding|prior|same)\s+"
    r"(?:day|morning|afternoon|evening|night|week|month|year)"
    r"|(?:later\s+|earlier\s+)?that\s+(?:day|morning|afternoon|evening|night)"
    r"|the\s+(?:day|night)\s+(?:before|after))(?!\w)"
)
_NOW = r"(?<![A-Za-z])(?i:now|currently)(?![A-Za-z])"
_HOLIDAY = (
    r"(?<![A-Za-z])(?P<holiday>Christmas(?:\s+(?:Day|Eve))?|New\s+Year'?s\s+(?:Day|Eve))"
    + _YEAR_TAIL
)


@dataclass(frozen=True, slots=True)
class _Cue:
    """What every match of a family shows beside its core, checked before the full pattern runs.

    Most cores start none of their families ("day" in "every day"), and the full patterns are
    the slow part of finding times, so a family runs only where one of its cues holds. A cue
    is a necessary condition, never a guess: it is read off the pattern, on the lower-cased
    text, inside the window the pattern would scan.
    """

    #: The text before the core ends with one of these words and then whitespace.
    word_before: tuple[str, ...] = ()
    #: Found between the window's start and the core.
    before: re.Pattern[str] | None = None
    #: Matched at the core's end.
    after: re.Pattern[str] | None = None

    def holds(self, lowered: str, low: int, start: int, end: int, high: int) -> bool:
        """Whether a match of the family may hold the core `lowered[start:end]`."""
        if self.after is not None and self.after.match(lowered, end, high) is not None:
            return True
        if self.before is not None and self.before.search(lowered, low, start) is not None:
            return True
        if self.word_before:
            head = lowered[low:start]
            stripped = head.rstrip()
            return len(stripped) < len(head) and stripped.endswith(self.word_before)
        return False


@dataclass(frozen=True, slots=True)
class _Family:
    """A full pattern, its resolver, how far its matches reach around their core, its cue."""

    pattern: re.Pattern[str]
    resolve: _Resolver
    before: int
    after: int
    cue: _Cue | None = None
    #: The words a match may hold before its core, in lower case. Where none lies in the
    #: window before a core, a match holding the core starts at it, and one `match` there
    #: stands for the scan of the whole window.
    lead: re.Pattern[str] | None = None

    def matches(self, ctx: _Context, low: int, start: int, high: int) -> Iterable[re.Match[str]]:
        """The pattern's matches in the window `[low, high)` around a core at `start`."""
        if ctx.plain and self.lead is not None and not self.lead.search(ctx.lowered, low, start):
            match = self.pattern.match(ctx.text, start, high)
            return () if match is None else (match,)
        return self.pattern.finditer(ctx.text, low, high)


# A day's number follows its month ("March 5") or comes before it ("5 March"); an ISO date's
# year is followed by "-", a numeric date's comes after "/" or ".".
_DIGIT_AFTER = _Cue(after=re.compile(r"\s*\d"))
_DIGIT_BEFORE = _Cue(before=re.compile(r"\d"))


_ISO_F = _Family(re.compile(_ISO), _resolve_iso, 0, 10, _Cue(after=re.compile("-")))
_NUMERIC_F = _Family(re.compile(_NUMERIC), _resolve_numeric, 8, 4, _Cue(before=re.compile("[/.]")))
_MONTH_DAY_F = _Family(re.compile(_MONTH_DAY), _resolve_named, 14, 22, _DIGIT_AFTER)
_DAY_MONTH_F = _Family(re.compile(_DAY_MONTH), _resolve_named, 28, 12, _DIGIT_BEFORE)
_DAYS_MONTH_F = _Family(re.compile(_DAYS_MONTH), _resolve_day_range, 24, 12, _DIGIT_BEFORE)
_MONTH_DAYS_F = _Family(re.compile(_MONTH_DAYS), _resolve_day_range, 2, 26, _DIGIT_AFTER)
# The core is either month: the first followed by its join, or the second after one.
_MONTHS_F = _Family(
    re.compile(_MONTHS),
    _resolve_month_range,
    12,
    30,
    _Cue(
        word_before=("to", "and", "until", "till", "through"),
        before=re.compile("-"),
        after=re.compile(r"(?:,?\s+\d{4})?(?:\s*-|\s+(?:to|and|until|till|through)\s)"),
    ),
)
_MONTH_ALONE_F = _Family(
    re.compile(_MONTH_ALONE),
    _resolve_month,
    28,
    12,
    lead=re.compile("end|beginning|start|middle|half|earl|late|mid|last|this|next|coming"),
)
_YEAR_ALONE_F = _Family(re.compile(_YEAR_ALONE), _resolve_year, 24, 10)
_DECADE_F = _Family(re.compile(_DECADE), _resolve_decade, 16, 6)
_SEASON_F = _Family(re.compile(_SEASON), _resolve_season, 10, 14)
_RELATIVE_DAY_F = _Family(re.compile(_RELATIVE_DAY), _resolve_relative_day, 18, 14)
_WEEKDAY_F = _Family(
    re.compile(_WEEKDAY),
    _resolve_weekday,
    10,
    14,
    lead=re.compile("last|next|this|past|coming|early|late"),
)
_RELATIVE_UNIT_F = _Family(
    re.compile(_RELATIVE_UNIT),
    _resolve_relative_unit,
    28,
    6,
    _Cue(word_before=("this", "last", "next", "coming", "current", "the")),
)
_SPAN_F = _Family(
    re.compile(_SPAN),
    _resolve_span,
    40,
    6,
    _Cue(before=re.compile("past|last|previous|preceding|next|coming|recent")),
)
_COUNT_OFFSET_F = _Family(
    re.compile(_COUNT_OFFSET),
    _resolve_count_offset,
    14,
    16,
    _Cue(after=re.compile(r"s?\s+(?:ago|earlier|later|before|after)")),
)
_EVENT_F = _Family(
    re.compile(_EVENT),
    _resolve_event,
    22,
    12,
    _Cue(
        word_before=("following", "next", "previous", "preceding", "prior", "same", "that"),
        after=re.compile(r"\s+(?:before|after)"),
    ),
)
_NOW_F = _Family(re.compile(_NOW), _resolve_now, 0, 2)
_HOLIDAY_F = _Family(re.compile(_HOLIDAY), _resolve_holiday, 6, 16)


def _month_words_by_initial() -> list[str]:
    """`_MONTH_WORD` split by first letter: `J(?:an(?:uary|...)?|un(?:e|...)?|...|AN(?:UARY|...`.

    Each keeps its words in `_MONTH_WORD`'s order, so it matches what that one does at the
    positions where its letter stands; no month word holds another from a later capital on.
    """
    words = [*_MONTH_NAMES, *(name.upper() for name in _MONTH_NAMES)]
    initials = dict.fromkeys(word[0] for word in words)
    return [
        f"{initial}(?:{'|'.join(word[1:] for word in words if word[0] == initial)})"
        for initial in initials
    ]


# Full patterns are slow to scan for (they start with optional words), so they run only in a
# small window around a *core* that each of their matches contains. Cores are found by
# cheap scans: patterns over the text as written, and single words over a lower-cased copy
# (a literal search is ten times faster than an alternation in `re`). Each of a core's
# patterns opens with one literal character: `re` skips to it in a tight loop, but tests a
# class of first characters ("[12]") at every position of the text.
_CASED_CORES: tuple[tuple[tuple[re.Pattern[str], ...], tuple[_Family, ...]], ...] = (
    (
        tuple(re.compile(rf"{month}(?![A-Za-z])") for month in _month_words_by_initial()),
        (_MONTH_DAY_F, _DAY_MONTH_F, _DAYS_MONTH_F, _MONTH_DAYS_F, _MONTHS_F, _MONTH_ALONE_F),
    ),
    (
        (re.compile(r"1[89]\d\d(?!\d)"), re.compile(r"20\d\d(?!\d)")),
        (_ISO_F, _NUMERIC_F, _YEAR_ALONE_F),
    ),
    ((re.compile(r"0'?s(?![A-Za-z])"),), (_DECADE_F,)),
)
_UNIT_FAMILIES = (_RELATIVE_UNIT_F, _SPAN_F, _COUNT_OFFSET_F, _EVENT_F)
_PART_OF_DAY_FAMILIES = (_RELATIVE_DAY_F, _EVENT_F)
# Whole lower-cased words holding a core literal, and the families a hit on them may start.
_TRIGGERS: dict[str, tuple[_Family, ...]] = {
    "day": (_SPAN_F, _COUNT_OFFSET_F, _EVENT_F),
    "week": _UNIT_FAMILIES,
    "month": _UNIT_FAMILIES,
    "year": (*_UNIT_FAMILIES, _HOLIDAY_F),
    "hour": (_SPAN_F, _COUNT_OFFSET_F),
    "decade": (_SPAN_F, _COUNT_OFFSET_F),
    "today": (_RELATIVE_DAY_F,),
    "yesterday": (_RELATIVE_DAY_F,),
    "tonight": (_RELATIVE_DAY_F,),
    "tomorrow": (_RELATIVE_DAY_F,),
    "christmas": (_HOLIDAY_F,),
    "now": (_NOW_F,),
    "currently": (_NOW_F,),
    **{name.lower(): (_WEEKDAY_F,) for name in _WEEKDAYS},
    **{name: _PART_OF_DAY_FAMILIES for name in ("night", "morning", "afternoon", "evening")},
    **{name: (_SEASON_F,) for name in SEASON_MONTHS},
}
# Searched for with `str.find`, which skips through the text several times faster than a
# literal pattern's scan in `re`.
_LITERAL_CORES = tuple(
    (
        "day week month year hour decade night morning afternoon evening tomorrow christmas now"
        " currently spring summer autumn fall winter"
    ).split()
)
_STEM = re.compile(r"[a-z]*\Z")
_UPPER_RUN = re.compile(r"[A-Z]+")
_RANGE_INTRO = re.compile(r"(?i)\b(?:between|from)\s+$")
_RANGE_JOIN = re.compile(r"\s*(?:-|(?i:to|and|until|till|through|thru))\s*")
_SINCE = re.compile(r"(?i)\b(?:ever\s+)?since\s+$")


# --------------------------------------------------------------------------- find


def find_times(
    text: str,
    published: dt.date | None,
    *,
    sentences: Sequence[Span] | None = None,
    lowered: str | None = None,
) -> list[FoundTime]:
    """Every time expression in `text` (ideally folded) with its window, sorted by offsets.

    Ranges over other mentions keep their parts: "since 2012" is a range and "2012" inside it
    a year. Event-relative expressions ("two days later") take their window from the nearest
    earlier resolved time in the same or the previous sentence (`sentences`, by default split
    from `text`). `lowered` is `text` lower-cased at the same length (`Document.lowered`); by
    default it is computed here.
    """
    plain = text.isascii() or _CASE_TWINS.search(text) is None
    ctx = _Context(text, published, _lower(text) if lowered is None else lowered, plain)
    candidates = _select(_candidates(ctx))
    if any(c.move is not None for c in candidates):
        if sentences is None:
            sentences = [sentence.span for sentence in split_sentences(text)]
        candidates = _anchor_events(candidates, [span.start for span in sentences])
    found = [c.found for c in candidates]
    found.extend(_join_ranges(candidates, ctx))
    found.extend(_since(candidates, ctx))
    found.sort(key=lambda f: (f.start, f.end))
    return found


def _candidates(ctx: _Context) -> Iterator[_Candidate]:
    """Every resolvable match of every family, overlapping ones included."""
    text, lowered, plain, seen = ctx.text, ctx.lowered, ctx.plain, set()
    size = len(text)
    for core_start, core_end, families in _cores(text, lowered):
        for family in families:
            # Comparisons, not `max` and `min`: a builtin's call costs more, tens of times over.
            low = core_start - family.before if core_start > family.before else 0
            high = core_end + family.after
            high = high if high < size else size
            cue = family.cue
            if plain and cue and not cue.holds(lowered, low, core_start, core_end, high):
                continue
            for match in family.matches(ctx, low, core_start, high):
                start, end = match.span()
                if start > core_start:
                    break  # matches come in order: none after this one holds the core
                # A match touching `high` may have been cut short by the window.
                if end < core_end or (end == high < size):
                    continue
                if (key := (id(family), start, end)) not in seen:
                    seen.add(key)
                    if (candidate := _resolved(family, match, ctx)) is not None:
                        yield candidate


def _resolved(family: _Family, match: re.Match[str], ctx: _Context) -> _Candidate | None:
    try:
        return family.resolve(match, ctx)
    except (OverflowError, ValueError):
        # Python's dates end at years 1 and 9999: "tomorrow" in a report dated 9999-12-31
        # names a day no window can hold, so the expression gets no candidate at all.
        return None


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters ("İ") lower-case to two
        lowered = _UPPER_RUN.sub(lambda m: m.group().lower(), text)
    return lowered


def _cores(text: str, lowered: str) -> Iterator[tuple[int, int, tuple[_Family, ...]]]:
    """Where full patterns may match: (start, end, families) of each core hit."""
    for patterns, families in _CASED_CORES:
        # In text order, as one pattern's scan gave them: the patterns' matches never overlap.
        hits = sorted(match.span() for pattern in patterns for match in pattern.finditer(text))
        for start, end in hits:
            yield start, end, families
    find = lowered.find
    for literal in _LITERAL_CORES:
        hit = find(literal)
        while hit >= 0:
            start, end = hit, hit + len(literal)
            # Most hits open their word; the search for its start ("mon" of "monday") runs
            # only after a letter. `\Z`, not `$`, which also matches before a line break:
            # it made a core word opening a line ("Now", "Tomorrow") no core at all.
            if start and "a" <= lowered[start - 1] <= "z":
                stem = _STEM.search(lowered, max(0, start - 8), start)
                start = start if stem is None else stem.start()
            triggered = _TRIGGERS.get(lowered[start:end])
            if triggered is not None:
                yield start, end, triggered
            hit = find(literal, end)


def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """The longest of each group of overlapping candidates, in text order."""
    chosen: list[_Candidate] = []
    cluster: list[_Candidate] = []
    cluster_end = -1
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if cluster and candidate.start >= cluster_end:
            chosen.extend(_longest(cluster))
            cluster = []
        cluster.append(candidate)
        cluster_end = max(cluster_end, candidate.end) if len(cluster) > 1 else candidate.end
    chosen.extend(_longest(cluster))
    return sorted(chosen, key=lambda c: c.start)


def _longest(cluster: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    for candidate in sorted(cluster, key=lambda c: (c.start - c.end, c.start)):
        if all(candidate.end <= k.start or k.end <= candidate.start for k in kept):
            kept.append(candidate)
    return kept


def _anchor_events(candidates: list[_Candidate], sentence_starts: list[int]) -> list[_Candidate]:
    """Event-relative windows from the nearest earlier resolved time, one sentence back at most."""
    out: list[_Candidate] = []
    anchor: tuple[Window, int] | None = None
    for candidate in candidates:
        sentence = bisect.bisect_right(sentence_starts, candidate.start) - 1
        if candidate.move is not None and anchor is not None and anchor[1] >= sentence - 1:
            try:
                window, granularity, fuzzy = candidate.move(anchor[0])
            except (OverflowError, ValueError):  # moved past the calendar's ends: unanchored
                out.append(candidate)
                continue
            fuzzy = fuzzy or candidate.found.fuzzy
            candidate = _Candidate(
                replace(candidate.found, window=window, granularity=granularity, fuzzy=fuzzy)
            )
        if candidate.found.window is not None:
            anchor = (candidate.found.window, sentence)
        out.append(candidate)
    return out


def _join_ranges(candidates: list[_Candidate], ctx: _Context) -> list[FoundTime]:
    """'between Dec. 1 and Jan. 19', 'from 2012 to 2015': ranges over two mentions."""
    out = []
    for first, second in itertools.pairwise(candidates):
        if second.start - first.end > 12 or "event" in (first.found.basis, second.found.basis):
            continue
        join = _RANGE_JOIN.fullmatch(ctx.text, first.end, second.start)
        if join is None:
            continue
        intro = _RANGE_INTRO.search(ctx.text, max(0, first.start - 12), first.start)
        if intro is None and join.group().strip().lower() in ("to", "and"):
            continue
        start = first.start if intro is None else intro.start()
        out.append(FoundTime(start, second.end, *_range_window(first, second)))
    return out


def _range_window(
    first: _Candidate, second: _Candidate
) -> tuple[Window | None, Granularity, bool, Basis]:
    low, high = first.found.window, second.found.window
    fuzzy = first.found.fuzzy or second.found.fuzzy
    if (
        low is not None
        and high is not None
        and high.end < low.start
        and first.year_inferred
        and low.start.year > dt.MINYEAR
    ):
        # "between Dec. 1 and Jan. 19" written in late December runs across a new year.
        low = Window(add_months(low.start, -12), add_months(low.end, -12))
    if low is None or high is None or high.end < low.start:
        return None, "range", fuzzy, "composite"
    return Window(low.start, high.end), "range", fuzzy, "composite"


def _since(candidates: list[_Candidate], ctx: _Context) -> list[FoundTime]:
    """'since late November': from the start of that time up to publication."""
    out = []
    for candidate in candidates:
        low = max(0, candidate.start - 16)
        if ctx.plain and ctx.lowered.find("since", low, candidate.start) < 0:
            continue
        since = _SINCE.search(ctx.text, low, candidate.start)
        if since is None:
            continue
        window, pub = candidate.found.window, ctx.published
        span = None
        if window is not None and pub is not None and window.start <= pub:
            span = Window(window.start, pub)
        fuzzy = candidate.found.fuzzy
        out.append(FoundTime(since.start(), candidate.end, span, "range", fuzzy, "composite"))
    return out


# --------------------------------------------------------------------------- publication

_HEAD_CHARS = 2000
_HEAD_LINES = 8
_DATELINE_BEFORE = re.compile(r"[ \t]*(?:[A-Z][A-Za-z.' -]{0,40},[ \t]*){0,2}")
_DATELINE_AFTER = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:-{1,2}|:|\|)")
_BYLINE = re.compile(r"(?i)\b(?:published|posted|updated|date|by)\b")
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)([/_-]?)(0[1-9]|1[0-2])\2([0-3]\d)(?!\d)")


def find_publication(text: str, *, url: str | None = None) -> tuple[dt.date, str] | None:
    """The publication date and where it came from, if the text shows it.

    The source is "dateline", "byline", "url", or "heading" (a date alone on a line).

    A dateline ("BEIRUT, Dec. 24, 2019 (Reuters) -") beats a byline date ("Published 24
    December 2019"), which beats a date in the URL, which beats a date alone on a line near
    the top: such a line is often page furniture (a header), so it is the last resort.
    """
    lines = [line for line in fold(text[:_HEAD_CHARS]).splitlines() if line.strip()]
    dated = [(line, found) for line in lines[:_HEAD_LINES] for found in _full_dates(line)]
    for line, (start, end, day) in dated:
        if _DATELINE_BEFORE.fullmatch(line, 0, start) and _DATELINE_AFTER.match(line, end):
            return day, "dateline"
    for line, (start, _end, day) in dated:
        if _BYLINE.search(line, 0, start):
            return day, "byline"
    if url is not None and (day_in_url := _url_date(url)) is not None:
        return day_in_url, "url"
    for line, (start, end, day) in dated:
        if not line[:start].strip() and not line[end:].strip():
            return day, "heading"
    return None


def _full_dates(line: str) -> list[tuple[int, int, dt.date]]:
    """Dates written out with day, month and year in `line`."""
    return [
        (found.start, found.end, found.window.start)
        for found in find_times(line, None, sentences=[Span(0, len(line))])
        if found.window is not None and found.granularity == "day" and found.basis == "absolute"
    ]


def _url_date(url: str) -> dt.date | None:
    match = _URL_DATE.search(url)
    return None if match is None else valid_date(int(match[1]), int(match[3]), int(match[4]))


# --------------------------------------------------------------------------- components


class PublicationDate:
    """Pipeline component: the publication date from a dateline, byline or URL if none is known."""

    name = "publication"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ("published",)

    def __call__(self, doc: Document) -> Document:
        """The document with `article.published` set when the text or URL shows it."""
        if doc.article.published is not None:
            return doc
        found = find_publication(doc.folded[:_HEAD_CHARS], url=doc.article.url)
        if found is None:
            return doc
        day, source = found
        article = replace(doc.article, published=day, published_source=source)
        return doc.with_layers(article=article)


class TimeExtractor:
    """Pipeline component: every time expression as a `TimeMention` with its day window."""

    name = "times"
    requires: tuple[str, ...] = ("published",)
    provides: tuple[str, ...] = ("times",)

    def __call__(self, doc: Document) -> Document:
        """The document with `times` set, sorted by span."""
        spans = [sentence.span for sentence in doc.sentences]
        found = find_times(doc.folded, doc.article.published, sentences=spans, lowered=doc.lowered)
        times = tuple(
            TimeMention(
                article_id=doc.article.id,
                span=Span(f.start, f.end),
                text=doc.text[f.start : f.end],
                window=f.window,
                granularity=f.granularity,
                fuzzy=f.fuzzy,
            )
            for f in found
        )
        return doc.with_layers(times=times)
