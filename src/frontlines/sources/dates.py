"""Publication dates: parse the ones metadata gives, infer one from the text.

Inference takes the LATEST full date (day, month and year) written in the text: a
report is published on or after the last day it tells about. Never today's date.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Iterator, Optional

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
# Dates are found from their year: a cheap scan, then small anchored matches just
# before it ("July 31, " / "31st of July ") or after it ("-07-31").
_YEAR = re.compile(r"(?:1[89]|2[01])\d\d")
_BEFORE = 32  # "September 30th, " is 16 characters; allow spacing
_MDY = re.compile(rf"(?<![^\W\d_]){_MONTH}\s+{_DAY},?\s+\Z", re.IGNORECASE)  # July 31, 2016
_DMY = re.compile(rf"(?<!\d){_DAY}\s+(?:of\s+)?{_MONTH},?\s+\Z", re.IGNORECASE)  # 31 July 2016
_ISO_REST = re.compile(r"-(\d\d)-(\d\d)(?!\d)")  # 2016-07-31, also in 2016-07-31T10:00


def _dates(text: str) -> Iterator[date]:
    for m in _YEAR.finditer(text):
        start, end = m.span()
        if (start and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit()):
            continue
        year = int(m.group())
        iso = _ISO_REST.match(text, end)
        if iso and not (start and text[start - 1] in "-/"):
            yield from _valid(year, int(iso.group(1)), int(iso.group(2)))
            continue
        before = text[max(0, start - _BEFORE) : start]
        mdy = _MDY.search(before)
        if mdy:
            yield from _valid(year, _MONTHS[mdy.group(1).lower()], int(mdy.group(2)))
            continue
        dmy = _DMY.search(before)
        if dmy:
            yield from _valid(year, _MONTHS[dmy.group(2).lower()], int(dmy.group(1)))


def _valid(y: int, m: int, d: int) -> Iterator[date]:
    try:
        yield date(y, m, d)
    except ValueError:  # "February 30, 2016" is not a date
        return


def latest_date_in(text: str) -> Optional[date]:
    """The latest full date written in ``text``, or None."""
    return max(_dates(text), default=None)


def parse_date(value: object) -> Optional[date]:
    """A date from metadata: ISO date or timestamp, or an RFC 822 feed date.

    The calendar date is the one written (its own time zone), not converted to UTC.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)(?!\d)", s)
    if m:
        return next(_valid(int(m.group(1)), int(m.group(2)), int(m.group(3))), None)
    try:
        return parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        return None
