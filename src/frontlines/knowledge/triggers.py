"""Event triggers: load ``triggers.toml`` into typed entries, checked against the ontology."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from frontlines.knowledge.ontology import ACLED_SUB_EVENT_TYPES, check_mode

DATA_FILE = Path(__file__).parent / "data" / "triggers.toml"
SPECIAL_ACLED = ("@assault", "@territory")


@dataclass(frozen=True)
class Trigger:
    phrase: str
    plover: str
    mode: Optional[str]
    acled: Optional[str]  # a sub-event type, "@assault", "@territory" or None
    pos: Optional[str] = None
    objects: tuple[str, ...] = ()
    complements: tuple[str, ...] = ()
    verbal: bool = False
    past_only: bool = False
    group: int = 0  # index of the [[trigger]] table it came from (its rule name)

    @property
    def rule(self) -> str:
        return f"trigger:{self.plover}:{self.phrase}"


def load_triggers(path: Path = DATA_FILE) -> list[Trigger]:
    """Every (phrase, entry) pair of the trigger file, in file order."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read trigger file: {exc}") from exc
    triggers: list[Trigger] = []
    for n, row in enumerate(data.get("trigger", []), start=1):
        where = f"{path}: trigger #{n}"
        try:
            plover, mode = row["plover"], row.get("mode") or None
            check_mode(plover, mode)
            acled = row.get("acled") or None
            if acled and acled not in ACLED_SUB_EVENT_TYPES and acled not in SPECIAL_ACLED:
                raise ValueError(f"unknown ACLED sub-event type {acled!r}")
            for phrase in row["phrases"]:
                triggers.append(Trigger(
                    phrase=phrase.lower(), plover=plover, mode=mode, acled=acled,
                    pos=row.get("pos"), objects=tuple(row.get("objects", ())),
                    complements=tuple(row.get("complements", ())), verbal=bool(row.get("verbal")),
                    past_only=bool(row.get("past_only")), group=n,
                ))
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from exc
    return triggers


def load_instruments(path: Path = DATA_FILE) -> dict[str, str]:
    """Weapon lemmas and the ASSAULT mode each gives the generic verb it is the subject of
    (the ``[instruments]`` table of the trigger file)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {lemma: mode for mode, lemmas in data.get("instruments", {}).items() for lemma in lemmas}


def load_nonconflict(path: Path = DATA_FILE) -> frozenset[str]:
    """Lemmas of disasters and accidents (the ``[nonconflict]`` table of the trigger file)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = data.get("nonconflict", {})
    return frozenset(w for key in ("natural", "man_made") for w in table.get(key, ()))
