"""Situation reports: the read-side view of a place and period, and its Markdown and HTML.

`situation()` computes the view once from the store, as plain frozen records: key figures
(reconciled series with every claim), a timeline of incidents, the places most affected and
what changed since a day. Every line of it carries the numbers of the articles it rests on,
and `citations` lists those articles. `render_markdown` and `render_html` only lay it out;
the HTML escapes every piece of article text and links only http(s) URLs.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sitroom.model import MEASURES, Article, Place, Window
from sitroom.record.incidents import Incident, outlet_of
from sitroom.record.series import Claim, Series, load_series

if TYPE_CHECKING:
    from sitroom.store import Store

__all__ = [
    "CHANGE_DAYS",
    "AffectedPlace",
    "Change",
    "Citation",
    "KeyFigure",
    "Situation",
    "TimelineEntry",
    "render_html",
    "render_markdown",
    "situation",
]

#: Without a day to compare with, "what changed" covers this many days before the newest report.
CHANGE_DAYS = 7
#: Key figures first by what they count: lives, then people moved, then needs and context.
_MEASURE_ORDER: dict[str, int] = {measure: rank for rank, measure in enumerate(MEASURES)}
#: How much of an untitled article's first line names it in the sources.
_LABEL_CHARS = 80


@dataclass(frozen=True, slots=True)
class Citation:
    """An article the report rests on, numbered in order of first citation."""

    number: int
    article_id: str
    #: The article's title, else the start of its first line.
    label: str
    url: str | None
    outlet: str | None
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A reconciled series and the citation numbers of its claims (in the claims' order)."""

    series: Series
    cites: tuple[int, ...]
    #: The citation number of each claim, in `series.claims` order.
    claim_cites: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """An incident and the citation numbers of the articles reporting it."""

    incident: Incident
    cites: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AffectedPlace:
    """A place with its incidents in the period and their lowest reported death toll."""

    place: Place
    incidents: int
    fatalities: int
    cites: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """Something first reported on or after the day compared with."""

    kind: Literal["incident", "new figure", "updated figure"]
    cites: tuple[int, ...]
    incident: Incident | None = None
    series: Series | None = None
    #: For an updated figure: the latest claim before the day, and the latest since.
    before: Claim | None = None
    after: Claim | None = None


@dataclass(frozen=True, slots=True)
class Situation:
    """A situation report's content: every section, and the articles it cites."""

    place: str | None
    since: dt.date | None
    until: dt.date | None
    changed_since: dt.date | None
    key_figures: tuple[KeyFigure, ...]
    timeline: tuple[TimelineEntry, ...]
    affected: tuple[AffectedPlace, ...]
    changes: tuple[Change, ...]
    citations: tuple[Citation, ...]


class _Citations:
    """Numbers articles in order of first citation."""

    def __init__(self, articles: dict[str, Article]) -> None:
        self._articles = articles
        self._numbers: dict[str, int] = {}

    def cite(self, article_ids: Iterable[str]) -> tuple[int, ...]:
        numbers = [self._numbers.setdefault(i, len(self._numbers) + 1) for i in article_ids]
        return tuple(sorted(set(numbers)))

    def listed(self) -> tuple[Citation, ...]:
        return tuple(_citation(number, self._articles[i]) for i, number in self._numbers.items())


def _citation(number: int, article: Article) -> Citation:
    label = article.title
    if not label:
        first = " ".join(article.text.strip().split("\n", 1)[0].split())
        label = first if len(first) <= _LABEL_CHARS else first[: _LABEL_CHARS - 1] + "…"
    return Citation(number, article.id, label, article.url, outlet_of(article), article.published)


def situation(
    store: Store,
    *,
    place: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    changed_since: dt.date | None = None,
    key_figures: int = 12,
    timeline: int = 60,
    places: int = 10,
) -> Situation:
    """The situation report for a place (or everywhere) and period, from the store."""
    incidents = store.incidents(place=place, since=since, until=until)
    series = load_series(store, place=place, since=since, until=until)
    cited_ids = {r.article_id for i in incidents for r in i.reports}
    cited_ids |= {c.article_id for s in series for c in s.claims}
    articles = {a.id: a for a in store.articles(ids=cited_ids)}
    if changed_since is None:
        changed_since = _default_change_day(articles.values())
    citations = _Citations(articles)
    figures = _key_figures(series, citations, limit=key_figures)
    entries = tuple(
        TimelineEntry(i, citations.cite(r.article_id for r in i.reports))
        for i in incidents[:timeline]
    )
    return Situation(
        place=place,
        since=since,
        until=until,
        changed_since=changed_since,
        key_figures=figures,
        timeline=entries,
        affected=_affected(incidents, citations, limit=places),
        changes=_changes(incidents, [f.series for f in figures], changed_since, citations),
        citations=citations.listed(),
    )


def _default_change_day(articles: Iterable[Article]) -> dt.date | None:
    days = [a.published for a in articles if a.published is not None]
    return max(days) - dt.timedelta(days=CHANGE_DAYS) if days else None


def _key_figures(
    series: list[Series], citations: _Citations, *, limit: int
) -> tuple[KeyFigure, ...]:
    # Areas before the towns inside them; within a measure the larger counts first.
    chosen = sorted(
        series,
        key=lambda s: (
            _MEASURE_ORDER.get(s.measure, len(_MEASURE_ORDER)),
            s.within is not None,
            -s.reconciled.conservative,
            s.id,
        ),
    )[:limit]
    return tuple(
        KeyFigure(
            series=s,
            cites=citations.cite(c.article_id for c in s.claims),
            claim_cites=tuple(citations.cite([c.article_id])[0] for c in s.claims),
        )
        for s in chosen
    )


def _affected(
    incidents: list[Incident], citations: _Citations, *, limit: int
) -> tuple[AffectedPlace, ...]:
    by_place: dict[str, tuple[Place, list[Incident]]] = {}
    for incident in incidents:
        if incident.place is not None:
            by_place.setdefault(incident.place.id, (incident.place, []))[1].append(incident)
    rows = [
        AffectedPlace(
            place=place,
            incidents=len(group),
            fatalities=sum(i.fatalities or 0 for i in group),
            cites=citations.cite(r.article_id for i in group for r in i.reports),
        )
        for place, group in by_place.values()
    ]
    rows.sort(key=lambda row: (-row.incidents, -row.fatalities, row.place.name))
    return tuple(rows[:limit])


def _changes(
    incidents: list[Incident],
    series: Sequence[Series],
    day: dt.date | None,
    citations: _Citations,
) -> tuple[Change, ...]:
    if day is None:
        return ()
    found = [
        Change("incident", citations.cite(r.article_id for r in i.reports), incident=i)
        for i in incidents
        if i.first_reported is not None and i.first_reported >= day
    ]
    for s in series:
        fresh = [c for c in s.claims if c.published is not None and c.published >= day]
        if not fresh:
            continue
        older = [c for c in s.claims if c not in fresh]
        kind: Literal["new figure", "updated figure"] = "updated figure" if older else "new figure"
        cited = [c.article_id for c in (older[-1:] + fresh[-1:])]
        found.append(
            Change(
                kind,
                citations.cite(cited),
                series=s,
                before=older[-1] if older else None,
                after=fresh[-1],
            )
        )
    return tuple(found)


# -- rendering -------------------------------------------------------------------------------


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "undated"


def _window(window: Window | None) -> str:
    if window is None:
        return "undated"
    if window.start == window.end:
        return window.start.isoformat()
    return f"{window.start.isoformat()} to {window.end.isoformat()}"


def _place(place: Place | None) -> str:
    if place is None:
        return "place unknown"
    within = [part for part in (place.admin1, place.country) if part and part != place.name]
    return f"{place.name} ({', '.join(within)})" if within else place.name


def _title(situation: Situation) -> str:
    where = situation.place or "all places"
    if situation.since or situation.until:
        when = f"{_day(situation.since) if situation.since else '…'} to "
        when += _day(situation.until) if situation.until else "now"
    else:
        when = "all dates"
    return f"Situation report: {where}, {when}"


def _measure(series: Series) -> str:
    words = series.measure.replace("_", " ")
    unit = "" if series.unit == "people" else f" ({series.unit})"
    return f"{words.capitalize()}{unit}"


def _period(series: Series) -> str:
    window = series.window
    if series.kind == "stock" or window is None:
        return "as reported"
    if series.kind == "total":
        return f"since {window.start.isoformat()}"
    return _window(window)


def _figure_text(series: Series) -> str:
    r = series.reconciled
    span = _number(r.low)
    if r.high is None:
        span += " or more"
    elif r.high != r.low:
        span += f"–{_number(r.high)}"
    text = (
        f"{_measure(series)}, {_place(series.place)}, {_period(series)}: "
        f"{_number(r.conservative)} (conservative); range {span}; latest "
        f"{_number(r.latest.figure.value)} as of {_day(r.latest.as_of)}; "
        f"{len(series.claims)} claim(s) from {r.sources} independent source(s)"
    )
    return text + ("; sources disagree" if r.conflict else "")


def _claim_text(claim: Claim) -> str:
    said = f"{claim.figure.source}, " if claim.figure.source else ""
    return (
        f"“{claim.figure.text}”: {_number(claim.figure.value)} ({claim.figure.qualifier}) — "
        f"{said}{claim.outlet or 'outlet unknown'}, {_day(claim.published)}"
    )


def _incident_text(incident: Incident) -> str:
    parts = [_window(incident.date), incident.subtype, _place(incident.place)]
    if incident.actors:
        parts.append(", ".join(incident.actors))
    if incident.fatalities is not None:
        low, high = incident.fatalities, incident.fatalities_high
        parts.append(f"{low} killed" if high in (None, low) else f"{low}–{high} killed")
    parts.append(f"{incident.report_count} report(s) from {incident.source_count} source(s)")
    return " · ".join(parts)


def _affected_text(row: AffectedPlace) -> str:
    deaths = f", at least {row.fatalities} killed" if row.fatalities else ""
    return f"{_place(row.place)}: {row.incidents} incident(s){deaths}"


def _change_text(change: Change) -> str:
    if change.incident is not None:
        return f"New incident: {_incident_text(change.incident)}"
    assert change.series is not None and change.after is not None
    head = f"{_measure(change.series)}, {_place(change.series.place)}"
    now = f"{_number(change.after.figure.value)} ({_day(change.after.published)})"
    if change.before is None:
        return f"New figure: {head}: {now}"
    return f"Updated figure: {head}: {_number(change.before.figure.value)} → {now}"


def _citation_text(citation: Citation) -> str:
    outlet = citation.outlet or "outlet unknown"
    return f"{citation.label} — {outlet}, {_day(citation.published)}"


def _sections(situation: Situation) -> list[tuple[str, list[tuple[str, tuple[int, ...]]]]]:
    """Each section's heading and lines, a line being its text and its citation numbers."""
    figures: list[tuple[str, tuple[int, ...]]] = []
    for key in situation.key_figures:
        figures.append((_figure_text(key.series), key.cites))
        figures.extend(
            ("    " + _claim_text(claim), (number,))
            for claim, number in zip(key.series.claims, key.claim_cites, strict=True)
        )
    since = f" since {_day(situation.changed_since)}" if situation.changed_since else ""
    return [
        ("Key figures", figures),
        (
            "Timeline of incidents",
            [(_incident_text(e.incident), e.cites) for e in situation.timeline],
        ),
        ("Places most affected", [(_affected_text(row), row.cites) for row in situation.affected]),
        (f"What changed{since}", [(_change_text(c), c.cites) for c in situation.changes]),
    ]


def render_markdown(situation: Situation) -> str:
    """The report as Markdown: sections of cited lines, then the numbered sources."""
    out = [f"# {_md(_title(situation))}", ""]
    for heading, lines in _sections(situation):
        out += [f"## {_md(heading)}", ""]
        if not lines:
            out.append("Nothing reported.")
        for text, cites in lines:
            indent = "  " if text.startswith("    ") else ""
            refs = "".join(f"[{n}]" for n in cites)
            out.append(f"{indent}- {_md(text.strip())} {refs}")
        out.append("")
    out += ["## Sources", ""]
    for c in situation.citations:
        link = f" <{c.url}>" if c.url and _is_web_url(c.url) else ""
        out.append(f"[{c.number}]: {_md(_citation_text(c))} (article `{c.article_id}`){link}")
    return "\n".join(out).rstrip() + "\n"


def _md(text: str) -> str:
    # Article text must not become Markdown markup (links, emphasis, HTML) in the report.
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def render_html(situation: Situation) -> str:
    """The report as one self-contained HTML page; every piece of article text is escaped."""
    esc = html.escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(_title(situation))}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "li{margin:.2em 0}.cite{font-size:.85em}</style>",
        "</head><body>",
        f"<h1>{esc(_title(situation))}</h1>",
    ]
    for heading, lines in _sections(situation):
        out.append(f"<h2>{esc(heading)}</h2>")
        if not lines:
            out.append("<p>Nothing reported.</p>")
            continue
        out.append("<ul>")
        for text, cites in lines:
            refs = " ".join(f'<a class="cite" href="#source-{n}">[{n}]</a>' for n in cites)
            style = ' style="margin-left:2em"' if text.startswith("    ") else ""
            out.append(f"<li{style}>{esc(text.strip())} {refs}</li>")
        out.append("</ul>")
    out.append("<h2>Sources</h2><ol>")
    for c in situation.citations:
        text = esc(_citation_text(c))
        if c.url and _is_web_url(c.url):
            text = f'<a href="{esc(c.url, quote=True)}" rel="noopener noreferrer">{text}</a>'
        out.append(
            f'<li id="source-{c.number}" value="{c.number}">{text} '
            f"(article <code>{esc(c.article_id)}</code>)</li>"
        )
    out.append("</ol></body></html>")
    return "\n".join(out) + "\n"


def _is_web_url(url: str) -> bool:
    # Only web links become links: a "javascript:" URL in an article must stay text.
    return url.lower().startswith(("http://", "https://"))
