"""The words of figures: measure triggers, qualifier words, counted nouns and reporting sources.

Tables only, read by `sitroom.extract.figures`; the patterns are compiled there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sitroom.model import Measure

__all__ = [
    "ATTACK_UNITS",
    "HUMAN_UNITS",
    "MEASURE_TRIGGERS",
    "NOT_NAMES",
    "PLACE_UNITS",
    "QUALIFIER_LAST_WORDS",
    "QUALIFIER_WORDS",
    "SOURCES",
    "STOP_WORDS",
    "MeasureTrigger",
    "Where",
]

Where = Literal["before", "after", "both"]


@dataclass(frozen=True, slots=True)
class MeasureTrigger:
    """Words that make a number count one measure, and on which side of it they may stand."""

    pattern: str
    measure: Measure
    where: Where = "both"
    #: A status noun ("refugees") yields to a verb ("20 refugees were killed").
    weak: bool = False
    #: Only when the number counts places: "47 communities hit", not "47 people hit".
    places_only: bool = False
    #: Only when the number counts people: "1,500 relief camps" are not accommodated.
    people_only: bool = False


# Order matters where phrases overlap: the first alternative at a position wins.
MEASURE_TRIGGERS: tuple[MeasureTrigger, ...] = (
    MeasureTrigger(r"death\s+toll|toll|body\s+count", "killed", "before"),
    MeasureTrigger(
        r"(?:could|may|might)\s+be\s+(?:displaced|forced)|at\s+risk|risk\s+being", "at_risk"
    ),
    MeasureTrigger(r"in\s+danger|threatened\s+with", "at_risk", "after"),
    # "killed or wounded", "killed, injured or captured": casualties of no one kind.
    MeasureTrigger(
        r"(?:killed|dead)(?:,\s*|\s+(?:or|and)\s+)(?:wounded|injured)"
        r"(?:,?\s+(?:or|and)\s+(?:captured|arrested|detained))?",
        "other",
    ),
    MeasureTrigger(
        r"lost\s+their\s+lives|shot\s+dead|killed|killing(?:\s+of)?|kills|died|dying|perished|slain|"
        r"massacred|executed|murdered",
        "killed",
    ),
    # Nominal forms before their number: "the deaths of 12 miners", "the arrest of 30 men".
    MeasureTrigger(r"(?:bodies|remains|deaths?)\s+of", "killed", "before"),
    MeasureTrigger(r"disappearances?\s+of", "missing", "before"),
    MeasureTrigger(r"abductions?\s+of", "abducted", "before"),
    MeasureTrigger(r"(?:arrests?|detention)\s+of", "detained", "before"),
    MeasureTrigger(r"uprooting\s+of", "displaced", "before"),
    MeasureTrigger(r"rescue\s+of", "evacuated", "before"),
    MeasureTrigger(r"returns?\s+of", "returned", "before"),
    MeasureTrigger(
        r"(?:shelling|bombing|bombardment|destruction)\s+of", "affected", "before", places_only=True
    ),
    # "claimed 10 lives": a number of lives is a death toll.
    MeasureTrigger(
        r"dead|deaths|fatalities|(?<!to\s)(?:death|fatality)|bodies|casualties|"
        r"lives(?:\s+(?:were\s+)?lost)?",
        "killed",
        "after",
    ),
    MeasureTrigger(r"injured|injuring|wounded|wounding|hurt|maimed", "injured"),
    MeasureTrigger(r"injuries", "injured", "after"),
    MeasureTrigger(r"missing|unaccounted\s+for|disappeared", "missing"),
    MeasureTrigger(
        r"abducted|abducting|kidnapped|kidnapping|taken\s+(?:as\s+)?hostages?|snatched", "abducted"
    ),
    MeasureTrigger(r"hostages", "abducted", "after", weak=True),
    MeasureTrigger(
        r"arrested|arresting|detained|detaining|jailed|imprisoned|rounded\s+up|captured|"
        r"taken\s+prisoner",
        "detained",
    ),
    MeasureTrigger(r"detainees|prisoners|arrests", "detained", "after", weak=True),
    MeasureTrigger(
        r"idps|internally\s+displaced\s+(?:people|persons)|pdis?", "displaced", "after", weak=True
    ),
    # Reports count movements too: "38,000 new displacements were recorded".
    MeasureTrigger(r"displacements", "displaced", "after"),
    # People in shelters, camps or host families are displaced (IDMC's "sheltered").
    MeasureTrigger(
        r"(?:take|took|taken|taking|sought|seek|seeking)\s*(?:shelter|refuge)|sheltering|"
        r"(?:(?:staying|living|sheltered|remained|remain|remaining|housed|accommodated|stay|live|"
        r"moved|taken)\s+(?:in|at|to|into)(?:\s+or\s+(?:near|around))?|in)\s+(?:[\w-]+\s+){0,4}?"
        r"(?:camps?|shelters?|(?:evacuation|collective|reception|relief|transit)\s+"
        r"(?:centres?|centers?|sites?))|"
        r"(?:living|live|lives|remain|remained|remaining)\s+in\s+displacement|"
        r"(?:staying|living|sheltering)\s+with\s+(?:host\s+families|relatives|friends)|"
        r"in\s+(?:(?:temporary|emergency)\s+)?shelters|forced\s+into\s+(?:\w+\s+)?shelters|"
        r"sheltered|accommodated",
        "displaced",
        "after",
        people_only=True,
    ),
    # Pushed over a border, people are refugees: "3,000 people were pushed over the border".
    MeasureTrigger(
        r"(?:pushed|driven|forced)\s+(?:[\w-]+\s+){0,3}?(?:over|across)\s+(?:the\s+)?"
        r"(?:[\w-]+\s+)?borders?",
        "refugees",
        "after",
    ),
    # Fleeing over a border, too: "2,000 fled across the border into Chad", "fled into
    # neighbouring Uganda". Fleeing to a town nearby stays displacement.
    MeasureTrigger(
        r"(?:fled|fleeing|flee|flees|escaped)\s+(?:[\w-]+\s+){0,3}?(?:over|across)\s+"
        r"(?:the\s+)?(?:[\w-]+\s+)?borders?|"
        r"(?:fled|fleeing|flee|flees|escaped)\s+(?:[\w-]+\s+){0,2}?(?:in)?to\s+neighbou?ring",
        "refugees",
        "after",
    ),
    # Arrivals in a place are people on the move: "18,000 people arrived in Kodok".
    MeasureTrigger(
        r"arrived|arriving|new\s+arrivals", "displaced", "after", weak=True, people_only=True
    ),
    MeasureTrigger(
        r"internally\s+displaced|displaced|displacing|displacement\s+of|fled|fleeing|flee|"
        r"uprooted|forced\s+(?:to\s+flee|to\s+leave|out|from)|from\s+their\s+homes|"
        r"(?:left|leave|leaving|lost|losing)\s+their\s+homes|out\s+of\s+their\s+homes|"
        r"driven\s+(?:out|from)|on\s+the\s+move|homeless|exodus\s+of|moved\s+away",
        "displaced",
    ),
    MeasureTrigger(
        r"safe\s+passage(?:\s+(?:for|to))?|evacuation(?:\s+of)?|evacuat\w+|rescued|rescuing|"
        r"relocated|relocation(?:\s+of)?|relocating|resettlement\s+of|airlifted|moved\s+to\s+safe(?:ty|r\s+\w+)",
        "evacuated",
    ),
    MeasureTrigger(r"evacuees", "evacuated", "after", weak=True),
    # Spanish, French and Portuguese reports, as folded text writes them (no accents).
    MeasureTrigger(
        r"desplazad[oa]s|deslocad[oa]s|desalojad[oa]s|desabrigad[oa]s|deplacee?s|deplace|"
        r"sin\s+(?:hogar(?:es)?|techo)|sans[\s-]+abris?|sem[\s-]+(?:abrigo|teto)",
        "displaced",
    ),
    MeasureTrigger(r"evacuad[oa]s|evacuee?s|evacue", "evacuated"),
    MeasureTrigger(r"refugiad[oa]s|refugiee?s", "refugees"),
    MeasureTrigger(r"afectad[oa]s|affectee?s|damnificad[oa]s|sinistree?s", "affected"),
    MeasureTrigger(
        r"destruid[oa]s|detruite?s|danad[oa]s|endommagee?s|inundad[oa]s|inondee?s",
        "affected",
        places_only=True,
    ),
    MeasureTrigger(r"returned|returning|went\s+back|gone\s+back|return\s+home", "returned"),
    MeasureTrigger(r"returnees", "returned", "after", weak=True),
    MeasureTrigger(r"crossed\s+(?:into|the\s+border)|crossing\s+into|sought\s+asylum", "refugees"),
    MeasureTrigger(r"refugees|asylum\s+seekers", "refugees", "after", weak=True),
    MeasureTrigger(r"affected", "affected"),
    MeasureTrigger(
        r"hit|struck|shelled|bombed|targeted|damaged|destroyed|razed|flooded|attacked|"
        r"collapsed|buried|burned|burnt|demolished|inundated|submerged|(?:washed|swept)\s+away",
        "affected",
        places_only=True,
    ),
    MeasureTrigger(
        r"in\s+need|need(?:s|ing)?\s+(?:of\s+)?(?:\w+\s+)?(?:aid|assistance|help|support)|"
        r"requir\w+\s+(?:\w+\s+)?(?:aid|assistance)|food[\s-]insecure",
        "in_need",
        "after",
    ),
    MeasureTrigger(
        r"home\s+to|population\s+of|inhabitants\s+of|"
        r"(?:city|town|village|camp|district|province|country|region|area|governorate)\s+of",
        "population",
        "before",
    ),
    MeasureTrigger(
        r"live\s+in|living\s+in|reside\s+in|residing\s+in|live\s+there",
        "population",
        "after",
    ),
)

QUALIFIER_WORDS: dict[str, tuple[str, ...]] = {
    "at_least": (
        r"more\s+than",
        r"over",
        r"well\s+over",
        r"at\s+least",
        r"upwards\s+of",
        r"in\s+excess\s+of",
        r"no\s+(?:fewer|less)\s+than",
        r"a\s+minimum\s+of",
        r"exceeding",
        r"above",
        r"(?:mas|plus|mais)\s+de",
        r"por\s+lo\s+menos|pelo\s+menos|au\s+moins",
    ),
    "approx": (
        r"some",
        r"about",
        r"around",
        r"roughly",
        r"approximately",
        r"approx\.",
        r"nearly",
        r"almost",
        r"close\s+to",
        r"an\s+estimated",
        r"estimated",
        r"est\.",
        r"circa",
        r"just\s+(?:under|over|short\s+of)",
        r"perhaps",
        r"possibly",
        r"cerca\s+de",
        r"alrededor\s+de",
        r"pres\s+de",
        r"environ",
        r"quelques?",
        r"unas",
        r"unos",
    ),
    "at_most": (
        r"up\s+to",
        r"as\s+many\s+as",
        r"fewer\s+than",
        r"less\s+than",
        r"at\s+most",
        r"no\s+more\s+than",
        r"not\s+more\s+than",
        r"a\s+maximum\s+of",
        r"under",
        r"below",
    ),
    "range": (r"between", r"from"),
}
#: The words every qualifier ends in, as the text before a number ends when it has one.
QUALIFIER_LAST_WORDS: tuple[str, ...] = (
    "than", "over", "least", "of", "above", "exceeding", "some", "about", "around", "roughly",
    "approximately", "approx.", "nearly", "almost", "to", "estimated", "est.", "circa", "under",
    "perhaps", "possibly", "as", "most", "below", "between", "from", "de", "environ", "unas",
    "unos", "quelque", "quelques", "menos", "moins",
)  # fmt: skip

# Counted nouns, as written -> singular base form.
HUMAN_UNITS: dict[str, str] = {
    "people": "people",
    "persons": "people",
    "person": "people",
    "individuals": "people",
    "individual": "people",
    "internally displaced persons": "people",
    "internally displaced people": "people",
    "children": "child",
    "child": "child",
    "kids": "child",
    "minors": "child",
    "babies": "child",
    "infants": "child",
    "families": "family",
    "family": "family",
    "households": "household",
    "household": "household",
    "civilians": "civilian",
    "civilian": "civilian",
    "soldiers": "soldier",
    "soldier": "soldier",
    "troops": "soldier",
    "servicemen": "soldier",
    "fighters": "fighter",
    "fighter": "fighter",
    "militants": "militant",
    "militant": "militant",
    "rebels": "rebel",
    "rebel": "rebel",
    "insurgents": "insurgent",
    "jihadists": "jihadist",
    "militiamen": "militiaman",
    "police officers": "police officer",
    "policemen": "police officer",
    "police": "police officer",
    "residents": "resident",
    "resident": "resident",
    "inhabitants": "resident",
    "villagers": "villager",
    "women": "woman",
    "woman": "woman",
    "men": "man",
    "man": "man",
    "girls": "girl",
    "boys": "boy",
    "students": "student",
    "pupils": "student",
    "workers": "worker",
    "aid workers": "aid worker",
    "health workers": "health worker",
    "refugees": "refugee",
    "refugee": "refugee",
    "idps": "IDP",
    "migrants": "migrant",
    "asylum seekers": "asylum seeker",
    "patients": "patient",
    "doctors": "doctor",
    "medics": "medic",
    "journalists": "journalist",
    "protesters": "protester",
    "demonstrators": "protester",
    "prisoners": "prisoner",
    "detainees": "detainee",
    "hostages": "hostage",
    "returnees": "returnee",
    "evacuees": "evacuee",
    "victims": "victim",
    "bodies": "body",
    "survivors": "survivor",
    "worshippers": "worshipper",
    "passengers": "passenger",
    "members": "member",
    "officers": "officer",
    "guards": "guard",
    # Spanish, French and Portuguese reports (folded: no accents).
    "personas": "people",
    "personnes": "people",
    "pessoas": "people",
    "individus": "people",
    "individuos": "people",
    "familias": "family",
    "familles": "family",
    "hogares": "household",
    "menages": "household",
    "pdi": "IDP",
    "pdis": "IDP",
}

PLACE_UNITS: dict[str, str] = {
    "communities": "community",
    "community": "community",
    "villages": "village",
    "village": "village",
    "towns": "town",
    "cities": "city",
    "neighbourhoods": "neighbourhood",
    "neighborhoods": "neighbourhood",
    "localities": "locality",
    "locations": "location",
    "settlements": "settlement",
    "districts": "district",
    "houses": "house",
    "viviendas": "house",
    "casas": "house",
    "maisons": "house",
    "logements": "house",
    "homes": "home",
    "dwellings": "dwelling",
    "housing units": "housing unit",
    "buildings": "building",
    "shelters": "shelter",
    "schools": "school",
    "hospitals": "hospital",
    "health facilities": "health facility",
    "facilities": "facility",
    "camps": "camp",
    "centres": "centre",
    "centers": "centre",
    "sites": "site",
    "provinces": "province",
    "regions": "region",
    "counties": "county",
    "municipalities": "municipality",
    "markets": "market",
    "mosques": "mosque",
    "churches": "church",
}

ATTACK_UNITS: dict[str, str] = {
    "air strikes": "strike",
    "airstrikes": "strike",
    "air raids": "strike",
    "drone strikes": "strike",
    "strikes": "strike",
    "attacks": "attack",
    "raids": "raid",
    "bombings": "bombing",
    "barrel bombs": "barrel bomb",
    "rockets": "rocket",
    "missiles": "missile",
    "shells": "shell",
    "mortar rounds": "shell",
    "explosions": "explosion",
    "incidents": "incident",
}

# Words that end the search for a counted noun: verbs, prepositions, conjunctions.
STOP_WORDS = frozenset(
    [
        "were",
        "was",
        "had",
        "have",
        "has",
        "are",
        "is",
        "be",
        "been",
        "being",
        "will",
        "would",
        "could",
        "may",
        "might",
        "and",
        "or",
        "but",
        "to",
        "in",
        "on",
        "at",
        "by",
        "from",
        "who",
        "which",
        "that",
        "as",
        "with",
        "for",
        "into",
        "than",
        "of",
        "the",
        "a",
        "an",
        "also",
        "still",
        "remain",
        "remained",
        "remains",
        "more",
        "others",
        "other",
    ]
)

# Normalised source names and the ways reports write them; specific agencies before "UN".
SOURCES: tuple[tuple[str, str], ...] = (
    (
        "OCHA",
        r"\bOCHA\b|(?i:office\s+for\s+the\s+coordination\s+of\s+humanitarian\s+affairs)|"
        r"(?i:\bU\.?N\.?\s+humanitarian\s+(?:office|agency|affairs\s+office|coordination\s+office))",
    ),
    (
        "UNHCR",
        r"\bUNHCR\b|(?i:\bU\.?N\.?\s+refugee\s+agency|united\s+nations\s+refugee\s+agency|"
        r"high\s+commissioner\s+for\s+refugees)",
    ),
    (
        "UNICEF",
        r"\bUNICEF\b|\bUnicef\b|(?i:\bU\.?N\.?\s+children'?s\s+(?:agency|fund)|children'?s\s+fund)",
    ),
    (
        "IOM",
        r"\bIOM\b|(?i:international\s+organi[sz]ation\s+for\s+migration|\bU\.?N\.?\s+migration\s+agency)",
    ),
    ("WHO", r"\bWHO\b|(?i:world\s+health\s+organi[sz]ation|\bU\.?N\.?\s+health\s+agency)"),
    ("WFP", r"\bWFP\b|(?i:world\s+food\s+program(?:me)?|\bU\.?N\.?\s+food\s+agency)"),
    (
        "OHCHR",
        r"\bOHCHR\b|(?i:\bU\.?N\.?\s+(?:human\s+)?rights\s+office|high\s+commissioner\s+for\s+human\s+rights)",
    ),
    ("UNRWA", r"\bUNRWA\b"),
    ("UNAMA", r"\bUNAMA\b"),
    (
        "SOHR",
        r"\bSOHR\b|(?i:syrian\s+observatory(?:\s+for\s+human\s+rights)?|"
        r"(?:britain|uk|london)-based\s+(?:war\s+)?monitor|\bthe\s+observatory\b)",
    ),
    ("SNHR", r"\bSNHR\b|(?i:syrian\s+network\s+for\s+human\s+rights)"),
    ("White Helmets", r"(?i:white\s+helmets|syria(?:n)?\s+civil\s+defen[cs]e)"),
    ("Red Crescent", r"(?i:red\s+crescent)"),
    ("ICRC", r"\bICRC\b|(?i:international\s+committee\s+of\s+the\s+red\s+cross|red\s+cross)"),
    ("MSF", r"\bMSF\b|(?i:doctors\s+without\s+borders|medecins\s+sans\s+frontieres)"),
    ("NRC", r"\bNRC\b|(?i:norwegian\s+refugee\s+council)"),
    ("IDMC", r"\bIDMC\b|(?i:internal\s+displacement\s+monitoring\s+cent(?:re|er))"),
    ("HRW", r"\bHRW\b|(?i:human\s+rights\s+watch)"),
    ("Amnesty International", r"(?i:\bamnesty(?:\s+international)?)"),
    ("Save the Children", r"(?i:save\s+the\s+children)"),
    (
        "health ministry",
        r"(?i:health\s+ministry|ministry\s+of\s+health|health\s+(?:authorities|officials|department))",
    ),
    ("interior ministry", r"(?i:interior\s+ministry|ministry\s+of\s+(?:the\s+)?interior)"),
    ("defence ministry", r"(?i:defen[cs]e\s+ministry|ministry\s+of\s+defen[cs]e)"),
    ("state media", r"\bSANA\b|(?i:state\s+(?:media|news\s+agency|television|tv))"),
    ("police", r"(?i:\bpolice\b)"),
    ("military", r"(?i:\b(?:the\s+)?(?:army|military|armed\s+forces)\b)"),
    ("UN", r"\bUN\b|\bU\.N\.|(?i:united\s+nations)"),
)

NOT_NAMES = frozenset(
    ("He", "She", "They", "It", "We", "I", "You", "This", "That", "These", "Those", "The")
)
