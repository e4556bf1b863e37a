"""One key per place name, so that claims from different wordings and documents meet.

"eastern Aleppo", "East Aleppo", "the east of Aleppo" and "Aleppo's east" are one area;
"al Rashideen" and "al-Rashidin" one neighbourhood. The key is the gazetteer's folded
name key with compass words folded to one form and put first. Pure and cheap: the
situation views use it without loading the reader.
"""
from __future__ import annotations

from typing import Optional

from frontlines.gazetteer.normalize import fold_light, normalize_name

# Canonical adjectives, so that "east", "eastern" and "East" name one area.
_DIRECTION_ADJ = {
    "north": "northern", "south": "southern", "east": "eastern", "west": "western",
    "northeast": "north-eastern", "northwest": "north-western", "southeast": "south-eastern",
    "southwest": "south-western", "central": "central", "centre": "central", "center": "central",
}
_SIMPLE = {"northern": "north", "southern": "south", "eastern": "east", "western": "west"}


def direction_adjective(word: str) -> Optional[str]:
    """"east", "Eastern", "south-west", "southwestern" → "eastern", "south-western"."""
    key = word.lower().replace("-", "")
    for suffix in ("ern", "erly"):
        if key.endswith(suffix) and key[: -len(suffix)] in _DIRECTION_ADJ:
            key = key[: -len(suffix)]
    return _DIRECTION_ADJ.get(key)


def _compass(words: list[str]) -> tuple[Optional[str], list[str]]:
    """The compass word(s) of a name, folded ("south western" → "southwest"), and the rest."""
    for i, w in enumerate(words):
        pair = w + words[i + 1] if i + 1 < len(words) else ""
        if pair and direction_adjective(pair) and words[i] in {"north", "south"}:
            adj = direction_adjective(pair)
            return adj.replace("-", "").replace("ern", "") if adj else None, words[:i] + words[i + 2:]
        adj = direction_adjective(w)
        if adj:
            return _SIMPLE.get(adj, adj.replace("-", "").replace("ern", "")), words[:i] + words[i + 1:]
    return None, words


def place_key(name: Optional[str]) -> str:
    """The comparison key of a place name ("" for none)."""
    if not name:
        return ""
    words = normalize_name(name, fold=False).split()
    words = [w[:-1] if w.endswith("s") and i + 1 < len(words) and words[i + 1] in _DIRECTION_ADJ else w
             for i, w in enumerate(words)]  # "aleppos east": the possessive lost its apostrophe
    compass, rest = _compass(words)
    if compass:
        rest = [w for w in rest if w not in {"of", "the", "part", "districts", "half", "side"}]
    key = " ".join(([compass] if compass else []) + rest)
    return fold_light(key)


__all__ = ["direction_adjective", "place_key"]
