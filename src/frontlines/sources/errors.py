"""The one error type the readers produce: bad input is a value, never an exception."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputError:
    """Why one input (a file, a feed entry, a JSON Lines line, stdin) was not read.

    ``origin`` names the input the way a user can find it again ("a.html",
    "dump.jsonl:12", "feed.xml#3", "-" for standard input).
    """

    origin: str
    reason: str

    def __str__(self) -> str:
        # One line, always: a reason from a library may carry newlines.
        return f"{self.origin}: {' '.join(self.reason.split())}"
