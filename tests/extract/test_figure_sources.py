"""Sources of figures: "according to X", "X said", "X's figures", normalised to one name."""

from __future__ import annotations

import pytest

from sitroom.extract.figure_sources import CUE_RE, resolve_cue
from sitroom.extract.figures import FigureExtractor
from sitroom.extract.text import Document
from sitroom.model import Article, Figure, Span


def _figures(text: str) -> tuple[Figure, ...]:
    return FigureExtractor()(Document.from_article(Article.create(text))).figures


def _only(text: str) -> Figure:
    figures = _figures(text)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Jane Doe told reporters that the camp was full.", "Jane Doe"),
        ("The camp was full, according to the Norwegian Refugee Council.", "NRC"),
        ("The camp was full, the U.N. humanitarian office said.", "OCHA"),
        ("The camp was full, said the WFP.", "WFP"),
    ],
)
def test_a_cue_resolves_to_the_source_it_names(text: str, source: str) -> None:
    sentence = Span(0, len(text))
    cue = next(m.span() for m in CUE_RE.finditer(text.lower()))
    assert resolve_cue(text, sentence, cue) == source


def test_a_cue_naming_no_one_resolves_to_nothing() -> None:
    text = "It said the camp was full."
    cue = next(m.span() for m in CUE_RE.finditer(text.lower()))
    assert resolve_cue(text, Span(0, len(text)), cue) is None


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("According to the United Nations, 400 families fled.", "UN"),
        ("The UN reported that 400 families fled.", "UN"),
        ("400 families fled, OCHA said.", "OCHA"),
        ("The UN refugee agency said 400 families fled.", "UNHCR"),
        ("The International Organization for Migration says 400 families fled.", "IOM"),
        ("The Syrian Observatory for Human Rights said 40 people were killed.", "SOHR"),
        ("Rescuers from the White Helmets said 40 people were killed.", "White Helmets"),
        ("The Gaza health ministry said 40 people were killed.", "health ministry"),
        ("Unicef's figures show 400 children fled.", "UNICEF"),
        ("The spokesman, Jane Doe, said 400 families fled.", "Jane Doe"),
        ("400 families fled, said Jane Doe.", "Jane Doe"),
        ("400 families fled.", None),
        # the forms of issue 6: "according to X", "X said/told/reported", "X's figures"
        ("Jane Doe told reporters that 40 people were killed.", "Jane Doe"),
        ("The IOM's figures show 400 families fled.", "IOM"),
        ("According to OCHA, 400 families fled.", "OCHA"),
        ("UNHCR reported that 400 families fled.", "UNHCR"),
        ("Some 40 people were killed, the White Helmets said.", "White Helmets"),
        ("The Observatory said 40 people were killed.", "SOHR"),
        ("The Ministry of Health said 40 people were killed.", "health ministry"),
        ("The United Nations said 400 families fled.", "UN"),
    ],
)
def test_sources(text: str, source: str | None) -> None:
    assert _only(text).source == source


def test_a_later_clause_does_not_attribute_the_figure() -> None:
    figures = _figures("The valley is home to 9,000 people, and the UN has warned of famine there.")
    assert [(f.value, f.source) for f in figures] == [(9000, None)]
