"""Territory events from our own sentences: who gained the ground, and whether it changed
hands by fighting (ACLED's "Government regains territory" / "Non-state actor overtakes
territory") or without (ACLED's "Non-violent transfer of territory")."""
from __future__ import annotations

GOV_GAIN = "Government regains territory"
NON_STATE_GAIN = "Non-state actor overtakes territory"
TRANSFER = "Non-violent transfer of territory"
TERRITORY = {GOV_GAIN, NON_STATE_GAIN, TRANSFER}


def sub_types(reading) -> list[str]:
    return [e.acled_sub_event_type for e in reading.events]


def gains(reading) -> list:
    return [e for e in reading.events if e.acled_sub_event_type in TERRITORY]


# ---------------------------------------------------------------- pushing the other side back
def test_driving_the_other_side_back_from_a_place_is_a_gain(read):
    r = read("Government troops drove the rebels back from the village of Kafr Nabl on Sunday.")
    [e] = gains(r)
    assert e.acled_sub_event_type == GOV_GAIN
    assert "REBELS" not in e.actors


def test_pushing_back_an_attack_stays_a_clash(read):
    r = read("The army pushed back an attack on its positions near Hama on Sunday.")
    assert not gains(r)
    assert "Armed clash" in sub_types(r)


def test_ground_freed_is_ground_taken_but_freed_people_are_a_release(read):
    r = read("Iraqi forces freed three villages from Islamic State militants near Mosul.")
    [e] = gains(r)
    assert e.acled_sub_event_type == GOV_GAIN and e.plover == "ASSAULT"
    r = read("Gunmen freed two hostages in Idlib on Monday.")
    assert not gains(r)
    assert [e.plover for e in r.events] == ["RETREAT"]


def test_armed_men_leaving_a_town_withdraw(read):
    r = read("The rebels left the town on Sunday after talks with tribal elders.")
    assert "RETREAT" in [e.plover for e in r.events]
    # people leaving are no withdrawal of armed men
    r = read("Hundreds of families left the town on Sunday.")
    assert "RETREAT" not in [e.plover for e in r.events]


def test_fighters_changing_sides_are_a_change_to_the_group(read):
    # a group's make-up changes (ACLED's Change to group/activity); nobody fights
    for text in ("A senior commander of the militia defected with his fighters in the town of Amuda.",
                 "Two army officers defected to the rebels on Sunday, the opposition said."):
        r = read(text)
        assert "Change to group/activity" in sub_types(r), text
        assert "Armed clash" not in sub_types(r), text


def test_releases_exchanges_and_surrenders_are_agreements(read):
    # ACLED's codebook lists prisoner releases and exchanges and surrenders under Agreement
    for text in ("The rebels released 40 soldiers they had held since March.",
                 "Rebels and government forces exchanged prisoners near the front line on Tuesday.",
                 "More than 70 fighters of the armed opposition surrendered to the state government on Sunday."):
        assert "Agreement" in sub_types(read(text)), text
    assert "Agreement" not in sub_types(read("The army handed over the base to the police on Sunday."))


def test_an_offensive_to_free_a_province_is_an_aim_not_a_gain(read):
    r = read("The army launched an offensive to free the province of Anbar from the militants.")
    assert not gains(r)


def test_retook_is_read_though_the_lemmatiser_misses_it(read):
    r = read("Kurdish fighters retook the village of Tal Abyad on Monday.")
    [e] = gains(r)
    assert e.acled_sub_event_type == NON_STATE_GAIN


def test_the_place_of_the_takers_is_not_the_ground_taken(read):
    r = read("Police in the city of Karachi seized 20 kilograms of heroin.")
    assert not gains(r)


# ---------------------------------------------------------------- ground taken without a fight
def test_entering_without_a_fight_is_a_non_violent_transfer(read):
    r = read("Rebel fighters entered the town of Saraqeb without a fight on Friday.")
    [e] = gains(r)
    assert e.acled_sub_event_type == TRANSFER
    assert e.acled_event_type == "Strategic developments"


def test_a_gain_after_the_other_side_pulled_out_is_a_non_violent_transfer(read):
    r = read("Islamic State militants retook the town of Tadmur after government troops pulled out of it.")
    [e] = gains(r)
    assert e.acled_sub_event_type == TRANSFER
    r = read("The rebels took the village of Tal Rifaat after the Kurdish forces withdrew from it.")
    [e] = gains(r)
    assert e.acled_sub_event_type == TRANSFER


def test_a_gain_when_the_ground_was_handed_over_is_a_non_violent_transfer(read):
    r = read("The government regained control of the region when the peacekeeping mission "
             "handed it over to the authorities.")
    [e] = gains(r)
    assert e.acled_sub_event_type == TRANSFER


def test_a_gain_after_heavy_fighting_stays_a_battle(read):
    r = read("Rebels captured the town of Morek after heavy fighting with government troops.")
    [e] = gains(r)
    assert e.acled_sub_event_type == NON_STATE_GAIN


def test_an_advance_into_a_town_entered_without_fighting_is_a_transfer(read):
    r = read("The militia advanced on the town of Bani Walid and entered it without fighting.")
    assert TRANSFER in sub_types(r)
    assert "Armed clash" not in sub_types(r)  # the fighting that did not happen is no event


def test_what_happened_without_an_attack_is_no_attack(read):
    r = read("Convoys moved supplies to the front without being attacked by government forces.")
    assert not [e for e in r.events if e.plover == "ASSAULT"]


# ---------------------------------------------------------------- who gained: not the source
def test_they_of_a_source_close_to_a_party_is_that_party(read):
    r = read("Sources close to the rebels said they had captured the town of Morek.")
    [e] = gains(r)
    assert e.actors and "UNSPECIFIED_SOURCES" not in e.actors
    assert e.acled_sub_event_type == NON_STATE_GAIN
    r = read("A spokesman for the rebels said they had taken control of the district of Kafr Zita.")
    [e] = gains(r)
    assert e.actors and "UNSPECIFIED_SOURCES" not in e.actors


def test_a_participle_after_said_goes_with_what_is_told(read):
    r = read("Rebels seized the town of Jisr al-Shughur on Thursday, activists said, cutting the main highway.")
    assert gains(r)
    for e in gains(r):
        assert "ACTIVISTS" not in e.actors  # the activists tell it; the rebels cut the road
        assert e.acled_sub_event_type == NON_STATE_GAIN


def test_a_word_inside_an_actor_name_is_no_trigger(read):
    r = read("Fighters loyal to the Government of National Accord shelled the airport on Monday.")
    assert [e.plover for e in r.events] == ["ASSAULT"]  # no agreement in "National Accord"


def test_a_gain_after_a_withdrawal_in_a_story_of_fighting_stays_a_battle(read):
    r = read("Government troops captured the village of Tal Hamra on Tuesday after rebels withdrew overnight. "
             "At least 20 fighters were killed in clashes around the village since Sunday.")
    [e] = gains(r)
    assert e.acled_sub_event_type == GOV_GAIN  # the withdrawal may have been under fire


def test_fire_exchanged_is_a_clash_not_a_blaze(read):
    assert sub_types(read("The two sides exchanged fire across the river on Monday.")) == ["Armed clash"]
