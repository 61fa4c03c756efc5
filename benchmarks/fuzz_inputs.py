"""What the fuzzer feeds sitroom: input i of a run is a pure function of (seed, i).

Sentences written here in the register of conflict news, mutated (numbers, dates, places,
repeats such as "1, 1, 1, ...", control and odd Unicode characters, cuts inside a UTF-8
character), or plain junk; each goes in by one route: the Python API, the bytes of a
plain-text file with a ` date ` prefix, JSONL lines, an RSS feed or an HTML page.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ROUTES", "FuzzInput", "make_input"]

# Written for sitroom in the register of conflict and disaster reports; no third-party text.
SENTENCES = (
    "Shelling killed 12 civilians in Aleppo on Monday, the monitor said.",
    "At least 7 people were killed when an air strike hit a market in Idlib on 3 March 2020.",
    "More than 2,000 families were displaced from villages near Kharkiv over the past week.",
    "Some 60,000 people have fled Maaret al-Numan since late last month, the UN said.",
    "Gunmen abducted 30 schoolgirls from Kankara in Katsina state overnight.",
    "Police detained between 40 and 50 protesters in Khartoum on Friday.",
    "The floods left 1.2 million people in need of aid across Sindh province in August 2022.",
    "Two thirds of the 15,000 residents of Goma lost access to water after the clashes.",
    "Houthi fighters attacked government positions near Marib early on Sunday, killing four.",
    "A car bomb exploded in Mogadishu on 14 October 2017, killing at least 500 people.",
    "Dozens were injured and hundreds more are missing after the earthquake near Herat.",
    "Russian forces shelled Bakhmut for a third day, the regional governor said on Tuesday.",
    "About 350,000 people in Tigray needed food assistance by mid-2021, agencies warned.",
    "Clashes between the army and the RSF in El Fasher killed 23 and wounded 80 on 12 May.",
    "The ceasefire agreed in Geneva on 27 February 2016 largely held through March.",
    "Nearly half of the 3.5 million people in Gaza were displaced between October and December.",
    "On 2019-12-24, the UN said 235,000 people had fled northwest Syria since 12 December.",
    "M23 rebels seized Rutshuru town on Saturday after heavy fighting with the Congolese army.",
    "An IED struck a convoy near Djibo, killing 11 soldiers, the army said in a statement.",
    "Witnesses said 5-10 drones struck the port of Odesa at dawn on 6 July 2023.",
    "The death toll rose to 1,432, with 3,000 injured, the ministry said late on Wednesday.",
    "Fighting since 15 April has forced more than 4 million people from their homes in Sudan.",
    "Protesters gathered in Tehran on 16 September 2022; at least 3 were reportedly killed.",
    "Last year, 18,000 people returned to Mosul, twice as many as in 2019.",
    "Between 1 and 3 June, 140 people were killed in attacks on villages in Plateau state.",
    "No casualties were reported after the rocket hit an empty school in Sderot yesterday.",
    " date 2020-02-10 Airstrikes killed 9 people in Ariha on Sunday night.",
    "KABUL, Aug 26 (Reuters) - Two blasts outside Kabul airport killed at least 60 people.",
    "Over the weekend, 300 households were evacuated from Beira ahead of the cyclone.",
    "In the 1990s, more than 800,000 people were killed in Rwanda within 100 days.",
    "Al-Shabaab militants attacked a hotel in Mogadishu, holding 12 hostages for 30 hours.",
    "The WHO said 4 in 10 clinics in the province were closed as of 1 January.",
)
DATES = (
    "2019-12-24", "24 December 2019", "December 24, 2019", "24/12/2019", "12/24/2019",
    "late last month", "mid-2019", "early 2020", "on Monday", "last week", "yesterday",
    "since 2011", "between 3 and 5 March", "1 January 0001", "31 December 9999", "0001-01-01",
    "9999-12-31", "2019-02-30", "2019-13-01", "99/99/9999", "0000-00-00", "the 1990s",
    "Feb. 29", "29 February 2021", "the past 48 hours", "overnight", "the next day",
    "in 10000", "year 0", "Q3 2021", "2019-12-24T23:59:59Z", "Tuesday 31 April",
)  # fmt: skip
NUMBERS = (
    "0", "1", "-1", "007", "1,000", "1,00,000", "1.5 million", "2.5bn", "10,000,000,000,000",
    "1" + "0" * 40, "9" * 80, "three", "twenty-one", "a dozen", "dozens", "hundreds of thousands",
    "1e309", "NaN", "inf", "½", "٣٠", "３０", "²", "¹²³", "between 10 and 5", "10-20", "10–20",
    "1/2", "0/0", "0.0001", "1,1,1,1", "1..2", "1,,000", "-0", "+5", "10%", "100 percent",
    "at least", "up to", "nearly", "some", "more than", "fewer than", "million", "billion",
)  # fmt: skip
PLACES = (
    "Aleppo", "Idlib", "Kharkiv", "Goma", "Gaza", "El Fasher", "Niger", "Chad", "Georgia",
    "Jordan", "Turkey", "Mosul", "al-", "Saint", "New", "Sudan", "South Sudan", "Congo",
    "Washington", "Paris, Texas", "Maarat al-Numan", "Ma‘arrat an Nu‘mān", "İzmir", "ÇORUM",
    "Bahía Blanca", "Tel Aviv-Yafo", "St.", "Mt.", "N'Djamena", "Côte d'Ivoire",
)  # fmt: skip
ODD = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9f\u00a0\u00ad\u0130\u0131\u00df\u1e9e\ufb01"
    "\ufb03\u0301\u0308\u0345\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2028\u2029\u2060\ufeff"
    "\ufffd\uffff\U0001f4a5\U0001d7d9\u0660\u0663\uff13\u00b2\u00bd\u2155\u3007\u4e00\u0627"
    "\u05d0\u0e01\u1e9b\u2126\u212a\u01c5\u0149\u0390\r\n\t"
)
PUNCTUATION = "()[]{}.,;:!?'\"-–—/\\%$€£#@&*_~^|<>"
SPACES = (" ", "  ", "\t", "\n", "\n\n", "\r\n", "\u00a0", "\u2028", "\u3000", "")
#: Publication dates: mostly real days (the calendar's edges among them), a tenth refused ones.
PUBLISHED = (
    None, None, "2019-12-24", "2020-02-29", "2023-01-01", "2016-12-31", "1970-01-01",
    "0001-01-01", "9999-12-31",
)  # fmt: skip
BAD_PUBLISHED = (
    "2019-02-30", "", "2019-12-24T00:00", "20191224", "24 December 2019", "2019-1-1",
    "٢٠١٩-١٢-٢٤",
)  # fmt: skip
PREFIXES = (
    " date 2019-12-24 ", " date 0001-01-01 ", " date 9999-12-31\n", " date 2019-02-30 ",
    " date 1x ", " date  ", "date 2019-12-24 ", " date 2019-12-24", " date 20191224 ", "",
)  # fmt: skip
ROUTES = (("api", 50), ("text", 25), ("jsonl", 23), ("feed", 1), ("html", 1))
#: Lone surrogates cannot be encoded, so only the str route (the Python API) meets them.
SURROGATES = "\ud800\udfff\udc80"


@dataclass(frozen=True, slots=True)
class FuzzInput:
    """One generated input: the route it takes in and what it carries."""

    index: int
    route: str
    payload: str | bytes
    #: The `published` argument of the Python API route.
    published: str | None = None
    #: Whether the JSONL route skips bad lines rather than failing on the first.
    skip_bad: bool = False


def make_input(seed: int, index: int) -> FuzzInput:
    """Input `index` of the run seeded `seed`: always the same for the same pair."""
    rng = random.Random(f"{seed}:{index}")
    route = rng.choices([r for r, _ in ROUTES], weights=[w for _, w in ROUTES])[0]
    text = _text(rng, allow_surrogates=route == "api")
    if route == "api":
        return FuzzInput(index, route, text, published=_published(rng))
    if route == "text":
        return FuzzInput(index, route, _text_bytes(rng, text))
    if route == "jsonl":
        return FuzzInput(index, route, _jsonl_bytes(rng, text), skip_bad=rng.random() < 0.5)
    if route == "feed":
        return FuzzInput(index, route, _damage(rng, _feed(rng, text).encode("utf-8", "replace")))
    return FuzzInput(index, route, _damage(rng, _page(rng, text).encode("utf-8", "replace")))


def _published(rng: random.Random) -> str | None:
    return rng.choice(BAD_PUBLISHED if rng.random() < 0.1 else PUBLISHED)


def _text(rng: random.Random, *, allow_surrogates: bool) -> str:
    roll = rng.random()
    if roll < 0.06:
        return _junk(rng, allow_surrogates=allow_surrogates)
    if roll < 0.10:
        return _repeated(rng)
    text = " ".join(rng.choice(SENTENCES) for _ in range(rng.choice((1, 1, 1, 2, 3))))
    for _ in range(rng.choice((0, 1, 1, 2, 3, 5))):
        text = rng.choice(MUTATIONS)(rng, text)
    if allow_surrogates and rng.random() < 0.002:
        text = _insert(rng, text, rng.choice(SURROGATES))
    return text


def _junk(rng: random.Random, *, allow_surrogates: bool) -> str:
    size = rng.randrange(0, 200)
    kind = rng.random()
    if kind < 0.4:
        return "".join(chr(rng.randrange(32, 127)) for _ in range(size))
    if kind < 0.7:
        return "".join(rng.choice(ODD + PUNCTUATION + "0123456789 ") for _ in range(size))
    top = 0x110000 if allow_surrogates else 0xD800
    return "".join(chr(rng.randrange(0, top)) for _ in range(size))


def _repeated(rng: random.Random) -> str:
    # "1, 1, 1, ..." and "2019-12-24 2019-12-24 ...": what makes a matcher go quadratic.
    unit = rng.choice(
        (rng.choice(NUMBERS), rng.choice(DATES), rng.choice(PLACES), rng.choice(SENTENCES))
    )
    separator = rng.choice((", ", " ", "-", " and ", "; ", "\n", "", " to "))
    body = separator.join([unit] * rng.randrange(2, 120))
    return body[: rng.choice((100, 200, 400, 1500))]


def _insert(rng: random.Random, text: str, piece: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + piece + text[at:]


def _slice(rng: random.Random, text: str) -> tuple[int, int]:
    start = rng.randrange(len(text) + 1)
    return start, min(len(text), start + rng.randrange(1, 30))


def _odd_chars(rng: random.Random, text: str) -> str:
    for _ in range(rng.randrange(1, 6)):
        text = _insert(rng, text, rng.choice(ODD))
    return text


def _new_number(rng: random.Random, text: str) -> str:
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if not digits:
        return _insert(rng, text, f" {rng.choice(NUMBERS)} ")
    at = rng.choice(digits)
    end = at
    while end < len(text) and (text[end].isdigit() or text[end] in ",."):
        end += 1
    return text[:at] + rng.choice(NUMBERS) + text[end:]


def _fragment(rng: random.Random, text: str) -> str:
    piece = rng.choice(rng.choice((DATES, NUMBERS, PLACES)))
    spaces = [i for i, c in enumerate(text) if c == " "] or [0]
    at = rng.choice(spaces)
    return f"{text[:at]} {piece}{text[at:]}"


def _repeat_slice(rng: random.Random, text: str) -> str:
    start, end = _slice(rng, text)
    return text[:start] + text[start:end] * rng.randrange(2, 40) + text[end:]


def _delete_slice(rng: random.Random, text: str) -> str:
    start, end = _slice(rng, text)
    return text[:start] + text[end:]


def _swap_words(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    if len(words) > 1:
        i, j = rng.randrange(len(words)), rng.randrange(len(words))
        words[i], words[j] = words[j], words[i]
    return " ".join(words)


def _change_case(rng: random.Random, text: str) -> str:
    start, end = _slice(rng, text)
    change: Callable[[str], str] = rng.choice((str.upper, str.lower, str.title, str.swapcase))
    return text[:start] + change(text[start:end]) + text[end:]


def _respace(rng: random.Random, text: str) -> str:
    return "".join(rng.choice(SPACES) if c == " " and rng.random() < 0.3 else c for c in text)


def _punctuate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randrange(1, 8)):
        text = _insert(rng, text, rng.choice(PUNCTUATION))
    return text


def _cut(rng: random.Random, text: str) -> str:
    return text[: rng.randrange(len(text) + 1)]


MUTATIONS: tuple[Callable[[random.Random, str], str], ...] = (
    _odd_chars, _new_number, _new_number, _fragment, _fragment, _repeat_slice, _delete_slice,
    _swap_words, _change_case, _respace, _punctuate, _cut,
)  # fmt: skip


def _text_bytes(rng: random.Random, text: str) -> bytes:
    data = (rng.choice(PREFIXES) + text).encode("utf-8")
    return _damage(rng, data)


def _damage(rng: random.Random, data: bytes) -> bytes:
    roll = rng.random()
    if roll < 0.05 and data:
        # Cut anywhere, often inside a multi-byte character.
        return data[: rng.randrange(len(data))]
    if roll < 0.08:
        at = rng.randrange(len(data) + 1)
        return data[:at] + bytes([rng.randrange(256)]) + data[at:]
    if roll < 0.09:
        return data.replace(b"\n", b"\r")
    return data


def _jsonl_bytes(rng: random.Random, text: str) -> bytes:
    lines = [_jsonl_line(rng, text) for _ in range(rng.choice((1, 1, 2, 3)))]
    return b"".join(line + rng.choice((b"\n", b"\r\n", b"")) for line in lines)


def _jsonl_line(rng: random.Random, text: str) -> bytes:
    record: dict[str, Any] = {"text": text}
    if rng.random() < 0.5:
        record["published"] = _published(rng)
    for key in ("id", "url", "title"):
        if rng.random() < 0.3:
            record[key] = rng.choice(("a1", "", "https://example.org/2019/12/24/x", text[:40]))
    roll = rng.random()
    if roll < 0.03:
        record.pop("text")
    elif roll < 0.06:
        record[rng.choice(("text", "published", "id"))] = rng.choice((5, 1.5, None, [], {}, True))
    elif roll < 0.07:
        return json.dumps([record]).encode("utf-8")
    line = json.dumps(record, ensure_ascii=rng.random() < 0.5).encode("utf-8")
    if rng.random() < 0.05:
        line = line[: rng.randrange(len(line))]
    return line


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _feed(rng: random.Random, text: str) -> str:
    body = rng.choice((_escape(text), f"<![CDATA[<p>{text}</p>]]>", text))
    day = rng.choice(("Tue, 24 Dec 2019 10:00:00 +0000", "Tue, 99 Foo 2019", "", "2019-12-24"))
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>{_escape(text[:60])}</title><link>https://example.org/a</link>"
        f"<pubDate>{day}</pubDate><description>{body}</description></item></channel></rss>"
    )


def _page(rng: random.Random, text: str) -> str:
    paragraphs = "".join(f"<p>{_escape(part)}</p>" for part in text.split(". "))
    meta = rng.choice(('<meta property="article:published_time" content="2019-12-24">', ""))
    return (
        f"<!doctype html><html><head><title>{_escape(text[:50])}</title>{meta}</head><body>"
        f"<nav>Home | World</nav><article><h1>{_escape(text[:50])}</h1>{paragraphs}</article>"
        "<footer>Contact us</footer></body></html>"
    )
