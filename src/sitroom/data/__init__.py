"""Data files shipped with sitroom, and the one way to read them."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

__all__ = ["data_path", "read_table"]


def data_path(name: str) -> Path:
    """The path of a packaged data file."""
    return Path(str(resources.files(__name__).joinpath(name)))


def read_table(name: str) -> Iterator[list[str]]:
    """The rows of a packaged tab-separated file, without its header and `#` comment lines."""
    with data_path(name).open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)  # header
        for row in reader:
            if row and not row[0].startswith("#"):
                yield row
