"""frontlines: reads conflict news and keeps a living, sourced picture of a war.

From a notebook::

    import frontlines
    reading = frontlines.read(text, published="2016-08-01", outlet="Levant Wire")
    reading.to_dict()["events"]
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence, Union

from frontlines.model import Document, Reading

__version__ = "0.1.0"


@lru_cache(maxsize=4)
def _reader(places: tuple[str, ...]):
    from frontlines.reading.pipeline import Reader

    return Reader.load(places=[Path(p) for p in places])


def read(text: str, published: Union[str, date, None] = None, *, outlet: Optional[str] = None,
         title: Optional[str] = None, places: Sequence[Union[str, Path]] = ()) -> Reading:
    """Read one report. The first call loads the models (a few seconds); later calls reuse them."""
    when = date.fromisoformat(published) if isinstance(published, str) else published
    document = Document(text=text, title=title, outlet=outlet, published=when,
                        published_basis="given" if when else "unknown")
    return _reader(tuple(str(p) for p in places)).read(document)


__all__ = ["Document", "Reading", "read", "__version__"]
