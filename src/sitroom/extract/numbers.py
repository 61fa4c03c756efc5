"""The number grammar: every count-like number expression in a text, with its span and bounds.

`find_numbers` finds digits ("60,000", "2.3m"), words ("twenty-three", "two dozen"), ranges
("12 to 15"), fractions ("two-thirds of", "80 percent") and vague quantities ("hundreds of
thousands"), and leaves out numbers that are not counts: years, ages, durations, dates, times
of day, money, measures, calibres, ordinals, phone numbers, labels and page furniture.
Matching works on any string; pass `Document.folded` so typographic variants match too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple

from sitroom.extract.number_exclusions import CONTEXT, DASH, is_age_at, is_excluded
from sitroom.extract.prefix_guard import TwinPattern, guarded
from sitroom.extract.text import lower_same_length
from sitroom.model import Span

__all__ = ["NumberKind", "NumberMatch", "find_numbers", "is_european"]

NumberKind = Literal["exact", "range", "fraction", "vague"]


class NumberMatch(NamedTuple):
    """A number expression: its offsets, its text, its value and, for ranges, its bounds.

    A tuple, not a dataclass: one is made for every number of every article.
    """

    start: int
    end: int
    text: str
    value: int | float
    kind: NumberKind = "exact"
    #: Bounds of a range; for a vague quantity `low` is its floor and `high` is None.
    low: int | float | None = None
    high: int | float | None = None

    @property
    def span(self) -> Span:
        """The offsets as a `Span`."""
        return Span(self.start, self.end)


# --- lexicons ---------------------------------------------------------------------------------

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "mln": 1_000_000,
    "mn": 1_000_000,
    "m": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "k": 1_000,
    # South Asian reports count in lakhs (100,000) and crores (10 million).
    "lakh": 100_000,
    "lakhs": 100_000,
    "crore": 10_000_000,
    "crores": 10_000_000,
}
_DOZEN = 12
_DENOMINATORS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "seventh": 7,
    "sevenths": 7,
    "eighth": 8,
    "eighths": 8,
    "ninth": 9,
    "ninths": 9,
    "tenth": 10,
    "tenths": 10,
}
# Floors of vague plurals: "hundreds" means at least two hundred.
_VAGUE_FLOORS = {
    "dozens": 24,
    "scores": 40,
    "tens": 20,
    "hundreds": 200,
    "thousands": 2_000,
    "millions": 2_000_000,
    "billions": 2_000_000_000,
}
# Multipliers that make "several hundred", "a few thousand" vague floors.
_FEW = {"several": 3, "a few": 2, "a couple of": 2, "a couple": 2, "many": 2, "few": 2}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first so no word shadows a longer one."""
    return "|".join(sorted(words, key=len, reverse=True))


_SMALL_WORD = _alternation(_SMALL)
_WORD = rf"(?:{_SMALL_WORD}|hundred|thousand|million|billion|dozen)"
_SINGULAR_DENOMINATORS = _alternation(w for w in _DENOMINATORS if not w.endswith("s"))
_PLURAL_DENOMINATORS = _alternation(w for w in _DENOMINATORS if w.endswith("s"))
_AND_AFTER_SCALE = r"(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))\s+and\s+"
_SPACE = "[ \u00a0\u202f\u2009]"

# PDF text loses spaces at line ends ("at least140,000"): a count may touch these words.
_GLUED_BEFORE = "|".join(
    f"(?<={w})" for w in ("about", "around", "least", "between", "than", "some", "with", "nearly")
)
# Both grammars run on lower-cased text: case-insensitive matching is several times slower.
_DIGITS = TwinPattern(
    rf"""
    (?P<digits>
        # A digit first lets the engine skip fast from digit to digit; what may stand before
        # the number is checked behind that first digit.
        \d(?<=(?:(?<![\w.,/:$€£¥+#])(?<![a-z]{DASH})|{_GLUED_BEFORE})\d)
        (?:\d{{0,2}}(?:,\d{{3}})+(?:\.\d{{1,15}})?          # 60,000 and 1,234.5
          | \d{{0,2}}(?:\.\d{{3}})+(?:,\d{{1,15}})?(?![.\d])  # 60.000 (European, checked later)
          | \d{{0,2}}(?:{_SPACE}\d{{3}})+(?![\d.,])          # 60 000
          | \d{{0,2}},{_SPACE}000(?![\d.,])                  # 61, 000: "000" is no count alone
          | \d{{0,14}},\d{{1,2}}(?![\d,])                     # 2,5 (European decimal)
          | \d{{0,14}}(?:\.\d{{1,15}})?
        )
    )
    (?:(?P<suffix>k|m|mn|bn)(?!\w)
      |(?!\w)(?:\s*(?P<pct>%|percent\b|per\s*cent\b|pct\b)
                |(?P<scale>(?:(?:\s+|{DASH})(?:hundred|thousand|million|billion|mln|bn|lakhs?|crores?)\b)+)
                |\s+(?P<dozen>dozen)\b)?)
    """,
    re.VERBOSE,
)
_WORDS_BODY = rf"""
    (?:(?P<halfa>(?:half\s+a|a\s+half)\s+(?:dozen|hundred|thousand|million|billion)\b)
    |(?P<few>(?:several|a\s+few|a\s+couple(?:\s+of)?|many|few)\s+
        (?:dozen|hundred|thousand|million)s?(?:\s+(?:thousand|million))?\b)
    |(?P<vague>(?:(?:tens|dozens|scores|hundreds)\s+of\s+(?:thousands|millions)
        |dozens|scores|hundreds|thousands|millions)\b)
    |(?P<frac>(?:(?:a|one)(?:\s+|{DASH})(?:{_SINGULAR_DENOMINATORS})(?=\s+of\b)
        |(?:two|three|four|five|six|seven|eight|nine)(?:\s+|{DASH})(?:{_PLURAL_DENOMINATORS})
        |half(?=\s+(?:of|the|all)\b))\b)
    |(?P<words>(?:an?\s+(?=(?:hundred|thousand|million|billion|dozen)\b)|(?=(?:{_SMALL_WORD})\b))
        {_WORD}(?:(?:\s+|{DASH}|{_AND_AFTER_SCALE}){_WORD})*\b))
    """
# The guard (`prefix_guard`) turns away, in a few steps, every word that starts no number word.
_WORDS = TwinPattern(r"\b" + guarded(_WORDS_BODY, flags=re.VERBOSE), re.VERBOSE)

# Evidence that dots group thousands: "1.200.000", or "1.200,5".
_EUROPEAN = re.compile(r"\d{1,3}(?:\.\d{3}){2,}(?![\d.])|\d{1,3}\.\d{3},\d")
_DOT_GROUP = re.compile(r"\.\d{3}")
_ENGLISH = re.compile(r"\d{1,3},\d{3}(?![\d,])|\d\.\d{1,2}(?!\d)")

_RANGE_GAP = re.compile(rf"\s*{DASH}\s*|\s+(?:to|or|and)\s+")
_BETWEEN = re.compile(r"\bbetween\s*$")
# A change, not a range: "rose from 12 to 15" reports 15.
_CHANGE_FROM = re.compile(
    r"\b(?:rose|risen|rising|rise|increased|climbed|jumped|grew|grown|went\s+up|up|down|fell|"
    r"dropped|surged|soared|doubled|declined)\s+from\s+$",
)

# Only these kinds can be ages: `is_excluded` leaves fractions and vague amounts alone.
_AGED_KINDS = frozenset(("exact", "range"))
_LETTERS = re.compile(r"[a-z]+")
_WHITESPACE = re.compile(r"\s")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_FRACTION_PARTS = re.compile(r"[\s\-\u2010-\u2014]+")
_TRAILING_SCALE = re.compile(r"(hundred|thousand|million|billion|mln|bn|[km]n?)$")
_TO_GAP = re.compile(r"\s*to\s*", re.IGNORECASE)


# --- finding -----------------------------------------------------------------------------------


def is_european(text: str) -> bool:
    """Whether dots group thousands in `text` ("1.200.000"), with no English-style figures."""
    if _DOT_GROUP.search(text) is None:  # a literal-led scan: cheap on most texts
        return False
    return _EUROPEAN.search(text) is not None and _ENGLISH.search(text) is None


def find_numbers(
    text: str, *, european: bool | None = None, lowered: str | None = None
) -> list[NumberMatch]:
    """Count-like number expressions in `text`, in order, without years, dates, money etc.

    `european` says whether "1.200" means twelve hundred; by default it is read from the text.
    `lowered` is `text` through `lower_same_length`, when the caller has it already.
    """
    if european is None:
        european = is_european(text)
    if lowered is None:
        lowered = lower_same_length(text)
    atoms = _find_atoms(lowered, european)
    numbers = [
        n
        for n in _join_ranges(lowered, atoms)
        if not is_excluded(lowered, n, is_age=False)
        and not (n.kind in _AGED_KINDS and is_age_at(text, n))
    ]
    if lowered is text:
        return numbers
    return [_with_text_of(text, n) for n in numbers]


def _with_text_of(text: str, number: NumberMatch) -> NumberMatch:
    """The number with its text as written, not lower-cased."""
    original = text[number.start : number.end]
    return number if original == number.text else number._replace(text=original)


def _find_atoms(lowered: str, european: bool) -> list[NumberMatch]:
    read = [_read_digits(m, european) for m in _DIGITS.for_text(lowered).finditer(lowered)]
    read.extend(_read_words_match(m) for m in _WORDS.for_text(lowered).finditer(lowered))
    atoms = [atom for atom in read if atom is not None]
    atoms.sort(key=lambda n: (n.start, -n.end))
    kept: list[NumberMatch] = []
    for atom in atoms:
        if not kept or atom.start >= kept[-1].end:
            kept.append(atom)
    return kept


def _read_words_match(match: re.Match[str]) -> NumberMatch | None:
    group = match.lastgroup
    raw = match.group()
    start, end = match.span()
    if group == "halfa":
        return _make(start, end, raw, Decimal(_scale_of(raw.split()[-1])) / 2)
    if group == "few":
        return _read_few(start, end, raw)
    if group == "vague":
        return _read_vague(start, end, raw)
    if group == "frac":
        return _read_fraction(start, end, raw)
    return _read_words(start, end, raw)


def _make(
    start: int, end: int, text: str, value: Decimal, kind: NumberKind = "exact"
) -> NumberMatch:
    number = _to_number(value)
    low = number if kind == "vague" else None
    return NumberMatch(start, end, text, number, kind, low=low)


def _to_number(value: Decimal) -> int | float:
    """An int when the value is integral, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _scale_of(word: str) -> int:
    word = word.lower()
    return _DOZEN if word.startswith("dozen") else _SCALES[word.rstrip("s")]


def _read_digits(match: re.Match[str], european: bool) -> NumberMatch | None:
    raw = match.group("digits")
    if match.lastgroup == "digits":
        # Most numbers are plain digits, or digits grouped by commas in an English text: no
        # scale or percent to read.
        if raw.isdecimal():
            return NumberMatch(match.start(), match.end(), match.group(), int(raw))
        if not european and _COMMA_GROUPED.fullmatch(raw):
            return NumberMatch(match.start(), match.end(), match.group(), int(raw.replace(",", "")))
    base = _parse_digits(raw, european)
    if base is None:
        return None
    value = base
    start, end = match.span()
    kind: NumberKind = "exact"
    if match.group("suffix"):
        value = base * _SCALES[match.group("suffix").lower()]
    elif match.group("pct"):
        value, kind = base / 100, "fraction"
    elif match.group("scale"):
        value = _apply_scales(base, match.group("scale"))
    elif match.group("dozen"):
        value = base * _DOZEN
    return _make(start, end, match.group(), value, kind)


def _apply_scales(base: Decimal, scales: str) -> Decimal:
    words = _LETTERS.findall(scales.lower())
    # "300 hundred" is a common typo for 300, not 30,000.
    if words == ["hundred"] and base >= 100:
        return base
    for word in words:
        base *= _SCALES[word]
    return base


def _parse_digits(raw: str, european: bool) -> Decimal | None:
    raw = _WHITESPACE.sub("", raw)
    if european:
        raw = raw.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.fullmatch(raw) or raw.count(".") > 1:
        return None  # "2,5" or "1.200.000" in a text that is not clearly European
    else:
        raw = raw.replace(",", "")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _read_few(start: int, end: int, raw: str) -> NumberMatch:
    words = raw.lower().split()
    multiplier = next(v for k, v in _FEW.items() if " ".join(words).startswith(k))
    value = Decimal(multiplier)
    for word in words:
        if word.rstrip("s") in _SCALES or word.startswith("dozen"):
            value *= _scale_of(word)
    return _make(start, end, raw, value, "vague")


def _read_vague(start: int, end: int, raw: str) -> NumberMatch:
    words = raw.lower().split()
    value = Decimal(_VAGUE_FLOORS[words[0]])
    if len(words) == 3:
        # "hundreds of thousands": the floor of the first times the unit of the second
        value = value * _SCALES[words[2].rstrip("s")]
    return _make(start, end, raw, value, "vague")


def _read_fraction(start: int, end: int, raw: str) -> NumberMatch:
    words = _FRACTION_PARTS.split(raw.lower())
    numerator = 1 if words[0] in ("a", "half") else _SMALL[words[0]]
    denominator = _DENOMINATORS[words[-1]]
    return _make(start, end, raw, Decimal(numerator) / Decimal(denominator), "fraction")


def _read_words(start: int, end: int, raw: str) -> NumberMatch | None:
    single = _SMALL.get(raw.lower())
    if single is not None:  # most number words stand alone: "four", "two"
        return NumberMatch(start, end, raw, single)
    total, current = 0, 0
    for word in _LETTERS.findall(raw.lower()):
        if word in ("a", "an", "and"):
            current = max(current, 1) if word != "and" else current
        elif word in _SMALL:
            current += _SMALL[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "dozen":
            current = max(current, 1) * _DOZEN
        else:
            total += max(current, 1) * _SCALES[word]
            current = 0
    return _make(start, end, raw, Decimal(total + current))


# --- ranges ------------------------------------------------------------------------------------


def _join_ranges(text: str, atoms: list[NumberMatch]) -> list[NumberMatch]:
    """Atoms with "12 to 15", "12-15" and "between 12 and 15" joined into ranges."""
    joined: list[NumberMatch] = []
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        if index + 1 < len(atoms):
            pair = _range_of(text, atom, atoms[index + 1])
            if pair is not None:
                joined.append(pair)
                index += 2
                continue
            if _is_change(text, atom, atoms[index + 1]):
                index += 1  # "rose from 12 to 15": only 15 is the figure
                continue
        joined.append(atom)
        index += 1
    return joined


def _range_of(text: str, first: NumberMatch, second: NumberMatch) -> NumberMatch | None:
    if first.kind != "exact" or second.kind != "exact":
        return None
    gap = _RANGE_GAP.fullmatch(text, first.end, second.start)
    if gap is None or _CHANGE_FROM.search(text, max(0, first.start - CONTEXT), first.start):
        return None
    word = gap.group().strip().lower()
    if word == "and" and not _BETWEEN.search(text, max(0, first.start - 12), first.start):
        return None
    low, high = first.value, second.value
    # "1.5 to 2 million": the scale of the second number applies to the first
    scale = _trailing_scale(second.text)
    if scale > 1 and not _trailing_scale(first.text) > 1 and low * scale <= high:
        low = _to_number(Decimal(str(low)) * scale)
    if not low < high:
        return None
    raw = text[first.start : second.end]
    return NumberMatch(first.start, second.end, raw, low, "range", low=low, high=high)


def _trailing_scale(raw: str) -> int:
    match = _TRAILING_SCALE.search(raw.lower())
    return _scale_of(match.group(1)) if match else 1


def _is_change(text: str, first: NumberMatch, second: NumberMatch) -> bool:
    if _TO_GAP.fullmatch(text, first.end, second.start) is None:
        return False
    before = text[max(0, first.start - CONTEXT) : first.start]
    return _CHANGE_FROM.search(before) is not None
