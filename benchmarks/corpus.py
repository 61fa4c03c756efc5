"""A generator of realistic conflict reports for benchmarks, from templates written here.

    python benchmarks/corpus.py --articles 1000 --out /tmp/corpus.jsonl

Every article is built from sentences in this file with places, actors, figures and dates
drawn by a seeded random generator, so a corpus is the same for the same seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
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


def generate_article(rng: random.Random, index: int) -> dict[str, object]:
    """One article as a JSONL record (id, title, published, text)."""
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
    # in wire copy: about 2-4 KB an article, a third of the sentences carrying numbers.
    sentences = rng.sample(FIGURES, rng.randrange(2, 5)) + rng.sample(PROSE, rng.randrange(5, 10))
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


def generate_corpus(count: int, *, seed: int = 7) -> list[dict[str, object]]:
    """`count` articles, the same for the same seed."""
    rng = random.Random(seed)
    return [generate_article(rng, i) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as fh:
        for record in generate_corpus(args.articles, seed=args.seed):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {args.articles} articles to {args.out}")


if __name__ == "__main__":
    main()
