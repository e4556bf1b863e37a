"""Plain text and Markdown: the whole file is the text; a short first line is the title."""
from __future__ import annotations

import re
from typing import Iterator, Optional

from ..model import Document
from .build import ReadOptions, make_document
from .errors import InputError
from .raw import Raw

MAX_TITLE_CHARS = 200
_HEADING = re.compile(r"^#{1,6}\s+")  # a Markdown heading's marks are not the title's


def detect_title(text: str) -> Optional[str]:
    """The first line, if it is short, has no final full stop and a blank line follows."""
    first, sep, rest = text.partition("\n")
    first = first.strip()
    if not sep or not first or len(first) > MAX_TITLE_CHARS or first.endswith("."):
        return None
    following = rest.partition("\n")[0]
    if following.strip() or not rest.strip():
        return None
    return _HEADING.sub("", first).strip() or None


def read_text(raw: Raw, options: ReadOptions) -> Iterator[Document | InputError]:
    # The title stays in the text: headlines carry events, and evidence offsets
    # must point into Document.text.
    text = raw.text.strip()
    yield make_document(text, origin=raw.origin, options=options, title=detect_title(text))
