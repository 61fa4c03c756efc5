"""Numbers that are not counts: years, ages, durations, dates, times, money, measures, labels.

`is_excluded` reads the words around a number found by `sitroom.extract.numbers`; the text
is lower-cased, except for `is_age_at`, which needs the capital of a name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitroom.extract.prefix_guard import guarded

if TYPE_CHECKING:
    from sitroom.extract.numbers import NumberMatch

__all__ = ["CONTEXT", "DASH", "is_age_at", "is_excluded"]

#: Characters either side of a number that decide what it is.
CONTEXT = 40
DASH = "[-\u2010\u2011\u2012\u2013\u2014]"
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may(?=\s*(?:\d|[,.;]|$))|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_RANGE_PARTS = re.compile(r"\s*[-\u2010-\u2014]\s*|\s+(?:to|and|or)\s+")
_DIGIT_RUNS = re.compile(r"\d+")


_UNITS_OF_TIME = r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?|yrs?|decades?|centur(?:y|ies)"  # noqa: E501
_MEASURES = (
    r"km|kms|kilomet(?:er|re)s?|miles?|mi|met(?:er|re)s?|m|cm|mm|millimet(?:er|re)s?|"
    r"centimet(?:er|re)s?|kg|kilos?|kilograms?|grams?|g|tons?|tonnes?|lbs?|feet|foot|ft|"
    r"inch(?:es)?|yards?|hectares?|ha|acres?|square|sq|litres?|liters?|gallons?|degrees?|"
    r"kph|mph|knots?|calib(?:re|er)|mw|kw|gw|gb|mb|sq\.?\s*km"
)
_CURRENCIES = (
    r"dollars?|usd|us\s+dollars|euros?|eur|pounds?|gbp|yen|yuan|rupees?|dinars?|riyals?|"
    r"lira|liras|francs?|rubles?|roubles?|shekels?|afghanis?|naira|shillings?|cents?|"
    r"birr|rand|dirhams?|taka|kyat|pesos?|reais|real|syp|iqd|egp|ngn|kes"
)
_FURNITURE = (
    r"comments?|shares?|views?|likes?|replies|reply|retweets?|min(?:ute)?s?\s+read|"
    r"photos?|images?|videos?|followers?|reads?|reactions?|pages?"
)
# Behind a guard (`prefix_guard`): most numbers are followed by a counted noun ("people"), which
# the guard turns away in a few steps instead of the engine trying every unit one by one.
_EXCLUDED_AFTER_PATTERN = rf"""(?:
        (?:\s+and\s+a\s+half)?(?:\s+of)?(?:\s+|{DASH})(?:{_UNITS_OF_TIME})\b  # durations, ages
      | {DASH}(?!strong\b|odd\b|plus\b|some\b)[a-z]   # six-hour, 12-point: modifiers, not counts
      | \s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt\b|utc\b|hrs\b|h\b|o'clock\b|local\s+time\b)
      | (?:\s+of)?\s*(?:{_MEASURES})\b
      | °
      | (?:\s+(?:million|billion))?(?:\s+of)?\s+(?:{_CURRENCIES})\b
      | \s+(?:{_FURNITURE})\b
      | \s+times\b                                     # frequencies: "shared 250 times"
      | \s*(?:years?|yrs?)[\s-]*old\b
      | [/:.]\d
    )"""
_EXCLUDED_AFTER = re.compile(guarded(_EXCLUDED_AFTER_PATTERN, flags=re.VERBOSE), re.VERBOSE)
# Words after which a number is a label or an amount: "Resolution 2254", "aged 30", "USD 5".
_LABELS = frozenset(
    """resolution article chapter section paragraph page p. pp. no. nos. number route road
    highway
    phase flight room level grade vol. vol volume version act law decree item clause gate block
    sector building apt. apt apartment covid type model mark mk tier stage round episode season
    part table channel batch brigade division battalion regiment platoon squadron corps km
    kilometre kilometer mile tel. tel phone fax whatsapp hotline aged age ages usd eur gbp syp rs.
    rs us$""".split()
) | frozenset(
    # Weapon models, letters and a number written apart: "AK 47", "PKM 7", "BM 21".
    "ak akm akms pk pkm pkt rpk rpg bm zu dshk kpv svd sks".split()
)
# Labels of amounts, which a grouped number may follow: "USD 1,500", "km 1,200".
_AMOUNT_LABELS = frozenset(
    """km kilometre kilometer mile aged age ages usd eur gbp syp rs. rs us$ tel. tel phone
    fax""".split()
)
_AMOUNT_SIGNS = frozenset("$€£¥+#")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$")
_LONGEST_MONTH = len("september")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
# "no one", "the one who", "one of the worst": a pronoun, not a count.
# ("in which one civilian was killed" is a count: "which" stays out.)
_ONE_BEFORE = re.compile(r"\b(?:the|every|each|any|no|this|that|at)\s+$")
_ONE_AFTER = re.compile(
    r"\s+(?:another|of\s+(?:the|its|their|his|her|our)\s+(?:\w+st|few|many|main)\b)",
)
# "a 10m wall" is ten metres, not ten million.
_METRES_AFTER = re.compile(
    r"\s+(?:high|long|wide|deep|tall|away|from|radius|above|below|of|in\s+(?:height|length))\b",
)
# A year stays a count only when a counted noun follows it: "2000 people fled".
_COUNTED_AFTER = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:people|persons|families|households|civilians|children|women|men|"
    r"refugees|residents|migrants|soldiers|troops|fighters|militants|homes|houses|were|have|had)\b",
)
# "Ahmed Ali, 45, was killed": a number between commas after a name is an age.
_NAME_COMMA = re.compile(r"[A-Z][a-z]+,\s*$")


# --- exclusions --------------------------------------------------------------------------------


def is_excluded(text: str, number: NumberMatch, *, is_age: bool) -> bool:
    """Whether the number is a year, age, duration, date, time, amount, measure or label."""
    before = text[max(0, number.start - CONTEXT) : number.start]
    after = text[number.end : number.end + CONTEXT]
    if _EXCLUDED_AFTER.match(after) or _is_label(before, grouped="," in number.text):
        return True
    if number.kind == "fraction" or number.kind == "vague":
        return False
    return (
        _is_date(number, before, after)
        or _is_year(number, after)
        or is_age
        or _is_zero_padded(number)
        or _is_pronoun_one(number, before, after)
        or _is_metres(number, after)
    )


def _is_label(before: str, *, grouped: bool = False) -> bool:
    """Whether the text before a number makes it a label, an amount or part of a longer code.

    A `grouped` number ("900,000") is too large for a numbering label: after "round" or
    "phase" it is a count, as in a text that lost its first letters ("round 900,000 people").
    """
    tail = before.rstrip()
    if not tail:
        return False
    last = tail[-1]
    if last in _AMOUNT_SIGNS:
        return True
    if last in _DASHES:
        return len(tail) > 1 and (tail[-2].isalnum() or tail[-2] == ".")  # COVID-19, 2019-12
    if last.isdigit():
        return len(before) - len(tail) == 1  # "0944 123 456": one group of a phone number
    word = tail.rsplit(None, 1)[-1].lstrip("(\"'")
    return word in _AMOUNT_LABELS if grouped else word in _LABELS


def _is_plain_day(number: NumberMatch) -> bool:
    return number.text.isdigit() and 1 <= int(number.text) <= 31


def _is_date(number: NumberMatch, before: str, after: str) -> bool:
    if number.kind == "range":
        parts = _RANGE_PARTS.split(number.text, maxsplit=1)
        first, last = parts[0], parts[-1]
        plain = first.isdigit() and last.isdigit() and int(last) <= 31
        return plain and (_MONTH_AFTER.match(after) is not None or _is_year_range(first, last))
    if not _is_plain_day(number):
        return False
    if _MONTH_AFTER.match(after) is not None:
        return True
    # A month before ends at most a full stop and spaces from the end: search only there.
    near = max(0, len(before.rstrip()) - _LONGEST_MONTH - 1)
    return _MONTH_BEFORE.search(before, near) is not None


def _is_year_range(first: str, last: str) -> bool:
    return len(first) == 4 and 1900 <= int(first) <= 2100


def _is_year(number: NumberMatch, after: str) -> bool:
    if not number.text[:4].isdigit():  # most numbers: no regex needed to tell
        return False
    texts = _DIGIT_RUNS.findall(number.text)
    years = [t for t in texts if len(t) == 4 and 1900 <= int(t) <= 2100]
    if not years or len(years) != len(texts) or not number.text[:4].isdigit():
        return False
    return _COUNTED_AFTER.match(after) is None


def is_age_at(text: str, number: NumberMatch) -> bool:
    """Whether the number sits between commas after a capitalised name: "Ali, 45, was"."""
    if not (number.text.isdigit() and int(number.text) < 120):
        return False
    if not text.startswith(",", number.end):
        return False  # most numbers: no comma after, no need to search for the name
    before = text[max(0, number.start - CONTEXT) : number.start]
    return _NAME_COMMA.search(before) is not None


def _is_pronoun_one(number: NumberMatch, before: str, after: str) -> bool:
    if number.text.lower() != "one":
        return False
    return _ONE_BEFORE.search(before) is not None or _ONE_AFTER.match(after) is not None


def _is_metres(number: NumberMatch, after: str) -> bool:
    is_bare_m = number.text[-1:] in "mM" and "." not in number.text and number.text[:1].isdigit()
    return is_bare_m and _METRES_AFTER.match(after) is not None


def _is_zero_padded(number: NumberMatch) -> bool:
    return len(number.text) > 1 and number.text[0] == "0" and number.text[1].isdigit()
