"""JSON Lines: one ``{"text", "title", "url", "outlet", "published"}`` object a line.

A bad line is reported as "file:LINE: reason" and the other lines go on. The text is
kept as given (normalised only): datasets ship offsets into it.
"""
from __future__ import annotations

import json
from typing import Any, Iterator

from ..model import Document
from .build import ReadOptions, make_document
from .dates import parse_date
from .errors import InputError
from .raw import Raw

_STRING_FIELDS = ("title", "url", "outlet")


def _line_document(record: Any, origin: str, options: ReadOptions) -> Document | InputError:
    if not isinstance(record, dict):
        return InputError(origin, f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        return InputError(origin, 'no "text" field')
    if not isinstance(text, str):
        return InputError(origin, f'"text" must be a string, got {type(text).__name__}')
    if not text.strip():
        return InputError(origin, 'empty "text"')
    for key in _STRING_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            return InputError(origin, f'"{key}" must be a string, got {type(record[key]).__name__}')
    published = record.get("published")
    day = None
    if published not in (None, ""):
        day = parse_date(published)
        if day is None:
            return InputError(origin, f'"published" is not a date: {published!r} (expected YYYY-MM-DD)')
    return make_document(
        text,
        origin=origin,
        options=options,
        title=record.get("title"),
        url=record.get("url"),
        outlet=record.get("outlet"),
        published=day,
    )


def _is_one_json_value(text: str) -> bool:
    """A pretty-printed .json file: every line fails alone, the whole parses."""
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def read_jsonl(raw: Raw, options: ReadOptions) -> Iterator[Document | InputError]:
    found = errors_seen = False
    for number, line in enumerate(raw.text.split("\n"), start=1):
        if not line.strip():
            continue
        found = True
        origin = f"{raw.origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            if not errors_seen and _is_one_json_value(raw.text):
                yield InputError(raw.origin, "one JSON document, not JSON Lines: write one object a line")
                return
            errors_seen = True
            yield InputError(origin, f"malformed JSON ({e.msg} at column {e.colno})")
            continue
        yield _line_document(record, origin, options)
    if not found:
        yield InputError(raw.origin, "empty file")
