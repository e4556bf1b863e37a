"""Numbers as news writes them: digits with separators, words, scales, vague plurals.

Shared by the times stage ("three days ago") and the figures stage ("some 300,000
civilians"). Everything here is pure and compiled once at import.
"""
from __future__ import annotations

import re
from typing import Any, Optional, Sequence

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
# "dozen" behaves like a scale word: "a dozen", "two dozen".
SCALES: dict[str, float] = {
    "dozen": 12, "hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9,
    "trillion": 1e12,
}
# Abbreviated multipliers after digits: "3m", "2bn", "1.2 mn", "40k".
SUFFIXES: dict[str, float] = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9}

# A plural of a unit counts as one unit: the lowest credible reading, and ACLED's
# fatality rule ("dozens" = 12, "hundreds" = 100).
VAGUE_PLURALS: dict[str, float] = {
    "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1e3, "millions": 1e6,
    "billions": 1e9,
}
# Vague small quantities: the smallest number each is normally used for.
VAGUE_SMALL: dict[str, float] = {"a couple of": 2, "a few": 3, "several": 3, "a handful of": 3}

FRACTIONS: dict[str, float] = {
    "half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25,
    "quarters": 0.25, "fifth": 0.2, "fifths": 0.2, "sixth": 1 / 6, "sixths": 1 / 6,
    "tenth": 0.1, "tenths": 0.1,
}

NUMBER_WORDS: frozenset[str] = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES)

# Words that make the number after them a name, not a count: "Route 6", "Resolution 2254".
LABEL_WORDS: frozenset[str] = frozenset({
    "route", "highway", "road", "motorway", "resolution", "brigade", "division", "regiment",
    "battalion", "corps", "unit", "article", "chapter", "section", "paragraph", "flight",
    "no", "no.", "number", "#", "phase", "camp", "sector", "checkpoint", "gate", "block",
    "district", "zone", "line", "level", "model", "type", "version", "room", "building",
    "platform", "exit", "junction", "page", "item", "annex", "protocol", "point", "hill",
    "height", "base", "squadron", "fleet", "army", "group", "lot", "plot", "station",
    "channel", "episode", "season", "volume", "vol", "vol.", "ward", "street", "avenue",
    "kilometre", "kilometer", "km", "mile", "grade", "class", "apartment", "flat", "bus",
    "tower", "hall", "terminal", "runway", "reactor", "well", "pier", "berth", "dock",
})

DIGITS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
SUFFIXED_RE = re.compile(r"^(\d+(?:\.\d+)?)(k|m|mn|mln|b|bn)$", re.IGNORECASE)


def trie_regex(words: Sequence[str]) -> str:
    """A regex alternation of lower-case words, factored into a trie.

    Python's regex engine tries the branches of ``a|b|c`` one by one; sharing
    prefixes ("j(?:an(?:uary)?|u(?:ly|ne))") lets a failing branch fail at its first
    letter, which is what keeps the time grammar fast. Longer words win ("march"
    over "mar") because every optional tail is greedy.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return "(?:" + emit(trie) + ")"


_UNIT_ALT = trie_regex([w for w in UNITS if w != "zero"])
_TENS_ALT = trie_regex(list(TENS))
# A regex fragment (lower case) for a small count written in words or digits, as used
# in time expressions: "3", "three", "twenty-one", "a", "a couple of", "a few", "several".
SMALL_NUMBER_PATTERN: str = (
    rf"(?:\d{{1,3}}|{_TENS_ALT}(?:[- ]{_UNIT_ALT})?|{_UNIT_ALT}"
    r"|a\s+couple\s+of|a\s+few|an?|several)"
)


def parse_digits(text: str) -> Optional[float]:
    """"300,000" → 300000; "1.2" → 1.2; "3m" → 3e6; anything else → None."""
    if DIGITS_RE.match(text):
        return float(text.replace(",", ""))
    m = SUFFIXED_RE.match(text)
    if m:
        return float(m.group(1)) * SUFFIXES[m.group(2).lower()]
    return None


def words_value(words: Sequence[str]) -> Optional[float]:
    """The value of a run of lower-case number words, without hyphens or "and".

    ["two", "hundred", "fifty"] → 250; ["twenty", "three"] → 23; ["a", "dozen"] → 12;
    ["half", "a", "million"] → 500000. Returns None for a run that is not a number.
    """
    if not words:
        return None
    if words[0] == "half" and len(words) >= 3 and words[1] in ("a", "an") and words[2] in SCALES:
        rest = words_value(["one", *words[2:]])
        return None if rest is None else rest / 2
    total = 0.0
    current = 0.0
    seen = False
    for i, w in enumerate(words):
        if w in ("a", "an"):
            # Only as the "one" of a scale: "a hundred", "a dozen".
            if i + 1 >= len(words) or words[i + 1] not in SCALES:
                return None
            current += 1
        elif w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in ("dozen", "hundred"):
            current = (current or 1) * SCALES[w]
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


_SPLIT_RE = re.compile(r"[\s\-]+")


def number_value(text: str) -> Optional[float]:
    """The value of a written number: digits, words, or a vague small quantity."""
    t = text.strip().lower()
    digits = parse_digits(t)
    if digits is not None:
        return digits
    squashed = " ".join(_SPLIT_RE.split(t))
    if squashed in VAGUE_SMALL:
        return VAGUE_SMALL[squashed]
    if squashed in ("a", "an"):
        return 1.0
    words = [w for w in squashed.split() if w != "and"]
    return words_value(words)


def counts_a_plural(token: Any) -> bool:
    """Whether a year-like number (a spaCy token) counts the plural noun after it.

    "2000 homes" counts homes; "the 2014 elections" dates them. spaCy tags both
    DATE, so the determiner decides: a count after a determiner is rare.
    """
    head = token.head
    if token.dep_ != "nummod" or head.tag_ not in ("NNS", "NNPS") or head.i <= token.i:
        return False
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    return before is None or before.tag_ not in ("DT", "PRP$", "POS", "WP$")
