"""Saved web pages (main text with trafilatura) and HTML fragments (feed entries).

trafilatura 2.3.1 drops image captions: it deletes every ``<figure>`` (figcaption
included) and, unless images are kept, every element whose class or id contains
"caption"; with ``include_images=True`` it keeps the image as ``![alt](src)`` but
still not the figcaption text. Captions carry events ("Smoke rises over X after the
strike"), so before extraction we turn each caption into a plain ``<p>`` where it
stands. trafilatura then keeps or drops it with the text around it: a caption in the
article stays in document order, one in a sidebar goes with the sidebar.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from typing import Iterator, Optional

import lxml.html
import trafilatura
from lxml import etree

from ..model import Document
from .build import ReadOptions, clean, make_document
from .dates import parse_date
from .errors import InputError
from .raw import Raw

# trafilatura logs "discarding data" and the like; the InputError says it better.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

MIN_MAIN_TEXT = 20  # letters; a page whose "main text" is a menu word is not an article
MAX_CAPTION_CHARS = 1000  # a "caption" class on a whole article wrapper is not a caption

_SKIP = frozenset(
    "script style noscript template head title svg iframe object embed button select option "
    "textarea map canvas audio video".split()
)
_BLOCK = frozenset(
    "p div section article header footer main aside nav h1 h2 h3 h4 h5 h6 li ul ol dl dt dd "
    "blockquote pre figure figcaption table caption thead tbody tfoot tr br hr address form "
    "fieldset details summary center".split()
)
_CELL = frozenset(("td", "th"))
_CAPTION_XPATH = etree.XPath(
    "//*[contains(translate(@class, 'CAPTION', 'caption'), 'caption')"
    " or contains(translate(@id, 'CAPTION', 'caption'), 'caption')]"
)
_CAPTION_TOKEN = re.compile(r"\S*caption\S*", re.IGNORECASE)
_DOCUMENT = re.compile(r"<html[\s>]|<body[\s>]", re.IGNORECASE)
_SITE_FROM_URL = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")


def _paragraphs(root: etree._Element) -> list[str]:
    """The text of an element as paragraphs: blocks and line breaks split them."""
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        joined = " ".join("".join(current).split())
        if joined:
            out.append(joined)
        current.clear()

    skipping = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else None  # None: comment, PI
        if event == "start":
            if skipping or tag is None or tag in _SKIP:
                skipping += 1
                continue
            if tag in _BLOCK:
                flush()
            elif tag in _CELL:
                current.append(" ")
            if el.text:
                current.append(el.text)
        else:
            if skipping:
                skipping -= 1
            elif tag in _BLOCK:
                flush()
            elif tag in _CELL:
                current.append(" ")
            if not skipping and el.tail and el is not root:
                current.append(el.tail)
    flush()
    return out


def fragment_text(markup: str) -> str:
    """Text of an HTML fragment (a feed entry's content), paragraphs split by blank lines."""
    if not markup.strip():
        return ""
    if "<" not in markup and "&" not in markup:
        return markup.strip()  # plain text: keep its own line breaks
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return ""
    return "\n\n".join(_paragraphs(root))


def _to_paragraph(el: etree._Element, text: str) -> None:
    p = lxml.html.Element("p")
    p.text = text
    p.tail = el.tail
    parent = el.getparent()
    if parent is not None:
        parent.replace(el, p)


def restore_captions(tree: etree._Element) -> int:
    """Turn figures and caption-like elements into plain paragraphs, in place.

    Returns how many captions were turned into paragraphs.
    """
    count = 0
    for figure in list(tree.iter("figure")):
        if figure.getparent() is None or figure.find(".//table") is not None:
            continue  # trafilatura keeps tables in figures itself
        captions = figure.findall(".//figcaption") or [figure]
        text = " ".join(p for c in captions for p in _paragraphs(c))
        if text and len(text) <= MAX_CAPTION_CHARS:
            _to_paragraph(figure, text)
            count += 1
    for caption in tree.iter("figcaption"):  # outside any figure
        caption.tag = "p"
        count += 1
    marked = list(_CAPTION_XPATH(tree))
    marked_set = set(marked)
    for el in marked:
        # trafilatura deletes anything classed "caption": drop the word from class and id.
        for attr in ("class", "id"):
            if attr in el.attrib:
                el.attrib[attr] = _CAPTION_TOKEN.sub("", el.attrib[attr]).strip()
    for el in marked:
        # Only the innermost one: a wrapper (div.wp-caption) holds the image and the caption.
        if el.tag not in ("div", "span", "section", "p") or el.getparent() is None:
            continue
        if any(d in marked_set for d in el.iterdescendants()):
            continue
        text = " ".join(_paragraphs(el))
        if text and len(text) <= MAX_CAPTION_CHARS:
            _to_paragraph(el, text)
            count += 1
    return count


def _canonical(tree: etree._Element) -> Optional[str]:
    for href in tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"):
        href = str(href).strip()
        if href.startswith(("http://", "https://")):
            return href
    return None


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _with_title(title: Optional[str], text: str) -> str:
    """Headlines carry events: make sure the text starts with the title."""
    if not title:
        return text
    key = " ".join(title.split()).casefold()
    head = [" ".join(line.split()).casefold() for line in text.split("\n\n")[:3]]
    return text if key in head else f"{title}\n\n{text}"


def read_html(raw: Raw, options: ReadOptions) -> Iterator[Document | InputError]:
    markup = raw.text
    if not _DOCUMENT.search(markup[:4096]):
        markup = f"<html><body>{markup}</body></html>"  # trafilatura refuses bare fragments
    tree = trafilatura.load_html(markup)
    if tree is None:
        yield InputError(raw.origin, "malformed HTML: no document tree could be parsed")
        return
    canonical = _canonical(tree)
    restore_captions(tree)
    result = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,  # readers' comments are not the report
        include_tables=True,  # casualty tables carry figures
        date_extraction_params={
            "extensive_search": False,  # dates from metadata and markup only, not the prose
            "original_date": True,
            "max_date": date.today().isoformat(),
        },
    )
    body = getattr(result, "text", None) or ""
    lines = [" ".join(line.split()) for line in body.split("\n")]
    text = "\n\n".join(line for line in lines if line)
    if _letters(text) < MIN_MAIN_TEXT:
        yield InputError(raw.origin, "malformed HTML: no main text found")
        return
    title = clean(result.title)
    url = canonical or clean(result.url)
    site = clean(result.sitename)
    from_url = _SITE_FROM_URL.match(url or "")
    if site and from_url and site == from_url.group(1) and options.outlet:
        site = None  # trafilatura only guessed it from the URL; the caller knows better
    yield make_document(
        _with_title(title, text),
        origin=raw.origin,
        options=options,
        title=title,
        url=url,
        outlet=site,
        published=parse_date(result.date),
    )
