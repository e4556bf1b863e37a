"""A generic attack verb takes its mode from the weapon that is its subject or its "by" agent:
"the drone hit people" is a drone strike, "struck by warplanes" an air strike. And a verb of
speech used of a weapon or a body in motion ("slammed into a school") is no accusation."""
from __future__ import annotations

from datetime import date

import pytest

from frontlines.model import Document
from frontlines.reading.pipeline import Reader


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


def _assaults(reader: Reader, text: str) -> list:
    reading = reader.read(Document(text=text, published=date(2024, 3, 19), published_basis="given"))
    return [e for e in reading.events if e.plover == "ASSAULT"]


def test_a_drone_as_subject_makes_a_generic_verb_a_drone_strike(reader):
    (event,) = _assaults(reader, "On Sunday the drone hit people gathered near a well in the village of Tessalit.")
    assert event.mode == "drone" and event.acled_sub_event_type == "Air/drone strike"
    assert event.rule.endswith("+instrument:drone")  # the event says which rule gave the mode


def test_warplanes_as_the_by_agent_make_an_air_strike(reader):
    (event,) = _assaults(reader, "The market in Idlib was struck by warplanes on Friday.")
    assert event.mode == "aerial" and event.acled_event_type == "Explosions/Remote violence"


def test_people_as_subject_give_no_mode(reader):
    (event,) = _assaults(reader, "Gunmen hit the convoy near Kidal on Monday.")
    assert event.mode is None and "+instrument" not in event.rule
    assert event.acled_event_type != "Explosions/Remote violence"


def _speech(reader: Reader, text: str) -> list:
    reading = reader.read(Document(text=text, published=date(2024, 3, 19), published_basis="given"))
    return [e for e in reading.events + reading.statements if e.plover == "ACCUSE"]


def test_a_verb_of_speech_in_motion_is_no_accusation(reader):
    assert _speech(reader, "A rocket slammed into a school in Kharkiv on Monday.") == []
    assert _speech(reader, "Riot police charged into the crowd in Nairobi on Tuesday.") == []
    # the same verbs of people speaking still accuse
    assert len(_speech(reader, "The minister slammed the army in Kyiv on Monday over the failed defence.")) == 1
    assert len(_speech(reader, "Prosecutors in Nairobi charged five officers on Tuesday with murder.")) == 1


@pytest.mark.parametrize("text, mode", [
    ("Warplanes fired missiles at the village of Kafr Nabl on Sunday.", "aerial"),
    ("Helicopter gunships bombarded the town of Daraya.", "aerial"),
    ("A drone fired a missile at a car near Marib.", "drone"),
])
def test_heavy_weapons_fired_from_the_air_are_an_air_strike(reader, text, mode):
    (event,) = _assaults(reader, text)
    assert (event.mode, event.acled_sub_event_type) == (mode, "Air/drone strike")
    assert event.rule.endswith(f"+instrument:{mode}")


def test_rockets_fired_at_an_aircraft_stay_shelling(reader):
    (event,) = _assaults(reader, "Rebels fired rockets at an army helicopter near Hama.")
    assert event.acled_sub_event_type == "Shelling/artillery/missile attack"
