"""Who reported a figure: reporting cues in the text and the normalised sources they name.

A cue is "according to X", "X said" or "X's figures"; `resolve_cue` reads the X it names and
maps the ways reports write an agency ("the UN refugee agency", "UNHCR") to one name.
"""

from __future__ import annotations

import re

from sitroom.extract.figure_lexicon import NOT_NAMES, SOURCES
from sitroom.extract.prefix_guard import HintedPattern, guarded
from sitroom.model import Span

__all__ = ["CUE_PATTERN", "CUE_RE", "resolve_cue"]

#: Reporting cues, each at a word boundary: "according to X", "X said", "X's figures".
CUE_PATTERN = (
    r"according\s+to\b|'s\s+(?:figures|data|estimates?|count|tally|statistics)\b|"
    r"(?:said|says|say|told|tells|reported|reports|stated|states|announced|estimated|estimates|"
    r"confirmed|documented|recorded|counted|registered|warned|added|noted|tweeted|claimed)\b"
)
CUE_RE = HintedPattern(rf"(?=[acdenrstw'])\b(?:{CUE_PATTERN})")
# Every source name starts a word; the guard passes only words that start one.
_SOURCE_RE = re.compile(
    r"\b"
    + guarded("(?:" + "|".join(f"(?:{p})(?P<s{i}>)" for i, (_, p) in enumerate(SOURCES)) + ")")
)
_NAME_RE = re.compile(r"(?P<name>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})\s*,?\s*$")
_OBJECT_END_RE = re.compile(r"[,.;:(]")
_ARTICLE_RE = re.compile(r"\s+(?:the\s+)?")
_LEADING_NAME_RE = re.compile(r"([A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})")


def resolve_cue(text: str, sentence: Span, cue: tuple[int, int]) -> str | None:
    """The normalised source a reporting cue names: "according to X", "X said", "X's figures"."""
    start, end = cue
    if text[start:end].lower().startswith("according"):
        after = text[end : min(sentence.end, end + 80)]
        obj = _OBJECT_END_RE.split(after, maxsplit=1)[0]
        return _source_in(obj, last=False) or _name_in(obj.strip() + " ")
    chunk = _subject_chunk(text[max(sentence.start, start - 80) : start])
    return _source_in(chunk, last=True) or _name_in(chunk) or _inverted_source(text, sentence, end)


def _subject_chunk(before: str) -> str:
    """The words before a reporting verb back to the last break, keeping an appositive name."""
    stripped = before.rstrip().rstrip(",")
    cut = max(
        stripped.rfind(";"),
        stripped.rfind(":"),
        stripped.rfind('"'),
        stripped.rfind("("),
        stripped.rfind(","),
    )
    return stripped[cut + 1 :]


def _inverted_source(text: str, sentence: Span, end: int) -> str | None:
    """ "..., said the UN" or "..., said Dujarric": the source after the verb."""
    after = text[end : min(sentence.end, end + 60)]
    match = _ARTICLE_RE.match(after)
    rest = after[match.end() if match else 0 :]
    source = _SOURCE_RE.match(rest)
    if source is not None and source.lastgroup is not None:
        return SOURCES[int(source.lastgroup[1:])][0]
    name = _LEADING_NAME_RE.match(rest)
    if name is None or name.group(1) in NOT_NAMES:
        return None
    return name.group(1).rstrip(".,")


def _source_in(chunk: str, *, last: bool) -> str | None:
    matches = [m for m in _SOURCE_RE.finditer(chunk) if m.lastgroup is not None]
    if not matches:
        return None
    chosen = matches[-1] if last else matches[0]
    return SOURCES[int(str(chosen.lastgroup)[1:])][0]


def _name_in(chunk: str) -> str | None:
    match = _NAME_RE.search(chunk)
    if match is None:
        return None
    words = match.group("name").split()
    while words and words[0] in NOT_NAMES:
        words = words[1:]
    return " ".join(words).rstrip(".,") or None
