"""Choosing a reader: by suffix, by content type, by the first bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.sources.formats import format_of_content_type, format_of_path, sniff_format


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed"),
        (b'<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><feed xmlns="x">', "feed"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "feed"),
        (b"\xef\xbb\xbf<!DOCTYPE html>\n<html lang='en'>", "html"),
        (b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN"><html>', "html"),
        (b"  <HTML><BODY>", "html"),
        (b" date 2019-12-24 Shelling hit Idlib.", None),
        (b'{"text": "<feed> is just a word here"}', None),
        (b"<feeding>", None),
        (b"<!-- generator: x -->\n<rss>", "feed"),
        (b"<p>A fragment mentioning <html> later</p>", None),
        (b"", None),
    ],
)
def test_sniff_format(data: bytes, expected: str | None) -> None:
    assert sniff_format(data) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", "text"),
        ("a.JSONL", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("rss.xml", "feed"),
        ("news.rss", "feed"),
        ("news.atom", "feed"),
        ("page.html", "html"),
        ("page.HTM", "html"),
        ("notes.md", None),
        ("README", None),
    ],
)
def test_format_of_path(name: str, expected: str | None) -> None:
    assert format_of_path(Path(name)) == expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/rss+xml; charset=utf-8", "feed"),
        ("application/atom+xml", "feed"),
        ("text/xml", "feed"),
        ("application/xml", "feed"),
        ("text/html; charset=iso-8859-1", "html"),
        ("application/xhtml+xml", "html"),
        ("text/plain", "text"),
        ("application/x-ndjson", "jsonl"),
        ("application/octet-stream", None),
        (None, None),
    ],
)
def test_format_of_content_type(content_type: str | None, expected: str | None) -> None:
    assert format_of_content_type(content_type) == expected
