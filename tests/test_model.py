"""The document model's own checks: spans stay valid, frozen, comparable and picklable."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from sitroom.model import Span


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
