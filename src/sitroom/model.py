"""The document model: frozen dataclasses for articles and the facts extracted from them.

Every fact holds the id of its article and a `Span` of character offsets into the article
text, so the evidence for any fact is one slice away. Nothing here does I/O.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, get_args

__all__ = [
    "GRANULARITIES",
    "MEASURES",
    "QUALIFIERS",
    "Article",
    "Event",
    "Extraction",
    "Figure",
    "Place",
    "PlaceMention",
    "Sentence",
    "Span",
    "TimeMention",
    "Window",
    "article_id_for",
    "normalise_for_id",
]

Qualifier = Literal["exact", "approx", "at_least", "at_most", "range", "fraction"]
QUALIFIERS: tuple[Qualifier, ...] = get_args(Qualifier)

Measure = Literal[
    "killed",
    "injured",
    "missing",
    "abducted",
    "detained",
    "displaced",
    "evacuated",
    "returned",
    "refugees",
    "affected",
    "in_need",
    "at_risk",
    "population",
    "attacks",
    "other",
]
MEASURES: tuple[Measure, ...] = get_args(Measure)

Granularity = Literal["day", "week", "month", "year", "range", "time"]
#: Where a figure's place was found: in its clause, elsewhere in its sentence, or, when the
#: sentence names none, the article's focus (the place it names most often).
PlaceBasis = Literal["clause", "sentence", "article"]
GRANULARITIES: tuple[Granularity, ...] = get_args(Granularity)

_T = TypeVar("_T")


def _slot_init(cls: type[_T]) -> type[_T]:
    """The frozen dataclass `cls` with an `__init__` that sets its slots through their setters.

    The generated `__init__` goes through `object.__setattr__`, which looks every field's name
    up again; extractors make tens of facts per article and this way takes about half as long.
    The signature, defaults and `__post_init__` call are the generated one's.
    """
    namespace: dict[str, Any] = {}
    params, lines = [], []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        namespace[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        lines.append(f" _set_{f.name}(self, {f.name})")
    if hasattr(cls, "__post_init__"):
        lines.append(" self.__post_init__()")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(lines), namespace)
    init, target = namespace["__init__"], vars(cls)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = target["__init__"].__annotations__
    type.__setattr__(cls, "__init__", init)
    return cls


@dataclass(frozen=True, order=True, slots=True, init=False)
class Span:
    """Half-open character offsets `[start, end)` into an article's text."""

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        # Written out, not a generated `__init__` calling `__post_init__`: every extractor
        # makes spans, and checking first, then setting the slots directly, takes half as long.
        if not 0 <= start <= end:
            raise ValueError(f"invalid span ({start}, {end}): need 0 <= start <= end")
        _SET_SPAN_START(self, start)
        _SET_SPAN_END(self, end)

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """The characters of `text` this span covers."""
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        """Whether `other` lies wholly inside this span."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share at least one character."""
        return self.start < other.end and other.start < self.end


# The slots' own setters: a frozen dataclass refuses plain assignment, even in `__init__`.
_SET_SPAN_START = Span.__dict__["start"].__set__
_SET_SPAN_END = Span.__dict__["end"].__set__


@_slot_init
@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive range of calendar days."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def day(cls, day: dt.date) -> Window:
        """The window of one day."""
        return cls(day, day)

    def contains(self, day: dt.date) -> bool:
        """Whether `day` falls inside the window."""
        return self.start <= day <= self.end


def normalise_for_id(text: str) -> str:
    """The text with Unicode composed and whitespace collapsed: what an article id hashes."""
    # str.split() breaks on exactly the code points `\s` matches, four times faster than a regex.
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_id_for(text: str) -> str:
    """A stable id from the article's normalised text, so the same report always gets it."""
    digest = hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()
    return f"a{digest[:16]}"


@dataclass(frozen=True, slots=True)
class Article:
    """One news report: the text every fact's span points into, and what is known about it."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: dt.date | None = None
    #: Where the publication date came from: "metadata", "prefix", "dateline", "byline",
    #: "url", "heading" (a date alone on a line near the top), or None.
    published_source: str | None = None
    #: Who published it: an outlet, a feed's title or a site name, when known.
    source: str | None = None

    @classmethod
    def create(
        cls,
        text: str,
        *,
        id: str | None = None,
        url: str | None = None,
        title: str | None = None,
        published: dt.date | None = None,
        published_source: str | None = None,
        source: str | None = None,
    ) -> Article:
        """An article whose id is the content hash of its text unless one is given."""
        if published is not None and published_source is None:
            published_source = "metadata"
        return cls(
            id=id if id is not None else article_id_for(text),
            text=text,
            url=url,
            title=title,
            published=published,
            published_source=published_source,
            source=source,
        )


@_slot_init
@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or a heading line) of the article text."""

    span: Span


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry a mention resolves to."""

    id: str
    name: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    #: "country", "admin1", "admin2", "region", "city" or "village": how precise the point is.
    kind: str
    population: int = 0


@_slot_init
@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the text, resolved to a gazetteer entry when one fits."""

    article_id: str
    span: Span
    text: str
    place: Place | None
    confidence: float


@_slot_init
@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression and the window of days it denotes (None when it cannot be resolved)."""

    article_id: str
    span: Span
    text: str
    window: Window | None
    granularity: Granularity
    #: True when the window's edges are approximate ("late last month", "mid-2019").
    fuzzy: bool = False


@_slot_init
@dataclass(frozen=True, slots=True)
class Figure:
    """A reported count: its value and bounds, what it counts, where, when and who said so."""

    article_id: str
    span: Span
    text: str
    value: int | float
    qualifier: Qualifier
    unit: str
    measure: Measure
    sentence: Span
    low: int | float | None = None
    high: int | float | None = None
    place_id: str | None = None
    period: Window | None = None
    source: str | None = None
    #: True for vague quantities ("dozens", "thousands of families"), whose value is a floor.
    vague: bool = False
    #: Where `place_id` came from; None when there is no place.
    place_basis: PlaceBasis | None = None


@_slot_init
@dataclass(frozen=True, slots=True)
class Event:
    """An incident typed in ACLED's taxonomy, tied to the clause that reports it."""

    article_id: str
    span: Span
    type: str
    subtype: str
    date: Window | None
    place_id: str | None = None
    actors: tuple[str, ...] = ()
    fatalities: int | None = None
    confidence: float = 0.5
    #: True when the date is the publication date, not read from the clause.
    date_from_publication: bool = False


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    places: tuple[PlaceMention, ...] = field(default=())
    times: tuple[TimeMention, ...] = field(default=())
    figures: tuple[Figure, ...] = field(default=())
    events: tuple[Event, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        """The `sitroom.extract/v1` contract JSON object for this article."""
        from sitroom.contract import extraction_to_dict

        return extraction_to_dict(self)
