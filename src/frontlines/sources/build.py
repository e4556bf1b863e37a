"""Turn extracted text and metadata into a Document, the same way for every reader:
the published-date rule, the outlet fallback, the English check."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from ..model import Document, PublishedBasis
from .dates import latest_date_in
from .errors import InputError
from .language import foreign_language, language_name
from .raw import normalise


@dataclass(frozen=True)
class ReadOptions:
    """What the caller (the CLI's --published and --outlet) says about all inputs."""

    published: Optional[date] = None
    outlet: Optional[str] = None


def resolve_published(
    metadata: Optional[date], given: Optional[date], text: str
) -> tuple[Optional[date], PublishedBasis]:
    """The input's own metadata, else the given date, else the latest date in the text."""
    if metadata is not None:
        return metadata, "metadata"
    if given is not None:
        return given, "given"
    inferred = latest_date_in(text)
    if inferred is not None:
        return inferred, "inferred"
    return None, "unknown"


def clean(value: object) -> Optional[str]:
    """A one-line metadata string, or None for missing or blank values."""
    if not isinstance(value, str):
        return None
    value = " ".join(normalise(value).split())
    return value or None


def make_document(
    text: str,
    *,
    origin: str,
    options: ReadOptions,
    title: Optional[str] = None,
    url: Optional[str] = None,
    outlet: Optional[str] = None,
    published: Optional[date] = None,
) -> Document | InputError:
    """``text`` becomes Document.text after normalising and trimming outer whitespace."""
    text = normalise(text).strip()
    if not text:
        return InputError(origin, "no text")
    foreign = foreign_language(text)
    if foreign is not None:
        code, confidence = foreign
        return InputError(
            origin, f"not English: looks like {language_name(code)} (confidence {confidence:.2f}); skipped"
        )
    day, basis = resolve_published(published, options.published, text)
    return Document(
        text=text,
        title=clean(title),
        outlet=clean(outlet) or clean(options.outlet),
        url=clean(url),
        published=day,
        published_basis=basis,
        origin=origin,
    )
