"""A generator of realistic conflict reports for benchmarks, from templates written here.

    python benchmarks/corpus.py --articles 1000 --out /tmp/corpus.jsonl
    python benchmarks/corpus.py --articles 1000 --duplicate-rate 0.2 --out /tmp/dups.jsonl

Every article is built from sentences in this file with places, actors, figures and dates
drawn by a seeded random generator, so a corpus is the same for the same seed.

With a duplicate rate, the corpus is one for duplicate detection: each article is a pure
function of (seed, index), so workers can generate slices of it; originals are told apart by
story-specific sentences and carry their site's footer half the time (the shared-blurb trap);
a share `duplicate_rate` of the articles republish a recent original under another headline,
with a dateline, trimmed, with another site's banner or footer, or with a figure changed.
Records then also carry `source` (the site) and `duplicate_of` (the original's id or null).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

# (country, towns, province, actors on each side)
THEATRES = (
    ("Syria", ("Saraqib", "Ariha", "Maarat al-Numan", "Khan Shaykhun", "Jisr al-Shughur"),
     "Idlib", ("Syrian government forces", "Russian warplanes"), ("rebels", "HTS")),
    ("Ukraine", ("Kharkiv", "Izium", "Bakhmut", "Kramatorsk", "Sloviansk"),
     "Donetsk", ("Russian forces", "Russian artillery"), ("Ukrainian forces", "Ukrainian troops")),
    ("Sudan", ("El Geneina", "Nyala", "El Fasher", "Omdurman", "Wad Madani"),
     "West Darfur", ("the Rapid Support Forces", "RSF fighters"), ("the Sudanese army", "SAF")),
    ("Yemen", ("Marib", "Taiz", "Hodeidah", "Saada", "Al Bayda"),
     "Marib", ("the Houthis", "Houthi fighters"), ("Yemeni government forces", "the Saudi-led coalition")),
    ("Myanmar", ("Sittwe", "Lashio", "Myawaddy", "Hakha", "Mindat"),
     "Rakhine", ("the Myanmar military", "junta troops"), ("the Arakan Army", "People's Defence Force")),
    ("Democratic Republic of the Congo", ("Goma", "Rutshuru", "Beni", "Bunia", "Butembo"),
     "North Kivu", ("M23 rebels", "the ADF"), ("the Congolese army", "FARDC")),
    ("Burkina Faso", ("Djibo", "Dori", "Kaya", "Fada N'gourma", "Ouahigouya"),
     "Sahel", ("JNIM militants", "gunmen"), ("the Burkinabe army", "volunteer fighters")),
)  # fmt: skip

LEADS = (
    "{actor} {verb} {town} on {weekday}, killing {killed} civilians and wounding {injured} others, "
    "local officials said.",
    "At least {killed} people were killed when {weapon} hit a market in {town} in {province} "
    "province on {weekday}, {source} said.",
    "Heavy fighting between {actor} and {enemy} raged for a {ordinal} day around {town}, "
    "residents said on {weekday}.",
    "{actor} shelled residential districts of {town} overnight, killing {killed} and injuring "
    "{injured}, the regional governor said.",
)
VERBS = ("shelled", "bombed", "struck", "pounded")
WEAPONS = ("air strikes", "artillery shells", "a drone strike", "rockets", "a car bomb")
FIGURES = (
    "{source} said more than {displaced:,} people had fled their homes in {province} since "
    "{since}.",
    "About {displaced:,} people were displaced in the past week alone, according to {source}.",
    "Some {families:,} families have sought shelter in camps near {town2} since {month}.",
    "Between {low} and {high} people crossed into {country2} every day last week, aid workers said.",
    "Nearly {evacuated:,} residents were evacuated from {town2} on {weekday}.",
    "The {province} region is home to {population} million people, {source} said.",
)
BACKGROUND = (
    "The conflict began in {year} and has displaced millions.",
    "A ceasefire agreed in {month} collapsed last month.",
    "{enemy} said they had repelled an attack on positions near {town2}.",
    "Aid groups warned that fighting could force thousands more to flee if it continues.",
    "Police arrested {arrested} people suspected of taking part in the violence.",
    "Protesters gathered in {town2} on {weekday} to demand an end to the fighting.",
)
PROSE = (
    "Residents described a night of heavy explosions, with families sheltering in basements "
    "and stairwells as the bombardment moved from one neighbourhood to the next.",
    '"We left everything behind, our house, our animals, even our papers," said a man who '
    "reached {town2} with his wife and four children after walking for two days.",
    "Hospitals in {town2} said they were running short of fuel, blood and basic medicines, and "
    "that several doctors had not been paid for months.",
    "Aid agencies have repeatedly called on all parties to allow safe access for humanitarian "
    "convoys and to spare civilian infrastructure, including water stations and schools.",
    "The road between {town} and {town2} has been cut for most of the week, leaving trucks "
    "carrying flour and medical supplies stranded at checkpoints.",
    "Local officials said the electricity network had been badly damaged and that repairs "
    "could not begin until the fighting stopped.",
    "Satellite images reviewed by independent analysts showed scorched fields and collapsed "
    "buildings on the edge of {town}.",
    "Diplomats in Geneva said talks on a new truce were expected to resume, although neither "
    "side has publicly committed to attending.",
    "Teachers in {town2} said classes had been suspended indefinitely and that several school "
    "buildings were being used to house families who had fled.",
    "Prices of bread and cooking gas have more than doubled in local markets, traders said, "
    "as supply routes became too dangerous to use.",
    "A spokesperson for {enemy} denied targeting civilians and accused the other side of "
    "using residential areas to launch attacks.",
    "Human rights groups said they were documenting the attacks and would share their findings "
    "with investigators.",
)
SOURCES = ("the UN", "OCHA", "the International Organization for Migration", "UNHCR",
           "the health ministry", "the Syrian Observatory for Human Rights", "local officials")  # fmt: skip
NEIGHBOURS = ("Turkey", "Chad", "Poland", "Bangladesh", "Uganda", "Niger", "Saudi Arabia")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


# Sentences only long articles draw (`long=True`), so the default corpus stays what it was.
MORE_FIGURES = (
    "At least {injured} people were treated for wounds at the main hospital in {town2}, "
    "{source} said.",
    "Around {arrested} aid workers remain missing after their convoy was stopped near {town}.",
    "Up to {evacuated:,} children have been out of school in {province} since {since}.",
    "Roughly {families:,} households in {town2} are in need of food aid, {source} said.",
)
MORE_PROSE = (
    "Shopkeepers in the old market pulled down their shutters early, and the streets emptied "
    "well before the curfew began.",
    "Engineers said the water pumping station serving {town2} had stopped working after its "
    "generators ran out of diesel.",
    "Several families said they had moved three or four times in recent months, each time "
    "hoping the front line would not follow them.",
    "Mobile phone coverage was patchy across the district, making it hard for relatives to "
    "find out who had been hurt.",
    "Volunteers set up a kitchen in a mosque courtyard, handing out lentil soup and bread to "
    "anyone who queued.",
    "Officials at the regional council said they had asked the capital for tents, blankets "
    "and heaters ahead of the winter.",
    "Farmers said they had been unable to reach their fields for the harvest, and that much "
    "of the crop had been left to rot.",
    "Medical staff described working through the night by torchlight after the power failed "
    "during the bombardment.",
)


def generate_article(rng: random.Random, index: int, *, long: bool = False) -> dict[str, object]:
    """One article as a JSONL record (id, title, published, text); `long`: about 2 KB, not 1.5."""
    country, towns, province, side_a, side_b = rng.choice(THEATRES)
    town, town2 = rng.sample(towns, 2)
    published = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(1800))
    values = {
        "actor": rng.choice(side_a), "enemy": rng.choice(side_b), "town": town, "town2": town2,
        "province": province, "country2": rng.choice(NEIGHBOURS), "verb": rng.choice(VERBS),
        "weapon": rng.choice(WEAPONS), "weekday": rng.choice(WEEKDAYS),
        "killed": rng.randrange(2, 60), "injured": rng.randrange(3, 120),
        "displaced": rng.randrange(1, 900) * 1000, "families": rng.randrange(50, 5000),
        "evacuated": rng.randrange(100, 9000), "low": rng.randrange(100, 500),
        "high": rng.randrange(600, 1200), "population": rng.randrange(1, 9),
        "arrested": rng.randrange(2, 40), "source": rng.choice(SOURCES),
        "ordinal": rng.choice(("second", "third", "fourth")), "year": rng.randrange(2011, 2019),
        "month": rng.choice(MONTHS), "since": rng.choice(("early December", "last month", "March")),
    }  # fmt: skip
    # Figures, prose and background interleave in paragraphs of one to three sentences, as
    # in wire copy: about 1.5 KB an article (2 KB when long), a third of the sentences carrying
    # numbers.
    if long:
        figures = rng.sample(FIGURES + MORE_FIGURES, rng.randrange(3, 7))
        sentences = figures + rng.sample(PROSE + MORE_PROSE, rng.randrange(8, 14))
    else:
        sentences = rng.sample(FIGURES, rng.randrange(2, 5)) + rng.sample(
            PROSE, rng.randrange(5, 10)
        )
    rng.shuffle(sentences)
    sentences = [rng.choice(LEADS), *sentences, *rng.sample(BACKGROUND, rng.randrange(1, 4))]
    paragraphs, i = [], 0
    while i < len(sentences):
        size = 1 if i == 0 else rng.randrange(1, 4)
        paragraphs.append(" ".join(s.format(**values) for s in sentences[i : i + size]))
        i += size
    text = "\n\n".join(paragraphs)
    text = text[0].upper() + text[1:]
    return {
        "id": f"bench-{index:06d}",
        "title": f"Fighting in {town}, {country}",
        "published": published.isoformat(),
        "text": text,
    }


def generate_corpus(
    count: int, *, seed: int = 7, duplicate_rate: float = 0.0, long: bool = False
) -> list[dict[str, object]]:
    """`count` articles, the same for the same seed (see the module docstring for duplicates)."""
    if long:
        rng = random.Random(seed)
        return [generate_article(rng, i, long=True) for i in range(count)]
    return list(iter_corpus(count, seed=seed, duplicate_rate=duplicate_rate))


def iter_corpus(
    count: int, *, seed: int = 7, duplicate_rate: float = 0.0, start: int = 0
) -> Iterator[dict[str, object]]:
    """Articles `start` to `start + count - 1` of the corpus, one at a time."""
    if not duplicate_rate:
        rng = random.Random(seed)
        for i in range(start + count):
            article = generate_article(rng, i)
            if i >= start:
                yield article
        return
    for i in range(start, start + count):
        yield corpus_article(i, seed=seed, duplicate_rate=duplicate_rate)


# --- Corpora for duplicate detection -------------------------------------------------------

# Sites that publish the stories: each has its own banner and footer, shared by all its articles.
SITES = (
    ("Frontline Wire", "Frontline Wire is a reader-funded newsroom covering conflict and crisis. "
     "Subscribe to our newsletter for the day's essential reporting."),
    ("Daily Dispatch", "Sign up for the Daily Dispatch briefing: the stories that matter, in your "
     "inbox every morning, free of charge."),
    ("Crisis Monitor", "Crisis Monitor tracks humanitarian emergencies around the world. Follow "
     "us for live updates and support our work with a donation."),
    ("Regional Herald", "This story was produced by the Regional Herald's foreign desk. Read more "
     "of our coverage on our website and share your tips with our reporters."),
    ("Aid Watch", "Aid Watch is published with the support of its readers. Our journalism is free "
     "to read; if you value it, please consider a monthly contribution."),
)  # fmt: skip
BANNERS = (
    "This article is part of our continuing coverage of the crisis.",
    "Live updates: follow the latest developments on our front page.",
    "Listen to this story. Estimated reading time: four minutes.",
)
FIRST_NAMES = ("Amina", "Omar", "Yusuf", "Fatima", "Olena", "Dmytro", "Aung", "Thida", "Jean",
               "Grace", "Ibrahim", "Mariam", "Ahmed", "Hawa", "Serhiy", "Nadia", "Moussa", "Aisha",
               "Khalid", "Esther")  # fmt: skip
LAST_NAMES = ("Hassan", "Kovalenko", "Traore", "Mensah", "Abdullah", "Win", "Mugisha", "Diallo",
              "Shevchenko", "Osman", "Kabila", "Ouedraogo", "Rahman", "Bondarenko", "Adamu",
              "Nkurunziza", "Sawadogo", "Khalil", "Petrenko", "Musa")  # fmt: skip
OCCUPATIONS = ("teacher", "farmer", "nurse", "shopkeeper", "taxi driver", "student", "mechanic",
               "midwife", "fisherman", "baker", "pharmacist", "builder")  # fmt: skip
EXPERIENCES = (
    "spent three nights in a basement with {count} neighbours",
    "lost contact with {pronoun2} brother when the phone network went down",
    "walked for {days} days with {count} children to reach safety",
    "watched the {building} across the street burn after it was hit",
    "sold the family's {asset} to pay for the journey",
    "returned to find the {building} reduced to rubble",
    "been waiting for {days} days for news of {pronoun2} husband",
)
BUILDINGS = ("school", "clinic", "mosque", "church", "bakery", "market", "water tower",
             "police station", "bus depot", "grain store")  # fmt: skip
ASSETS = ("car", "goats", "jewellery", "motorbike", "land", "cattle")
SUPPLIES = ("flour", "medical supplies", "tents", "drinking water", "blankets", "fuel",
            "hygiene kits", "therapeutic food")  # fmt: skip
SERVICES = ("running water", "electricity", "heating", "phone coverage", "health care")
DAMAGE = ("badly damaged", "partly destroyed", "knocked out", "set on fire", "hit twice")
INFRASTRUCTURE = ("water station", "power substation", "main hospital", "bridge", "fuel depot",
                  "telephone exchange", "pumping station")  # fmt: skip
OFFICIALS = ("The mayor", "A local council member", "The provincial health director",
             "A spokesperson for the regional administration", "The head of the local Red Crescent",
             "A senior police officer")  # fmt: skip
CLAIMS = (
    "at least {count} people were still unaccounted for",
    "the {building} would be used as a shelter until further notice",
    "{count} families had registered for assistance since {weekday}",
    "the curfew would be extended for another {days} days",
    "engineers were trying to restore {service} within a week",
    "the local cemetery had run out of space",
    "{count} trucks were waiting to enter the area",
)
TIMES = ("on {weekday}", "on {weekday} night", "early on {weekday}", "late last week",
         "over the weekend", "earlier this month", "in recent days")  # fmt: skip
CAVEATS = ("although far more is needed", "the first delivery in weeks",
           "but roads remain dangerous", "enough for about a week",
           "after days of negotiations at checkpoints")  # fmt: skip
VARIED = (
    "{name}, a {occupation} from {town2}, said {pronoun} had {experience}.",
    "{org} said {count} truckloads of {supply} had reached {town2} {time}, {caveat}.",
    "The {infrastructure} in {town2} was {damage} {time}, leaving about {households:,} "
    "households without {service}.",
    "{official}, {name}, told reporters that {claim}.",
    "In {town2}, the {building} has been turned into a shelter for {count} families, "
    "{name}, who manages it, said.",
    "Prices of {supply} in {town} have risen sharply, and {name}, a {occupation}, said "
    "{pronoun} could no longer afford them.",
    "{org} said {count} of its staff in {town2} had been unable to work {time}.",
)


def corpus_article(index: int, *, seed: int = 7, duplicate_rate: float = 0.2) -> dict[str, object]:
    """Article `index` of a duplicate-detection corpus: an original, or a copy of a recent one."""
    source = _source_index(index, seed=seed, duplicate_rate=duplicate_rate)
    if source is None:
        return _original(index, seed=seed)
    rng = _rng(seed, index, "copy")
    original = _original(source, seed=seed)
    return _republish(original, rng, index)


def _rng(seed: int, index: int, purpose: str) -> random.Random:
    # A string seed is hashed with sha512: the same in every process, whatever PYTHONHASHSEED.
    return random.Random(f"{seed}:{index}:{purpose}")


def _source_index(index: int, *, seed: int, duplicate_rate: float) -> int | None:
    """The original that article `index` republishes, or None if it is an original."""
    rng = _rng(seed, index, "role")
    if index == 0 or rng.random() >= duplicate_rate:
        return None
    # Republished within a few thousand articles, as wire copy is within days.
    earlier = index - 1 - rng.randrange(min(index, 5000))
    root = _source_index(earlier, seed=seed, duplicate_rate=duplicate_rate)
    return earlier if root is None else root


def _original(index: int, *, seed: int) -> dict[str, object]:
    rng = _rng(seed, index, "original")
    base = generate_article(rng, index)
    theatre = next(t for t in THEATRES if str(base["title"]).endswith(t[0]))
    frames = rng.sample(VARIED, rng.randrange(4, len(VARIED) + 1))
    sentences = [frame.format_map(_Values(rng, theatre[1])) for frame in frames]
    paragraphs = str(base["text"]).split("\n\n")
    # Story-specific sentences replace most shared prose, keeping two paragraphs of it; the
    # lead gets one too, as a template lead alone recurs every few thousand articles.
    lead = f"{paragraphs[0]} {sentences[0]}"
    body = [lead, *_paragraphs(rng, sentences[1:]), *rng.sample(paragraphs[1:], 2)]
    site, footer = rng.choice(SITES)
    if rng.random() < 0.5:
        body.append(footer)
    return {**base, "id": f"dup-{index:07d}", "text": "\n\n".join(body), "source": site,
            "duplicate_of": None}  # fmt: skip


class _Values(dict[str, object]):
    """Template values drawn on first use, so each sentence pays only for the slots it has."""

    def __init__(self, rng: random.Random, towns: tuple[str, ...]) -> None:
        super().__init__()
        self.rng, self.towns = rng, towns

    def __missing__(self, key: str) -> object:
        value = self[key] = _DRAWS[key](self.rng, self)
        return value


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


_DRAWS: dict[str, Callable[[random.Random, _Values], object]] = {
    "name": lambda rng, _: f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
    "occupation": lambda rng, _: rng.choice(OCCUPATIONS),
    "pronoun": lambda rng, _: rng.choice(("she", "he")),
    "pronoun2": lambda _, values: "her" if values["pronoun"] == "she" else "his",
    "town": lambda rng, values: rng.choice(values.towns),
    "town2": lambda rng, values: rng.choice(values.towns),
    "count": lambda rng, _: rng.randrange(3, 400),
    "days": lambda rng, _: rng.randrange(2, 15),
    "building": lambda rng, _: rng.choice(BUILDINGS),
    "asset": lambda rng, _: rng.choice(ASSETS),
    "supply": lambda rng, _: rng.choice(SUPPLIES),
    "service": lambda rng, _: rng.choice(SERVICES),
    "damage": lambda rng, _: rng.choice(DAMAGE),
    "caveat": lambda rng, _: rng.choice(CAVEATS),
    "infrastructure": lambda rng, _: rng.choice(INFRASTRUCTURE),
    "official": lambda rng, _: rng.choice(OFFICIALS),
    "org": lambda rng, _: _capitalised(rng.choice(SOURCES)),
    "households": lambda rng, _: rng.randrange(200, 40000),
    "weekday": lambda rng, _: rng.choice(WEEKDAYS),
    "experience": lambda rng, values: rng.choice(EXPERIENCES).format_map(values),
    "claim": lambda rng, values: rng.choice(CLAIMS).format_map(values),
    "time": lambda rng, values: rng.choice(TIMES).format_map(values),
}


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.randrange(1, 3)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    return paragraphs


_NUMBER = re.compile(r"\b\d{2,}\b")


def _republish(original: dict[str, object], rng: random.Random, index: int) -> dict[str, object]:
    """The original as another site republishes it: each change drawn independently."""
    site, footer = rng.choice(SITES)
    paragraphs = str(original["text"]).split("\n\n")
    if original["source"] != site and paragraphs[-1] in {f for _, f in SITES}:
        paragraphs = paragraphs[:-1]
    if rng.random() < 0.4:
        paragraphs[0] = _change_figure(rng, paragraphs[0])
    if rng.random() < 0.4:
        paragraphs = paragraphs[: max(2, round(len(paragraphs) * rng.uniform(0.4, 0.8)))]
    if rng.random() < 0.5:
        town = str(original["title"]).split(", ")[0].removeprefix("Fighting in ")
        paragraphs[0] = f"{town.upper()} ({site}) - {paragraphs[0]}"
    if rng.random() < 0.3:
        paragraphs.insert(0, rng.choice(BANNERS))
    if rng.random() < 0.6:
        paragraphs.append(footer)
    title = f"{rng.choice(('Update', 'Report', 'Breaking', 'World'))}: {original['title']}"
    return {**original, "id": f"dup-{index:07d}", "title": title, "text": "\n\n".join(paragraphs),
            "source": site, "duplicate_of": original["id"]}  # fmt: skip


def _change_figure(rng: random.Random, text: str) -> str:
    """A later edition's figure: one number in `text` moved by up to a fifth."""
    numbers = list(_NUMBER.finditer(text))
    if not numbers:
        return text
    match = rng.choice(numbers)
    value = int(match.group())
    changed = max(1, value + rng.choice((-1, 1)) * max(1, round(value * rng.uniform(0.05, 0.2))))
    return f"{text[: match.start()]}{changed}{text[match.end() :]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--duplicate-rate", type=float, default=0.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    corpus = iter_corpus(args.articles, seed=args.seed, duplicate_rate=args.duplicate_rate)
    with args.out.open("w", encoding="utf-8") as fh:
        for record in corpus:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
