"""The gazetteer's keys, lazy loading and lookups."""

from __future__ import annotations

import pytest

from sitroom.data import read_table
from sitroom.extract import gazetteer


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Maaret al Numan", "Ma`arrat an Nu`man"),
        ("Maarat al-Numaan", "Ma'arrat an-Nu'man"),
        ("Deir ez-Zor", "Deir al Zor"),
        ("Kafr Nubl", "Kafranbel".replace("ranbel", "r Nubl")),
    ],
)
def test_loose_keys_absorb_transliteration(a: str, b: str) -> None:
    assert gazetteer.loose_key(a) == gazetteer.loose_key(b)


def test_match_key_keeps_length_so_offsets_survive() -> None:
    for name in ("Ma‘arrat an-Nu‘mān", "Ḩamāh", "São Tomé"):
        assert len(gazetteer.match_key(name)) == len(name)


def test_load_is_shared_and_counts_every_entry() -> None:
    first = gazetteer.load()
    assert gazetteer.load() is first
    assert len(first) > 200_000


def test_candidates_cover_countries_admin_areas_and_towns() -> None:
    gaz = gazetteer.load()
    kinds = {e.kind for e in gaz.candidates("idlib")}
    assert {"admin1", "city"} <= kinds
    assert [e.place.id for e in gaz.candidates("syria")] == ["geonames:163843"]


def test_prefixes_find_every_name_starting_at_a_word() -> None:
    gaz = gazetteer.load()
    text = "to khan shaykhun and"
    ends = gaz.prefixes(text, 3)
    assert [text[3:end] for end in ends] == ["khan shaykhun", "khan"]


@pytest.mark.parametrize(
    "text",
    [
        "in saraqib, idlib",  # one word, no longer key after it
        "in khan shaykhun today",  # a name of several words
        "in new york city hall",  # keys nested in keys
        "in residents said",  # keys inside the word only ("res"), none at its end
        "in aleppo",  # the window ends with the word: no space after it
    ],
)
def test_prefixes_remembered_by_word_equal_the_trie_lookup(text: str) -> None:
    # The per-word memory must give what a plain trie lookup of the window gives, twice.
    gaz = gazetteer.load()
    window = text[3 : 3 + gazetteer.MAX_NAME_LENGTH]
    plain = [3 + end for end in gaz._key_ends(window)]
    assert gaz.prefixes(text, 3) == plain
    assert gaz.prefixes(text, 3) == plain
    assert [3 + length for length in gaz.key_lengths(text, 3)] == plain


def test_as_matched_turns_hyphens_and_underscores_to_spaces_only() -> None:
    assert gazetteer.as_matched("al-bab_x – y") == "al bab x – y"


def test_haversine_is_zero_for_one_point_and_right_for_a_known_pair() -> None:
    assert gazetteer.haversine_km(35.0, 36.0, 35.0, 36.0) == 0.0
    # Damascus to Aleppo is about 310 km as the crow flies.
    assert 290 < gazetteer.haversine_km(33.51, 36.29, 36.20, 37.16) < 330


def test_name_index_holds_the_current_keys_of_a_sample_of_names() -> None:
    """Guards against key functions changing without `make gazetteer` rebuilding the index."""
    gaz = gazetteer.load()
    sample = [pair for i, pair in enumerate(gazetteer.iter_names()) if i % 997 == 0]
    for name, index in sample:
        if len(gazetteer.match_key(name).strip()) < gazetteer.MIN_KEY_LENGTH:
            continue
        assert gaz.entry(index) in gaz.loose_candidates(name), name


@pytest.mark.parametrize(
    ("name", "country", "variants"),
    [
        ("South Kivu", "CD", {"sud kivu"}),
        ("Nord Kivu", "CD", {"north kivu"}),
        ("Far North", "CM", {"extreme nord"}),
        ("Al Anbar", "IQ", {"anbar"}),
        ("North Carolina", "US", set()),  # English-named areas keep their names
        ("Est", "CM", set()),  # one compass word alone is a word, not a name
    ],
)
def test_admin1_variants(name: str, country: str, variants: set[str]) -> None:
    assert gazetteer.admin1_variants(name, country) == variants


@pytest.mark.parametrize(
    ("name", "fcode", "population", "variant"),
    [
        ("Al Qāmishlī", "PPLA2", 0, "qamishli"),  # a seat, whatever its population
        ("Ad Dīwānīyah", "PPLA", 318801, "diwaniyah"),
        ("Al Ḩillah", "PPL", 455700, "hillah"),
        ("Al Ḩillah", "PPL", 400, None),  # a hamlet is known by its full name
        ("Al Bāb", "PPL", 130745, None),  # "Bab" is a word first
        ("As Salmān", "PPLA2", 0, None),  # "Salman" is a person first
        ("Kafr Nabl", "PPL", 10000, None),  # no article
    ],
)
def test_town_variant(name: str, fcode: str, population: int, variant: str | None) -> None:
    assert gazetteer.town_variant(name, fcode, population) == variant


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("wardak", "AF.27"),  # GeoNames: Vardak
        ("saladin", "IQ.18"),  # GeoNames: Salah ad Din
        ("karen state", "MM.05"),  # GeoNames: Kayin; "Karen" alone is a given name too
        ("ninawa", "IQ.15"),  # GeoNames: Nineveh
    ],
)
def test_first_level_areas_answer_to_their_other_names(name: str, code: str) -> None:
    # Issue 7: ACLED notes name areas as the news does, not as GeoNames' admin1 table does.
    entries = gazetteer.load().candidates(name)
    assert any(e.kind == "admin1" and e.admin1_code == code for e in entries), entries


def test_an_area_is_not_given_the_name_of_a_town_inside_it() -> None:
    # GeoNames calls Beirut's governorate "Beyrouth"; "Beirut" stays the city alone.
    entries = gazetteer.load().candidates("beirut")
    assert entries and not any(e.kind == "admin1" for e in entries)


def test_every_other_area_name_points_to_a_known_area() -> None:
    codes = {row[0] for row in read_table("admin1.tsv")}
    rows = list(read_table(gazetteer.ADMIN1_NAMES))
    assert rows and all(code in codes and name.strip() == name for code, name in rows)


def test_the_lookup_cache_is_bounded_and_still_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    # A long-running server looks up the loose keys of every capitalised phrase it meets.
    gaz = gazetteer.load()
    monkeypatch.setattr(gazetteer, "MAX_CACHED_WORDS", 8)
    expected = gaz.candidates("aleppo")
    for i in range(50):
        gaz.loose_candidates(f"Nowhereville {i}")
    assert len(gaz._by_key) <= 8
    assert gaz.candidates("aleppo") == expected and expected


@pytest.mark.parametrize(
    ("key", "variant"),
    [
        ("alkufra", "al kufra"),  # the article fused to the name
        ("almargab", "al marqab"),  # q said as g
        ("aljfara", "al jafara"),  # a dropped short vowel
        ("alzawia", "al zawiah"),  # the feminine ending as -a or -ah
    ],
)
def test_a_fused_article_name_is_also_sought_under_its_other_spellings(
    key: str, variant: str
) -> None:
    # Issue 4: transliteration variants; "Almargeb" and "Aljfara" name Libyan provinces.
    assert variant in gazetteer.fused_article_variants(key)


@pytest.mark.parametrize(
    ("name", "area"),
    [("Almargeb", "Al Marqab"), ("Aljfara", "Al Jafārah"), ("Al Marqab", "Al Marqab")],
)
def test_a_province_written_with_its_article_fused_is_found(name: str, area: str) -> None:
    entries = gazetteer.load().loose_candidates(name)
    assert any(e.kind == "admin1" and e.place.name == area for e in entries), entries


def test_a_word_only_opening_like_an_article_finds_no_variant_place() -> None:
    assert gazetteer.load().loose_candidates("Although") == ()
