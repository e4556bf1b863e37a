"""Bytes in, checked and normalised text out: size, binary, encoding, newlines, NFC.

Everything later (offsets, content hashes) refers to the text this module returns.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from .errors import InputError

# A long report is 50 KB; past half a megabyte spaCy needs too much memory (it parses a
# document whole) and the text is a book or a dump, not news.
DEFAULT_MAX_BYTES = 512 * 1024

_SAMPLE = 8192
# Bytes that never occur in text (all C0 controls but tab, newline, form feed, CR, ESC).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_CONTROL_TABLE = bytes.maketrans(_CONTROL, b"\0" * len(_CONTROL))
# A declared charset in an HTML <meta> or an XML declaration, for pages not saved as UTF-8.
_DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Raw:
    """One input's bytes and its decoded, normalised text."""

    origin: str
    data: bytes
    text: str


def normalise(text: str) -> str:
    """Strip a BOM, turn CRLF and CR into LF, compose to NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _too_big(size: int, max_bytes: int) -> str:
    return f"file is {human_size(size)}, larger than the {human_size(max_bytes)} limit (max_bytes)"


def read_file(path: Path, origin: str, max_bytes: int) -> Raw | InputError:
    """Read one file, checking its size before reading any of it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return InputError(origin, _too_big(size, max_bytes))
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may grow between stat and read
    except OSError as e:
        return InputError(origin, f"cannot read: {e.strerror or e}")
    if len(data) > max_bytes:
        return InputError(origin, _too_big(len(data), max_bytes))
    return decode(data, origin)


def read_stream(stream: TextIO | BinaryIO, origin: str, max_bytes: int) -> Raw | InputError:
    """Read standard input (or any stream), never more than ``max_bytes`` + 1."""
    source = getattr(stream, "buffer", stream)  # a text stdin has the bytes underneath
    try:
        chunk = source.read(max_bytes + 1)
    except (OSError, UnicodeDecodeError) as e:
        return InputError(origin, f"cannot read: {e}")
    data = chunk.encode("utf-8", "surrogatepass") if isinstance(chunk, str) else chunk
    if len(data) > max_bytes:
        return InputError(origin, f"input is larger than the {human_size(max_bytes)} limit (max_bytes)")
    return decode(data, origin)


def _looks_binary(data: bytes) -> bool:
    if b"\0" in data:
        return True
    sample = data[:_SAMPLE]
    controls = sample.translate(_CONTROL_TABLE).count(0)
    return controls > len(sample) * 0.05


def _declared_charset(data: bytes) -> str | None:
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None
    return None if name in ("utf-8", "utf-8-sig") else name


def decode(data: bytes, origin: str) -> Raw | InputError:
    """Decode UTF-8 (or UTF-16 with a BOM, or a charset the page declares)."""
    if not data.strip():
        return InputError(origin, "empty file" if data == b"" else "empty file (only whitespace)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            return InputError(origin, f"invalid UTF-16 at byte {e.start}")
        return _finish(origin, text.encode("utf-8"), text)
    if _looks_binary(data):
        return InputError(origin, "binary file (NUL or control bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        charset = _declared_charset(data)
        if charset is None:
            bad = data[e.start : e.start + 4].hex(" ")
            sample = data[:_SAMPLE].decode("utf-8", "replace")
            if sample.count("\ufffd") > len(sample) * 0.3:
                return InputError(origin, "binary file (mostly non-text bytes), not text")
            return InputError(origin, f"invalid UTF-8 at byte {e.start} (bytes {bad}); save it as UTF-8")
        try:
            text = data.decode(charset)
        except UnicodeDecodeError as e2:
            return InputError(origin, f"invalid {charset} (as declared) at byte {e2.start}")
    return _finish(origin, data, text)


def _finish(origin: str, data: bytes, text: str) -> Raw | InputError:
    text = normalise(text)
    if not text.strip():
        return InputError(origin, "empty file (only whitespace)")
    return Raw(origin, data, text)
