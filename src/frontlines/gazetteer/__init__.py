"""The offline place index: build it, look names up, rank the candidates, add user places.

    from frontlines.gazetteer import Gazetteer, UserPlaces, rank
    gaz = Gazetteer.open()                    # builds ~/.cache/frontlines/gazetteer-v1.sqlite once
    rank(gaz.lookup("Aleppo"), {"SY"})[0].place.geonames_id   # 170063
    UserPlaces.load(["examples/places/aleppo_2016.csv"], gaz).lookup("al-Rashideen")

See docs/gazetteer.md.
"""
from __future__ import annotations

import importlib
from typing import Any

# Loaded on first use, so that ``python -m frontlines.gazetteer.build`` runs its module
# once, and importing the package stays cheap.
_EXPORTS = {
    "build_index": ".build", "default_index_path": ".build", "ensure_index": ".build",
    "Candidate": ".index", "Gazetteer": ".index", "rank": ".index",
    "normalize_name": ".normalize",
    "UserPlace": ".userplaces", "UserPlaces": ".userplaces", "read_place_file": ".userplaces",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name], __name__), name)


__all__ = sorted(_EXPORTS)
