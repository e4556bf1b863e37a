"""RSS and Atom feeds: each entry becomes one Document; the feed's title is the outlet."""
from __future__ import annotations

import io
from datetime import date
from typing import Any, Iterator, Optional

import feedparser

from ..model import Document
from .build import ReadOptions, clean, make_document
from .dates import parse_date
from .errors import InputError
from .html import fragment_text
from .raw import Raw


def _entry_text(entry: Any) -> str:
    """Full content when the feed has it, else the summary; HTML turned into text."""
    candidates = list(entry.get("content") or [])
    if entry.get("summary"):
        candidates.append(entry.get("summary_detail") or {"value": entry.get("summary"), "type": "text/html"})
    for part in candidates:
        value = part.get("value") or ""
        kind = (part.get("type") or "text/html").lower()
        text = fragment_text(value) if "html" in kind else value.strip()
        if text.strip():
            return text
    return ""


def _entry_date(entry: Any) -> Optional[date]:
    # The date as written (its own time zone), not feedparser's UTC struct.
    for key in ("published", "updated", "created"):
        day = parse_date(entry.get(key))
        if day is not None:
            return day
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return parse_date(f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}")
    return None


def _with_title(title: Optional[str], text: str) -> str:
    """Headlines carry events: the entry title starts the text unless it already does."""
    if not title or " ".join(text.split()).casefold().startswith(title.casefold()):
        return text
    return f"{title}\n\n{text}"


def read_feed(raw: Raw, options: ReadOptions) -> Iterator[Document | InputError]:
    # A stream, never a string: feedparser fetches strings that look like URLs.
    parsed = feedparser.parse(io.BytesIO(raw.data), resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            yield InputError(raw.origin, f"malformed feed: {problem or 'not RSS or Atom'}")
        else:
            yield InputError(raw.origin, "feed has no entries")
        return
    outlet = clean(parsed.feed.get("title"))
    for n, entry in enumerate(entries, start=1):
        origin = f"{raw.origin}#{n}"
        title = clean(entry.get("title"))
        text = _entry_text(entry)
        if not text.strip():
            name = f'"{title}"' if title else (clean(entry.get("id")) or clean(entry.get("link")) or "")
            yield InputError(origin, f"feed entry {n} {name} has no text (no content or summary)".replace("  ", " "))
            continue
        yield make_document(
            _with_title(title, text),
            origin=origin,
            options=options,
            title=title,
            url=clean(entry.get("link")),
            outlet=outlet,
            published=_entry_date(entry),
        )
