"""Canonical actors: load the ``actors*.toml`` files and answer questions about them."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

from frontlines.model import Actor

DATA_DIR = Path(__file__).parent / "data"
REQUIRED = ("id", "name", "aliases", "sector")


@dataclass(frozen=True)
class ActorEntry:
    actor: Actor
    aliases: tuple[str, ...]
    generic: bool = False
    contextual: bool = False  # stands for the same-sector actor of the document's country
    default_for: tuple[str, ...] = ()  # contextual descriptors this actor is, in its country
    # Common words that name this actor only in a story set in one of `local_to`: "rescue
    # workers" are the White Helmets in Syria, anyone's elsewhere.
    local_aliases: tuple[str, ...] = ()
    local_to: tuple[str, ...] = ()  # ISO alpha-3 codes; default: the actor's own country

    def names_here(self, country: Optional[str]) -> bool:
        """Whether the local aliases name this actor in a story set in ``country`` (None:
        unknown, where they keep naming it)."""
        return country is None or country in (self.local_to or (self.actor.country,))


class ActorBook:
    """All known actors, their aliases and their membership tree."""

    def __init__(self, entries: Iterable[ActorEntry]):
        self.entries: dict[str, ActorEntry] = {}
        for entry in entries:
            if entry.actor.id in self.entries:
                raise ValueError(f"actor id {entry.actor.id!r} is defined twice")
            self.entries[entry.actor.id] = entry
        for entry in self.entries.values():
            parent = entry.actor.part_of
            if parent and parent not in self.entries:
                raise ValueError(f"actor {entry.actor.id!r}: part_of {parent!r} is not a known actor")

    @classmethod
    def load(cls, paths: Optional[Sequence[Path]] = None) -> "ActorBook":
        """Load the packaged actor files (or the given ones)."""
        files = sorted(paths) if paths else sorted(DATA_DIR.glob("actors*.toml"))
        return cls(entry for path in files for entry in _read_file(path))

    def get(self, actor_id: str) -> Actor:
        return self.entries[actor_id].actor

    def sector_of(self, actor_id: str) -> Optional[str]:
        """The actor's sector ("GOV", "REB" ...); None for an actor the book does not know."""
        entry = self.entries.get(actor_id)
        return entry.actor.sector if entry is not None else None

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.entries

    def ancestors(self, actor_id: str) -> list[str]:
        """The chain of coalitions and parents above an actor, nearest first."""
        chain: list[str] = []
        current = self.entries[actor_id].actor.part_of if actor_id in self.entries else None
        while current and current not in chain:
            chain.append(current)
            current = self.entries[current].actor.part_of
        return chain

    def related(self, a: str, b: str) -> bool:
        """True when one actor is the other, or a member (at any depth) of it."""
        return a == b or a in self.ancestors(b) or b in self.ancestors(a)

    def for_country(self, actor_id: str, country: Optional[str]) -> str:
        """A contextual descriptor ("government forces") as the actor of that country.

        The chosen actor has the descriptor's sector and the country (ISO alpha-3), and no
        parent of the same sector: the rebels as a whole, not one faction."""
        entry = self.entries.get(actor_id)
        if entry is None or not entry.contextual or not country:
            return actor_id
        sector = entry.actor.sector
        chosen = [e.actor.id for e in self.entries.values() if actor_id in e.default_for and e.actor.country == country]
        if len(chosen) == 1:
            return chosen[0]
        fits = [e.actor for e in self.entries.values()
                if not e.generic and e.actor.country == country and e.actor.sector == sector]
        top = [a for a in fits if not (a.part_of and a.part_of in self.entries
                                       and self.entries[a.part_of].actor.sector == sector)]
        return top[0].id if len(top) == 1 else actor_id

    def armed_child(self, actor_id: str) -> Optional[str]:
        """The armed forces of a government actor ("Syrian regime" → its forces), if known."""
        for entry in self.entries.values():
            if entry.actor.part_of == actor_id and entry.actor.sector == "MIL":
                return entry.actor.id
        return None


def _read_file(path: Path) -> list[ActorEntry]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read actor file: {exc}") from exc
    entries = []
    for n, row in enumerate(data.get("actor", []), start=1):
        missing = [key for key in REQUIRED if key not in row]
        if missing:
            raise ValueError(f"{path}: actor #{n} lacks {', '.join(missing)}")
        actor = Actor(
            id=row["id"], name=row["name"], sector=row["sector"],
            country=row.get("country"), part_of=row.get("part_of") or None,
        )
        local = tuple(row.get("local_aliases", ()))
        if any(not isinstance(a, str) or not a.strip() for a in local):
            raise ValueError(f"{path}: actor {actor.id}: local_aliases must be non-empty strings")
        if row.get("local_to") and not local:
            raise ValueError(f"{path}: actor {actor.id}: local_to without local_aliases")
        entries.append(ActorEntry(actor, tuple(row["aliases"]), bool(row.get("generic", False)),
                                  bool(row.get("contextual", False)), tuple(row.get("default_for", ())),
                                  local, tuple(row.get("local_to", ()))))
    return entries
