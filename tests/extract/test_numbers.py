"""Tests for the number grammar: one sentence per number shape and per exclusion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitroom.extract.numbers import _SMALL, NumberMatch, find_numbers, is_european


def _only(text: str) -> NumberMatch:
    numbers = find_numbers(text)
    assert len(numbers) == 1, numbers
    return numbers[0]


@pytest.mark.parametrize(
    ("text", "found", "value"),
    [
        ("Officials counted 60,000 tents in the valley.", "60,000", 60000),
        ("Officials counted 60 000 tents in the valley.", "60 000", 60000),
        ("Officials counted 60\u00a0000 tents in the valley.", "60\u00a0000", 60000),
        ("The agency counted 1,234.5 rations per site.", "1,234.5", 1234.5),
        ("About 1.5 million people were affected by floods.", "1.5 million", 1500000),
        ("The camps host 2.3m people along the river.", "2.3m", 2300000),
        ("Roughly 12k families are registered.", "12k", 12000),
        ("The ministry said 3 million residents lacked water.", "3 million", 3000000),
        ("Seven people were hurt in the blast.", "Seven", 7),
        ("Militants seized twenty-three trucks.", "twenty-three", 23),
        ("Gunmen took two dozen workers.", "two dozen", 24),
        ("The city lost nearly a million residents.", "a million", 1000000),
        ("Nine hundred and twenty-one families arrived.", "Nine hundred and twenty-one", 921),
        ("Half a million people crossed the river.", "Half a million", 500000),
        ("Officials said 300 hundred families had left.", "300 hundred", 300),
        ("The medic treated one hundred thousand patients.", "one hundred thousand", 100000),
    ],
)
def test_exact_shapes(text: str, found: str, value: int | float) -> None:
    number = _only(text)
    assert (number.text, number.value, number.kind) == (found, value, "exact")
    assert type(number.value) is type(value)


@pytest.mark.parametrize(
    ("text", "found", "low", "high"),
    [
        ("Between 12 and 15 farmers were taken.", "12 and 15", 12, 15),
        ("Clashes left 12 to 15 fighters dead.", "12 to 15", 12, 15),
        ("Clashes left 12-15 fighters dead.", "12-15", 12, 15),
        ("Clashes left 12\u201315 fighters dead.", "12\u201315", 12, 15),
        ("Two or three shops burned.", "Two or three", 2, 3),
        ("From 1.5 to 2 million people may need food.", "1.5 to 2 million", 1500000, 2000000),
    ],
)
def test_ranges(text: str, found: str, low: int, high: int) -> None:
    number = _only(text)
    assert (number.text, number.kind, number.low, number.high) == (found, "range", low, high)
    assert number.value == low


def test_a_change_is_not_a_range() -> None:
    number = _only("The toll rose from 12 to 15 overnight.")
    assert (number.text, number.value, number.kind) == ("15", 15, "exact")


@pytest.mark.parametrize(
    ("text", "found", "value"),
    [
        ("Over half of the pupils stayed home.", "half", 0.5),
        ("Two-thirds of the farms were burned.", "Two-thirds", 2 / 3),
        ("A third of the town is without power.", "A third", 1 / 3),
        ("Three quarters of the wells are dry.", "Three quarters", 0.75),
        ("About 80 percent of the houses were damaged.", "80 percent", 0.8),
        ("About 80 per cent of the houses were damaged.", "80 per cent", 0.8),
        ("About 80% of the houses were damaged.", "80%", 0.8),
    ],
)
def test_fractions(text: str, found: str, value: float) -> None:
    number = _only(text)
    assert (number.text, number.kind) == (found, "fraction")
    assert number.value == pytest.approx(value)


def test_a_fraction_of_a_whole_is_two_numbers() -> None:
    numbers = find_numbers("Over half of the 3 million residents have left.")
    assert [(n.text, n.value, n.kind) for n in numbers] == [
        ("half", 0.5, "fraction"),
        ("3 million", 3000000, "exact"),
    ]


@pytest.mark.parametrize(
    ("text", "found", "floor"),
    [
        ("Dozens of shops were looted.", "Dozens", 24),
        ("Hundreds gathered at the crossing.", "Hundreds", 200),
        ("Thousands of families sheltered in schools.", "Thousands", 2000),
        ("Tens of thousands marched on Friday.", "Tens of thousands", 20000),
        ("Hundreds of thousands remain in camps.", "Hundreds of thousands", 200000),
        ("Several hundred people waited.", "Several hundred", 300),
        ("A few thousand people waited.", "A few thousand", 2000),
    ],
)
def test_vague_quantities_are_floors(text: str, found: str, floor: int) -> None:
    number = _only(text)
    assert (number.text, number.kind, number.value, number.low) == (found, "vague", floor, floor)


@pytest.mark.parametrize(
    "text",
    [
        "The highway has been closed since 2012.",
        "The parties signed a 2018 deal in the capital.",
        "A 45-year-old teacher was among them.",
        "A teacher aged 30 was among them.",
        "The teacher, who is 30 years old, spoke.",
        "Ahmed Saleh, 45, described the scene.",
        "A six-hour pause was agreed.",
        "The siege lasted for three years.",
        "The curfew runs for 24 hours.",
        "The attack happened on 12 March.",
        "The attack happened on March 12, a Thursday.",
        "The report was published on 2019-12-24.",
        "The attack happened on 12/03/2019.",
        "The convoy left at 10:30 in the morning.",
        "The convoy left at 10 am.",
        "Donors pledged $5 million for the response.",
        "Donors pledged 5 million dollars for the response.",
        "Donors pledged \u20ac5 for each meal.",
        "Donors pledged USD 5 million for the response.",
        "The front is 10 km from the town.",
        "The forces were a few kilometres away.",
        "Troops fired 155mm shells at the ridge.",
        "Troops fired 155 mm shells at the ridge.",
        "It was the third attack this week.",
        "It was the 3rd attack this week.",
        "Call +963 11 2345678 for help.",
        "1 comment",
        "The clip drew 12,000 views in a day.",
        "Posted 3 hours ago | 4,500 views",
        "Shared 250 times | 18 likes",
        "Security Council Resolution 2254 was cited.",
        "No one was hurt.",
        "It was one of the worst days.",
        "The 1990s were calm.",
        "COVID-19 spread in the camps.",
        "Between 2019 and 2020 the fighting eased.",
    ],
)
def test_exclusions(text: str) -> None:
    assert find_numbers(text) == []


def test_a_year_followed_by_people_is_a_count() -> None:
    assert _only("At least 2000 people fled.").value == 2000


def test_european_dots_only_in_clearly_european_text() -> None:
    text = "Unos 1.200.000 desplazados y 1.200 familias."
    assert is_european(text)
    assert [n.value for n in find_numbers(text)] == [1200000, 1200]
    assert not is_european("Some 1,200 families and 2.5 million people.")
    assert [n.value for n in find_numbers("About 1.200 rations.")] == [1.2]


def test_spans_index_the_text_with_case_kept() -> None:
    text = "SEVEN people died and Twenty-Three were hurt."
    assert [n.text for n in find_numbers(text)] == ["SEVEN", "Twenty-Three"]
    for number in find_numbers(text):
        assert number.span.of(text) == number.text


@given(st.text())
def test_any_text_gives_numbers_whose_spans_hold_their_text(text: str) -> None:
    for number in find_numbers(text):
        assert text[number.start : number.end] == number.text
        assert 0 <= number.start < number.end <= len(text)


@given(
    st.lists(
        st.sampled_from(
            ["12", "-", " to ", "1,000", " ", "hundreds", " of ", "one", "and", ".", "2019", "m"]
        )
    ).map("".join)
)
def test_number_like_text_never_raises(text: str) -> None:
    for number in find_numbers(text):
        assert text[number.start : number.end] == number.text


def test_long_pathological_text_is_linear() -> None:
    for text in ("1" * 100_000, "12-" * 30_000, "hundreds of " * 20_000, "1 000 " * 20_000):
        find_numbers(text)


@pytest.mark.parametrize(
    ("text", "found", "value"),
    [
        ("Officials said 2.5 lakh people were moved.", "2.5 lakh", 250000),
        ("The scheme reached 3 crore households.", "3 crore", 30000000),
        # a stray space after the thousands comma: "000" is never a count of its own
        ("Some 48, 000 people were displaced.", "48, 000", 48000),
        # PDF text that lost the space before the number
        ("The camps hold around2.5 million people.", "2.5 million", 2500000),
        ("The camps hold at least1,400 people.", "1,400", 1400),
    ],
)
def test_regional_and_damaged_shapes(text: str, found: str, value: int) -> None:
    number = _only(text)
    assert (number.text, number.value) == (found, value)


def test_a_list_of_small_numbers_is_not_one_number() -> None:
    assert [n.value for n in find_numbers("Sites 4, 120 and 7 were hit.")] == [4, 120, 7]


@pytest.mark.parametrize(
    "word",
    sorted(
        [
            *_SMALL,
            "a hundred",
            "an hundred",
            "a dozen",
            "a few hundred",
            "a third of",
            "a-third of",
            "half a million",
            "several thousand",
            "many thousands",
            "few hundred",
            "tens of thousands",
            "dozens",
            "scores",
            "hundreds",
            "thousands",
            "millions",
        ]
    ),
)
def test_the_word_guard_lets_every_number_word_through(word: str) -> None:
    assert [n.start for n in find_numbers(f"We counted {word} people.")] == [11]


@given(st.text(alphabet="Ab 1,.9-: Sept Twenty-one 2019 aged Ali", max_size=60))
def test_a_lowered_text_given_by_the_caller_finds_the_same_numbers(text: str) -> None:
    from sitroom.extract.text import lower_same_length

    assert find_numbers(text, lowered=lower_same_length(text)) == find_numbers(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a leading digit is found wherever the grammar allows a number to start
        ("killed at least140,000 people", ["140,000"]),
        ("a Covid-19 case and 12 deaths", ["12"]),
        ("raised $5,000 for 40 families", ["40"]),
        ("on 3 Sept. and on Sept. 4, 300 people fled", ["300"]),
    ],
)
def test_where_a_number_may_start(text: str, found: list[str]) -> None:
    assert [n.text for n in find_numbers(text)] == found
