"""Event mentions from our own sentences: types, roles, status, dates, places, merging."""
from __future__ import annotations

from datetime import date

import pytest


def events(reading, plover=None):
    return [e for e in reading.events if plover is None or e.plover == plover]


def test_air_strike_passive_with_fatalities(read):
    r = read("At least 14 civilians were killed when Russian warplanes bombed a market in Idlib on Sunday.",
             published="2017-05-16")
    [e] = events(r, "ASSAULT")
    assert e.actors == ["RUS_MIL"]
    assert "CIVILIANS" in e.targets or "CIVILIANS" not in e.actors
    assert e.place is not None and e.place.name == "Idlib"
    assert e.date.value == date(2017, 5, 14) and e.date.precision == "day"
    assert e.fatalities == 14
    assert e.status == "asserted"


def test_noun_trigger_mode_and_acled_type(read):
    r = read("A car bomb exploded outside a police station in Mosul on Tuesday, police said.",
             published="2017-03-02")
    [e] = events(r, "ASSAULT")
    assert e.mode == "explosives"
    assert e.acled_sub_event_type == "Remote explosive/landmine/IED"
    assert e.acled_event_type == "Explosions/Remote violence"
    assert e.status == "claimed"


def test_capture_by_government_is_territory_regained(read):
    r = read("Iraqi forces recaptured the town of Tal Afar from Islamic State militants last week.",
             published="2017-09-04")
    [e] = events(r, "ASSAULT")
    assert e.acled_sub_event_type == "Government regains territory"
    assert e.date.precision == "week" and e.date.value == date(2017, 8, 28)


def test_capture_by_rebels_is_non_state_gain(read):
    r = read("Syrian rebels seized the village of Khan Tuman on Friday after heavy fighting.",
             published="2016-05-09")
    captures = [e for e in events(r, "ASSAULT") if e.acled_sub_event_type == "Non-state actor overtakes territory"]
    assert captures and captures[0].actors == ["SYR_REB"]


def test_denied_attack(read):
    r = read("The Syrian government denied carrying out the chemical attack on Khan Sheikhoun.",
             published="2017-04-06")
    [e] = events(r, "ASSAULT")
    assert e.status == "denied"
    assert e.acled_sub_event_type is None  # ACLED codes what happened


def test_expected_offensive_has_no_date_value(read):
    r = read("Government troops are expected to launch an offensive on the city soon.", published="2016-09-01")
    [e] = events(r, "ASSAULT")
    assert e.status == "expected"
    assert e.date.value is None


def test_request_to_surrender_is_not_a_surrender(read):
    r = read("On Monday, the army dropped leaflets over the town telling fighters to surrender.",
             published="2016-11-30")
    assert [e.plover for e in r.events] == ["REQUEST"]
    assert r.events[0].mode == "yield"


def test_statement_without_date_or_place_is_not_an_event(read):
    r = read("The UN has condemned the bombing campaign.", published="2016-10-01")
    assert events(r, "ACCUSE") == []
    # ... but it is kept, coded, among the statements
    [s] = [m for m in r.statements if m.plover == "ACCUSE"]
    assert s.actors == ["UN"] and [sp.text for sp in s.actor_spans] == ["UN"]
    assert s.clause_depth == 0


def test_a_threat_is_a_statement_and_what_is_threatened_has_not_happened(read):
    r = read("The militia threatened to attack the convoy unless the army withdrew.", published="2020-03-02")
    assert events(r, "ASSAULT") == []
    [s] = [m for m in r.statements if m.plover == "THREATEN"]
    assert [sp.text for sp in s.actor_spans] == ["militia"]
    # the recipient of a threat is the one who must yield ("unless the army withdrew")
    assert [sp.text for sp in s.target_spans] == ["army"]


def test_speech_acts_of_each_kind_are_coded(read):
    cases = {
        "The opposition demanded the release of all political prisoners.": "REQUEST",
        "The ministry rejected the proposal for new elections.": "REJECT",
        "The two leaders met to discuss the border dispute.": "CONSULT",
        "The council praised the mediators.": "SUPPORT",
        "The envoy complained to the council about the raids.": "ACCUSE",
        "The governor has offered to hand over the disputed district.": "AGREE",
    }
    for text, plover in cases.items():
        r = read(text, published="2020-03-02")
        told = sorted(r.events + r.statements, key=lambda m: (m.clause_depth, m.trigger.start))
        assert told and told[0].plover == plover, (text, [(m.plover, m.clause_depth) for m in told])


def test_statements_keep_a_news_document_s_events_unchanged(read):
    text = ("Government forces shelled the town of Kafr Hamra on Tuesday, killing four people. "
            "The opposition condemned the government. Its leaders urged the United Nations to act.")
    r = read(text, published="2016-07-20")
    assert [e.plover for e in r.events] == ["ASSAULT"]
    assert {s.plover for s in r.statements} == {"ACCUSE", "REQUEST"}


def test_role_spans_name_unnamed_actors_and_follow_plover_phrasing(read):
    r = read("Gunmen kidnapped three aid workers near the border on Monday.", published="2020-03-02")
    [e] = events(r, "ASSAULT")
    assert [s.text for s in e.actor_spans] == ["Gunmen"]
    assert [s.text for s in e.target_spans] == ["aid workers"]
    # a quantity is not the actor; a demonym on a thing speaks for its country
    r = read("A group of Ruritanian diplomats met the president on Monday.", published="2020-03-02")
    [m] = [m for m in r.events + r.statements if m.plover == "CONSULT"]
    assert [s.text for s in m.actor_spans] == ["Ruritanian diplomats"]
    r = read("Turkish tanks shelled the village of Tell Rifaat on Tuesday.", published="2020-03-02")
    [e] = events(r, "ASSAULT")
    assert [s.text for s in e.actor_spans] == ["Turkish"]


def test_coordinated_parties_that_agree_are_each_other_s_recipients(read):
    r = read("Ruritania and Freedonia agreed to reopen their border.", published="2020-03-02")
    [m] = [m for m in r.events + r.statements if m.plover == "AGREE"]
    assert [s.text for s in m.actor_spans] == ["Ruritania", "Freedonia"]
    assert m.target_spans == m.actor_spans


def test_pronoun_subject_resolved_to_previous_subject(read):
    r = read("Houthi rebels fired missiles at the port last week. They also shelled the airport on Tuesday.",
             published="2018-06-20")
    shelling = [e for e in events(r, "ASSAULT") if "shelled" in e.evidence[0].text]
    assert shelling and shelling[0].actors  # "They" is not left empty


def test_mentions_of_one_occurrence_merge(read):
    text = ("Rebels launch offensive on Aleppo\n\n"
            "Syrian rebels launched a major offensive on Aleppo on Sunday. "
            "The offensive began at dawn, a rebel commander said.")
    r = read(text, published="2016-08-01")
    assaults = events(r, "ASSAULT")
    assert len(assaults) == 1
    assert len(assaults[0].evidence) >= 2


def test_different_places_stay_apart(read):
    text = ("Shelling hit Homs on Monday. Separately, shelling hit Hama on Monday.")
    r = read(text, published="2016-03-02")
    places = [e.place.name for e in events(r, "ASSAULT") if e.place]
    assert len(places) == 2 and len(set(places)) == 2 and "Homs" in places


def test_every_event_has_evidence_inside_the_text(read):
    text = "Gunmen killed four villagers in Borno state on Saturday, residents said."
    r = read(text, published="2020-11-30")
    assert r.events
    for e in r.events:
        for span in e.evidence:
            assert text[span.start:span.end] == span.text
        assert e.rule.startswith("trigger:")


def test_earthquake_deaths_are_not_an_attack(read):
    r = read("A powerful earthquake killed more than 200 people in the region on Monday.", published="2023-02-07")
    assert events(r, "ASSAULT") == []


def test_it_in_reported_speech_is_the_speaker(read):
    r = read("Al-Shabaab said it carried out the bombing in Mogadishu on Saturday.", published="2019-12-30")
    [e] = events(r, "ASSAULT")
    assert e.actors == ["AL_SHABAAB"]


def test_strike_on_a_market_targets_civilians_and_lists_them(read):
    r = read("Warplanes struck a crowded market in Maarat al-Numan on Monday.", published="2016-06-14")
    [e] = events(r, "ASSAULT")
    assert e.targets == ["CIVILIANS"]
    assert "CIVILIANS" in r.actors


# -- places and dates of events, from reading the sample corpus's split occurrences --------

def test_a_dateline_is_not_where_the_event_happened(read):
    r = read("GAZIANTEP, Turkey, July 19, 2016 — Government helicopters dropped barrel bombs "
             "on Idlib on Monday, rescuers said.", published="2016-07-19")
    [e] = events(r, "ASSAULT")
    assert e.place is not None and e.place.name == "Idlib"
    assert any(pm.rule == "places:dateline" and pm.place.name == "Gaziantep" for pm in r.places)


def test_a_capture_named_inside_its_object_and_a_road_cut(read):
    r = read("Syrian troops captured a string of hilltops in the Handarat area north of Aleppo "
             "on Thursday.", published="2016-07-08")
    [e] = events(r, "ASSAULT")
    assert e.acled_sub_event_type == "Government regains territory"
    r = read("Syrian troops cut the Castello road on Sunday, severing the last route into the "
             "rebel-held districts of Aleppo.", published="2016-07-18")
    [e] = events(r, "ASSAULT")  # the participle tells what the same act achieved
    assert e.acled_sub_event_type == "Government regains territory"
    assert e.date.value == date(2016, 7, 17)


def test_the_besieged_city_reports_the_siege_on_the_day_of_the_report(read):
    r = read("Aid workers said food was running short in the besieged city of Madaya.",
             published="2016-01-08")
    [e] = events(r, "COERCE")
    assert e.mode == "restrict" and e.date.value == date(2016, 1, 8)
    assert e.place is not None and e.place.name == "Madaya"
    # Not every adjective of an event is a report of it: "the deadliest attack".
    r = read("It was the deadliest attack on the city this year, officials said.",
             published="2016-01-08")
    assert not events(r, "ASSAULT")


def test_what_is_feared_or_made_possible_has_not_happened(read):
    r = read("Doctors moved the wards into the basement for fear of air strikes.",
             published="2016-07-19")
    assert not events(r, "ASSAULT")
    r = read("Russia announced the opening of humanitarian corridors to let civilians leave "
             "Aleppo on Thursday.", published="2016-07-28")
    [e] = events(r, "RETREAT")
    assert e.mode != "withdraw"  # the corridors open; nobody has left yet
    assert "RUS_GOV" in e.actors  # whoever announces the opening opens them


def test_leaving_people_encircled_is_not_a_withdrawal(read):
    r = read("The army cut the road on Sunday, leaving 250,000 people encircled.",
             published="2016-07-18")
    assert not events(r, "RETREAT")


def test_an_advance_is_placed_where_it_went_not_where_it_started(read):
    r = read("Syrian troops advanced from Anadan and reached the town of Hreitan on Sunday.",
             published="2016-07-18")
    [e] = events(r, "ASSAULT")
    assert e.place is not None and e.place.name == "Hreitan"


@pytest.fixture(scope="module")
def read_aleppo():
    """A reader with the demo's Aleppo place file (the Mallah farms are in no gazetteer)."""
    from pathlib import Path

    from frontlines.model import Document
    from frontlines.reading.pipeline import Reader

    reader = Reader.load(places=[Path(__file__).parent.parent / "examples/places/aleppo_2016.csv"])

    def _read(text: str, published: str, outlet: str | None = None):
        return reader.read(Document(text=text, published=date.fromisoformat(published), outlet=outlet))

    return _read


def test_the_noun_again_means_the_place_named_before(read_aleppo):
    r = read_aleppo("Syrian troops shelled rebels in the Mallah farms north of Aleppo on Monday. "
                    "At least 20 fighters were killed in the battle for the farms on Wednesday, "
                    "a monitor said.", published="2016-07-14")
    battle = [e for e in events(r, "ASSAULT") if e.trigger.text.startswith("battle")]
    assert battle and battle[0].place is not None and battle[0].place.name == "Mallah farms"
    places = {e.place.name for e in events(r, "ASSAULT") if e.place}
    assert places and all("Mallah" in p for p in places), places


def test_an_earlier_act_after_two_weeks_after_keeps_its_own_date_and_toll(read_aleppo):
    r = read_aleppo("Warplanes struck Atareb in Aleppo province again on Tuesday, two weeks after "
                    "a raid on its market killed at least 15 people.", published="2016-08-18")
    strikes = sorted(events(r, "ASSAULT"), key=lambda e: e.date.value)
    assert len(strikes) == 2, [e.trigger.text for e in strikes]
    earlier, later = strikes
    assert earlier.date.value == date(2016, 8, 1) and earlier.date.precision == "week"
    assert earlier.fatalities == 15
    assert later.date.value == date(2016, 8, 16) and later.fatalities is None


def test_a_relative_clause_tells_its_own_act_on_its_own_day(read_aleppo):
    r = read_aleppo("Syrian troops took Bani Zeid on Wednesday, far from the Castello road, which "
                    "government forces cut on July 17.", published="2016-07-28")
    cuts = [e for e in events(r, "ASSAULT") if e.trigger.text == "cut"]
    assert cuts and cuts[0].date.value == date(2016, 7, 17)
    assert cuts[0].place is not None and cuts[0].place.name == "Castello road"
    takes = [e for e in events(r, "ASSAULT") if e.trigger.text == "took"]
    assert takes and takes[0].date.value == date(2016, 7, 27)


def test_news_of_an_offensive_is_not_the_offensive(read):
    r = read("Residents of Idlib poured into the streets on Sunday night to celebrate the news of "
             "the offensive.", published="2016-08-01")
    assert not events(r, "ASSAULT")


def test_the_evidence_stops_before_a_clause_about_another_act(read):
    r = read("Raids on Idlib have grown more frequent since rebels launched their offensive on "
             "Hama on Sunday.", published="2016-08-03")
    raids = [e for e in events(r, "ASSAULT") if e.trigger.text == "Raids"]
    assert raids and "since" not in raids[0].evidence[0].text


def test_a_capture_whose_of_phrase_the_parser_misplaces(read_aleppo):
    r = read_aleppo("Syrian rebels broke the siege of Aleppo. The breakthrough followed the capture "
                    "on Saturday of the Ramouseh artillery academy.", published="2016-08-07")
    captures = [e for e in events(r, "ASSAULT") if e.trigger.text == "capture"]
    assert captures and captures[0].place is not None
    assert captures[0].place.name == "Ramouseh artillery academy"


def test_units_attacking_with_no_victim_named_clash(read):
    r = read("Rebel units were attacking from inside Aleppo on Saturday, a monitor said.",
             published="2016-08-07")
    [attack] = events(r, "ASSAULT")
    assert attack.acled_sub_event_type == "Armed clash"
    r = read("Gunmen attacked farm workers near Maiduguri on Saturday.", published="2020-11-29")
    [attack] = events(r, "ASSAULT")
    assert attack.acled_sub_event_type == "Attack"  # victims named: violence against civilians


def test_a_dateline_day_does_not_date_the_events(read):
    r = read("GAZIANTEP, Turkey, August 7, 2016 — Syrian rebels said they had captured the "
             "village of Khan Tuman.", published="2016-08-07")
    [e] = events(r, "ASSAULT")
    assert e.date.expression is None  # the publication day, not a stated day


def test_a_broken_siege_is_told_by_its_breaking_not_as_a_siege_in_force(read):
    r = read("Syrian rebels said they broke the siege of Aleppo on Saturday.", published="2016-08-07")
    assert not events(r, "COERCE")
    assert events(r, "ASSAULT")
    r = read("Rebels launched an offensive to break the siege of Aleppo on Sunday.",
             published="2016-07-31")
    assert events(r, "COERCE")  # still in force: the offensive is meant to break it
    r = read("The deal ended a four-year siege of Daraya on Saturday.", published="2016-08-27")
    assert events(r, "COERCE")  # a siege told whole, with its own span


def test_until_a_past_decision_is_a_fact_until_a_future_one_a_condition(read):
    r = read("Rebels held the city until Russia decided to back the government with air strikes "
             "last year.", published="2016-08-01")
    [aid] = events(r, "AID")
    assert aid.status == "asserted"
    r = read("Rebels will not stop shelling the city until the army withdraws.", published="2016-08-01")
    [withdrawal] = events(r, "RETREAT")
    assert withdrawal.status != "asserted"  # it has not happened


def test_saying_what_another_party_must_do_is_a_demand(read):
    r = read("The council declared that the governor must resign.", published="2020-03-02")
    [s] = [m for m in r.events + r.statements if m.plover == "REQUEST"]
    assert [sp.text for sp in s.actor_spans] == ["council"]
    assert [sp.text for sp in s.target_spans] == ["governor"]
    # a resolve is not a demand
    r = read("The council said we must leave.", published="2020-03-02")
    assert not [m for m in r.events + r.statements if m.plover == "REQUEST"]


def test_the_recipient_of_a_measure_is_the_place_it_is_imposed_on(read):
    r = read("The junta threatened to impose a curfew in Mandalay.", published="2021-03-02")
    [s] = [m for m in r.events + r.statements if m.plover == "THREATEN"]
    assert [sp.text for sp in s.target_spans] == ["Mandalay"]


def test_role_spans_keep_ethnic_names_and_an_unnamed_weapon_is_the_actor(read):
    r = read("Serb forces killed three ethnic Albanians in a gunbattle on Friday.", published="2020-03-02")
    e = next(e for e in events(r, "ASSAULT") if e.target_spans)
    assert [s.text for s in e.actor_spans] == ["Serb forces"]
    assert [s.text for s in e.target_spans] == ["ethnic Albanians"]
    r = read("A roadside bombing near the town killed two soldiers on Monday.", published="2020-03-02")
    [e] = events(r, "ASSAULT")
    assert [s.text for s in e.actor_spans] == ["roadside bombing"]
    assert [s.text for s in e.target_spans] == ["soldiers"]
