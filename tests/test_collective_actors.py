"""A body of people named by what follows "of": "a patrol of soldiers", "a convoy of troops"."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, plover, actor", [
    ("A convoy of Russian troops shelled the village of Bilohorivka on Monday.", "ASSAULT", "RUS_MIL"),
    ("A patrol of Nigerian soldiers arrested two traders in Maiduguri on Friday.", "COERCE", "NGA_MIL"),
])
def test_the_party_of_a_collective_noun_is_the_actor(read, text, plover, actor):
    [event] = [e for e in read(text).events if e.plover == plover]
    assert event.actors == [actor]


def test_a_collective_noun_with_no_party_after_it_names_none(read):
    r = read("A group of men stormed a bank in Culiacan on Thursday.")
    assert r.events and all(e.actors == [] for e in r.events)
