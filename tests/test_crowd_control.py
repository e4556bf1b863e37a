"""Force used to contain a crowd (tear gas, water cannon, a baton charge, a dispersal) is an
event of PLOVER's crowd-control mode that ACLED codes as the protest met with intervention; told
beside the protest itself it is how that protest was met, one event and not two."""
from __future__ import annotations

from datetime import date

import pytest

from frontlines.model import Document
from frontlines.reading.pipeline import Reader

INTERVENTION = "Protest with intervention"
EXCESSIVE = "Excessive force against protesters"


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


def _events(reader: Reader, text: str) -> list:
    reading = reader.read(Document(text=text, published=date(2023, 3, 14), published_basis="given"))
    return reading.events


def test_tear_gas_fired_at_demonstrators_is_crowd_control_aimed_at_them(reader):
    (event,) = _events(reader, "Police fired tear gas at demonstrators outside the courthouse in Bulawayo on Monday.")
    assert (event.plover, event.mode, event.acled_sub_event_type) == ("ASSAULT", "crowd-control", INTERVENTION)
    assert "POLICE" in event.actors
    assert [s.text for s in event.target_spans] == ["demonstrators"]  # not the tear gas


@pytest.mark.parametrize("text", [
    "Riot police charged into the crowd with batons in Mombasa on Tuesday.",
    "Police charged at the marchers near the stadium in Kisumu.",
    "Officers dispersed hundreds of mourners in Srinagar on Friday.",
    "Police used water cannon on students in Ibadan on Friday.",
])
def test_each_way_of_containing_a_crowd_is_one_crowd_control_event(reader, text):
    events = _events(reader, text)
    assert [(e.mode, e.acled_sub_event_type) for e in events] == [("crowd-control", INTERVENTION)]
    assert not [e for e in events if e.plover == "ACCUSE"]  # "charged into" is no accusation


@pytest.mark.parametrize("text", [
    "Prosecutors charged two students with murder in Enugu on Monday.",  # a court's charge
    "The army used poison gas on the town of Khan Sheikhoun.",  # a chemical weapon, not crowd control
])
def test_other_senses_are_not_crowd_control(reader, text):
    assert not [e for e in _events(reader, text) if e.mode == "crowd-control"]


def test_deaths_make_it_excessive_force(reader):
    (event,) = _events(reader, "Soldiers fired tear gas and live ammunition at protesters in Omdurman, killing three.")
    assert event.acled_sub_event_type == EXCESSIVE


def test_beside_the_protest_it_tells_how_the_protest_was_met(reader):
    (event,) = _events(reader, "Police used tear gas to break up a protest by teachers in Gweru on Monday.")
    assert (event.plover, event.acled_sub_event_type) == ("PROTEST", INTERVENTION)


def test_a_later_sentence_of_the_same_day_and_place_folds_into_the_protest(reader):
    events = _events(reader, "Thousands marched in Gweru on Monday against the new fuel tax. "
                             "Police fired tear gas at them near the city hall.")
    assert [(e.plover, e.acled_sub_event_type) for e in events] == [("PROTEST", INTERVENTION)]
    assert events[0].rule.endswith("+crowd")


def test_a_protest_on_another_day_keeps_its_own_event(reader):
    events = _events(reader, "Thousands marched peacefully in Gweru on 2 March. "
                             "On 9 March police fired tear gas at demonstrators in Gweru.")
    assert sorted((e.plover, e.acled_sub_event_type) for e in events) == [
        ("ASSAULT", INTERVENTION), ("PROTEST", "Peaceful protest")]
