"""Prefix guards: a lookahead of the letters a large alternation's matches can start with.

Python's regex engine tries every alternative of a pattern at every word, so a table of a
few hundred trigger phrases costs far more than one pass over the text. A guard in front,
built from the pattern itself, rejects at once every word whose first letters start no
alternative; the few words that pass meet the full pattern, so matches are unchanged.

The prefixes are read from the pattern's parse tree (`re._parser`) as sequences of character
sets. Whatever the reader does not understand stands for "any character", so a guard can only
be too wide, never too narrow; where the parser cannot be loaded there is no guard at all.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "DEPTH",
    "FIRST_CLASS_BRANCHES",
    "HintedPattern",
    "Prefix",
    "TwinPattern",
    "guarded",
    "match_prefixes",
]

#: One position of a prefix: the characters it may hold, or None for any character at all.
Position = frozenset[str] | None
#: The first positions of a match; one ending in None may go on with anything.
Prefix = tuple[Position, ...]

#: Positions a guard looks ahead: on news text six was a fifth faster than four, thrice two.
DEPTH = 6
#: Alternatives at the first position from which a class of their first letters in front pays:
#: on news text it made guards with 11 to 35 of them 2-27% faster and cost those with 2 to 5.
FIRST_CLASS_BRANCHES = 10
_RANGE_LIMIT = 64
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
# What `\s` matches in a str pattern: the characters for which `str.isspace()` holds.
_SPACES = frozenset(
    "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Letters that match more than their upper and lower case when case is ignored.
_EXTRA_CASES = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}

try:
    _PARSER: Any = importlib.import_module("re._parser")
    _OPS: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - a Python whose regex internals moved
    _PARSER = _OPS = None


def match_prefixes(pattern: str, depth: int = DEPTH, flags: int = 0) -> frozenset[Prefix] | None:
    """The first `depth` positions of every match of `pattern` (fewer where one may end).

    None when the pattern cannot be read.
    """
    if _PARSER is None:
        return None
    try:
        parsed = _PARSER.parse(pattern, flags)
        nocase = bool(parsed.state.flags & re.IGNORECASE)
        return frozenset(_Reader(depth).sequence(_items(parsed), nocase))
    except (re.error, AttributeError, TypeError, ValueError):  # pragma: no cover - internals
        return None


def guarded(pattern: str, depth: int = DEPTH, flags: int = 0) -> str:
    """`pattern` behind a lookahead admitting only the prefixes its matches start with.

    The pattern alone when no guard helps: a match may be empty or start with anything.
    Compile the result with the same `flags`.
    """
    if _GLOBAL_FLAGS.match(pattern):
        return pattern  # inline flags must open the pattern: pass them as `flags` instead
    prefixes = match_prefixes(pattern, depth, flags)
    if prefixes is None or any(not p or p[0] is None for p in prefixes):
        return pattern
    trie = _trie(prefixes)
    parts = _node_parts(trie)
    guard = _alternation(parts)
    if len(parts) >= FIRST_CLASS_BRANCHES:
        # The engine tries the alternatives one by one at every word; one character class
        # of all their first letters in front rejects most words in a single step.
        first = set().union(*(position or () for position in trie))
        return f"(?={_class(first)})(?={guard})(?:{pattern})"
    return f"(?={guard})(?:{pattern})"


def _case_variants(chars: frozenset[str]) -> Position:
    """Every character the set matches when case is ignored; None if one is not ASCII."""
    variants: set[str] = set()
    for ch in chars:
        if not ch.isascii():
            return None
        low = ch.lower()
        variants.update((low, ch.upper(), *_EXTRA_CASES.get(low, "")))
    return frozenset(variants)


class _Reader:
    """Reads the prefixes of a parsed pattern, cut to `depth` positions."""

    def __init__(self, depth: int) -> None:
        self.depth = depth

    def _done(self, prefix: Prefix) -> bool:
        return len(prefix) >= self.depth or (bool(prefix) and prefix[-1] is None)

    def concat(self, heads: set[Prefix], tails: set[Prefix]) -> set[Prefix]:
        joined: set[Prefix] = set()
        for head in heads:
            if self._done(head):
                joined.add(head)
            else:
                joined.update((head + tail)[: self.depth] for tail in tails)
        return joined

    def sequence(self, items: list[tuple[Any, Any]], nocase: bool) -> set[Prefix]:
        prefixes: set[Prefix] = {()}
        for op, arg in items:
            if all(self._done(p) for p in prefixes):
                break
            prefixes = self.concat(prefixes, self.item(op, arg, nocase))
        return prefixes

    def item(self, op: Any, arg: Any, nocase: bool) -> set[Prefix]:
        """What one parsed item can match, cut to `depth` positions."""
        if op is _OPS.LITERAL or op is _OPS.IN:
            chars = frozenset(chr(arg)) if op is _OPS.LITERAL else _charset(arg)
            return {((_case_variants(chars) if nocase and chars else chars),)}
        if op in (_OPS.AT, _OPS.ASSERT, _OPS.ASSERT_NOT):
            return {()}  # zero-width: a lookaround only narrows, so leaving it out is safe
        if op is _OPS.SUBPATTERN:
            _group, add_flags, del_flags, items = arg
            nocase = bool(add_flags & re.IGNORECASE) or (nocase and not del_flags & re.IGNORECASE)
            return self.sequence(_items(items), nocase)
        if op is _OPS.BRANCH:
            return set().union(*(self.sequence(_items(items), nocase) for items in arg[1]))
        if op in (_OPS.MAX_REPEAT, _OPS.MIN_REPEAT):
            return self.repeat(arg, nocase)
        return {(None,)}

    def repeat(self, arg: tuple[int, int, Any], nocase: bool) -> set[Prefix]:
        low, high, items = arg
        once = self.sequence(_items(items), nocase)
        if low > self.depth and () in once:
            return {(None,)}
        prefixes: set[Prefix] = {()}
        for _ in range(min(low, self.depth)):
            prefixes = self.concat(prefixes, once)
        found = set(prefixes)
        for _ in range(min(high - low, self.depth)):
            prefixes = self.concat(prefixes, once)
            found |= prefixes
        return found


def _items(subpattern: Any) -> list[tuple[Any, Any]]:
    # A parsed subpattern keeps its items in `data`; reading them one by one is slower.
    items: list[tuple[Any, Any]] = getattr(subpattern, "data", subpattern)
    return items


def _charset(members: list[tuple[Any, Any]]) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, arg in members:
        if op is _OPS.LITERAL:
            chars.add(chr(arg))
        elif op is _OPS.RANGE and arg[1] - arg[0] < _RANGE_LIMIT:
            chars.update(chr(code) for code in range(arg[0], arg[1] + 1))
        elif op is _OPS.CATEGORY and arg is _OPS.CATEGORY_SPACE:
            chars |= _SPACES
        else:
            return None  # another category (\w, \d) or a negated set
    return frozenset(chars)


def _trie_pattern(prefixes: frozenset[Prefix]) -> str:
    """One alternation for the prefixes, nested by shared positions so a wrong one fails fast."""
    return _node_pattern(_trie(prefixes))


def _trie(prefixes: frozenset[Prefix]) -> dict[Position, Any]:
    trie: dict[Position, Any] = {}
    for prefix in prefixes:
        node = trie
        for position in prefix:
            if position is None:
                break
            node = node.setdefault(position, {})
        node[None] = {}  # a prefix ends here: whatever follows is the pattern's business
    return trie


def _node_pattern(node: dict[Position, Any]) -> str:
    if None in node:
        return ""
    return _alternation(_node_parts(node))


def _node_parts(node: dict[Position, Any]) -> list[str]:
    """The alternatives of a node that holds no prefix's end."""
    # Positions leading to the same rest share one character class: "[\s-]half".
    by_rest: dict[str, set[str]] = {}
    for position, child in node.items():
        by_rest.setdefault(_node_pattern(child), set()).update(position or ())
    return [_class(chars) + rest for rest, chars in sorted(by_rest.items())]


def _alternation(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _class(chars: set[str]) -> str:
    if len(chars) == 1:
        return re.escape(next(iter(chars)))
    spaces = chars >= _SPACES
    rest = sorted(chars - _SPACES) if spaces else sorted(chars)
    if spaces and not rest:
        return "\\s"
    return "[" + ("\\s" if spaces else "") + "".join(re.escape(ch) for ch in rest) + "]"


# Characters `\s` matches in a str pattern but not under re.ASCII.
_UNICODE_ONLY_SPACES = ("\x1c", "\x1d", "\x1e", "\x1f")
#: How many texts `_ascii_only` remembers: an article's text and its folded and lowered forms.
_KNOWN_TEXTS = 8
#: The texts last asked about, with their answers, newest first; replaced whole, never
#: changed in place, so that threads cannot see it half-written.
_known: tuple[tuple[str, bool], ...] = ()


def _ascii_only(text: str) -> bool:
    """Whether `text` is ASCII without the separators only Unicode `\\s` matches.

    Patterns ask about the same few texts (an article and its folded forms) clause after
    clause, in turn: each answer is kept, since finding it reads the whole text, and asking
    once per clause made a long article's extraction quadratic. The texts kept (eight at
    most) stay alive until newer ones push them out.
    """
    global _known
    for known, answer in _known:
        if known is text:
            return answer
    answer = text.isascii() and not any(ch in text for ch in _UNICODE_ONLY_SPACES)
    _known = ((text, answer), *_known[: _KNOWN_TEXTS - 1])
    return answer


class TwinPattern:
    """A pattern compiled twice: as written, and with re.ASCII for texts of ASCII only.

    On ASCII text the two find the same matches (`\\s` aside, whose four ASCII separators
    only the first matches: a text holding one takes the first), and the ASCII twin tests
    word boundaries without Unicode look-ups: a fifth faster on news text. Each is compiled
    when a text first needs it: the large ones take tens of milliseconds, and a process that
    reads only ASCII never needs the first.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.source = pattern
        self.flags = flags
        self._unicode: re.Pattern[str] | None = None
        self._ascii: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        """The pattern compiled as written."""
        if self._unicode is None:
            self._unicode = re.compile(self.source, self.flags)
        return self._unicode

    @property
    def ascii(self) -> re.Pattern[str]:
        """The pattern compiled with re.ASCII."""
        if self._ascii is None:
            self._ascii = re.compile(self.source, (self.flags & ~re.UNICODE) | re.ASCII)
        return self._ascii

    def for_text(self, text: str) -> re.Pattern[str]:
        """The compiled pattern to run on `text`."""
        # The compiled forms read directly once they exist: this runs for every clause.
        if _ascii_only(text):
            return self._ascii or self.ascii
        return self._unicode or self.pattern

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        """`re.Pattern.finditer` with the twin that suits `text`."""
        pattern = self.for_text(text)
        return (
            pattern.finditer(text, pos) if endpos is None else pattern.finditer(text, pos, endpos)
        )


class HintedPattern:
    """A pattern run only where one of its prefixes occurs, found by a scan that skips the rest.

    Python's regex engine tries a pattern at every position of a text; a pattern that starts
    with literal letters is instead found by a fast scan for its first letters. The hint is
    such a pattern, built from the prefixes: where it matches, the full pattern is tried. For
    patterns whose prefixes are rare in text ("no casualties", "according to"), this halves
    the time; for those whose prefixes are common, `guarded` is the better tool.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = re.compile(pattern, flags)
        prefixes = None if _GLOBAL_FLAGS.match(pattern) else match_prefixes(pattern, flags=flags)
        usable = prefixes is not None and all(p and p[0] is not None for p in prefixes)
        self.hint = re.compile(_hint_pattern(prefixes)) if prefixes and usable else None

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        """The matches `re.Pattern.finditer` finds, in order."""
        end = len(text) if endpos is None else endpos
        if self.hint is None:
            yield from self.pattern.finditer(text, pos, end)
            return
        search, match = self.hint.search, self.pattern.match
        while (hint := search(text, pos, end)) is not None:
            found = match(text, hint.start(), end)
            if found is None:
                pos = hint.start() + 1
                continue
            yield found
            pos = found.end()  # a prefix is never empty, so neither is a match


def _hint_pattern(prefixes: frozenset[Prefix]) -> str:
    """The prefixes as one alternation with a plain letter first in every branch.

    A branch that starts with a character class would make the engine try every position.
    """
    rests: dict[str, set[Prefix]] = {}
    for prefix in prefixes:
        for ch in prefix[0] or ():
            rests.setdefault(ch, set()).add(prefix[1:])
    return "|".join(
        re.escape(ch) + _trie_pattern(frozenset(tails)) for ch, tails in sorted(rests.items())
    )
