"""Words that make an event trigger no incident, or less of one.

A possibility, a warning, a plan, a claim, an expectation, fighting a deal ended, a deal that
broke down: no event. Fire that backs a fight, and a deal named as the frame of what a clause
reports, are events of less confidence than the clause's news.
"""

from __future__ import annotations

import re

from sitroom.extract.event_lexicon import GRIEVANCE, PROTEST
from sitroom.extract.prefix_guard import guarded
from sitroom.extract.word_led import WordLedPattern
from sitroom.model import Span

__all__ = ["IRREALIS_WINDOW", "SUPPORT_STRENGTH", "is_irrealis", "is_supporting"]


# Words before a trigger that make it a possibility, a warning or a plan, not an incident.
# "may" next to a number is the month ("9 May 2020", "May 9"), not the modal.
_IRREALIS_WORDS = (
    # "would-be bombers" blew themselves up: an adjective, not the modal.
    r"\b(?:might|could|would(?!-be)|(?<!\d )may(?! \d)|threaten\w*|warn\w*|"
    # Fears of what may come, not "a feared unit", which did what follows.
    r"fear(?:s|ed|ing)?(?= (?:that|of|for|an?|more|further|renewed|new)\b)|risk of|"
    r"plans? to|planning|plott\w*|vow\w* to|call\w* (?:for|on)|calling for|urg\w*|if|unless|"
    r"prevent\w*|"
    r"avoid\w*|without)\b"
)
# What someone is accused of: the accusation, close before the trigger, not the incident
# ("accused of killing"); not a mob that punished a man accused of a crime.
_CLAIM_WORDS = r"\b(?:who (?:claim\w*|say|said|allege\w*)|accus\w* of)\b"
# What is expected or prepared for, close before the trigger, has not happened: "deployed
# in anticipation of protests", "ready to counter an airstrike", "a possible attack".
_EXPECTED_WORDS = (
    r"\b(?:in anticipation of|in preparation for|prepar\w* (?:to|for)|ready to|waiting for|"
    r"(?<!-)await\w*|possible|tasked with)\b"
)
_IRREALIS = WordLedPattern(  # searched in lower-cased text
    guarded(
        _IRREALIS_WORDS + r"[^.;]*$"
        # What someone claims, close before the trigger, is their grievance, not the incident.
        rf"|{_CLAIM_WORDS}[^.;,]{{0,40}}$|{_EXPECTED_WORDS}[^.;,]{{0,60}}$"
        # A riot named after a protest's grievance word is its cause.
        rf"|{PROTEST}[^.;]*?{GRIEVANCE}[^.;,]*$"
    )
)
#: How far before a trigger its irrealis words are looked for: a bound, so a sentence of
#: many triggers costs linear time, and wider than the clauses that carry such words.
IRREALIS_WINDOW = 240
# Words before an agreement trigger that report its end, not its making.
_AGREEMENT_ENDED_AFTER = re.compile(
    r"\s+(?:has |had |was |which )?(?:collapsed|broke down|ended|expired|violated|breached|failed)"
)
_AGREEMENT_ENDED = re.compile(
    r"\b(?:collapse\w* of|broke down|breach\w* of|violat\w*|end of|ended|expir\w*|despite)\b"
    r"[^.;]{0,30}$",
    re.IGNORECASE,
)
_ENDED_FIGHTING = re.compile(r"\b(?:end(?:ed|ing|s)?|an end to)(?: [\w-]+){0,3} $")
# Fire that backs or surrounds a battle ("backed by air strikes", "amid shelling") is not the
# clause's main incident.
_SUPPORTING_WORDS = (
    r"\b(?:amid|under (?:the )?cover of|supported by|backed by|support of|accompanied by|"
    r"with the help of|along with|alongside|in coordination with|"
    # What went on regardless is the news: "seized the town despite a bombing campaign".
    r"despite|in spite of)\b"
)
_SUPPORTING = WordLedPattern(guarded(_SUPPORTING_WORDS + r"[^.;,]*$"))
SUPPORT_STRENGTH = 0.45
# An agreement named as the frame of what the clause reports ("handed over as part of a
# peace deal", "protested over last month's truce", "seized two fields ahead of peace
# talks"): the deal is background, the handover or the protest the news.
_FRAMING = WordLedPattern(
    guarded(
        r"\b(?:under|as part of|ahead of|over|in line with|in accordance with|terms of)\b"
        r"[^.;,]*$"
    )
)


def is_irrealis(lowered: str, clause: Span, span: Span, subtype: str) -> bool:
    """Whether words shortly before a trigger make it a possibility, a warning or a claim.

    Searched in place, within `IRREALIS_WINDOW` characters: not in a copy of all the clause
    before each trigger, which made a long clause of many triggers quadratic.
    """
    start = max(clause.start, span.start - IRREALIS_WINDOW)
    if _IRREALIS.search(lowered, start, span.start):
        return True
    if subtype == "Armed clash":
        # Fighting that a deal or a truce ended is its background: "a deal ending weeks of
        # fighting".
        return (
            _ENDED_FIGHTING.search(lowered, max(clause.start, span.start - 30), span.start)
            is not None
        )
    if subtype != "Agreement":
        return False
    return bool(
        _AGREEMENT_ENDED.search(lowered, start, span.start)
        or _AGREEMENT_ENDED_AFTER.match(lowered, span.end, min(clause.end, span.end + 40))
    )


def is_supporting(lowered: str, clause: Span, span: Span, subtype: str) -> bool:
    """Whether a trigger names fire that backs or surrounds the clause's incident, or an
    agreement that frames it: an event of `SUPPORT_STRENGTH` at most."""
    return _SUPPORTING.search(lowered, max(clause.start, span.start - 30), span.start) or (
        subtype == "Agreement"
        and _FRAMING.search(lowered, max(clause.start, span.start - 40), span.start)
    )
