"""Who says so decides between a report and a claim: a party to the fighting, a government
or unnamed sources claim; the UN, a rights group or residents report (kept in reported_by)."""
from __future__ import annotations


def strike(reading):
    [event] = [e for e in reading.events if e.plover == "ASSAULT"]
    return event


def test_residents_report_a_strike_they_saw(read):
    e = strike(read("Residents said warplanes struck a market in Idlib on Tuesday."))
    assert e.status == "asserted"
    assert e.reported_by == ["CIVILIANS"]


def test_a_rights_group_reports_rather_than_claims(read):
    e = strike(read("Human rights groups said government forces shelled a school in Daraa on Monday."))
    assert e.status == "asserted" and e.reported_by


def test_an_armed_party_claims_its_own_strike(read):
    e = strike(read("The army said it had shelled rebel positions in Daraa on Monday."))
    assert e.status == "claimed"


def test_unnamed_sources_still_claim(read):
    e = strike(read("Sources said government forces shelled a school in Daraa on Monday."))
    assert e.status == "claimed"


def test_who_claims_responsibility_for_an_act_is_its_actor(read):
    e = strike(read("Al-Shabaab claimed responsibility for the bombing in Mogadishu on Friday."))
    assert e.status == "claimed" and e.actors == ["AL_SHABAAB"]
    assert "AL_SHABAAB" in e.reported_by


def test_a_claimed_attack_with_no_target_named_is_an_attack_not_a_battle(read):
    e = strike(read("The Islamic State group claimed responsibility for the attack in Kabul on Friday."))
    assert e.actors == ["ISIS"] and e.acled_sub_event_type == "Attack"


def test_an_act_no_one_claims_is_told_by_the_narrator(read):
    for text in ("No group has claimed responsibility for the bombing in Mogadishu on Friday.",
                 "Nobody has claimed the bombing in Mogadishu on Friday."):
        e = strike(read(text))
        assert e.status == "asserted" and e.actors == [], text
