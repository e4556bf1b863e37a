"""CASE 2021 Task 2 event codes: ACLED's 25 sub-event types under short names, plus five
classes a news feed also holds that ACLED does not code.

The codes are the shared task's (Haneczok et al. 2021); the table is ours. Labels only.
"""
from __future__ import annotations

from typing import Optional

from frontlines.knowledge.ontology import ACLED_SUB_EVENT_TYPES

# CASE code -> ACLED sub-event type, in ACLED's order.
CASE_TO_ACLED: dict[str, str] = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "CHEM_WEAP": "Chemical weapon",
    "AIR_STRIKE": "Air/drone strike",
    "SUIC_BOMB": "Suicide bomb",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    "SEX_VIOL": "Sexual violence",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
ACLED_TO_CASE: dict[str, str] = {v: k for k, v in CASE_TO_ACLED.items()}

# Subtask 2 adds crime and disasters, subtask 3 diplomacy and attribution of responsibility.
NON_CONFLICT_CODES: tuple[str, ...] = ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB")
SUBTASK_LABELS: dict[int, tuple[str, ...]] = {
    1: tuple(CASE_TO_ACLED),
    2: tuple(CASE_TO_ACLED) + NON_CONFLICT_CODES[:3],
    3: tuple(CASE_TO_ACLED) + NON_CONFLICT_CODES,
}
CASE_CODES: tuple[str, ...] = SUBTASK_LABELS[3]

assert set(CASE_TO_ACLED.values()) == set(ACLED_SUB_EVENT_TYPES), "every ACLED sub-event type has one code"


def case_code(acled_sub_event_type: str) -> str:
    """The CASE code of an ACLED sub-event type (KeyError names the unknown type)."""
    try:
        return ACLED_TO_CASE[acled_sub_event_type]
    except KeyError:
        raise KeyError(f"not an ACLED sub-event type: {acled_sub_event_type!r}") from None


def acled_sub_event(code: str) -> Optional[str]:
    """The ACLED sub-event type of a CASE code; None for the five classes ACLED does not code."""
    if code in NON_CONFLICT_CODES:
        return None
    try:
        return CASE_TO_ACLED[code]
    except KeyError:
        raise KeyError(f"not a CASE 2021 code: {code!r}; expected one of {', '.join(CASE_CODES)}") from None


__all__ = ["ACLED_TO_CASE", "CASE_CODES", "CASE_TO_ACLED", "NON_CONFLICT_CODES", "SUBTASK_LABELS",
           "acled_sub_event", "case_code"]
