"""Not places: the rules that keep demonyms, people, organisations and common words out.

A capitalised word the gazetteer knows is still not a place when it reads as a demonym
("Syrian"), part of a longer name ("Bashar al Assad", "Toronto Police", "Manila Archbishop"),
a person ("Mrs. Lincoln", "coach Ripley", "Kelly said"), a capital speaking for its government
("Moscow said"), a word that opens a sentence ("Maybe"), a surname the article gives in full
elsewhere ("Kristina Kelly" ... "Kelly"), a clan or armed group ("the Dir clan", "Jaish
al-Islam", "Al Sham Division"), a people ("a Roma camp"), or one word of a longer Persian name
("Maskan-e Mehr").
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from functools import cache, lru_cache

from sitroom.data import data_path
from sitroom.extract import gazetteer as gaz
from sitroom.extract.place_evidence import name_kinds

__all__ = [
    "ADMIN_CUES",
    "FUNCTION_WORDS",
    "LOCAL_FEATURES",
    "NEXT_WORD",
    "TOKEN",
    "common_words",
    "in_compound",
    "is_demonym",
    "is_other_use",
    "is_surname",
    "reads_as_name",
    "surnames",
]

# Lower-case words allowed inside a place name ("Maaret al Numan", "Bosnia and Herzegovina",
# "Port-au-Prince", "Frankfurt am Main", "Bergen op Zoom", "Ústí nad Labem"). Not those that
# end names or are names themselves, as a particle cannot end a name: "Rio Grande do Sul",
# "Van", "Hebei" in "He bei".
_PARTICLES = frozenset(
    "al el an ad as ash ar at az ad ed es et ez adh ath and de del della der des di du da "
    "dos das do la le les los of the on upon sur en bin ibn bani y i e au aux sous am im "
    "zum zur den dem op aan nad pod".split()
)


# Capitalised words that may stand before a place name without making it another name.
_MODIFIERS = frozenset(
    "north south east west northern southern eastern western northeastern northwestern "
    "southeastern southwestern central greater upper lower old rural in at from to the and "
    "near of outside across into inside northeast northwest southeast southwest far mid metro "
    "metropolitan downtown uptown midtown historic coastal suburban inner outer saharan".split()
)


# Words after a place name that make the whole an organisation, not a place.
_ORGANISATION_HEADS = frozenset(
    "newspaper daily agency ministry observatory times post herald tribune journal television "
    "tv radio news airlines airways university college club fc party front council government "
    "army police forces guard brigade brigades battalion regiment media network company bank "
    "institute foundation committee commission league movement group authority authorities "
    "embassy consulate federation association administration clan clans tribe tribes "
    "tribesmen militia militias corps legion faction".split()
)


# Arabic words that open an armed group's or a movement's name before the place it names:
# "Jaish al-Islam" (army), "Liwa al-Quds" (brigade), "Ahrar al-Sham", "Jabhat al-Nusra".
_ARABIC_ORGANISATION_HEADS = frozenset(
    "jaish jaysh liwa liwaa ahrar faylaq failaq jabhat jabhet harakat harakah kataib saraya "
    "jund ansar tahrir firqat fawj usud asaib tajammu".split()
)


# "Al Sham Division", "Hamza Division": a capitalised Division after a name that is no area
# names a unit of fighters ("Dhaka Division" is an area, and the gazetteer says so).
# "the Dir sub-clan" is a lineage within a clan.
_UNIT_INITIALS = frozenset("DsS")
_UNIT_AFTER = re.compile(r"[ \t]+(?:Division|(?i:sub-?(?:clans?|tribes?)))\b")


# A Persian ezafe joining the name to a word before or after it ("Maskan-e Mehr", "Pul-e-
# Charkhi", "Kut e Abdollah"): one longer name that the gazetteer lacks, not the town.
_EZAFE_VOWELS = frozenset("eiy")
_EZAFE_AFTER = re.compile(r"(?:-(?:e|ye|i|yi)[- \t]|[ \t]e[ \t])[A-Z]")
_EZAFE_BEFORE = re.compile(r"[A-Za-z](?:-(?:e|ye|i|yi)|[ \t]e)[- \t]\Z")


# Bodies of a place that, written in lower case, leave the place a place ("London police").
_PLACE_BODIES = frozenset(
    "police government army forces authorities authority council guard army".split()
)


ADMIN_CUES = re.compile(
    r"\s*(province|governorate|governorates|provinces|state|region|oblast|prefecture|county|"
    r"district|department|division|territory)\b",
    re.IGNORECASE,
)


_ASCII_LETTERS = string.ascii_letters


_SPEAKER_VERBS = frozenset("said says recalled added explained asked wrote".split())


# Prepositions after which a name is where something is, not who acts: "officials in Ohio say".
_LOCATIVES = frozenset("in at from near outside across throughout inside around".split())


# Titles written abbreviated: "Gen. Smith". Any other title word ending in a full stop ends a
# sentence ("... Municipal Court Judge. Columbus attorney ...").
_ABBREVIATED_TITLES = frozenset(
    "mr mrs ms dr sen rep gov sgt lt capt cpt col gen maj rev prof det const st".split()
)


# Words before a name that make it a person's: "Mrs. Lincoln", "Pope Francis", "coach Ripley".
_PERSON_TITLES = frozenset(
    "mr mrs ms miss dr pope coach sen senator rep gov judge justice officer const constable "
    "sgt sergeant lt capt captain cpt col colonel gen general maj major rev reverend father "
    "sister brother prof professor sir lady lord king queen prince princess sheikh imam "
    "president minister detective det deputy chancellor mayor governor st saint".split()
)


_SPEECH_AFTER = re.compile(
    r"\s+(said|says|say|warned|denied|accused|announced|insisted|claimed|rejected|"
    r"responded|called|demanded|urged|has said|had said)\b"
)


_AREA_WORDS = frozenset(
    "county township parish river creek province governorate state region oblast district "
    "prefecture municipality city town village camp valley hills heights market complex "
    "hall estate area".split()
)


TOKEN = re.compile(r"[^\s-]+")


# A number after a name, not one counting something after it ("Earth 13 days later").
_NUMBER_AFTER = re.compile(
    r"[ \t]+(?:No\.[ \t]*)?\d+[A-Za-z]*\b(?![.,:/]\d)(?![ \t]+(?!and\b|or\b)[a-z])"
)


# "US dollars", "Hong Kong dollar": a country or town naming a currency, not a place.
_CURRENCY_AFTER = re.compile(
    r"[ \t-]+(?:dollars?|cents?|pounds?|euros?|dinars?|rials?|riyals?|rupees?|pesos?|francs?)\b"
)


# "a Makarov pistol", "Grad rockets": a weapon named after a person or a maker, not a town.
_WEAPON_AFTER = re.compile(
    r"[ \t-]+(?:rifles?|pistols?|guns?|machine[ \t-]?guns?|missiles?|rockets?|launchers?|"
    r"grenades?|mortars?|howitzers?|drones?|assault[ \t]+rifles?|sniper[ \t]+rifles?)\b"
)


#: Compass and position words that name first-level areas in French, Spanish and Portuguese
#: ("Ouest" in Haiti, "Oriental" in Morocco), but in a report mostly say where in a country.
COMPASS_WORDS = frozenset(
    "nord sud est ouest nord-ouest nord-est sud-ouest sud-est oriental orientale occidental "
    "occidentale septentrional meridional norte oeste este".split()
)


# "WELCH — The council met": a town in capitals opening a report, not an acronym.
_DATELINE_DASH = re.compile(r"[ \t]*(?:—|–|--?)[ \t]+(?=[A-Z\"“])")


_SAINT_BEFORE = re.compile(r"\b(?:St\.?|Saint)[ \t]+\Z")


_AMPERSAND_AFTER = re.compile(r"[ \t]*&[ \t]*[A-Z]")


_AMPERSAND_BEFORE = re.compile(r"[A-Za-z.][ \t]*&[ \t]*\Z")


# The capitalised word joined to a name by a hyphen, after it or before it: "Wal-Mart".
_HYPHEN_AFTER = re.compile(r"-([A-Z][a-z][\w'’]+)")


_HYPHEN_BEFORE = re.compile(r"\b([A-Z][a-z][\w'’]+)-$")


# "We're", "I've", "He's": a pronoun and a verb, never a name (loose keys drop the apostrophe).
_CONTRACTION = re.compile(r"['’](?:re|ve|ll|d|m|t|s)$", re.IGNORECASE)


_CONTRACTED = re.compile(r"(?:t|re|ve|ll|d|m)\b", re.IGNORECASE)


# English words that open a clause but never a person's name.
FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet if because though although while whereas when where why "
    "how what which who whom whose whether that this these those there here then now once "
    "also even only just still already always never often sometimes soon perhaps maybe "
    "indeed thus hence therefore however meanwhile instead otherwise overall anyway later "
    "earlier today yesterday tomorrow tonight another other every each both all many most "
    "much more less few several some any no none such same own last next first second "
    "third is are was were be been has have had do does did will would can could should "
    "may might must not than too very about above across after against along amid among "
    "around before behind below beneath beside besides between beyond by despite down "
    "during except following for from in inside into like near of off on onto outside over "
    "past per since through throughout toward towards under unlike until up upon via with "
    "within without i we you he she it they my our your his her its their me us him them "
    "let please thanks thank yes".split()
)


# "in Greer", "outside Lombard": a name used as a location ("in Kelly's view" is not one).
# One pattern per preposition, each opening with its word, which `re` finds by a fast literal
# search; `(?<!\win)` after "in" is the `\b` before it. An alternation of the four, opening
# with `\b`, was tried at every offset and cost three times as much.
_LOCATED_NAMES = tuple(
    re.compile(rf"{word}(?<!\w{word})[ \t]+([A-Z][a-z]{{2,}})\b(?!['’])")
    for word in ("in", "near", "outside", "throughout")
)


# `[A-Z](?<!\w[A-Z])` is `\b[A-Z]`, written to open with the capital, which `re` scans for in C.
# Possessive (`++`): a run of letters or spaces given back never lets the rest match. A
# surname may open with Mc or Mac before its capital ("Conor McGregor").
_PERSON_LIKE = re.compile(
    r"([A-Z](?<!\w[A-Z])[a-z]++)[ \t]++(?:(?:[A-Z]\.|[A-Z][a-z]++)[ \t]++)?"
    r"((?:Ma?c)?[A-Z][a-z]{2,}+)\b"
)


# The word after a name, on the same line, skipping an article ("Bashar al Assad",
# "Madinat as Saleh"); an article that is an English word too ("as", "at") is checked again
# when the word after it is a demonym: "Syria as Turkish forces" is not one name.
NEXT_WORD = re.compile(
    r"[ \t]+(?:(?:al|el|ash|ar|az|bin|ibn|abu|bint)[ -]|(?:an|ad|as|at)[ -](?=[A-Z][a-z]+\b))?"
    r"([A-Za-z]+)"
)


_IRREGULAR_DEMONYMS = frozenset(
    "turkish british french dutch swiss afghan welsh scottish irish spanish danish swedish "
    "finnish polish greek thai lebanese filipino kurd kurdish arab arabian emirati saudi "
    "yemeni omani qatari bahraini kuwaiti iraqi iranian persian congolese malian burkinabe "
    "nigerien chadian sudanese somali ethiopian eritrean kenyan ugandan rwandan burundian "
    "mozambican haitian israeli palestinian syrian russian ukrainian armenian azerbaijani "
    "azeri georgian belarusian american european african asian western "
    # peoples no country is named after: "a Roma camp", "Druze villagers"
    "roma romani druze yazidi yezidi alawite pashtun tuareg "
    # languages, which some village is named after: "she spoke only French and Farsi"
    "arabic farsi dari pashto urdu hindi bengali swahili hausa amharic tigrinya hebrew".split()
)


_DEMONYM_ENDINGS = ("an", "ian", "ean", "ese", "i", "ish", "ic")


# Words after a place name that make it a modifier of a person or office, not part of a name:
# "U.S. President Donald Trump", "Kentucky Attorney General", "Gainesville Mayor".
_TITLES = frozenset(
    "president vice senator sen rep representative congressman congresswoman governor gov "
    "lieutenant lt attorney mayor sheriff secretary minister prime chancellor ambassador envoy "
    "officials official authorities lawmakers leader leaders delegation democrat democrats "
    "republican republicans".split()
)


# Local features named after a place, found inside it: "Gainesville Road" is in Gainesville's
# city, not in Gainesville wherever the gazetteer's entry is.
LOCAL_FEATURES = frozenset(
    "street st road rd avenue ave drive boulevard blvd lane highway hwy square park bridge "
    "airport station mall centre center stadium school hospital church mosque county parish "
    "township".split()
)


_ENGLISH_ARTICLES = frozenset("an ad as at".split())


#: How far around a sentence-opening word its lower-case use is sought.
COMMON_WORD_REACH = 5_000


#: A town this big is not dropped for sharing a person's first name in the article.
PROMINENT_POPULATION = 100_000


@cache
def common_words() -> frozenset[str]:
    text = data_path("not_places.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


def surnames(text: str, lowered: str, gazetteer: gaz.Gazetteer) -> frozenset[str]:
    """Words of two- and three-word capitalised names that are not places ("Kristina Kelly").

    One sense per discourse: once "Kelly" is a person in an article, "Kelly" alone is too, and
    so is "Kristina" unless it is a town too big to be only someone's first name.
    """
    names = set()
    phrase = _PERSON_LIKE.search(text)
    while phrase is not None:
        first, last = phrase.group(1), phrase.group(2)
        lowered_first = first.lower()
        if (
            lowered_first in _MODIFIERS
            or lowered_first in FUNCTION_WORDS
            or lowered_first in common_words()
            or _opens_with_a_participle(text, phrase.start(), lowered_first)
        ):
            # "Though London's total" is no person; "Mayor L. Douglas Wilder" may be one
            # after its first word.
            phrase = _PERSON_LIKE.search(text, phrase.end(1) + 1)
            continue
        if not gazetteer.candidates(lowered[phrase.start() : phrase.end()]):
            names.add(last)
            rest = phrase.group(0)[len(first) :].split()
            if all(map(_reads_as_surname, rest)) and not is_prominent(
                gazetteer.candidates(lowered_first)
            ):
                names.add(first)
        phrase = _PERSON_LIKE.search(text, phrase.end())
    if not names:
        return frozenset()
    # A name the article also puts things "in" is a place there, whatever else it names.
    located = (m.group(1) for pattern in _LOCATED_NAMES for m in pattern.finditer(text))
    return frozenset(names.difference(located))


def _opens_with_a_participle(text: str, start: int, word: str) -> bool:
    """A sentence or headline opening with a participle before a name ("Missing Lancaster
    girl found", "Trailing Watertown's keeper"): the word is no one's first name. Not "-ed":
    "Mohammed", "Saeed" and "Waleed" are; nor a given name in "-ing" ("Sterling", "Irving")."""
    if len(word) < 6 or not word.endswith("ing") or "f" in name_kinds().get(word, ""):
        return False
    return _starts_sentence(text, start)


def _reads_as_surname(word: str) -> bool:
    """Not a word that makes the phrase a thing rather than a person ("Aleppo Airport")."""
    lowered = word.lower().rstrip(".")
    return not (
        lowered in common_words()
        or lowered in _ORGANISATION_HEADS
        or lowered in _TITLES
        or lowered in LOCAL_FEATURES
        or lowered in _AREA_WORDS
    )


def is_prominent(entries: Sequence[gaz.Entry]) -> bool:
    return any(
        e.kind in gaz.AREA_KINDS or e.place.population >= PROMINENT_POPULATION for e in entries
    )


def reads_as_name(text: str, start: int, end: int) -> bool:
    """Whole words, capitalised except for particles, and not a common word."""
    if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
        return False
    if end < len(text) and text[end] in "'’" and _CONTRACTED.match(text, end + 1):
        return False  # "Don't", "Won’t": a verb, not Don or Won
    return _has_name_shape(text[start:end])


@lru_cache(maxsize=1 << 16)
def _has_name_shape(name: str) -> bool:
    """The half of `reads_as_name` the name alone decides: names recur, so it is remembered."""
    tokens = name.replace("-", " ").split()
    if len(tokens) == 1:  # most names: the test below, without its loops
        capitalised = tokens[0][0].isupper()
    else:
        capitalised = any(t[0].isupper() for t in tokens) and all(
            t[0].isupper() or t.lower().strip("'`’") in _PARTICLES for t in tokens
        )
        capitalised = capitalised or _capitalised_around_one_word(tokens)
    if not capitalised:
        return False
    last = tokens[-1]
    if last.lower() in _PARTICLES or (("'" in last or "’" in last) and _CONTRACTION.search(last)):
        return False
    return not (name.lower() in common_words() and not (len(tokens) == 1 and name.isupper()))


def _capitalised_around_one_word(tokens: list[str]) -> bool:
    """ "Toba tek Singh": a name of three words or more, capitalised at both ends, whose writer
    lower-cased one word inside; the whole gazetteer name still has to match."""
    inner = tokens[1:-1]
    return (
        len(tokens) >= 3
        and tokens[0][0].isupper()
        and tokens[-1][0].isupper()
        and sum(not t[0].isupper() for t in inner) == 1
    )


def is_other_use(text: str, start: int, end: int, entries: tuple[gaz.Entry, ...]) -> bool:
    """A demonym, part of a person's or organisation's name, or a capital for a government."""
    name = text[start:end]
    after = text[end : end + 40]
    if is_demonym(name):
        # "Somali region", "Kurdish Region": an area named like its people, read with its cue
        return not (any(e.kind == "admin1" for e in entries) and ADMIN_CUES.match(after))
    if _is_part_of_longer_name(text, start, end, after) or _in_ezafe(text, start, end):
        return True
    if text[start - 1 : start] in (" ", "\t") and _after_saint(text, start):
        return True  # "St. Patrick's Day": "St. Louis" would have matched whole
    area = gaz.names_an_area(entries)
    if not area and after[1:2] in _UNIT_INITIALS and _UNIT_AFTER.match(after):
        return True
    if not area and (_reads_as_person(text, start, end) or _is_common_word_here(text, start, name)):
        return True
    if not area and (_is_designation(text, end, entries) or _is_firm(text, start, end)):
        return True
    # Both need a lower-case word next: the test spares their patterns most names.
    if text[end + 1 : end + 2].islower() and (
        _CURRENCY_AFTER.match(text, end)
        or (_WEAPON_AFTER.match(text, end) and not _is_populous(entries))
    ):
        return True
    if _SPEECH_AFTER.match(after) and not any(e.kind == "country" for e in entries):
        # "Kelly said"; "Moscow said" is the government speaking; "officials in Ohio say" and
        # "the man from Brampton said" are someone else speaking
        return not _follows_locative(text, start)
    if area or not _is_acronym(name):
        return False
    return not (_starts_sentence(text, start) and _DATELINE_DASH.match(text, end) is not None)


def _after_saint(text: str, start: int) -> bool:
    begin = max(0, start - 7)
    window = text[begin:start]
    # The pattern is sought only where its words are: before most names they are not.
    if "St" not in window and "Saint" not in window:
        return False
    return _SAINT_BEFORE.search(text, begin, start) is not None


def _is_designation(text: str, end: int, entries: tuple[gaz.Entry, ...]) -> bool:
    """ "Section 2AA", "Pack 122", "Precinct 4": a word numbering a unit, not a small town."""
    return _NUMBER_AFTER.match(text, end) is not None and not is_prominent(entries)


def _is_firm(text: str, start: int, end: int) -> bool:
    """ "Stevens & Wilkinson", "Johnson & Son": partners' names joined into a firm's."""
    if text[start:end].isupper():
        return False  # "TIJUANA & SAN DIEGO": a dateline naming two towns
    window = max(0, start - 4)
    before = "&" in text[window:start] and _AMPERSAND_BEFORE.search(text, window, start)
    return bool(_AMPERSAND_AFTER.match(text, end) or before)


def in_compound(
    text: str, start: int, end: int, entries: tuple[gaz.Entry, ...], gazetteer: gaz.Gazetteer
) -> bool:
    """ "Wal-Mart", "Diaz-Balart", "Pan-Igbo": a small town's name joined by a hyphen to a
    capitalised word is one part of a longer name. Not "Athens-Clarke" (a known place),
    "Fargo-Moorhead" (two places), "D-Ohio" (a party) or "Nigeria-Ukrainian" (a demonym)."""
    if text[end : end + 1] != "-" and "-" not in text[max(0, start - 2) : start]:
        return False  # no hyphen beside the name (`$` may stand before a closing newline)
    if text[start:end].isupper() or is_prominent(_bearing(entries, text[start:end])):
        return False
    other = _HYPHEN_AFTER.match(text, end) or _HYPHEN_BEFORE.search(text, max(0, start - 30), start)
    if other is None or is_demonym(other.group(1)):
        return False
    word = other.group(1)
    # A neighbour that is a known place, or a place name and no common word or person's name,
    # makes a pair of places.
    neighbour = gazetteer.candidates(gaz.match_key(word))
    return not (is_prominent(neighbour) or (neighbour and word.lower() not in name_kinds()))


def _bearing(entries: tuple[gaz.Entry, ...], name: str) -> list[gaz.Entry]:
    """The entries whose own name `name` is: a big city known by it only as another name
    ("Balart" for Ballarat) makes no known place of it."""
    key = gaz.match_key(name)
    return [e for e in entries if gaz.match_key(e.place.name) == key]


def _follows_locative(text: str, start: int) -> bool:
    """ "in Ohio", "in central Ohio": a preposition of place before the name, past modifiers."""
    for _ in range(3):
        previous = _previous_word(text, start).lower()
        if previous in _LOCATIVES:
            return True
        if previous not in _MODIFIERS:
            return False
        start -= len(previous) + 1
    return False


def _is_part_of_longer_name(text: str, start: int, end: int, after: str) -> bool:
    """ "Bashar al Assad", "Al Watan Daily", "Abraham Lincoln": one longer name. Not the word
    after a state's abbreviation behind its town ("Salina, Kan. Strong winds"): the stop
    ends the sentence too ("the U.S. Army" is still the army's)."""
    next_word = None if _abbreviated_after_town(text, start, end) else NEXT_WORD.match(after)
    if next_word:
        word = next_word.group(1)
        if next_word.group(0)[1:3] in _ENGLISH_ARTICLES and is_demonym(word):
            return False
        if _is_organisation_head(word):
            return True
        if word[0].isupper() and not ADMIN_CUES.match(after):
            lowered = word.lower()
            if lowered not in _TITLES and lowered not in common_words():
                return True
    previous = _previous_word(text, start)
    if not previous or not previous[0].isupper():
        return False
    lowered = previous.lower()
    if lowered in _ARABIC_ORGANISATION_HEADS:
        return True  # "Jaish al-Islam", wherever the sentence starts
    if lowered in _MODIFIERS:
        return False
    # "A Charleston man", "After Paris": a word that opens a clause is no part of a name
    if lowered in FUNCTION_WORDS:
        return False
    return not _starts_sentence(text, start - 1 - len(previous))


def _abbreviated_after_town(text: str, start: int, end: int) -> bool:
    """ "Louisville, Ky.": an abbreviation, ending in its stop, after a comma."""
    return text[end - 1] == "." and text[max(0, start - 2) : start] == ", "


def _in_ezafe(text: str, start: int, end: int) -> bool:
    """ "Maskan-e Mehr", "Pul-e-Charkhi": the name is one word of a longer Persian name."""
    # Its words are sought only where one may be: an "e" or "i" beside the name, one
    # separator away, after a hyphen, a "y" or a space ("the Mehr" is no ezafe).
    if text[end + 1 : end + 2] in _EZAFE_VOWELS and _EZAFE_AFTER.match(text, end):
        return True
    if start < 4 or text[start - 2] not in _EZAFE_VOWELS or text[start - 3] not in "-y \t":
        return False
    return _EZAFE_BEFORE.search(text, start - 5, start) is not None


def _previous_word(text: str, start: int) -> str:
    """The word just before `start`, one space or tab away, when it is all ASCII letters."""
    if start < 2 or text[start - 1] not in " \t":
        return ""
    window = text[max(0, start - 29) : start - 1]
    return window[len(window.rstrip(_ASCII_LETTERS)) :]


def _is_organisation_head(word: str) -> bool:
    """ "Toronto Police" names a force and "Al Watan newspaper" a paper; "London police" are
    the police of a place."""
    lowered = word.lower()
    if lowered not in _ORGANISATION_HEADS:
        return False
    return word[0].isupper() or lowered not in _PLACE_BODIES


def _reads_as_person(text: str, start: int, end: int) -> bool:
    """ "Mrs. Lincoln", "Pope Francis", "coach Ripley", '," said Georgia.': a person."""
    if start < 2 or text[start - 1] not in " \t":
        return False
    words = text[max(0, start - 20) : start].split()
    previous = words[-1].lower() if words else ""
    title = previous.rstrip(".")
    if title in _PERSON_TITLES and (title == previous or title in _ABBREVIATED_TITLES):
        return True
    return previous in _SPEAKER_VERBS and text[end : end + 1] in (".", ",")


def _is_common_word_here(text: str, start: int, name: str) -> bool:
    """ "Maybe" opening a sentence, in an article that writes "maybe" elsewhere."""
    if " " in name or not _starts_sentence(text, start):
        return False
    # Only the neighbourhood is searched: a whole book would make this quadratic.
    low, end = max(0, start - COMMON_WORD_REACH), start + COMMON_WORD_REACH
    return _find_word(text, name.lower(), low, min(len(text), end))


def _find_word(text: str, word: str, low: int, high: int) -> bool:
    """Whether `word` stands in `text[low:high]` as `\\b{word}\\b` would find it there.

    A literal search and a look at either side: a pattern made for each name filled, and then
    thrashed, `re`'s cache of compiled patterns, and cost six times as much.
    """
    opens, closes = _is_word_char(word[:1]), _is_word_char(word[-1:])
    found = text.find(word, low, high)
    while found >= 0:
        after = found + len(word)
        before_word = found > low and _is_word_char(text[found - 1])
        after_word = after < high and _is_word_char(text[after])
        if before_word != opens and after_word != closes:
            return True
        found = text.find(word, found + 1, high)
    return False


def _is_word_char(char: str) -> bool:
    """What `re` counts as a word character (`\\w`): a letter, a digit or an underscore."""
    return char.isalnum() or char == "_"


def _is_acronym(name: str) -> bool:
    """All capitals ("FDA", "NATO"): such a place name must come from a country's alias."""
    return name.isupper() and " " not in name and len(name.replace(".", "")) <= 5


@lru_cache(maxsize=1 << 14)
def is_demonym(name: str) -> bool:
    """ "Syrian", "Iraqi", "Sudanese", "Turkish": adjectives of a country, not places.

    Only words with a demonym's ending: "Nigeria" holds "Niger" and "Indiana" holds "India",
    yet both are places.
    """
    word = name.lower()
    if word in _IRREGULAR_DEMONYMS:
        return True
    if " " in word or len(word) < 5 or not word.endswith(_DEMONYM_ENDINGS):
        return False
    stems = {word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-3] + "a", word + "a"}
    stems.add(word + "y")  # "German" for Germany
    if word.endswith("ese"):
        stems.add(word[:-3])
    return any(stem in _country_names() for stem in stems)


@cache
def _country_names() -> frozenset[str]:
    return frozenset(e.place.name.lower() for e in gaz.load().countries.values())


def _starts_sentence(text: str, offset: int) -> bool:
    before = text[max(0, offset - 3) : offset].strip()
    return not before or before[-1] in ".!?\"'\n"


def is_surname(name: str, entries: Sequence[gaz.Entry], names: frozenset[str]) -> bool:
    """A name the article gives elsewhere as a person's, unless it could be an area."""
    return name in names and not any(e.kind in gaz.AREA_KINDS for e in entries)


def _is_populous(entries: Sequence[gaz.Entry]) -> bool:
    """A country, or a place big enough to be known by its name ("a Kharkiv drone attack")."""
    return any(e.kind == "country" or e.place.population >= PROMINENT_POPULATION for e in entries)
