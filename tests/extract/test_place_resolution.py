"""Place resolution: nearness to the towns only one place can be, and repeated names."""

from __future__ import annotations

import pytest

from sitroom.extract import gazetteer
from sitroom.extract.place_resolution import Candidate, _anchors, _near_an_anchor, resolve
from sitroom.model import Place, Span


def _town(lat: float, lon: float, name: str = "Town") -> Candidate:
    place = Place(f"test:{name}", name, "NO", None, lat, lon, "village", 800)
    return Candidate(Span(0, len(name)), (gazetteer.Entry(place, "PPL", "NO.01"),))


@pytest.mark.parametrize(
    ("lat", "lon", "near"),
    [
        (60.0, 12.1, True),  # two cells of longitude east, 122 km away at this latitude
        (60.0, 13.0, False),  # 172 km
        (61.0, 9.9, True),  # the cell above
        (10.0, 12.1, False),  # near the equator two degrees are 244 km
    ],
)
def test_near_an_anchor_looks_across_cells_at_its_latitude(
    lat: float, lon: float, near: bool
) -> None:
    anchors = _anchors([_town(60.0, 9.9, "Anchor"), _town(10.0, 9.9, "South")])
    place = Place("test:p", "P", "NO", None, lat, lon, "village", 800)
    assert _near_an_anchor(place, anchors) is near


def test_an_anchor_is_not_near_itself() -> None:
    anchors = _anchors([_town(60.0, 9.9)])
    assert not _near_an_anchor(_town(60.0, 9.9).entries[0].place, anchors)


def test_a_name_named_again_resolves_alike() -> None:
    # Scored once per context and reused: each mention gets the same place and confidence.
    gaz = gazetteer.load()
    text = "Shelling hit Ariha. Later Ariha was calm, and Ariha reopened."
    entries = gaz.candidates("ariha")
    assert len(entries) > 1
    starts = [i for i in range(len(text)) if text.startswith("Ariha", i)]
    candidates = [Candidate(Span(s, s + 5), entries) for s in starts]
    mentions = resolve(candidates, text)
    assert len({(m.place, m.confidence) for m in mentions}) == 1
