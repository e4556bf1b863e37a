"""Name normalisation shared by the gazetteer index and user place files.

Two levels, so that lookups can prefer an exact spelling and still meet variant
transliterations:

- ``normalize_name(s, fold=False)``, the *light* key: casefold, strip diacritics,
  unify apostrophes, hyphens, dots and whitespace, drop a leading "the" and the
  Arabic article ("al-", "el-" and its assimilated forms "ad-", "ar-", "as-", "az-" …).
- ``normalize_name(s)``, the *folded* key (the default): the light key with the vowel
  and letter variation of English transliterations of Arabic folded away, so that
  "Idleb"/"Idlib", "Dayr az Zawr"/"Deir ez-Zor" and "Rashideen"/"Al-Rāshidīn" meet.
  The rule is general (vowel classes, doubled letters, q/k, a final "h" after a
  vowel), not a list of special cases.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from operator import itemgetter

# Letters that NFKD does not decompose into base letter + mark.
_LETTERS = str.maketrans({
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
    "ß": "ss", "ħ": "h", "ŧ": "t", "ŀ": "l", "ə": "a", "ɨ": "i",
})
# A possessive at the very end goes first ("Aleppo's" = "Aleppo"; "Ra's al-Ayn" keeps its own).
_POSSESSIVE = re.compile(r"['’]s$")
# Apostrophes and Arabic ʿayn/hamza marks are dropped without a space ("Dar'a" = "Dara").
_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ′‛ˈ]")
# Everything that is neither a letter nor a digit separates words ("U.S.", "Deir ez-Zor").
_SEPARATORS = re.compile(r"[^\w]+|_")
# The Arabic article before a hyphen, in any vowel ("al-", "el-", "il-", "ul-") …
_ARTICLE_HYPHEN = re.compile(r"\b[aeiu]l-(?=\w)")
# … "al" as its own word before another word ("al Rashideen") …
_ARTICLE_AL = re.compile(r"\bal\s+(?=\w)")
# … and the article assimilated to a following "sun letter", spelled with a hyphen or a
# space: "ad-Din", "ar Raqqah", "as-Suwayda", "ash-Shaddadi", "az Zawr", "ez-Zor".
# The doubled consonant is what makes it an article, so "as soon" is left alone.
_ARTICLE_SUN = re.compile(r"\b[aeiu](sh|th|dh|[tdrzsn])[-\s]+(?=\1)")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

# Folding: English transliterations of Arabic (and other) names differ mostly in vowels.
# Applied in this order with str.replace (fast, and any fixed order is consistent).
_FOLDS = (
    ("q", "k"),
    ("ou", "u"), ("oo", "u"), ("aw", "u"), ("au", "u"), ("ow", "u"), ("o", "u"),
    ("ai", "i"), ("ay", "i"), ("ei", "i"), ("ey", "i"), ("ee", "i"), ("ie", "i"), ("e", "i"),
)
_FINAL_H = re.compile(r"(?<=[aiu])h\b")  # ta marbuta: "Raqqah" = "Raqqa", "Hamah" = "Hama"
_FINAL_Y = re.compile(r"(?<=[^aiu\s\d])y\b")  # "Sukkary" = "Sukkari"
_DOUBLED = re.compile(r"([a-z])\1+")
_FIRST = itemgetter(1)  # a C-level replacement: much faster than the template r"\1"


# Combining marks of the Latin, Greek and Cyrillic blocks (what NFKD splits off letters).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _strip_marks(s: str) -> str:
    if s.isascii():
        return s.casefold()
    return _MARKS.sub("", unicodedata.normalize("NFKD", s.casefold().translate(_LETTERS)))


def _join_initials(tokens: list[str]) -> list[str]:
    """Join runs of single letters: "u s a" (from "U.S.A.") -> "usa", "d r congo" -> "dr congo"."""
    out: list[str] = []
    run: list[str] = []
    for tok in tokens + [""]:
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if tok:
            out.append(tok)
    return out


@lru_cache(maxsize=100_000)
def _light(s: str) -> str:
    return light_from_stripped(_strip_marks(s))


# After stripping marks, a Latin-script name holds only ASCII, apostrophes and dashes.
_NON_LATIN = re.compile(r"[^\x00-\x7f’‘ʼʻʿʾ′‛ˈ´‐‑‒–—―“”]")


def latin_light(s: str) -> str | None:
    """The light key if the name is written in Latin letters, else None (cheap reject)."""
    stripped = _strip_marks(s)
    if not stripped.isascii() and _NON_LATIN.search(stripped):
        return None
    return light_from_stripped(stripped)


def light_from_stripped(s: str) -> str:
    """The light key of a name already casefolded and stripped of diacritics."""
    # Each rewrite runs only when its trigger is present: the build normalises a million names.
    plain = s.isascii() and s.replace(" ", "").isalnum()
    if not plain:
        s = _APOSTROPHES.sub("", _POSSESSIVE.sub("", s.rstrip()))
        if "l-" in s:
            s = _ARTICLE_HYPHEN.sub("", s)
        s = _SEPARATORS.sub(" ", s)
    tokens = s.split()
    if len(tokens) > 1:
        if tokens[0] == "the":
            tokens = tokens[1:]
        if any(len(t) == 1 for t in tokens):
            tokens = _join_initials(tokens)
    elif tokens and len(tokens[0]) == 1:
        tokens = _join_initials(tokens)
    s = " ".join([_ABBREVIATIONS.get(t, t) for t in tokens])
    if len(tokens) > 1 and any(1 < len(t) < 4 and t[0] in "aeiu" for t in tokens):
        s = _ARTICLE_SUN.sub("", _ARTICLE_AL.sub("", s))
    return s


def fold_light(light: str) -> str:
    """Fold an already light-normalised name (see the module docstring)."""
    s = light
    for old, new in _FOLDS:
        s = s.replace(old, new)
    if "h" in s:
        s = _FINAL_H.sub("", s)
    if "y" in s:
        s = _FINAL_Y.sub("i", s)
    return _DOUBLED.sub(_FIRST, s)


def normalize_name(s: str, fold: bool = True) -> str:
    """The lookup key of a place name; ``fold=False`` gives the light key."""
    light = _light(s)
    return fold_light(light) if fold else light


def is_abbreviation(s: str) -> bool:
    """True for an all-capitals short form such as "US", "U.S.", "UAE" or "D.R.C."."""
    if len(s) > 12 or not s.isupper():  # cheap rejects first: the build calls this a million times
        return False
    letters = sum(ch.isalpha() for ch in s)
    return 2 <= letters <= 5 and " " not in s.strip(". ").replace(". ", ".")


__all__ = ["normalize_name", "fold_light", "latin_light", "is_abbreviation"]
