"""ACLED sub-event types the rules give from who did what to what: weapons found or made safe,
bases set up, posts of armed men attacked, accidents, and how a protest was met or behaved.

Every sentence here is written for the tests.
"""
from __future__ import annotations

import pytest

from frontlines.reading.classify import disaster_class


def subtypes(reading) -> list[str | None]:
    return [e.acled_sub_event_type for e in reading.events]


@pytest.mark.parametrize("text", [
    "Police seized four rifles and 300 rounds of ammunition in a raid on a farmhouse near Kisumu on Tuesday.",
    "Two improvised explosive devices were found near the bus station in Kandahar and defused by army engineers.",
    "Army engineers cleared more than 400 landmines from farmland outside Marib over three months.",
    "A large cache of weapons and grenades was discovered in a house in the old quarter of Mosul.",
    "Special forces destroyed large caches of rifles and IEDs in the hills above Goma.",
    "Two explosive devices were found in a drainage canal beside the ring road in Kaduna.",
    "Gendarmes discovered a large amount of ammunition believed to belong to the rebels near Bambari.",
])
def test_weapons_found_or_made_safe_are_disrupted_weapons_use(read, text):
    found = subtypes(read(text))
    assert found and found[0] == "Disrupted weapons use", found
    # the weapons named are not an attack, nor the seizure a gain of ground
    assert not {"Remote explosive/landmine/IED", "Grenade", "Non-state actor overtakes territory",
                "Government regains territory"} & set(found), found


def test_intercepted_people_are_no_weapons(read):
    assert subtypes(read("Air defences intercepted two missiles over the city on Sunday.")) == ["Disrupted weapons use"]
    assert "Disrupted weapons use" not in subtypes(read("Police intercepted 15 suspected members of the group."))


def test_ground_seized_stays_territory(read):
    assert subtypes(read("Rebels seized the town of Kafr Nabl after two days of fighting.")) == [
        "Non-state actor overtakes territory"]


@pytest.mark.parametrize("text, want", [
    ("Special forces captured a senior militant commander near Kandahar on Monday.", "Arrests"),
    ("Police seized two suspects in Maiduguri on Friday.", "Arrests"),
    ("Insurgents captured four soldiers in an ambush near the border.", "Abduction/forced disappearance"),
])
def test_people_captured_are_taken_captive_not_ground(read, text, want):
    assert subtypes(read(text)) == [want]


def test_captives_do_not_keep_a_town_from_being_taken(read):
    # the town is what was taken; the fighters it names are its defenders
    assert subtypes(read("Government troops captured the town from the militants.")) == ["Government regains territory"]


def test_a_bomb_that_went_off_is_still_an_explosion(read):
    assert subtypes(read("A roadside bomb exploded near a police patrol in Kandahar, wounding three officers.")) == [
        "Remote explosive/landmine/IED"]


@pytest.mark.parametrize("text", [
    "The army established two observation points on the hills east of Saraqib on Monday.",
    "Turkish forces have set up a new military post near the village of Kafr Nabl in southern Idlib.",
])
def test_bases_set_up(read, text):
    assert subtypes(read(text)) == ["Headquarters or base established"]


def test_setting_up_a_committee_is_no_base(read):
    assert "Headquarters or base established" not in subtypes(
        read("The council set up a committee to review the budget on Monday."))


@pytest.mark.parametrize("text, want", [
    ("Insurgents stormed a military base near the border before dawn.", "Armed clash"),
    ("Heavily armed fighters attacked military positions near the town last night.", "Armed clash"),
    ("Gunmen attacked an aid convoy on the road to the camp, killing two drivers.", "Attack"),
    ("Militants attacked a village near the border, killing six farmers.", "Attack"),
])
def test_attacking_a_post_of_armed_men_is_a_clash(read, text, want):
    assert subtypes(read(text))[0] == want


def test_an_accident_that_kills_is_no_attack(read):
    assert subtypes(read("A bus overturned on the mountain road south of the city, killing nine passengers.")) == []
    assert subtypes(read("Gunmen stormed the village at dawn, killing eleven farmers.")) == ["Attack"]


@pytest.mark.parametrize("text, want", [
    ("A tanker leaked 300 tonnes of crude oil into the sea off the port.", "MAN_MADE_DISASTER"),
    ("Sixty workers were taken to hospital after a chemical spill at the plant.", "MAN_MADE_DISASTER"),
    ("The ferry capsized in a storm.", "MAN_MADE_DISASTER"),  # the first one named decides
    ("A storm capsized the ferry.", "NATURAL_DISASTER"),
    ("Troops fired on the village.", None),
])
def test_disaster_words_as_written(text, want):
    assert disaster_class(text) == want


@pytest.mark.parametrize("text, want", [
    ("Police fired tear gas to disperse hundreds of students protesting outside parliament on Tuesday.",
     "Protest with intervention"),
    # a headline's present tense, which the parser reads as a noun compound
    ("Riot police fire tear gas at students protesting outside parliament", "Protest with intervention"),
    ("Protesters hurled stones at riot police during a demonstration in the capital.", "Violent demonstration"),
    ("A masked protester throws a petrol bomb during a demonstration outside the ministry.", "Violent demonstration"),
    ("Thousands marched peacefully through the city centre to demand new elections.", "Peaceful protest"),
    ("Tens of thousands returned to the streets of the capital on Sunday to demand new elections.", "Peaceful protest"),
    ("Residents protested against the killing of a teenager by police last week.", "Peaceful protest"),
])
def test_a_protest_is_coded_by_how_it_was_met(read, text, want):
    assert subtypes(read(text))[0] == want


def test_firing_on_demonstrators_is_excessive_force(read):
    assert subtypes(read("Security forces opened fire on demonstrators in the square, killing three people.")) == [
        "Excessive force against protesters"]
    # firing on a crowd at a wedding is an attack on it, not the putting down of a protest
    assert subtypes(read("Gunmen opened fire on a crowd at a wedding, killing three guests."))[0] == "Attack"


@pytest.mark.parametrize("text", [
    "Government helicopters dropped barrel bombs filled with chlorine on the town of Kafr Zita on Tuesday.",
    "Militants fired dozens of mortar rounds containing toxic gas at army positions outside the city.",
])
def test_an_attack_with_a_chemical_agent_is_a_chemical_weapon(read, text):
    assert subtypes(read(text)) == ["Chemical weapon"]


@pytest.mark.parametrize("text", [
    "A helicopter dropped containers of toxic gas on a village in the north of the province, rescuers said.",
    "The group used mustard gas against an army unit near the lake, leaving 20 soldiers injured.",
])
def test_a_chemical_agent_used_is_a_chemical_weapon_with_no_other_act_named(read, text):
    # "leaving 20 soldiers injured" tells the result: no one left anywhere
    assert subtypes(read(text)) == ["Chemical weapon"]


def test_toxic_gas_from_a_factory_is_no_weapon(read):
    assert "Chemical weapon" not in subtypes(read("A fertiliser plant leaked toxic gas over the town on Friday."))


def test_tear_gas_is_no_chemical_weapon(read):
    # the tear gas is force of its own (crowd control), uncoded by ACLED with no crowd named
    assert subtypes(read("Troops shelled the village and fired tear gas at the residents.")) == [
        "Shelling/artillery/missile attack", None]
    assert subtypes(read("Troops shelled the village and fired toxic gas at the residents.")) == ["Chemical weapon"]


def test_a_mob_with_no_demonstration_is_mob_violence(read):
    assert subtypes(read("A mob lynched two men accused of stealing cattle in the village on Sunday."))[0] == \
        "Mob violence"
    assert subtypes(read("Rioters torched shops during a demonstration against the fuel price rise."))[0] == \
        "Violent demonstration"
