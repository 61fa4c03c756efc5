"""Tests for `sitroom.extract.times`: time expressions, their windows, the publication date."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.extract import Extractor, Pipeline, times
from sitroom.extract.text import Document
from sitroom.extract.times import (
    FoundTime,
    PublicationDate,
    TimeExtractor,
    find_publication,
    find_times,
)
from sitroom.model import Article, TimeMention, Window

PUBLISHED = dt.date(2019, 12, 24)  # a Tuesday
CASES = Path(__file__).parent / "cases" / "times.tsv"


def _times(text: str, published: dt.date | None = PUBLISHED) -> tuple[TimeMention, ...]:
    doc = Document.from_article(Article.create(text, published=published))
    return TimeExtractor()(doc).times


def _mention(text: str, expression: str, published: dt.date | None = PUBLISHED) -> TimeMention:
    found = [m for m in _times(text, published) if m.text == expression]
    assert found, f"{expression!r} not found in {[m.text for m in _times(text, published)]}"
    return found[0]


def _window(start: str, end: str) -> Window | None:
    if start == "-":
        return None
    return Window(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


def _case_rows() -> list[tuple[str, ...]]:
    lines = CASES.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(
    ("text", "expression", "start", "end", "granularity", "fuzzy"),
    _case_rows(),
    ids=lambda value: value if len(value) < 30 else None,
)
def test_expression_families(
    text: str, expression: str, start: str, end: str, granularity: str, fuzzy: str
) -> None:
    mention = _mention(text, expression)
    assert mention.window == _window(start, end)
    assert mention.granularity == granularity
    assert mention.fuzzy is (fuzzy == "yes")


# The expressions of the shared Idlib example, in sentences written for this test.
@pytest.mark.parametrize(
    ("text", "expression", "window", "granularity"),
    [
        ("Troops advanced Monday on the town.", "Monday", ("2019-12-23", "2019-12-23"), "day"),
        ("The envoy spoke late Monday in New York.", "late Monday", ("2019-12-23",) * 2, "time"),
        ("Raids began late last month.", "late last month", ("2019-11-21", "2019-11-30"), "range"),
        (
            "Over the past three days, 12 villages were hit.",
            "Over the past three days",
            ("2019-12-22", "2019-12-24"),
            "range",
        ),
        ("The push resumed last week.", "last week", ("2019-12-16", "2019-12-22"), "week"),
        (
            "A truce held since the end of August.",
            "the end of August",
            ("2019-08-25", "2019-08-31"),
            "range",
        ),
        ("The road has been shut since 2012.", "since 2012", ("2012-01-01", "2019-12-24"), "range"),
    ],
)
def test_example_report_expressions(
    text: str, expression: str, window: tuple[str, str], granularity: str
) -> None:
    mention = _mention(text, expression)
    assert mention.window == _window(*window)
    assert mention.granularity == granularity


def test_parts_of_months_are_fuzzy() -> None:
    assert _mention("Raids began late last month.", "late last month").fuzzy
    assert _mention("A truce held since the end of August.", "the end of August").fuzzy


@pytest.mark.parametrize(
    "text",
    [
        "A UN-negotiated six-hour humanitarian pause let people leave.",
        "The siege went on for three years.",
        "A 24-hour hotline was opened.",
        "The 45-year-old was detained.",
        "More than 2,500 people fled to the border.",
        "Some 2000 people fled to the border.",
        "The 5th Corps moved north.",
        "Residents may leave if the shelling stops.",
        "Protesters plan to march on the capital.",
        "The March organisers called it off.",
        "Theresa May said little.",
        "The fall of Aleppo shocked the region.",
        "Days of fighting left the town in ruins.",
        "The known risks are snowballing.",
    ],
)
def test_not_times(text: str) -> None:
    assert _times(text) == ()


def test_month_words_need_a_date_cue() -> None:
    mentions = _times("They may march in May if the talks fail.")
    assert [m.text for m in mentions] == ["May"]
    assert mentions[0].window == _window("2019-05-01", "2019-05-31")


def test_relative_expressions_without_publication_keep_span_and_null_window() -> None:
    text = "Jets struck yesterday and last week, and on 24 December 2019."
    mentions = {m.text: m for m in _times(text, published=None)}
    assert mentions["yesterday"].window is None
    assert mentions["last week"].window is None
    assert mentions["24 December 2019"].window == Window.day(dt.date(2019, 12, 24))


def test_event_relative_needs_an_anchor_in_reach() -> None:
    text = "Jets hit Saraqeb on Monday. Aid came. Nobody came. Two days later, rain fell."
    assert _mention(text, "Two days later").window is None


def test_event_relative_chains_from_the_last_resolved_time() -> None:
    text = "Jets hit Saraqeb on Monday. The following day, aid arrived. A day later, it left."
    assert _mention(text, "A day later").window == Window.day(dt.date(2019, 12, 25))


def test_since_keeps_its_inner_expression() -> None:
    mentions = _times("The road has been shut since 2012.")
    assert [(m.text, m.granularity) for m in mentions] == [
        ("since 2012", "range"),
        ("2012", "year"),
    ]


def test_a_time_word_opening_a_line_is_found() -> None:
    # A line break before the word once hid it: the search for the word's start took the
    # previous line's last word for its stem.
    text = "Shelling hit the market\nTomorrow the convoy leaves.\nNow the roads are shut."
    assert [m.text for m in _times(text)] == ["Tomorrow", "Now"]
    assert _mention(text, "Tomorrow").window == Window.day(dt.date(2019, 12, 25))


def test_mentions_are_sorted_slices_of_the_original_text() -> None:
    # Curly quotes and en dashes are folded for matching; spans still index the original.
    text = "On New Year\u2019s Eve, strikes hit Idlib. From 1\u20135 March, \u00e9lite units moved."
    mentions = _times(text)
    assert [m.text for m in mentions] == ["New Year\u2019s Eve", "From 1\u20135 March"]
    assert all(m.text == text[m.span.start : m.span.end] for m in mentions)
    assert list(mentions) == sorted(mentions, key=lambda m: (m.span.start, m.span.end))


def test_mentions_carry_the_article_id() -> None:
    article = Article.create("Shelling resumed on Monday.", id="idlib-1", published=PUBLISHED)
    (mention,) = TimeExtractor()(Document.from_article(article)).times
    assert mention.article_id == "idlib-1"


def test_find_times_is_usable_alone() -> None:
    found = find_times("Shelling resumed on Monday.", PUBLISHED)
    assert found == [
        FoundTime(20, 26, Window.day(dt.date(2019, 12, 23)), "day", False, "publication")
    ]


# ------------------------------------------------------------------ publication date


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("BEIRUT, Dec. 24, 2019 (Reuters) - Jets struck Idlib.", None, (PUBLISHED, "dateline")),
        ("Dec. 24, 2019 - Jets struck Idlib.", None, (PUBLISHED, "dateline")),
        ("24 December 2019 - Jets struck Idlib.", None, (PUBLISHED, "dateline")),
        ("BEIRUT, Dec 24 (Reuters) - Jets struck Idlib.", None, None),
        (
            "By Jane Doe | Published 24 December 2019\nJets struck Idlib.",
            None,
            (PUBLISHED, "byline"),
        ),
        (
            "Jets struck Idlib on Monday.",
            "https://x.org/news/2020/01/29/idlib",
            (dt.date(2020, 1, 29), "url"),
        ),
        (
            "Tuesday, April 30, 2024\nBEIRUT, April 29, 2024 (AP) - Jets struck Idlib.",
            None,
            (dt.date(2024, 4, 29), "dateline"),
        ),
        ("Tuesday, April 30, 2024\nJets struck Idlib.", None, (dt.date(2024, 4, 30), "heading")),
        ("Jets struck Idlib in 2019.", None, None),
    ],
)
def test_find_publication(text: str, url: str | None, expected: tuple[dt.date, str] | None) -> None:
    assert find_publication(text, url=url) == expected


def test_publication_component_fills_a_missing_date() -> None:
    doc = Document.from_article(Article.create("ALEPPO, 3 March 2020 (AFP) - Shelling resumed."))
    article = PublicationDate()(doc).article
    assert (article.published, article.published_source) == (dt.date(2020, 3, 3), "dateline")


def test_publication_component_keeps_a_known_date() -> None:
    doc = Document.from_article(
        Article.create("ALEPPO, 3 March 2020 (AFP) - x", published=PUBLISHED)
    )
    assert PublicationDate()(doc) is doc


def test_components_fit_the_pipeline() -> None:
    components = [PublicationDate(), TimeExtractor()]
    assert all(isinstance(c, Extractor) for c in components)
    pipeline = Pipeline(components)
    assert pipeline.names == ("publication", "times")
    extraction = pipeline(Article.create("DAMASCUS, Dec. 24, 2019 - Strikes hit Idlib on Monday."))
    assert [(m.text, m.window) for m in extraction.times] == [
        ("Dec. 24, 2019", Window.day(PUBLISHED)),
        ("Monday", Window.day(dt.date(2019, 12, 23))),
    ]


# ------------------------------------------------------------------ robustness

_WORDS = st.sampled_from(
    "Monday last week since the end of August May 5 2019 2,500 people in March 24 Dec. - , ."
    " over past three days ago later the following day between and from to 1990s mid- late"
    " yesterday \u2019 \u2013 \u00e9 \n 12/24/2019 2019-12-24 year-old next will".split(" ")
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(_WORDS, st.text(max_size=6)), max_size=40),
    st.one_of(st.none(), st.dates(dt.date(1900, 3, 1), dt.date(2090, 10, 31))),
)
def test_random_text_yields_exact_spans(words: list[str], published: dt.date | None) -> None:
    text = " ".join(words)
    for mention in _times(text, published):
        assert mention.text == text[mention.span.start : mention.span.end]
        assert mention.granularity in ("day", "week", "month", "year", "range", "time")


# ------------------------------------------------------------------ shortcuts

# Phrases as the families' patterns, cues and leads read them: words that may open a time
# expression, a core word, and words that may close one, in upper, lower and title case.
_OPENERS = (
    "the end of|earlier in|later in|the beginning of|first half of|early|mid-|late|late on"
    "|last|next|this|coming|current|past|recent|over the|in the|the following|the previous"
    "|preceding|the prior|the same|the next|throughout the|within the"
    "|that|later that|the|from|between|since|ever since|in|5|24th|5 -|1 to|two|a few|several"
    "|a couple of|24|will|is due|said|Dec. 1 and|2012 to"
).split("|")
_CORE_WORDS = (
    "March|May|Sept.|Dec.|December|Jan|Monday|Tuesday|day|days|week|weeks|weekend|month"
    "|months|year|years|hour|hours|decade|night|morning|evening|today|tonight|yesterday"
    "|tomorrow|Christmas|New Year's Eve|summer|fall|winter|now|currently|2019|1990s|'80s"
    "|12/24/2019|24.12.2019|2019-12-24|2018-19"
).split("|")
_CLOSERS = (
    "ago|earlier|later|before|after|afterwards|2019|, 2019|of 2019|5|5th|- 7|to May|and June"
    "|night|morning|Day|Eve|people|said|.|,|'s"
).split("|")


def _cased(words: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(words).flatmap(
        lambda word: st.sampled_from([word, word.upper(), word.lower()])
    )


_PHRASES = st.tuples(
    st.lists(_cased(_OPENERS), max_size=2),
    _cased(_CORE_WORDS),
    st.lists(_cased(_CLOSERS), max_size=2),
).map(lambda parts: " ".join([*parts[0], parts[1], *parts[2]]))


def _found(text: str, published: dt.date | None, *, plain: bool) -> list[FoundTime]:
    # `plain=False` is how a text holding "ſ" or Kelvin's "K" is read: with every full
    # pattern run at every core, and no cue, lead or future-word scan in front of it.
    ctx = times._Context(text, published, times._lower(text), plain)
    return [candidate.found for candidate in times._select(times._candidates(ctx))]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PHRASES, min_size=1, max_size=6),
    st.sampled_from([None, PUBLISHED, dt.date(2020, 1, 2)]),
    st.sampled_from([" ", ", ", "\n", "-", " and "]),
)
def test_shortcuts_find_what_every_full_scan_finds(
    phrases: list[str], published: dt.date | None, glue: str
) -> None:
    text = glue.join(phrases)
    assert _found(text, published, plain=True) == _found(text, published, plain=False)


@pytest.mark.parametrize("text", sorted({row[0] for row in _case_rows()}))
def test_shortcuts_keep_every_case(text: str) -> None:
    for published in (PUBLISHED, None):
        for variant in (text, text.upper(), text.lower()):
            expected = _found(variant, published, plain=False)
            assert _found(variant, published, plain=True) == expected


# One phrase at least for every word a cue or a lead names, written for this test.
_SHORTCUT_PHRASES = """over the preceding two days|in the past 24 hours|the previous three weeks
|over the next few months|in recent days|the last decade|the coming weekend|two days ago
|three weeks earlier|a month later|two days before the vote|a day after|hours afterwards
|the following day|the next morning|the previous week|the preceding night|the prior month
|the same day|that night|later that day|the day before|the night after|this week|last month
|next year|the coming week|the current year|the end of the year|earlier this month
|late last month|on 5 March|the 24th of December|5-7 March|from 1 to 5 May|March 5
|Dec. 24, 2019|March 1-5|from March to May 2019|between Jan. and March|March until June
|March till June|March through June|January, 2019 - March 2019|earlier in March|later in May
|the end of August|mid-March|early June|late last March|this December|next May|coming June
|the first half of March|the second half of May|the beginning of April|the start of May
|the middle of June|last Monday|next Friday|this Sunday|past Saturday|coming Tuesday
|early Monday|late on Friday|Monday night|2019-12-24|24/12/2019|24.12.2019
|talks will resume in March|it is due on Monday|he plans to meet Friday|it is set to vote in May
|a summit to be held next month|they shall meet Monday|scheduled for June|the upcoming March
|they'll meet Monday""".replace("\n", "").split("|")


@pytest.mark.parametrize("phrase", _SHORTCUT_PHRASES)
def test_shortcuts_keep_every_cue_word(phrase: str) -> None:
    for published in (PUBLISHED, None):
        for text in (f"Talks ended {phrase}.", f"{phrase.upper()}, TROOPS LEFT", phrase.lower()):
            assert _found(text, published, plain=True) == _found(text, published, plain=False)


def test_letters_matching_only_without_case_turn_the_shortcuts_off() -> None:
    # "\u017f" (long s) matches "s" when case is ignored, so the cue for "past" must not be
    # read in the lower-cased text, where it stays "\u017f".
    found = find_times("over the pa\u017ft three days", PUBLISHED)
    assert [(f.start, f.end, f.granularity) for f in found] == [(0, 24, "range")]


def test_lowered_text_from_the_document_gives_the_same_times() -> None:
    text = "Late last month, 3 people died; two days later, on Dec. 5, talks will resume."
    doc = Document.from_article(Article.create(text, published=PUBLISHED))
    assert find_times(doc.folded, PUBLISHED, lowered=doc.lowered) == find_times(text, PUBLISHED)


@pytest.mark.parametrize(
    "unit",
    [
        "1" * 1000,
        "May " * 50,
        "the past " * 40,
        "2019-" * 100,
        "Monday " * 50,
        "a " * 200,
        "0s" * 300,
    ],
)
def test_pathological_text_stays_linear(unit: str) -> None:
    # A ratio, not a deadline: four times the text may cost about four times the time, never
    # the sixteen a quadratic pattern would. The best of three runs damps a busy machine.
    small = _best_time(unit * (50_000 // len(unit)))
    large = _best_time(unit * (200_000 // len(unit)))
    assert large < 10 * max(small, 0.005)


def _best_time(text: str) -> float:
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        find_times(text, PUBLISHED)
        timings.append(time.perf_counter() - started)
    return min(timings)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab Z\t\n.-é1", max_size=40), st.integers(0, 40))
def test_previous_word_is_what_the_pattern_finds(text: str, pos: int) -> None:
    # The previous word is read without `re` for speed; the pattern says what it must be.
    pos = min(pos, len(text))
    match = times._PREV_WORD.search(text, max(0, pos - 24), pos)
    ctx = times._Context(text, None, text.lower(), True)
    assert ctx.prev_word(pos) == (match.group(1).lower() if match else "")


_CASED_CORE_WORDS = (
    "Jan JAN uary June Jul May MAYOR Sept t. . - Dec EMBER ember Aug UST 1998 2020 201 x"
)
_CORE_TOKENS = [*_CASED_CORE_WORDS.split(), "19", "0", "'", "s", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CORE_TOKENS), max_size=12).map("".join))
def test_cased_cores_are_what_one_pattern_per_core_finds(text: str) -> None:
    # Each core is scanned for with patterns that open with one literal character, for speed;
    # together they must find what the core's single pattern finds, in the same order.
    single = [rf"{times._MONTH_WORD}(?![A-Za-z])", r"(?:1[89]|20)\d\d(?!\d)", r"0'?s(?![A-Za-z])"]
    for (patterns, _families), pattern in zip(times._CASED_CORES, single, strict=True):
        found = sorted(m.span() for p in patterns for m in p.finditer(text))
        assert found == [m.span() for m in re.finditer(pattern, text)]
