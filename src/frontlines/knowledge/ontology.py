"""The labels we speak: PLOVER event types and modes, ACLED event and sub-event types.

Facts from the PLOVER manual and ACLED's codebook; the tables are ours.
"""
from __future__ import annotations

from typing import Optional

# PLOVER's 16 event types, each with the modes we code (None: no mode applies or is known).
PLOVER_MODES: dict[str, tuple[str, ...]] = {
    "AGREE": (),
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "SUPPORT": (),
    "CONCEDE": (),
    "COOPERATE": (),
    "AID": (),
    "RETREAT": ("withdraw", "release", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "THREATEN": ("restrict", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "weapons", "police", "militia"),
    "COERCE": ("seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"),
    "ASSAULT": ("abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"),
}
PLOVER_TYPES: tuple[str, ...] = tuple(PLOVER_MODES)

# ACLED's 25 sub-event types and the event type each belongs to.
ACLED_SUB_EVENT_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
}

# The ACLED sub-event type an ASSAULT takes from its mode, when the mode decides it.
ACLED_BY_ASSAULT_MODE: dict[str, str] = {
    "aerial": "Air/drone strike",
    "drone": "Air/drone strike",
    "heavy-weapons": "Shelling/artillery/missile attack",
    "explosives": "Remote explosive/landmine/IED",
    "suicide-attack": "Suicide bomb",
    "unconventional": "Chemical weapon",
    "sexual": "Sexual violence",
}

# Sectors that ACLED counts as armed, organised actors (for clash vs attack on civilians).
ARMED_SECTORS = frozenset({"MIL", "REB", "GOV", "PTY", "POL", "MIL_UNK", "INS", "SPY", "UAF"})


def acled_event_type(sub_event_type: Optional[str]) -> Optional[str]:
    """The ACLED event type of a sub-event type (None passes through)."""
    if sub_event_type is None:
        return None
    return ACLED_SUB_EVENT_TYPES[sub_event_type]


def check_mode(plover: str, mode: Optional[str]) -> None:
    """Raise ValueError when a data file names a type or mode PLOVER does not have."""
    if plover not in PLOVER_MODES:
        raise ValueError(f"unknown PLOVER type {plover!r}; expected one of {', '.join(PLOVER_TYPES)}")
    if mode is not None and mode not in PLOVER_MODES[plover]:
        raise ValueError(f"unknown mode {mode!r} for {plover}; expected one of {PLOVER_MODES[plover]}")
