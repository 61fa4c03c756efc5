"""The one exception tree of sitroom; messages name the input, what is wrong and what to do.

    SitroomError
    ├── InputError            bad input: a file, a line, a field, a date
    │   ├── MissingInputError     the path does not exist
    │   ├── EmptyInputError       the file or text holds nothing to extract from
    │   ├── EncodingError         binary or not UTF-8
    │   ├── MalformedRecordError  a JSONL line that is not a valid article record
    │   └── InvalidDateError      a publication date that is not a real YYYY-MM-DD day
    ├── PipelineError         extractors configured in an order that cannot run
    ├── DataError             a packaged data file is missing or corrupt
    └── StoreError            the database cannot be opened, migrated or written
        └── SchemaVersionError    the database is newer than this version of sitroom

The CLI maps `InputError` to exit code 2, `StoreError` to 3 and anything else here to 1.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "EmptyInputError",
    "EncodingError",
    "InputError",
    "InvalidDateError",
    "MalformedRecordError",
    "MissingInputError",
    "PipelineError",
    "SchemaVersionError",
    "SitroomError",
    "StoreError",
]


class SitroomError(Exception):
    """Base of every error sitroom raises on purpose."""


class InputError(SitroomError):
    """An input cannot be read as articles."""


class MissingInputError(InputError):
    """An input path does not exist."""


class EmptyInputError(InputError):
    """An input holds no text to extract from."""


class EncodingError(InputError):
    """An input is binary or not valid UTF-8."""


class MalformedRecordError(InputError):
    """A JSONL line is not a valid article record."""


class InvalidDateError(InputError):
    """A publication date is not a real calendar day in YYYY-MM-DD form."""


class PipelineError(SitroomError):
    """Extractors were configured in an order that cannot run."""


class DataError(SitroomError):
    """A data file shipped with sitroom is missing or corrupt."""


class StoreError(SitroomError):
    """The store cannot be opened, migrated or written."""


class SchemaVersionError(StoreError):
    """The store was written by a newer sitroom than this one."""
