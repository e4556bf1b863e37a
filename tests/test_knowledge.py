"""The knowledge files load, and every label in them is one the ontologies have."""
from __future__ import annotations

import pytest

from frontlines.knowledge.ontology import ACLED_SUB_EVENT_TYPES, PLOVER_TYPES, acled_event_type, check_mode
from frontlines.knowledge.triggers import load_nonconflict, load_triggers


def test_sixteen_plover_types_and_twenty_five_acled_sub_types():
    assert len(PLOVER_TYPES) == 16
    assert len(ACLED_SUB_EVENT_TYPES) == 25
    assert acled_event_type("Air/drone strike") == "Explosions/Remote violence"


def test_every_plover_type_has_a_trigger():
    covered = {t.plover for t in load_triggers()}
    assert covered == set(PLOVER_TYPES)


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown mode"):
        check_mode("ASSAULT", "laser")


def test_bad_trigger_file_names_the_entry(tmp_path):
    path = tmp_path / "triggers.toml"
    path.write_text('[[trigger]]\nphrases = ["zap"]\nplover = "ZAP"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="trigger #1: unknown PLOVER type"):
        load_triggers(path)


def test_disasters_are_listed():
    assert {"earthquake", "flood"} <= load_nonconflict()
