"""An act told again by a definite noun ("the strike could amount to a war crime") is the same
act, not another one; a first or a new one still counts."""
from __future__ import annotations


def assaults(reading):
    return [e for e in reading.events if e.plover == "ASSAULT"]


def test_the_strike_said_of_afterwards_is_not_a_second_strike(read):
    r = read("A drone strike killed nine civilians in Kidal on Sunday. Rights groups said the "
             "strike could amount to a war crime.")
    [strike] = assaults(r)
    assert strike.status == "asserted" and strike.fatalities == 9


def test_if_the_fighting_goes_on_stays_one_fighting(read):
    # A guard: here the merge already kept one event before the rule; it must still.
    r = read("Fighting between the army and rebels killed 20 people in Taiz on Monday. The UN "
             "warned that aid would stop if the fighting continued.")
    assert [e.status for e in assaults(r)] == ["asserted"]


def test_a_definite_act_told_first_is_still_an_event(read):
    r = read("The attack on the market in Kidal killed nine civilians on Sunday, officials said.")
    assert len(assaults(r)) == 1


def test_a_new_act_of_the_same_type_with_its_own_date_is_kept(read):
    r = read("A drone strike killed nine civilians in Kidal on Sunday. The strike on Tuesday "
             "hit a wedding near Gao.")
    assert len(assaults(r)) == 2
