"""Actor mentions: aliases, case rules for acronyms, and descriptors mapped by country."""
from __future__ import annotations

import pytest

from frontlines.knowledge.actors import ActorBook


def ids(reading):
    return [m.actor_id for m in reading.actor_mentions]


def test_acronyms_match_only_as_written(read):
    r = read("IS fighters attacked the town. It is unclear who is in charge, the US said.")
    assert ids(r).count("ISIS") == 1
    assert "USA_GOV" in ids(r)


def test_longest_alias_wins(read):
    r = read("Russian warplanes struck the area as the rebel coalition advanced.")
    assert ids(r) == ["RUS_MIL", "REB_COALITION"]


def test_descriptors_take_the_documents_country(read):
    syria = read("Government forces shelled rebels near Aleppo and Idlib.")
    assert {"SYR_MIL", "SYR_REB"} <= set(ids(syria))
    yemen = read("Government forces advanced on Houthi positions near Hodeidah and Taiz.")
    assert "SYR_MIL" not in ids(yemen)


def test_descriptor_without_a_country_stays_generic(read):
    r = read("Government forces advanced at dawn.")
    assert ids(r) == ["STATE_FORCES"]


def test_membership_tree():
    book = ActorBook.load()
    assert book.ancestors("JFS") == ["REB_COALITION", "SYR_REB"]
    assert book.related("SYR_REB", "AHRAR_AL_SHAM")
    assert not book.related("SYR_REB", "SYR_MIL")
    assert book.armed_child("SYR_GOV") == "SYR_MIL"


def test_bad_actor_file_is_reported(tmp_path):
    bad = tmp_path / "actors_bad.toml"
    bad.write_text('[[actor]]\nid = "X"\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="lacks aliases, sector"):
        ActorBook.load([bad])
    dup = tmp_path / "actors_dup.toml"
    dup.write_text('[[actor]]\nid = "X"\nname = "x"\naliases = ["x"]\nsector = "GOV"\n' * 2, encoding="utf-8")
    with pytest.raises(ValueError, match="defined twice"):
        ActorBook.load([dup])


def test_demonym_on_a_noun_of_force_names_that_countrys_forces(read):
    r = read("Russian shelling hit the outskirts of Kharkiv overnight.", published="2022-03-02")
    assert "RUS_MIL" in ids(r)


def test_demonym_on_an_ordinary_noun_is_not_an_actor(read):
    r = read("Russian speakers live in Kharkiv.", published="2022-03-02")
    assert "RUS_MIL" not in ids(r) and "RUS_GOV" not in ids(r)
