"""Three invented wire reports whose statements (speech acts) the statement tests store and
query: read once by the session's real reader, stored in a fresh database per caller."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Optional

from frontlines.model import Document, Reading
from frontlines.store import Store

# Written for these tests: the outlet and the quotes are invented.
REPORTS: tuple[tuple[str, Optional[date]], ...] = (
    ("ALEPPO, Aug 3 (Test Wire) - The Syrian government accused Syrian rebels of using "
     "civilians as human shields. Russia demanded that the rebels leave the city.",
     date(2016, 8, 3)),
    ("DAMASCUS, Aug 9 (Test Wire) - The Syrian government rejected the UN report on the "
     "siege. The rebels threatened to attack government positions in Hama.",
     date(2016, 8, 9)),
    ("GENEVA (Test Wire) - The United Nations accused the Syrian government of blocking "
     "aid convoys to the besieged districts.", None),
)


def read_reports(reader: Any) -> list[Reading]:
    return [reader.read(Document(text=text, title=f"Report {n}", outlet="Test Wire",
                                 published=published,
                                 published_basis="given" if published else "unknown"))
            for n, (text, published) in enumerate(REPORTS, 1)]


def build_db(path: Path, readings: list[Reading]) -> Path:
    with Store.open(path) as store:
        for reading in readings:
            assert store.add(reading) is True
    return path


def by_type(readings: list[Reading], plover: str) -> Any:
    """The one statement of that PLOVER type in the readings."""
    found = [m for r in readings for m in r.statements if m.plover == plover]
    assert len(found) == 1, [(m.plover, m.evidence[0].text) for r in readings
                             for m in r.statements]
    return found[0]
