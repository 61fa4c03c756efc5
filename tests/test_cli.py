"""The `sitroom` command line: extract formats and inputs, bad input, ingest, listings, help."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
from click.testing import CliRunner, Result

from sitroom.cli import main
from sitroom.store import Counts, open_store

# Three short articles of our own: a dated text file and two JSONL records.
KHERSON = (
    " date 2023-03-14 Shelling hit the town of Kherson on Monday, killing 4 civilians and "
    "injuring 11 others, the regional governor said.\n\n"
    "More than 3,000 people were displaced from villages near Mykolaiv over the past week, "
    "the UN said.\n"
)
NYALA = {
    "id": "sudan-1",
    "title": "Strike on Nyala market",
    "published": "2023-06-15",
    "text": (
        "An air strike on a market in Nyala killed at least 12 people on Tuesday, residents "
        "said. Some 25,000 people have fled El Geneina since late May."
    ),
}
ADEN = {
    "id": "yemen-1",
    "published": "2022-01-20",
    "text": "Protesters gathered in Aden on Wednesday. Police detained 30 people, witnesses said.",
}
SPAN_KINDS = ("places", "times", "figures")


def _jsonl(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def _invoke(*args: str, input: str | bytes | None = None, **kwargs: Any) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False, **kwargs)


def _fails(result: Result, *fragments: str, code: int = 2) -> None:
    """The command exited with `code` and said every fragment on stderr, nothing on stdout."""
    assert result.exit_code == code, (result.exit_code, result.output)
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert result.stdout == ""


def _assert_spans_slice_the_text(payload: dict[str, Any], text: str) -> None:
    for kind in SPAN_KINDS:
        for fact in payload[kind]:
            assert text[fact["start"] : fact["end"]] == fact["text"], (kind, fact)
    for event in payload["events"]:
        assert 0 <= event["start"] < event["end"] <= len(text)


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A developer's SITROOM_DB must never receive test data."""
    monkeypatch.delenv("SITROOM_DB", raising=False)
    yield


@pytest.fixture
def kherson(tmp_path: Path) -> Path:
    path = tmp_path / "kherson.txt"
    path.write_text(KHERSON, encoding="utf-8")
    return path


@pytest.fixture
def two_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "two.jsonl"
    path.write_text(_jsonl(NYALA, ADEN), encoding="utf-8")
    return path


# --- extract: inputs and output formats ------------------------------------------------------


def test_extract_text_file_reads_the_date_prefix_and_offsets_skip_it(kherson: Path) -> None:
    result = _invoke("extract", str(kherson))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["contract"] == "sitroom.extract/v1"
    assert payload["article"]["published"] == "2023-03-14"
    body = KHERSON.removeprefix(" date 2023-03-14 ")
    _assert_spans_slice_the_text(payload, body)
    assert {p["text"] for p in payload["places"]} >= {"Kherson", "Mykolaiv"}
    assert "More than 3,000" in {f["text"] for f in payload["figures"]}


def test_extract_jsonl_writes_one_line_per_record_and_keeps_ids(
    two_jsonl: Path, contract_schema: dict[str, Any]
) -> None:
    result = _invoke("extract", "--format", "jsonl", str(two_jsonl))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    for line in lines:
        jsonschema.validate(line, contract_schema)
    assert [line["article"]["id"] for line in lines] == ["sudan-1", "yemen-1"]
    assert [line["article"]["published"] for line in lines] == ["2023-06-15", "2022-01-20"]
    assert lines[0]["article"]["title"] == "Strike on Nyala market"
    for line, record in zip(lines, (NYALA, ADEN), strict=True):
        _assert_spans_slice_the_text(line, record["text"])


def test_extract_json_is_an_object_for_one_article_and_an_array_for_several(
    kherson: Path, two_jsonl: Path
) -> None:
    one = json.loads(_invoke("extract", "--format", "json", str(kherson)).stdout)
    several = json.loads(_invoke("extract", "--format", "json", str(two_jsonl)).stdout)
    assert isinstance(one, dict) and one["article"]["published"] == "2023-03-14"
    assert isinstance(several, list)
    assert [p["article"]["id"] for p in several] == ["sudan-1", "yemen-1"]


def test_extract_json_is_laid_out_as_json_dumps_with_an_indent_of_two(
    kherson: Path, two_jsonl: Path
) -> None:
    # The writer streams each article as it is extracted; its layout must still be exactly
    # the standard library's, so scripts that diff outputs see no change.
    lines = _invoke("extract", "--format", "jsonl", str(two_jsonl)).stdout.splitlines()
    several = _invoke("extract", "--format", "json", str(two_jsonl)).stdout
    expected = json.dumps([json.loads(line) for line in lines], ensure_ascii=False, indent=2)
    assert several == expected + "\n"
    one = _invoke("extract", "--format", "json", str(kherson)).stdout
    assert one == json.dumps(json.loads(one), ensure_ascii=False, indent=2) + "\n"


def test_extract_json_keeps_the_articles_read_before_a_bad_line_as_valid_json(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad-third.jsonl"
    path.write_text(_jsonl(NYALA, ADEN) + "{not json\n", encoding="utf-8")
    result = _invoke("extract", "--format", "json", str(path))
    assert result.exit_code == 2
    assert "bad-third.jsonl:3: not JSON" in result.stderr
    assert [p["article"]["id"] for p in json.loads(result.stdout)] == ["sudan-1", "yemen-1"]


def test_extract_json_keeps_a_lone_article_read_before_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad-second.jsonl"
    path.write_text(_jsonl(NYALA) + "{not json\n", encoding="utf-8")
    result = _invoke("extract", "--format", "json", str(path))
    assert result.exit_code == 2
    assert json.loads(result.stdout)["article"]["id"] == "sudan-1"


def test_extract_reads_text_from_stdin() -> None:
    result = _invoke("extract", "-", input=KHERSON)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["article"]["published"] == "2023-03-14"
    _assert_spans_slice_the_text(payload, KHERSON.removeprefix(" date 2023-03-14 "))


def test_extract_reads_jsonl_from_stdin() -> None:
    result = _invoke(
        "extract", "--input-format", "jsonl", "--format", "jsonl", "-", input=_jsonl(NYALA, ADEN)
    )
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["article"]["id"] for line in result.stdout.splitlines()]
    assert ids == ["sudan-1", "yemen-1"]


def test_extract_published_overrides_the_prefix(kherson: Path) -> None:
    payload = json.loads(_invoke("extract", "--published", "2023-04-01", str(kherson)).stdout)
    assert payload["article"]["published"] == "2023-04-01"
    monday = next(t for t in payload["times"] if t["text"] == "Monday")
    assert monday["value"] == {"start": "2023-03-27", "end": "2023-03-27"}


def test_extract_table_shows_each_kind_of_fact(kherson: Path) -> None:
    result = _invoke("extract", "--format", "table", str(kherson))
    assert result.exit_code == 0, result.output
    assert "published 2023-03-14" in result.stdout
    for kind in ("places", "times", "figures", "events"):
        assert re.search(rf"{kind} \(\d+\)", result.stdout), kind
    assert "Kherson" in result.stdout


def test_table_prints_brackets_in_data_as_text_not_markup(tmp_path: Path) -> None:
    # Regression: rich read "[/b]" in an article id as a closing tag and crashed.
    record = {"id": "[/b]odd-id", "text": "Shelling hit Aden on Monday."}
    path = tmp_path / "odd.jsonl"
    path.write_text(_jsonl(record), encoding="utf-8")
    result = _invoke("extract", "--format", "table", str(path))
    assert result.exit_code == 0, result.output
    assert "[/b]odd-id" in result.stdout


# --- extract: bad input ----------------------------------------------------------------------


def test_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    _fails(_invoke("extract", str(missing)), str(missing), "no such file")


@pytest.mark.parametrize(
    ("name", "data", "fragments"),
    [
        ("empty.txt", b"", ("empty",)),
        ("blank.txt", b"  \n\n ", ("empty",)),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("binary", "NUL")),
        ("latin1.txt", "Frappes près de Alep".encode("latin-1"), ("not valid UTF-8", "0xe8")),
        ("empty.jsonl", b"", ("no JSONL records",)),
    ],
)
def test_unreadable_file_is_named_with_what_is_wrong(
    tmp_path: Path, name: str, data: bytes, fragments: tuple[str, ...]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    _fails(_invoke("extract", str(path)), str(path), *fragments)


def test_empty_stdin_is_named() -> None:
    _fails(_invoke("extract", "-", input=""), "<stdin>", "no text")


@pytest.fixture
def malformed(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.jsonl"
    path.write_text(_jsonl(NYALA) + "{not json\n" + _jsonl(ADEN), encoding="utf-8")
    return path


def test_malformed_jsonl_names_file_and_line(malformed: Path) -> None:
    result = _invoke("extract", "--format", "jsonl", str(malformed))
    assert result.exit_code == 2
    assert f"{malformed}:2:" in result.stderr


def test_skip_bad_goes_on_and_reports_the_count(malformed: Path) -> None:
    result = _invoke("extract", "--format", "jsonl", "--skip-bad", str(malformed))
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["article"]["id"] for line in result.stdout.splitlines()]
    assert ids == ["sudan-1", "yemen-1"]
    assert "skipped 1 bad record(s)" in result.stderr


def test_impossible_date_in_jsonl_is_named(tmp_path: Path) -> None:
    path = tmp_path / "dates.jsonl"
    path.write_text(_jsonl({**ADEN, "published": "2019-02-30"}), encoding="utf-8")
    _fails(_invoke("extract", str(path)), f"{path}:1:", "'2019-02-30'", "not a real day")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("2019-02-30", "not a real day"), ("20190228", "YYYY-MM-DD"), ("yesterday", "YYYY-MM-DD")],
)
def test_bad_published_option_is_a_usage_error(kherson: Path, value: str, fragment: str) -> None:
    _fails(_invoke("extract", "--published", value, str(kherson)), "--published", fragment)


def test_published_override_refuses_jsonl(two_jsonl: Path) -> None:
    _fails(_invoke("extract", "--published", "2023-01-01", str(two_jsonl)), "single plain-text")


# --- ingest ----------------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path, kherson: Path, two_jsonl: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(kherson, root / "a-kherson.txt")
    shutil.copy(two_jsonl, root / "b-two.jsonl")
    return root


def _counts(db: Path) -> Counts:
    with open_store(db) as store:
        return store.counts()


def _table_numbers(stdout: str) -> list[int]:
    row = next(line for line in stdout.splitlines() if re.match(r"│\s*\d", line))
    return [int(n) for n in re.findall(r"\d+", row)]


def test_ingest_prints_the_counts_and_twice_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "store.db"
    first = _invoke("ingest", "--db", str(db), str(corpus))
    assert first.exit_code == 0, first.output
    counts = _counts(db)
    assert counts.articles == 3 and counts.figures > 0 and counts.events > 0
    as_printed = [counts.articles, counts.duplicates, counts.places, counts.times,
                  counts.figures, counts.events, counts.incidents]  # fmt: skip
    assert _table_numbers(first.stdout) == as_printed
    assert "3 added" in first.stderr

    second = _invoke("ingest", "--db", str(db), str(corpus / "b-two.jsonl"), str(corpus))
    assert second.exit_code == 0, second.output
    assert _counts(db) == counts
    assert "0 added" in second.stderr and "5 already stored" in second.stderr


@pytest.mark.parametrize(("batch_size", "kept"), [("100", 0), ("1", 2)])
def test_ingest_failure_keeps_what_was_stored(
    tmp_path: Path, kherson: Path, batch_size: str, kept: int
) -> None:
    db = tmp_path / "store.db"
    assert _invoke("ingest", "--db", str(db), str(kherson)).exit_code == 0
    before = _counts(db)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.txt").write_text(" date 2022-05-01 Heavy shelling hit Kharkiv overnight.")
    (bad / "b.jsonl").write_text(_jsonl(ADEN) + "[1, 2]\n" + _jsonl(NYALA))

    result = _invoke("ingest", "--db", str(db), "--batch-size", batch_size, str(bad))
    _fails(result, f"{bad / 'b.jsonl'}:2:", f"{kept} article(s) added before the error")
    after = _counts(db)
    assert after.articles == before.articles + kept
    if kept == 0:
        assert after == before


def test_ingest_store_comes_from_db_option_or_environment(
    tmp_path: Path, kherson: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    from_env, from_option = tmp_path / "env.db", tmp_path / "option.db"
    monkeypatch.setenv("SITROOM_DB", str(from_env))
    assert _invoke("ingest", str(kherson)).exit_code == 0
    assert _invoke("ingest", "--db", str(from_option), str(kherson)).exit_code == 0
    assert _counts(from_env).articles == 1 and _counts(from_option).articles == 1
    assert not (tmp_path / "sitroom.db").exists()

    rows = json.loads(_invoke("articles", "--format", "json").stdout)
    assert [row["published"] for row in rows] == ["2023-03-14"]

    monkeypatch.delenv("SITROOM_DB")
    assert _invoke("ingest", str(kherson)).exit_code == 0
    assert _counts(tmp_path / "sitroom.db").articles == 1


def test_listing_a_missing_store_does_not_create_it(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    _fails(_invoke("figures", "--db", str(db)), str(db), "no store there", code=3)
    assert not db.exists()


# --- listings --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("listing")
    (root / "kherson.txt").write_text(KHERSON, encoding="utf-8")
    (root / "two.jsonl").write_text(_jsonl(NYALA, ADEN), encoding="utf-8")
    path = root / "store.db"
    result = _invoke("ingest", "--db", str(path), str(root))
    assert result.exit_code == 0, result.output
    return path


def _rows(db: Path, command: str, *options: str, output: str = "json") -> list[dict[str, Any]]:
    result = _invoke(command, "--db", str(db), "--format", output, *options)
    assert result.exit_code == 0, result.output
    if output == "csv":
        return list(csv.DictReader(io.StringIO(result.stdout)))
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_articles_are_listed_by_date_and_filtered(db: Path) -> None:
    rows = _rows(db, "articles")
    assert [row["published"] for row in rows] == ["2022-01-20", "2023-03-14", "2023-06-15"]
    assert rows[2] == {
        "id": "sudan-1",
        "published": "2023-06-15",
        "title": "Strike on Nyala market",
        "url": None,
        "chars": len(str(NYALA["text"])),
    }
    assert [r["id"] for r in _rows(db, "articles", "--since", "2023-06-01")] == ["sudan-1"]
    assert [r["id"] for r in _rows(db, "articles", "--until", "2022-12-31")] == ["yemen-1"]
    assert [r["id"] for r in _rows(db, "articles", "--place", "aden")] == ["yemen-1"]


def test_figures_filter_by_measure_in_csv(db: Path) -> None:
    rows = _rows(db, "figures", "--measure", "displaced", output="csv")
    assert {row["text"] for row in rows} == {"More than 3,000", "Some 25,000"}
    assert {row["measure"] for row in rows} == {"displaced"}
    by_text = {row["text"]: row for row in rows}
    assert by_text["Some 25,000"]["article_id"] == "sudan-1"
    assert by_text["Some 25,000"]["qualifier"] == "approx"
    assert float(by_text["More than 3,000"]["value"]) == 3000


def test_figures_filter_by_place_dates_and_limit(db: Path) -> None:
    nyala = _rows(db, "figures", "--place", "Nyala")
    assert [(r["text"], r["measure"]) for r in nyala] == [("at least 12", "killed")]
    june = _rows(db, "figures", "--since", "2023-06-01", "--until", "2023-06-30")
    assert {r["article_id"] for r in june} == {"sudan-1"}
    assert len(_rows(db, "figures", "--limit", "2")) == 2


def test_places_filter_by_name(db: Path) -> None:
    rows = _rows(db, "places", "--place", "kherson", output="csv")
    assert [(r["text"], r["country"]) for r in rows] == [("Kherson", "UA")]
    assert rows[0]["place_id"].startswith("geonames:")


@pytest.mark.parametrize(
    ("event_type", "subtypes"),
    [
        ("air/drone STRIKE", {"Air/drone strike"}),
        ("Explosions/Remote violence", {"Air/drone strike", "Shelling/artillery/missile attack"}),
        ("protests", {"Peaceful protest"}),
    ],
)
def test_events_filter_by_type_in_any_case(db: Path, event_type: str, subtypes: set[str]) -> None:
    rows = _rows(db, "events", "--type", event_type)
    assert {row["subtype"] for row in rows} == subtypes


def test_events_filter_by_dates(db: Path) -> None:
    rows = _rows(db, "events", "--since", "2023-06-01", "--until", "2023-06-30", output="csv")
    assert {r["article_id"] for r in rows} == {"sudan-1"}
    strike = next(r for r in rows if r["subtype"] == "Air/drone strike")
    assert (strike["date_start"], strike["fatalities"]) == ("2023-06-13", "12")


@pytest.mark.parametrize("command", ["articles", "places", "figures", "events"])
def test_listing_table_shows_the_rows(db: Path, command: str) -> None:
    result = _invoke(command, "--db", str(db))
    assert result.exit_code == 0, result.output
    count = len(_rows(db, command))
    assert count > 0
    assert f"{command} ({count})" in result.stdout


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (("figures", "--measure", "wounded"), "'wounded' is not one of"),
        (("events", "--type", "air"), "not an event type or sub-type"),
        (("articles", "--since", "2023-13-01"), "not a real day"),
        (("places", "--until", "last week"), "YYYY-MM-DD"),
        (("figures", "--limit", "0"), "--limit"),
    ],
)
def test_bad_filter_is_a_usage_error(db: Path, options: tuple[str, ...], fragment: str) -> None:
    _fails(_invoke(*options, "--db", str(db)), "Usage:", fragment)


# --- help ------------------------------------------------------------------------------------


def _command_names() -> list[str]:
    assert isinstance(main, click.Group)
    return sorted(main.commands)


@pytest.mark.parametrize("command", [[], *([name] for name in _command_names())])
def test_every_help_has_a_runnable_example(command: list[str]) -> None:
    result = _invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert re.search(r"^\s+sitroom ", result.stdout.split("Example:")[1], re.MULTILINE)


# --- real processes --------------------------------------------------------------------------


def _run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sitroom", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)


def test_python_dash_m_reads_stdin_and_exits_cleanly() -> None:
    result = _run("extract", "--format", "jsonl", "-", input=KHERSON)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["article"]["published"] == "2023-03-14"


def test_console_script_maps_input_errors_to_exit_code_2(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("sitroom")
    if not script.exists():
        pytest.skip(f"no console script at {script}; install the package with pip install -e .")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Réfugiés à Goma".encode("latin-1"))
    result = subprocess.run(
        [str(script), "extract", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"sitroom: error: {bad}: not valid UTF-8")
    assert "Traceback" not in result.stderr


HUGE_SENTENCES = (
    "On 12 March 2021, shelling near Mosul killed 14 civilians and injured 23 others.",
    "More than 2,000 families were displaced from villages around Kherson over the past week.",
    "Aid agencies said about 350,000 people in Tigray needed food assistance on Monday.",
    "An air strike hit a market in Idlib on Sunday, killing at least 7 people, a monitor said.",
    "Some 40 communities in Darfur lost access to water after clashes on 3 June 2023.",
    "Protesters gathered in Khartoum on Friday; police detained 60 people.",
)


def _huge_article(path: Path, size: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write(" date 2023-06-15 ")
        written, n = 0, 0
        while written < size:
            sentence = HUGE_SENTENCES[n % len(HUGE_SENTENCES)] + (" " if n % 5 else "\n\n")
            written += handle.write(sentence)
            n += 1


#: A guard against a hang, not a speed bar (benchmarks measure speed): the 50 MB article
#: takes 8-9 minutes on one core of the 2-core CI machine.
HANG_S = 1500


@pytest.mark.slow
def test_huge_article_finishes_with_valid_json(tmp_path: Path) -> None:
    article, output = tmp_path / "huge.txt", tmp_path / "huge.jsonl"
    _huge_article(article, 50_000_000)
    started = time.perf_counter()
    with output.open("w", encoding="utf-8") as out:
        command = [sys.executable, "-m", "sitroom", "extract", "--format", "jsonl", str(article)]
        result = subprocess.run(
            command, stdout=out, stderr=subprocess.PIPE, text=True, timeout=HANG_S
        )
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    print(f"extract --format jsonl on 50 MB: {elapsed:.0f} s")
    payload = json.loads(output.read_text(encoding="utf-8"))
    assert payload["article"]["published"] == "2023-06-15"
    text = article.read_text(encoding="utf-8").removeprefix(" date 2023-06-15 ")
    assert len(payload["figures"]) > 100_000
    for kind in SPAN_KINDS:
        for fact in payload[kind][:: max(1, len(payload[kind]) // 1000)]:
            assert text[fact["start"] : fact["end"]] == fact["text"]


# --- the record: incidents, report, export, evaluate --------------------------------------------


def test_ingest_counts_incidents_and_duplicates(db: Path) -> None:
    counts = _counts(db)
    assert counts.incidents > 0 and counts.duplicates == 0


def test_incidents_are_listed_with_their_articles(db: Path) -> None:
    rows = _rows(db, "incidents")
    assert rows and all(row["reports"] >= 1 and row["articles"] for row in rows)
    nyala = _rows(db, "incidents", "--place", "Nyala", "--type", "Air/drone strike")
    assert [row["articles"] for row in nyala] == ["sudan-1"]
    assert _rows(db, "incidents", "--bbox", "0,0,1,1") == []
    assert len(_rows(db, "incidents", "--limit", "1", "--offset", "1")) == 1


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (("incidents", "--bbox", "1,2,3"), "four numbers"),
        (("incidents", "--bbox", "40,0,30,10"), "invalid box"),
        (("export", "--format", "xml"), "--format"),
        (("report", "--format", "pdf"), "--format"),
    ],
)
def test_bad_record_options_are_usage_errors(
    db: Path, options: tuple[str, ...], fragment: str
) -> None:
    _fails(_invoke(*options, "--db", str(db)), "Usage:", fragment)


def test_report_in_markdown_and_html(db: Path, tmp_path: Path) -> None:
    markdown = _invoke("report", "--db", str(db), "--place", "Nyala")
    assert markdown.exit_code == 0, markdown.output
    assert markdown.stdout.startswith("# Situation report: Nyala")
    assert "(article `sudan-1`)" in markdown.stdout
    out = tmp_path / "r.html"
    page = _invoke("report", "--db", str(db), "--format", "html", "-o", str(out))
    assert page.exit_code == 0 and page.stdout == ""
    assert out.read_text("utf-8").startswith("<!doctype html>")


@pytest.mark.parametrize("output_format", ["acled-csv", "geojson", "jsonl"])
def test_export_formats(db: Path, output_format: str) -> None:
    result = _invoke("export", "--db", str(db), "--format", output_format)
    assert result.exit_code == 0, result.output
    count = _counts(db).incidents
    if output_format == "acled-csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert len(rows) == count and list(rows[0])[:3] == ["event_date", "event_type",
                                                             "sub_event_type"]  # fmt: skip
    elif output_format == "geojson":
        assert len(json.loads(result.stdout)["features"]) == count
    else:
        assert [json.loads(line)["report_count"] for line in result.stdout.splitlines()]


def test_export_of_a_missing_store_does_not_create_it(tmp_path: Path) -> None:
    db = tmp_path / "typo.db"
    _fails(_invoke("export", "--db", str(db), "--format", "jsonl"), "no store there", code=3)
    assert not db.exists()


def test_evaluate_incidents_prints_pairwise_scores_and_the_threshold_sweep() -> None:
    result = _invoke("evaluate", "incidents")
    assert result.exit_code == 0, result.output
    assert "goldPairs" in result.stdout and "near_km=25" in result.stdout
    assert "JRC event linker" in result.stdout


def test_ingest_batches_as_the_engine_does_by_default() -> None:
    from sitroom.cli import main
    from sitroom.engine import DEFAULT_BATCH_SIZE

    ingest = main.commands["ingest"]
    (option,) = [p for p in ingest.params if p.name == "batch_size"]
    assert option.default == DEFAULT_BATCH_SIZE
