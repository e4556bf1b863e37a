"""Recipient (target) spans reached through a noun: the party inside the complement of an act or
a thing that the trigger governs, and the place of a recipient group that has no name.

The sentences are our own, written for these tests (docs/event-coding.md, "Role spans")."""
from __future__ import annotations

import pytest

from frontlines.evaluate.plover_gsr import main_plover_event


def main_act(read, text):
    r = read(text, published="2021-05-10")
    event = main_plover_event([*r.events, *r.statements])
    assert event is not None, text
    return event


def target_texts(event):
    return [s.text for s in event.target_spans]


@pytest.mark.parametrize("text, plover, recipients", [
    # an act noun in a prepositional phrase of the trigger: "after talks with X", "for a war against X"
    ("The teachers suspended their boycott after consultations with the education ministry.",
     "CONCEDE", ["education ministry"]),
    ("The dockers called off their strike after negotiations with Prime Minister Lopez.",
     "CONCEDE", ["Prime Minister Lopez"]),
    ("The government mobilized its reservists for a war against Eritrea.", "MOBILIZE", ["Eritrea"]),
    # an act inside an act: "in protest against abuses by X" (who committed the protested act)
    ("The nurses staged a hunger strike in protest against abuses by the police.", "PROTEST", ["police"]),
    # the subject of a noun's clause: "its demand that X publish ..."
    ("The opposition insisted on its demand that the Electoral Commission publish the results.",
     "REQUEST", ["Electoral Commission"]),
    # the agent of a thing's participle: "the ceasefire proposed by X"
    ("The rebels accepted the ceasefire proposed by the African Union.", "AGREE", ["African Union"]),
])
def test_the_recipient_inside_a_nouns_complement(read, text, plover, recipients):
    event = main_act(read, text)
    assert event.plover == plover
    assert target_texts(event) == recipients


@pytest.mark.parametrize("text, recipients", [
    # the object of the trigger's complement clause, and names coordinated with the party
    ("The two governments agreed to provide 30 million euros of assistance for Moldova and Georgia.",
     ["Moldova", "Georgia"]),
    # a purpose clause: "to allow the delivery of fuel to X"
    ("The army reopened the bridge to allow the delivery of fuel to Gaza.", ["Gaza"]),
    # a protest's participle says what it is about: "calling for autonomy from X"
    ("Thousands of Kurds marched in the city on Sunday calling for autonomy from Baghdad.", ["Baghdad"]),
])
def test_the_recipient_inside_the_triggers_complement_clause(read, text, recipients):
    assert target_texts(main_act(read, text)) == recipients


def test_an_unnamed_recipient_group_is_the_place_it_is_in(read):
    event = main_act(read, "Pakistan has refused to deploy peacekeepers in Somalia.")
    assert event.plover == "REJECT" and target_texts(event) == ["Somalia"]
    r = read("Canada agreed to contribute 500 troops to a peacekeeping force in Haiti.", published="2021-05-10")
    [aid] = [e for e in [*r.events, *r.statements] if e.plover == "AID"]
    assert target_texts(aid) == ["Haiti"]
    # victims are the recipients wherever they are; a named group keeps its words
    assert target_texts(main_act(read, "Gunmen killed several civilians in Aleppo on Monday.")) == ["civilians"]


def test_a_nouns_complement_is_not_read_when_it_tells_something_else(read):
    # an instrument's supplier is not the one shelled
    event = main_act(read, "The army shelled the town with rockets supplied by Iran.")
    assert "Iran" not in target_texts(event)
    # after a withdrawal, a participle tells its outcome, not whom it is aimed at
    event = main_act(read, "French troops left the country on Monday, ending a long deployment against the insurgents.")
    assert event.plover == "RETREAT" and "insurgents" not in target_texts(event)
    # a verb that is an act of its own does not lend its phrases to the noun it governs
    r = read("The dockers called off their strike after negotiations with Prime Minister Lopez.", published="2021-05-10")
    assert all(not e.target_spans for e in [*r.events, *r.statements] if e.trigger.text == "strike")
    # nothing inside: no recipient
    assert target_texts(main_act(read, "The government welcomed the talks.")) == []


def test_recipients_found_inside_a_noun_are_spans_only(read):
    # the actor ids the document scorers read stay those of the subject/object rules
    event = main_act(read, "The nurses staged a hunger strike in protest against abuses by the police.")
    assert target_texts(event) == ["police"] and event.targets == []
