"""Common words that name a national actor only in a story set in that actor's country."""
from __future__ import annotations

import pytest

from frontlines.knowledge.actors import ActorBook


def _actor_ids(reading) -> set[str]:
    return {m.actor_id for m in reading.actor_mentions}


@pytest.mark.parametrize("text, expected, not_expected", [
    ("Coalition warplanes struck Islamic State positions near Raqqa on Sunday.", "USA_MIL", None),
    ("Coalition warplanes struck Houthi positions near Hodeidah on Sunday.", None, "USA_MIL"),
    ("Rescue workers pulled four bodies from the rubble in Idlib, the group said.", "WHITE_HELMETS", None),
    ("Rescue workers pulled four bodies from the rubble in Mandalay after the quake.", None, "WHITE_HELMETS"),
    ("Federal Police raided a warehouse in Culiacan on Tuesday.", None, "IRQ_FEDPOL"),
    ("Federal Police entered the old city of Mosul on Tuesday.", "IRQ_FEDPOL", None),
])
def test_a_local_alias_names_its_actor_only_in_its_countries(read, text, expected, not_expected):
    ids = _actor_ids(read(text))
    if expected:
        assert expected in ids
    if not_expected:
        assert not_expected not in ids


def test_outside_its_country_the_shorter_descriptor_inside_it_still_matches(read):
    # "pro-regime forces" is Syria's army; in Venezuela "regime forces" still names the state's
    ids = _actor_ids(read("Pro-regime forces fired on marchers in Caracas on Saturday."))
    assert "SYR_MIL" not in ids and ids


def test_local_to_needs_local_aliases(tmp_path):
    path = tmp_path / "actors_x.toml"
    path.write_text('[[actor]]\nid = "X"\nname = "x"\naliases = ["x"]\nsector = "MIL"\nlocal_to = ["SYR"]\n')
    with pytest.raises(ValueError, match="local_to without local_aliases"):
        ActorBook.load([path])
