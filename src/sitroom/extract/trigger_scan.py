"""Trigger scan: where the rows of the trigger table match in a lower-cased text.

One pattern holds the whole table (`event_lexicon.TRIGGER_TABLE`), each row named by an empty
group at its end; at one position the earlier row's alternative wins. A document is scanned
once, in stretches between full stops and semicolons (no row's words run over a stop):

- where a protest word and a word of how a protest went are both named, with the whole table;
- elsewhere without the alternatives that pair the two (`PAIRED`), which cannot match there
  and are the table's slowest to fail. Its word starts are found by the table's guard
  (`prefix_guard`), led by the space before the word in a spaced copy of an ASCII text (by
  the character before it in any other); at each, only the alternatives that can start with
  the word's first letter are tried, in the table's order: the same match, for a tenth of
  the alternatives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sitroom.extract.event_lexicon import OUTCOME_WORDS, PAIRED, PROTEST_LETTERS, TRIGGER_TABLE
from sitroom.extract.prefix_guard import TwinPattern, guarded, match_prefixes

__all__ = ["ROWS", "RowMatch", "alternatives", "clause_matches", "scan_triggers"]

#: A match of the trigger table: where it starts and ends, and its row (the group that ends it).
RowMatch = tuple[int, int, str | None]
#: Each row's marker and strength by the name of the group that ends it.
ROWS: dict[str | None, tuple[str, float]] = {
    f"t{i}": (marker, strength) for i, (marker, _, strength) in enumerate(TRIGGER_TABLE)
}
# A word starts after, and ends before, no letter, digit or hyphen. The leading `\b` is implied
# by the look-behind but rejects the inside of a word in one step.
_WORD_START = r"\b(?<![\w-])"
_WORD_END = r"(?![\w-])"


def _table(rows: Iterable[tuple[int, str]]) -> str:
    """Numbered rows as one alternation, each row named by an empty group at its end.

    Not a group around it: the regex engine rejects an alternative that starts with a wrong
    letter at once, but must enter one that starts with a group, and the table was a third
    slower so. One pattern for the whole table is three times faster than one per row.
    """
    return "(?:" + "|".join(f"(?:{pattern})(?P<t{i}>)" for i, pattern in rows) + ")"


# The guard turns away, in a few steps, every word whose first letters start no row.
_TRIGGERS = TwinPattern(
    _WORD_START
    + guarded(_table((i, pattern) for i, (_, pattern, _) in enumerate(TRIGGER_TABLE)))
    + _WORD_END
)
# The rows without their alternatives that pair a protest word with how it went.
_UNPAIRED_ROWS = tuple(
    (i, pattern.removesuffix(PAIRED[marker]).removesuffix("|") if marker in PAIRED else pattern)
    for i, (marker, pattern, _) in enumerate(TRIGGER_TABLE)
    if PAIRED.get(marker) != pattern
)
# A word of how a protest went, anywhere: `PAIRED` reads them inside words too.
_OUTCOME = TwinPattern(guarded(f"(?:{OUTCOME_WORDS})"))


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression, as written: joined by "|", they
    are the pattern again."""
    parts: list[str] = []
    depth, start, at, in_class = 0, 0, 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A "]" first in a class, or after its "^", is a member, not the class's end.
            at += (
                2
                if pattern.startswith("^]", at + 1)
                else 1
                if pattern.startswith("]", at + 1)
                else 0
            )
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:at])
            start = at + 1
        at += 1
    parts.append(pattern[start:])
    return parts


def _first_letters(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with; None when it cannot tell."""
    prefixes = match_prefixes(pattern, depth=1)
    if prefixes is None or any(not p or p[0] is None for p in prefixes):
        return None
    return frozenset().union(*(p[0] for p in prefixes if p[0] is not None))


def _by_first_letter(rows: Iterable[tuple[int, str]]) -> dict[str, TwinPattern]:
    """For each letter, the rows' alternatives that can start with it, in the table's order,
    each row's still named by the group at its end; "" for those that can start with any."""
    split = [
        (i, alternative, _first_letters(alternative))
        for i, pattern in rows
        for alternative in alternatives(pattern)
    ]
    letters = set().union(*(firsts for _, _, firsts in split if firsts))
    tables = {}
    for letter in (*sorted(letters), ""):
        kept: list[tuple[int, list[str]]] = []
        for i, alternative, firsts in split:
            if firsts is not None and letter not in firsts:
                continue
            if kept and kept[-1][0] == i:
                kept[-1][1].append(alternative)
            else:
                kept.append((i, [alternative]))
        if kept:
            rows_of_letter = _table((i, "|".join(alts)) for i, alts in kept)
            tables[letter] = TwinPattern(_WORD_START + rows_of_letter + _WORD_END)
    return tables


def _guard(pattern: str) -> str:
    """The look-ahead `guarded` puts in front of `pattern`: empty where none helps."""
    return guarded(pattern).removesuffix(f"(?:{pattern})")


_UNPAIRED_BY_LETTER = _by_first_letter(_UNPAIRED_ROWS)
_UNPAIRED_GUARD = _guard(_table(_UNPAIRED_ROWS))
# Where a word may start an unpaired alternative: its guard, led by the character before the
# word. A pattern that starts with a character class is tried only where the class matches
# (the regex engine scans for one), one that starts with a look-behind at every position.
_UNPAIRED_WORD = TwinPattern(r"[^\w-]" + _UNPAIRED_GUARD)


def _spacing() -> tuple[bytes, tuple[re.Pattern[str], ...]]:
    """How an ASCII text is spaced for the guard, and the guard led by each character that
    may stand before a word in the spaced copy.

    The copy makes every white space and every other character neither a letter, a digit,
    nor one the guard reads a space: a scan led by a literal space then finds word starts,
    where one led by a class tests every character against it. Where the guard passes on the
    text, it passes on the copy too; where it passes on the copy only, the word's
    alternatives find no match.
    """
    read: set[str] = set()
    for prefix in match_prefixes(_table(_UNPAIRED_ROWS)) or ():
        read.update(*(position for position in prefix if position is not None))
    kept = {ch for ch in read if ch.isascii() and not ch.isalnum() and not ch.isspace()}
    table = bytearray(range(256))
    for code in range(128):
        char = chr(code)
        if not (char.isalnum() or char == "_" or char in kept):
            table[code] = ord(" ")
    # Not after a hyphen: no word starts there (`_WORD_START`).
    leads = " " + "".join(sorted(kept - {"_", "-"}))
    return bytes(table), tuple(re.compile(re.escape(lead) + _UNPAIRED_GUARD) for lead in leads)


_SPACED, _SPACED_WORDS = _spacing()


def scan_triggers(lowered: str) -> list[RowMatch]:
    """Every match of the trigger table in a lower-cased text, in text order."""
    found: list[RowMatch] = []
    # Through bytes: `bytes.translate` reads a flat table, several times faster than `str`'s.
    spaced = lowered.encode("ascii").translate(_SPACED).decode() if lowered.isascii() else None
    scanned = 0  # where the text is scanned up to
    for start, end in _paired_stretches(lowered):
        found += _unpaired_matches(lowered, spaced, scanned, start)
        found += clause_matches(lowered, start, end)
        scanned = end
    found += _unpaired_matches(lowered, spaced, scanned, len(lowered))
    return found


def clause_matches(lowered: str, start: int, end: int) -> list[RowMatch]:
    """The whole table's matches in `lowered[start:end]`."""
    matches = _TRIGGERS.for_text(lowered).finditer(lowered, start, end)
    return [(match.start(), match.end(), match.lastgroup) for match in matches]


def _paired_stretches(lowered: str) -> list[tuple[int, int]]:
    """The stretches between stops (full stops, semicolons) that may name a protest and how
    it went, in order: each from the character after a stop to the next stop."""
    stretches: set[tuple[int, int]] = set()
    outcome = _OUTCOME.for_text(lowered)
    for letters in PROTEST_LETTERS:
        at = lowered.find(letters)
        while at >= 0:
            start = 1 + max(lowered.rfind(".", 0, at), lowered.rfind(";", 0, at))
            stops = [i for i in (lowered.find(".", at), lowered.find(";", at)) if i >= 0]
            end = min(stops, default=len(lowered))
            if outcome.search(lowered, start, end):
                stretches.add((start, end))
            at = lowered.find(letters, end)
    return sorted(stretches)


def _unpaired_matches(lowered: str, spaced: str | None, start: int, end: int) -> list[RowMatch]:
    """The table's matches in `lowered[start:end]`, where no protest is named with how it
    went: at each word start that passes the guard (on `spaced`, the ASCII text's spaced
    copy, when there is one), the alternatives of its first letter."""
    found: list[RowMatch] = []
    if start == 0:
        # The text's first word has no character before it: the whole table, the same there.
        first = _TRIGGERS.for_text(lowered).match(lowered, 0, end)
        if first is not None:
            found.append((0, first.end(), first.lastgroup))
            start = first.end()
    scanned = start
    for at in _word_starts(lowered, spaced, start, end):
        if at < scanned:
            continue  # inside the last match
        table = _UNPAIRED_BY_LETTER.get(lowered[at]) or _UNPAIRED_BY_LETTER.get("")
        match = table.for_text(lowered).match(lowered, at, end) if table else None
        if match is not None:
            found.append((at, match.end(), match.lastgroup))
            scanned = match.end()
    return found


def _word_starts(lowered: str, spaced: str | None, start: int, end: int) -> list[int]:
    """Where words that pass the unpaired table's guard start in `lowered[start:end]`,
    after a character at `start` or later."""
    if spaced is None:
        return [m.end() for m in _UNPAIRED_WORD.for_text(lowered).finditer(lowered, start, end)]
    starts = [m.end() for lead in _SPACED_WORDS for m in lead.finditer(spaced, start, end)]
    if len(_SPACED_WORDS) > 1:
        starts.sort()
    return starts
