"""Tests for figures: one sentence per qualifier, measure phrase, unit and exclusion.

Sources are tested in `test_figure_sources`, places and periods in `test_figure_context`.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sitroom
from sitroom.errors import SitroomError
from sitroom.extract import Pipeline
from sitroom.extract.figure_lexicon import QUALIFIER_LAST_WORDS, QUALIFIER_WORDS
from sitroom.extract.figures import FigureExtractor, find_candidates, is_subset
from sitroom.extract.text import Document
from sitroom.model import MEASURES, Article, Figure, Span

PUBLISHED = dt.date(2021, 3, 10)


def _doc(text: str, *, published: dt.date | None = PUBLISHED) -> Document:
    return Document.from_article(Article.create(text, published=published))


def _figures(text: str) -> tuple[Figure, ...]:
    return FigureExtractor()(_doc(text)).figures


def _only(text: str) -> Figure:
    figures = _figures(text)
    assert len(figures) == 1, figures
    return figures[0]


def test_component_declares_its_layers() -> None:
    extractor = FigureExtractor()
    assert (extractor.name, extractor.requires, extractor.provides) == (
        "figures",
        ("times", "places"),
        ("figures",),
    )


@pytest.mark.parametrize(
    ("text", "span_text", "qualifier"),
    [
        ("More than 400 villagers fled the shelling.", "More than 400", "at_least"),
        ("Over 400 villagers fled the shelling.", "Over 400", "at_least"),
        ("At least 400 villagers fled the shelling.", "At least 400", "at_least"),
        ("Some 400 villagers fled the shelling.", "Some 400", "approx"),
        ("About 400 villagers fled the shelling.", "About 400", "approx"),
        ("Around 400 villagers fled the shelling.", "Around 400", "approx"),
        ("Nearly 400 villagers fled the shelling.", "Nearly 400", "approx"),
        ("An estimated 400 villagers fled the shelling.", "An estimated 400", "approx"),
        ("Up to 400 villagers fled the shelling.", "Up to 400", "at_most"),
        ("As many as 400 villagers fled the shelling.", "As many as 400", "at_most"),
        ("Fewer than 400 villagers fled the shelling.", "Fewer than 400", "at_most"),
        ("400 villagers fled the shelling.", "400", "exact"),
        ("400 or more villagers fled the shelling.", "400 or more", "at_least"),
        ("Between 300 and 400 villagers fled the shelling.", "Between 300 and 400", "range"),
        ("Hundreds of villagers fled the shelling.", "Hundreds", "at_least"),
        ("Two-thirds of the villagers fled the shelling.", "Two-thirds", "fraction"),
    ],
)
def test_qualifiers(text: str, span_text: str, qualifier: str) -> None:
    figure = _only(text)
    assert (figure.text, figure.qualifier, figure.measure) == (span_text, qualifier, "displaced")
    assert figure.unit == "villager"


def test_range_bounds_and_vague_flag() -> None:
    ranged = _only("Between 300 and 400 villagers fled the shelling.")
    assert (ranged.value, ranged.low, ranged.high, ranged.vague) == (300, 300, 400, False)
    vague = _only("Thousands of families fled the shelling.")
    assert (vague.value, vague.vague, vague.unit) == (2000, True, "family")


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("Gunmen killed 14 farmers near the river.", "killed"),
        ("14 farmers were killed near the river.", "killed"),
        ("14 farmers died in the fire.", "killed"),
        ("The death toll rose to 14 on Tuesday.", "killed"),
        ("The raid left 14 dead.", "killed"),
        ("Medics reported 14 deaths at the clinic.", "killed"),
        ("14 farmers lost their lives in the fire.", "killed"),
        ("The blast injured 14 farmers.", "injured"),
        ("14 farmers were wounded in the blast.", "injured"),
        ("14 farmers are still missing after the raid.", "missing"),
        ("Gunmen abducted 14 farmers.", "abducted"),
        ("14 farmers were kidnapped on the road.", "abducted"),
        ("Police arrested 14 protesters.", "detained"),
        ("14 protesters were detained overnight.", "detained"),
        ("The fighting displaced 1,400 families.", "displaced"),
        ("1,400 families fled to the hills.", "displaced"),
        ("1,400 families were forced from their homes.", "displaced"),
        ("1,400 families were evacuated by bus.", "evacuated"),
        ("The truce allowed safe passage for 1,400 families.", "evacuated"),
        ("Divers rescued 14 fishermen.", "evacuated"),
        ("1,400 families returned to the village.", "returned"),
        ("The border camp holds 14,000 refugees.", "refugees"),
        ("14,000 people crossed into the neighbouring country.", "refugees"),
        ("Shelling hit 14 communities overnight.", "affected"),
        ("14 communities were struck by rockets.", "affected"),
        ("The floods affected 14,000 people.", "affected"),
        ("14,000 people are in need of humanitarian assistance.", "in_need"),
        ("14,000 people are at risk of eviction.", "at_risk"),
        ("The valley is home to 14,000 people.", "population"),
        ("14,000 people live in the valley.", "population"),
        ("Jets carried out 14 air strikes on the town.", "attacks"),
    ],
)
def test_measures(text: str, measure: str) -> None:
    figure = _only(text)
    assert figure.measure == measure
    assert measure in MEASURES


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Gunmen killed 14 children.", "child"),
        ("Gunmen killed 14 people.", "people"),
        ("Gunmen killed 14 persons.", "people"),
        ("The fighting displaced 14 households.", "household"),
        ("Gunmen killed 14 soldiers.", "soldier"),
        ("Gunmen killed 14 civilians.", "civilian"),
        ("Gunmen killed 14 women.", "woman"),
        ("The fighting displaced 14 Kurdish families.", "family"),
        ("The toll rose to 14.", "people"),
        ("Jets carried out 14 strikes.", "strike"),
        # A stray letter is no plural noun: its singular would be no unit at all.
        ("Police said 2 s were detained.", "people"),
        ("Police detained 4 s.", "people"),
    ],
)
def test_units_are_singular_base_forms(text: str, unit: str) -> None:
    assert _only(text).unit == unit


def test_active_and_coordinated_clauses_keep_their_own_measures() -> None:
    figures = _figures("The strike killed 9 people and wounded 30 others.")
    assert [(f.value, f.measure) for f in figures] == [(9, "killed"), (30, "injured")]
    figures = _figures("9 people were killed and 30 were wounded.")
    assert [(f.value, f.measure) for f in figures] == [(9, "killed"), (30, "injured")]


def test_subsets_give_both_figures() -> None:
    figures = _figures("21 people, including 8 children, were killed in the raid.")
    assert [(f.value, f.unit, f.measure) for f in figures] == [
        (21, "people", "killed"),
        (8, "child", "killed"),
    ]
    figures = _figures("The raid killed 21 people, including 8 children.")
    assert [(f.value, f.unit, f.measure) for f in figures] == [
        (21, "people", "killed"),
        (8, "child", "killed"),
    ]


def test_nominal_measure_before_the_number_beats_a_later_verb() -> None:
    figure = _only("The pause gave safe passage for more than 900 people to leave.")
    assert (figure.text, figure.measure, figure.qualifier) == (
        "more than 900",
        "evacuated",
        "at_least",
    )


def test_a_fraction_of_a_whole_is_a_figure() -> None:
    figures = _figures(
        "The valley is home to 2 million people. Over half of the people have been displaced."
    )
    assert [(f.text, f.measure, f.unit) for f in figures] == [
        ("2 million", "population", "people"),
        ("Over half", "displaced", "people"),
    ]
    fraction = figures[1]
    assert (fraction.value, fraction.qualifier, fraction.low, fraction.high) == (
        0.5,
        "fraction",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("There were no casualties in the attack.", "killed"),
        ("No one was killed in the attack.", "killed"),
        ("Nobody was hurt in the attack.", "injured"),
        ("There were no injuries.", "injured"),
    ],
)
def test_no_casualties_is_zero(text: str, measure: str) -> None:
    figure = _only(text)
    assert (figure.value, figure.measure, figure.qualifier) == (0, measure, "exact")


@pytest.mark.parametrize(
    "text",
    [
        "The highway has been closed by the rebels since 2012.",
        "A 2018 deal ended the fighting.",
        "A 45-year-old farmer was killed.",
        "A farmer aged 30 was killed.",
        "A six-hour pause was agreed to evacuate the wounded.",
        "The siege displaced people for three years.",
        "Shelling continued for 24 hours.",
        "The town was shelled on 12 March.",
        "Donors pledged $5 million for the displaced.",
        "Donors pledged 5 million dollars for the displaced.",
        "Families fled 10 km to the north.",
        "Troops fired 155mm shells and killed nobody we know of.",
        "It was the third attack on the camp.",
        "Growth fell by 80 percent as people fled.",
        "The council counted 12 members at its meeting.",
    ],
)
def test_no_false_figures(text: str) -> None:
    assert [f for f in _figures(text) if f.measure != "other"] == []


def test_affected_communities_in_two_clauses() -> None:
    text = (
        "Over the past week, some 12 communities were affected by shelling in the north, "
        "while 30 communities were hit by air strikes, the spokesman said."
    )
    figures = _figures(text)
    assert [(f.text, f.qualifier, f.unit, f.measure) for f in figures] == [
        ("some 12", "approx", "community", "affected"),
        ("30", "exact", "community", "affected"),
    ]


def test_candidates_can_be_found_from_text_alone() -> None:
    (candidate,) = find_candidates("Gunmen killed 14 farmers.")
    assert (candidate.span, candidate.value, candidate.measure) == (Span(14, 16), 14, "killed")


def test_the_lowered_text_of_the_document_gives_the_same_candidates() -> None:
    doc = _doc("Some 300 families fled Springfield, the UN refugee agency said; 2 died.")
    assert find_candidates(doc.folded, doc.sentences, lowered=doc.lowered) == find_candidates(
        doc.folded
    )


def test_figures_run_in_a_pipeline_after_times_and_places() -> None:
    class _Layer:
        requires: tuple[str, ...] = ()

        def __init__(self, name: str) -> None:
            self.name = name
            self.provides: tuple[str, ...] = (name,)

        def __call__(self, doc: Document) -> Document:
            return doc

    pipeline = Pipeline([_Layer("times"), _Layer("places"), FigureExtractor()])
    extraction = pipeline(Article.create("Gunmen killed 14 farmers.", published=PUBLISHED))
    assert [f.value for f in extraction.figures] == [14]


# Figure phrases and the characters that trip up offsets (written here).
_FIGURE_PIECES = (
    "Over half of the 3 million", "killed", "more than 1,200", "people", "were", "displaced",
    "the deaths of", "12-15", "between 4 and 9", "dozens", "no casualties", ",", ".", "\n",
    "\u00a0", "ﬁ", "İ", "e\u0301", "٣٠", "said", "according to", "OCHA", "since", "Monday",
)  # fmt: skip


@settings(max_examples=200)
@given(st.text())
def test_any_text_yields_figures_whose_spans_hold_their_text(text: str) -> None:
    doc = _doc(text)
    for figure in FigureExtractor()(doc).figures:
        assert text[figure.span.start : figure.span.end] == figure.text
        assert figure.sentence.contains(figure.span)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.lists(st.sampled_from(_FIGURE_PIECES), max_size=25).map(" ".join)))
def test_contract_figures_hold_their_text_and_sentence(text: str) -> None:
    """The v1 contract's figures, as `to_dict` writes them, slice out their own text."""
    try:
        data = sitroom.extract(text, published=PUBLISHED).to_dict()
    except SitroomError:
        return  # empty or undecodable input is refused, never half extracted
    for figure in data["figures"]:
        assert isinstance(figure, dict)
        assert 0 <= figure["start"] < figure["end"] <= len(text), figure
        assert text[figure["start"] : figure["end"]] == figure["text"], figure
        sentence = figure["sentence"]
        assert sentence["start"] <= figure["start"] and figure["end"] <= sentence["end"], figure
    json.dumps(data, allow_nan=False)


_WORDS = st.sampled_from(
    [
        "killed", "12", " ", "people", "more than", ",", "including", "since", "said", "UN",
        "2,500", "fled", "hundreds", "of", "half", "the", ".", "no casualties", "to", "-", "15",
        "home to", "according to",
    ]
)  # fmt: skip


@settings(max_examples=300)
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_figure_like_text_never_raises(text: str) -> None:
    for figure in FigureExtractor()(_doc(text)).figures:
        assert text[figure.span.start : figure.span.end] == figure.text


def test_coordinated_subjects_share_the_verb() -> None:
    figures = _figures("4 militiamen and 3 militants were killed in the clash.")
    assert [(f.value, f.unit, f.measure) for f in figures] == [
        (4, "militiaman", "killed"),
        (3, "militant", "killed"),
    ]


# --- issue 6: displacement reports (IDMC-style phrasing), one sentence of our own per rule ---


@pytest.mark.parametrize(
    ("text", "value", "measure", "unit"),
    [
        # a bracketed equivalent does not cut the number off from its verb
        (
            "About 120 families (some 700 people) were displaced by the flood.",
            120,
            "displaced",
            "family",
        ),
        (
            "About 120 families (some 700 people) were displaced by the flood.",
            700,
            "displaced",
            "people",
        ),
        # an appositive equivalent with "or"
        (
            "Some 90 households, or about 450 people, fled the fighting.",
            90,
            "displaced",
            "household",
        ),
        # auxiliaries and adverbs do not lengthen the gap
        ("Nearly 5,000 residents have now been left homeless.", 5000, "displaced", "resident"),
        # nominal displacement counts
        ("About 7,000 new displacements were recorded last month.", 7000, "displaced", "people"),
        # people in shelters, camps and host families are displaced
        ("More than 600 people took shelter in a sports hall.", 600, "displaced", "people"),
        ("Some 800 people were staying in three evacuation centres.", 800, "displaced", "people"),
        ("About 1,200 people are staying with host families.", 1200, "displaced", "people"),
        (
            "Some 900 people staying in or near the Upper Dorr transit camp left at dawn.",
            900,
            "displaced",
            "people",
        ),
        ("Some 300 families moved to temporary shelters.", 300, "displaced", "family"),
        ("About 2,000 IDPs are still living in displacement.", 2000, "displaced", "IDP"),
        # losing or leaving one's home
        ("The storm forced 900 people out of their homes.", 900, "displaced", "people"),
        ("Floods forced 900 people to leave their homes.", 900, "displaced", "people"),
        ("About 900 people lost their homes in the fire.", 900, "displaced", "people"),
        # relocation and resettlement are organised moves
        ("Rains forced the relocation of 4,000 residents.", 4000, "evacuated", "resident"),
        (
            "The plan foresees the resettlement of 4,000 people living in the valley.",
            4000,
            "evacuated",
            "people",
        ),
        (
            "The evacuation of 60 families from their homes began at dawn.",
            60,
            "evacuated",
            "family",
        ),
        # a count of lives is a death toll
        ("The landslide claimed 12 lives in the hills.", 12, "killed", "people"),
        # status nouns are not residents: "IDPs live in"
        ("Some 40,000 IDPs live in crowded settlements.", 40000, "displaced", "IDP"),
        # a reporting aside does not separate a nominal trigger from its number
        (
            "Rains forced the evacuation of, according to officials, 3,500 people.",
            3500,
            "evacuated",
            "people",
        ),
        # a proper name is one word in the gap
        (
            "Some 6,000 people in Port Sable in North Lorn Valley were displaced.",
            6000,
            "displaced",
            "people",
        ),
        # ... with its particles, and a hyphenated word is one word
        (
            "Some 300 people from the hamlet of Casa de la Loma in the north-west sought "
            "refuge with relatives.",
            300,
            "displaced",
            "people",
        ),
        # an apposition between subject and verb is an aside
        (
            "About 250 people, the whole population of Lower Brent (Marsh county), were displaced.",
            250,
            "displaced",
            "people",
        ),
        # arrivals, moving away, being accommodated
        ("About 6,500 people arrived in Tarsk from the hills.", 6500, "displaced", "people"),
        ("More than 700 people moved away from the border.", 700, "displaced", "people"),
        ("About 1,800 people have been accommodated in schools.", 1800, "displaced", "people"),
        # the verb of a number's brackets governs it
        (
            "31,000 people were affected by the storm (4,000 of whom were relocated).",
            4000,
            "evacuated",
            "people",
        ),
        # a specific verb coordinated with "affected" says what the count is
        ("2,400 families were affected and evacuated.", 2400, "evacuated", "family"),
        # a word split by a hyphen at a line end is still the counted noun
        ("About 900 fami-lies were displaced by the river.", 900, "displaced", "family"),
    ],
)
def test_displacement_phrasings(text: str, value: int, measure: str, unit: str) -> None:
    figures = [f for f in _figures(text) if f.value == value]
    assert [(f.measure, f.unit) for f in figures] == [(measure, unit)]


@pytest.mark.parametrize(
    ("text", "value", "measure"),
    [
        # text copied from PDFs loses spaces at line ends
        ("Floods displacedabout 4,000 people in the delta.", 4000, "displaced"),
        ("Around 3,000 people weredisplaced in the north.", 3000, "displaced"),
        ("The quake forced at least2,500 people to take shelter in tents.", 2500, "displaced"),
        ("Officials said 800 people hadevacuated by noon.", 800, "evacuated"),
        # ... or glued to the word after
        ("About 900 people moved into emergency sheltersfollowing the quake.", 900, "displaced"),
        ("At least 5,000 people have fledMarrow and its suburbs.", 5000, "displaced"),
        ("Officials reported the evacuations of 400 residents on the coast.", 400, "evacuated"),
        # a hard-wrapped line goes on with its sentence
        ("About 1,300 people became\nhomeless after the fire.", 1300, "displaced"),
    ],
)
def test_words_glued_by_pdf_line_breaks(text: str, value: int, measure: str) -> None:
    assert [f.measure for f in _figures(text) if f.value == value] == [measure]


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "measure", "unit"),
    [
        # Spanish, French and Portuguese reports (issue 6: IDMC monitors them too)
        ("La crecida dejó más de 300 familias sin hogar.", 300, "at_least", "displaced", "family"),
        ("Unas 240 personas fueron evacuadas de la ribera.", 240, "approx", "evacuated", "people"),
        ("Hay por lo menos 90 evacuados en el valle.", 90, "at_least", "evacuated", "people"),
        ("Quelque 450 ménages déplacés vivent à Bambari.", 450, "approx", "displaced", "household"),
        ("Environ 2 000 personnes sont sans abri.", 2000, "approx", "displaced", "people"),
        ("Les autorités ont évacué 600 personnes.", 600, "exact", "evacuated", "people"),
        ("A chuva deixou cerca de 80 famílias desalojadas.", 80, "approx", "displaced", "family"),
        ("Unos 35 refugiados llegaron a la frontera.", 35, "approx", "refugees", "people"),
        ("Some 12,000 PDI vivent dans des sites.", 12000, "approx", "displaced", "IDP"),
        ("Las lluvias dejaron 35 viviendas destruidas.", 35, "exact", "affected", "house"),
        ("Déplacés internes: 12,400", 12400, "exact", "displaced", "people"),
        # people pushed over a border are refugees
        (
            "About 3,000 people were pushed by drought across the border into Kemet.",
            3000,
            "approx",
            "refugees",
            "people",
        ),
        # and so are people who flee over one; fleeing to a town nearby is displacement
        (
            "More than 2,000 people fled across the border into Kemet.",
            2000,
            "at_least",
            "refugees",
            "people",
        ),
        (
            "Some 5,000 people have fled into neighbouring Kemet.",
            5000,
            "approx",
            "refugees",
            "people",
        ),
        (
            "At least 1,200 people fled the shelling over the border.",
            1200,
            "at_least",
            "refugees",
            "people",
        ),
        ("About 300 families fled to a nearby town.", 300, "approx", "displaced", "family"),
        (
            "Shelling forced 3,000 people to flee their homes near the border.",
            3000,
            "exact",
            "displaced",
            "people",
        ),
    ],
)
def test_displacement_in_other_languages_and_across_borders(
    text: str, value: int, qualifier: str, measure: str, unit: str
) -> None:
    figures = [f for f in _figures(text) if f.value == value]
    assert [(f.qualifier, f.measure, f.unit) for f in figures] == [(qualifier, measure, unit)]


def test_an_english_evacuee_count_stays_a_weak_status_noun() -> None:
    assert [f.measure for f in _figures("Some 1,000 evacuees were killed.")] == ["killed"]


def test_accommodated_counts_people_not_the_camps_set_up() -> None:
    text = "The state set up 140 relief camps and 9,000 people have been accommodated."
    assert [(f.value, f.measure) for f in _figures(text)] == [(9000, "displaced")]


def test_a_wrapped_line_is_joined_only_when_the_sentence_goes_on() -> None:
    figures = _figures("Floods hit the valley.\n300 people fled.\nRescue teams arrived")
    assert [(f.value, f.measure) for f in figures] == [(300, "displaced")]


def test_places_in_a_locative_phrase_are_not_the_people_counted() -> None:
    figures = _figures("Around 5,000 people in 12 districts were evacuated.")
    assert [(f.value, f.measure) for f in figures] == [(5000, "evacuated")]


def test_houses_do_not_die() -> None:
    figures = _figures("Nine people died, over 300 houses were totally destroyed.")
    assert [(f.value, f.measure, f.unit) for f in figures] == [
        (9, "killed", "people"),
        (300, "affected", "house"),
    ]


def test_the_agent_of_a_passive_is_not_counted() -> None:
    figures = _figures("Two farmers were killed by three gunmen.")
    assert [(f.value, f.measure) for f in figures if f.measure != "other"] == [(2, "killed")]


def test_a_verb_closing_an_earlier_phrase_yields_to_the_next_verb() -> None:
    figures = _figures("Of the 9,000 people affected, 1,200 have been evacuated.")
    assert [(f.value, f.measure) for f in figures] == [(9000, "affected"), (1200, "evacuated")]


def test_an_object_beats_a_later_clause_with_an_auxiliary() -> None:
    figures = _figures("The raid that killed 12 had shocked the town.")
    assert [(f.value, f.measure) for f in figures] == [(12, "killed")]


# --- issue 6: death tolls as incident notes write them (sentences of our own) ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 guards were killed and 3 were wounded in the ambush.", [(2, "killed"), (3, "injured")]),
        (
            "4 police officers, 2 militiamen, and 1 soldier were killed in the raid.",
            [(4, "killed"), (2, "killed"), (1, "killed")],
        ),
        (
            "Gunmen stormed the post, killing 5 of them and injuring 2.",
            [(5, "killed"), (2, "injured")],
        ),
        ("Rebels ambushed 6 soldiers and killed 2 of them.", [(6, "other"), (2, "killed")]),
        (
            "The fighters killed two guards, wounded three, and fled.",
            [(2, "killed"), (3, "injured")],
        ),
        ("The clash ended in one death.", [(1, "killed")]),
        ("The blast caused 1 fatality.", [(1, "killed")]),
        ("A shell hit the market in which one child was killed.", [(1, "killed")]),
        ("Villagers found the bodies of 3 herders.", [(3, "killed")]),
        (
            "The mob attack led to the killing of 1 guard and injuring of 4 others.",
            [(1, "killed"), (4, "injured")],
        ),
        ("5 militants were killed, injured or captured in the sweep.", [(5, "other")]),
        ("7 soldiers were killed or wounded by the mine.", [(7, "other")]),
        ("3 soldiers were killed and 9 were taken as hostages.", [(3, "killed"), (9, "abducted")]),
        ("2 farmers were killed during clashes between two clans.", [(2, "killed")]),
    ],
)
def test_death_toll_phrasings(text: str, expected: list[tuple[int, str]]) -> None:
    figures = [(f.value, f.measure) for f in _figures(text)]
    assert figures == expected


def test_subsets_are_marked_so_victims_are_counted_once() -> None:
    text = "The raid killed 18 fighters, including 2 commanders and 1 medic, and 4 civilians."
    figures = _figures(text)
    assert [(f.value, f.measure, is_subset(text, f.span)) for f in figures][:3] == [
        (18, "killed", False),
        (2, "killed", True),
        (1, "killed", True),
    ]
    assert [is_subset(text, f.span) for f in figures if f.value == 4] == [False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Number of displaced: 452", [(452, "displaced", "people")]),
        ("Houses destroyed: 146", [(146, "affected", "house")]),
        ("Evacuated families: 80", [(80, "evacuated", "family")]),
        ("Killed: 12\nInjured: 30", [(12, "killed", "people"), (30, "injured", "people")]),
        ("The meeting was long. Attendance: 45", []),
    ],
)
def test_table_rows_and_headings_take_the_measure_of_their_label(
    text: str, expected: list[tuple[int, str, str]]
) -> None:
    assert [(f.value, f.measure, f.unit) for f in _figures(text)] == expected


def test_the_number_of_families_is_counted_in_families() -> None:
    figure = _only("The number of displaced families is estimated to be 349.")
    assert (figure.value, figure.measure, figure.unit) == (349, "displaced", "family")


def test_a_subset_aside_ends_at_the_verb() -> None:
    text = "9 raiders including 2 leaders were killed and 4 including a guard were wounded."
    figures = _figures(text)
    assert [(f.value, f.measure) for f in figures] == [(9, "killed"), (2, "killed"), (4, "injured")]


_QUALIFIER_PHRASES = (
    "more than,over,well over,at least,upwards of,in excess of,no fewer than,no less than,"
    "a minimum of,exceeding,above,some,about,around,roughly,approximately,approx.,nearly,almost,"
    "close to,an estimated,estimated,est.,circa,just under,just over,just short of,perhaps,"
    "possibly,up to,as many as,fewer than,less than,at most,no more than,not more than,"
    "a maximum of,under,below,between,from,"
    # Spanish, French and Portuguese
    "mas de,por lo menos,pelo menos,au moins,cerca de,alrededor de,pres de,environ,quelque,"
    "unas,unos"
).split(",")


def test_every_qualifier_ends_in_one_of_the_last_words_the_finder_tests_first() -> None:
    patterns = [p for phrases in QUALIFIER_WORDS.values() for p in phrases]
    for pattern in patterns:
        assert any(re.fullmatch(pattern, phrase) for phrase in _QUALIFIER_PHRASES), pattern
    for phrase in _QUALIFIER_PHRASES:
        assert any(re.fullmatch(pattern, phrase) for pattern in patterns), phrase
        assert phrase.endswith(QUALIFIER_LAST_WORDS), phrase


@pytest.mark.parametrize(
    "text",
    [
        "Raiders killed 23 cattle near the river.",
        "Drought and disease killed 400 goats this year.",
        "Wolves killed 12 sheep at the farm.",
    ],
)
def test_animals_killed_are_no_toll_of_people(text: str) -> None:
    assert [f for f in _figures(text) if f.measure == "killed"] == []


def test_a_weapon_model_is_no_toll() -> None:
    text = "Men carrying AK 47 rifles opened fire, killing 6 farmers."
    assert [f.value for f in _figures(text) if f.measure == "killed"] == [6]


# --- issue 6: every measure phrase of the issue, in its active, passive and nominal forms ---


@pytest.mark.parametrize(
    ("text", "value", "measure"),
    [
        # killed
        ("The deaths of 12 miners were confirmed on Friday.", 12, "killed"),
        ("The flood caused the death of one herder.", 1, "killed"),
        ("Rescuers pulled 12 bodies from the rubble.", 12, "killed"),
        ("The death toll has risen to 12, medics said.", 12, "killed"),
        ("12 soldiers died in the ambush.", 12, "killed"),
        # injured
        ("Seven villagers were hurt when the roof fell.", 7, "injured"),
        ("The blast left 12 injured.", 12, "injured"),
        ("The wounding of 12 farmers shocked the town.", 12, "injured"),
        ("The attack caused 12 injuries.", 12, "injured"),
        # missing
        ("The storm left 12 fishermen missing.", 12, "missing"),
        ("The disappearance of 12 students was reported.", 12, "missing"),
        # abducted
        ("Gunmen kidnapped 12 travellers on the road.", 12, "abducted"),
        ("The abduction of 12 girls shocked the town.", 12, "abducted"),
        ("The kidnapping of 12 girls shocked the town.", 12, "abducted"),
        # detained
        ("12 people were rounded up by police.", 12, "detained"),
        ("The arrest of 30 protesters drew criticism.", 30, "detained"),
        ("Police announced the arrests of 30 protesters.", 30, "detained"),
        ("The detention of 30 protesters drew criticism.", 30, "detained"),
        ("Police made 30 arrests in the capital.", 30, "detained"),
        # displaced
        ("The fighting has uprooted 5,000 people.", 5000, "displaced"),
        ("About 5,000 people have been uprooted by the fighting.", 5000, "displaced"),
        ("The uprooting of 5,000 people was condemned.", 5000, "displaced"),
        ("About 3,000 people are on the move towards the border.", 3000, "displaced"),
        ("The displacement of 5,000 people was condemned.", 5000, "displaced"),
        # evacuated
        ("Rescuers evacuated 300 residents by boat.", 300, "evacuated"),
        ("The rescue of 300 miners took two days.", 300, "evacuated"),
        # returned
        ("Some 5,000 refugees have returned home.", 5000, "returned"),
        ("The return of 5,000 refugees began this week.", 5000, "returned"),
        # refugees
        ("About 2,000 refugees crossed into the neighbouring country.", 2000, "refugees"),
        # affected: communities hit, struck, shelled
        ("Tanks shelled 14 villages overnight.", 14, "affected"),
        ("14 villages were shelled overnight.", 14, "affected"),
        ("The shelling of 14 villages went on all night.", 14, "affected"),
        ("The quake struck 14 communities in the hills.", 14, "affected"),
        # in need, at risk, population
        ("About 40,000 people need humanitarian aid.", 40000, "in_need"),
        ("Up to 14,000 people could be displaced by the dam.", 14000, "at_risk"),
        ("The town has a population of 40,000.", 40000, "population"),
        # attacks
        ("Militants carried out 14 attacks on the town.", 14, "attacks"),
        ("Russia launched 14 drone strikes overnight.", 14, "attacks"),
    ],
)
def test_measure_phrases_in_active_passive_and_nominal_forms(
    text: str, value: int, measure: str
) -> None:
    assert [(f.value, f.measure) for f in _figures(text)] == [(value, measure)]


def test_a_noun_with_of_takes_its_number_within_a_determiner_or_two() -> None:
    figure = _only("The floods forced the evacuation of a further 45,000 people.")
    assert (figure.value, figure.measure) == (45000, "evacuated")
    # further off, the number is not the noun's: a note's tag after a missed sentence break
    text = "Crowds demanded the arrest of the culprit. [size=thousands]"
    assert [f for f in _figures(text) if f.measure == "detained"] == []


# --- issue 6: a fraction of a whole, in one sentence ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Over half of the 3 million residents have fled the region.",
            [("Over half", 0.5, "fraction", "resident", "displaced"),
             ("3 million", 3000000, "exact", "resident", "other")],
        ),
        (
            "80 percent of the 5,000 residents were evacuated.",
            [("80 percent", 0.8, "fraction", "resident", "evacuated"),
             ("5,000", 5000, "exact", "resident", "other")],
        ),
        # a trigger touching the whole counts the whole; the clause's verb counts the part
        (
            "Half of the 40,000 displaced have returned home.",
            [("Half", 0.5, "fraction", "people", "returned"),
             ("40,000", 40000, "exact", "people", "displaced")],
        ),
        (
            "Two-thirds of the 900 families displaced have since gone back.",
            [("Two-thirds", 2 / 3, "fraction", "family", "returned"),
             ("900", 900, "exact", "family", "displaced")],
        ),
        # a part with no verb of its own is no count of the whole's measure
        (
            "Half of the 40,000 displaced are children.",
            [("40,000", 40000, "exact", "people", "displaced")],
        ),
    ],
)  # fmt: skip
def test_a_fraction_takes_the_verb_and_its_whole_only_what_touches_it(
    text: str, expected: list[tuple[str, float, str, str, str]]
) -> None:
    figures = [(f.text, f.value, f.qualifier, f.unit, f.measure) for f in _figures(text)]
    assert figures == [pytest.approx(e) for e in expected]
