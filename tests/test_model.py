"""The document model's own checks: spans stay valid, frozen, comparable and picklable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import pickle

import pytest

from sitroom.model import Event, Figure, PlaceMention, Sentence, Span, TimeMention, Window


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 4), (-2, -1)])
def test_a_span_refuses_bad_offsets(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="invalid span"):
        Span(start, end)


def test_a_span_is_a_frozen_ordered_value() -> None:
    span = Span(3, 9)
    assert (span.start, span.end, len(span)) == (3, 9, 6)
    assert span == Span(3, 9) and hash(span) == hash(Span(3, 9))
    assert sorted([Span(4, 5), Span(3, 9), Span(3, 4)]) == [Span(3, 4), Span(3, 9), Span(4, 5)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]


def test_a_span_survives_copies_and_keeps_checking_them() -> None:
    span = Span(2, 7)
    assert pickle.loads(pickle.dumps(span)) == span
    assert dataclasses.replace(span, end=4) == Span(2, 4)
    with pytest.raises(ValueError, match="invalid span"):
        dataclasses.replace(span, end=1)
    assert Span(0, 0).of("abc") == "" and Span(1, 3).of("abc") == "bc"


@pytest.mark.parametrize("cls", [Window, Sentence, PlaceMention, TimeMention, Figure, Event])
def test_facts_are_built_as_their_dataclass_would_build_them(cls: type) -> None:
    # The model sets slots directly for speed; the signature must stay the generated one.
    fields = dataclasses.fields(cls)
    parameters = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
    ]


def test_a_time_mention_is_a_frozen_value_with_defaults_and_keywords() -> None:
    day = Window.day(dt.date(2020, 3, 2))
    mention = TimeMention(article_id="a1", span=Span(0, 6), text="Monday", window=day,
                          granularity="day")  # fmt: skip
    assert mention.fuzzy is False and mention.window == day
    assert mention == TimeMention("a1", Span(0, 6), "Monday", day, "day", False)
    assert hash(mention) == hash(dataclasses.replace(mention))
    assert dataclasses.replace(mention, fuzzy=True).fuzzy is True
    assert pickle.loads(pickle.dumps(mention)) == mention
    with pytest.raises(dataclasses.FrozenInstanceError):
        mention.text = "Tuesday"  # type: ignore[misc]
    with pytest.raises(TypeError):
        TimeMention("a1", Span(0, 6), "Monday", day)  # type: ignore[call-arg]


def test_a_window_still_refuses_to_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Window(dt.date(2020, 3, 2), dt.date(2020, 3, 1))
