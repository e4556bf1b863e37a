"""Which reader an input needs: by file extension first, by its content otherwise."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, Optional

Kind = Literal["text", "html", "feed", "jsonl"]

EXTENSIONS: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
# Extensions read by content, and the ones a directory walk picks up.
SNIFFED = {".xml", ""}
WALKED = set(EXTENSIONS) | SNIFFED

_FEED = re.compile(r"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
# A saved fragment: starts with a common HTML element.
_HTML_START = re.compile(
    r"<(?:head|body|title|meta|article|main|section|div|p|h[1-6]|table|ul|ol|figure|span|a|b|i|em|strong)[\s/>]",
    re.IGNORECASE,
)
_LEADING = re.compile(r"\A(?:\s|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)


def kind_of_path(path: Path) -> Optional[Kind]:
    """The kind an extension promises, or None when the content must decide."""
    return EXTENSIONS.get(path.suffix.lower())


def kind_of_text(text: str) -> Kind | Literal["xml"]:
    """Sniff the kind from the first characters; "xml" is markup we cannot read."""
    head = text[:4096]
    start = head[_LEADING.match(head).end() :]  # type: ignore[union-attr]
    lowered = start[:200].lower()
    if _FEED.match(start) or (lowered.startswith("<") and _FEED.search(head) and not _HTML.search(head)):
        return "feed"
    if _HTML.match(start) or _HTML_START.match(start) or (lowered.startswith("<") and _HTML.search(head)):
        return "html"
    lines = head.split("\n")
    if len(text) > len(head):
        lines.pop()  # may be cut in the middle
    firsts = [line.lstrip() for line in lines if line.strip()][:5]
    if firsts and all(line.startswith("{") for line in firsts):
        return "jsonl"
    if head.lstrip().startswith("<?xml"):
        return "xml"
    return "text"
