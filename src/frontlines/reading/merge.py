"""One occurrence told several times in one document becomes one event mention.

A title, a lede and a later paragraph often report the same offensive. Two mentions
are the same occurrence when they have the same PLOVER type, the same tense class
(happened vs. expected), compatible dates ("since Wednesday" runs on), compatible actors
(the same, or one a member of the other; a battle's two sides in either order; any two
battles, which ACLED codes one per place and day; an unidentified perpetrator and a named
party on the same stated day), a shared target when two one-sided acts both name one, and
compatible places (the same, one inside the other or named after it, a town inside a region of
its country, or one unknown). An undated mention may retell a stated day of the week before it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional

from frontlines.gazetteer.normalize import normalize_name
from frontlines.knowledge.actors import ActorBook
from frontlines.model import DateRef, EventMention, Place
from frontlines.reading.status import DENIED_STATUSES, FUTURE_STATUSES, HAPPENED_STATUSES, merge_status

COARSE_KINDS = {"country", "admin1", "admin2", "governorate", "continent", "region"}


CROWD_CONTROL = "crowd-control"  # the PLOVER mode of force used to contain a crowd
PEACEFUL_PROTEST, INTERVENTION, EXCESSIVE_FORCE = (
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters")
PROTEST_SUBTYPES = (INTERVENTION, EXCESSIVE_FORCE)  # how a protest was met
COMPATIBLE_MODES = [{"explosives", "suicide-attack"}, {"aerial", "drone"}]
# How many days before an undated mention a stated one may be the same occurrence: a strike
# or a bombing happens once, so a report's undated retelling is of the stated day; fighting
# goes on, and ACLED codes a battle per day.
UNDATED_REACH_DAYS = 7
UNDATED_REACH_DAYS_BATTLE = 1
OUTCOME_TRIGGERS = ("kill", "die", "dead", "death", "massacre", "execute", "slaughter")


def merge_mentions(mentions: list[EventMention], book: ActorBook) -> list[EventMention]:
    """Body mentions merge in text order; headlines and bare death tolls then join the body
    event they summarise, since they carry no date and no weapon of their own."""
    merged: list[EventMention] = []
    ordered = sorted(mentions, key=lambda m: m.evidence[0].start)
    late = [m for m in ordered if _headline(m) or _outcome_only(m)]
    for mention in [m for m in ordered if m not in late] + late:
        for existing in merged:
            if _same_occurrence(existing, mention, book) or _summarises(mention, existing, book):
                _absorb(existing, mention, book)
                break
        else:
            merged.append(mention)
    return sorted(merged, key=lambda m: m.evidence[0].start)


def _outcome_only(m: EventMention) -> bool:
    """"More than 90 had been killed": a toll with no actor and no weapon."""
    return m.plover == "ASSAULT" and m.mode is None and not m.actors and \
        m.rule.split(":")[-1] in OUTCOME_TRIGGERS


def _summarises(m: EventMention, body: EventMention, book: ActorBook) -> bool:
    """A headline or a bare toll tells the body's event when type, actors and place fit."""
    if not (_headline(m) or _outcome_only(m)) or m.plover != body.plover or _future(m) != _future(body):
        return False
    if _headline(body) or _outcome_only(body):
        return False
    return _actors_compatible(m, body, book) and _places_compatible(m.place, body.place)


def fold_crowd_control(mentions: list[EventMention]) -> list[EventMention]:
    """Force used on a crowd (PLOVER's crowd-control mode) that retells a protest of the same
    document, in its sentence or on its day and place ("crowds gathered at the dockyard ...
    police first used tear gas"), is how that protest was met: one event for ACLED, not two.
    A protest told as peaceful takes the act's protest sub-type. Alone ("police fired tear gas
    at demonstrators") the act stays the event."""
    protests = [m for m in mentions if m.plover == "PROTEST"]
    folded: set[int] = set()
    recoded: dict[int, EventMention] = {}
    for act in (m for m in mentions if m.mode == CROWD_CONTROL):
        protest = next((p for p in protests if _retells_protest(act, p)), None)
        if protest is None:
            continue
        folded.add(id(act))
        base = recoded.get(id(protest), protest)
        if base.acled_sub_event_type == PEACEFUL_PROTEST:
            # the act may be uncoded for want of a crowd in its own sentence ("fired tear gas at them")
            sub = act.acled_sub_event_type if act.acled_sub_event_type in PROTEST_SUBTYPES else INTERVENTION
            recoded[id(protest)] = replace(base, acled_sub_event_type=sub, rule=base.rule + "+crowd")
    return [recoded.get(id(m), m) for m in mentions if id(m) not in folded]


def _retells_protest(act: EventMention, protest: EventMention) -> bool:
    same_sentence = act.sentence is not None and protest.sentence is not None and \
        act.sentence.start == protest.sentence.start
    return _future(act) == _future(protest) and _places_compatible(act.place, protest.place) and (
        same_sentence or _dates_compatible(act.date, protest.date, UNDATED_REACH_DAYS_BATTLE))


def _future(m: EventMention) -> bool:
    return m.status in FUTURE_STATUSES


def _dates_compatible(a: DateRef, b: DateRef, reach: int) -> bool:
    if a.value is None or b.value is None:
        return a.value is None and b.value is None or a.expression is None or b.expression is None
    if a.expression is None or b.expression is None:
        # A date that only comes from the publication day yields to a stated one up to
        # ``reach`` days before it: "the drone had hit people" retells Sunday's strike.
        if a.precision == b.precision == "day":
            undated, stated = (a, b) if a.expression is None else (b, a)
            return -1 <= (undated.value - stated.value).days <= reach  # type: ignore[operator]
        return _overlap(a, b)
    return a.value == b.value or _overlap(a, b) or _since(a, b) or _since(b, a)


def _since(a: DateRef, b: DateRef) -> bool:
    """"fighting since Wednesday" goes on to the report: a later day in it fits."""
    return bool(a.expression and a.expression.lower().startswith("since")) and \
        b.value >= a.value  # type: ignore[operator]


def _overlap(a: DateRef, b: DateRef) -> bool:
    span = {"day": 0, "week": 6, "month": 30, "year": 365, None: 0}
    a_end = a.value.toordinal() + span[a.precision]  # type: ignore[union-attr]
    b_end = b.value.toordinal() + span[b.precision]  # type: ignore[union-attr]
    return a.value.toordinal() <= b_end and b.value.toordinal() <= a_end  # type: ignore[union-attr]


def _actors_compatible(a: EventMention, b: EventMention, book: ActorBook) -> bool:
    sides_a = set(a.actors) | (set(a.targets) if a.acled_event_type == "Battles" else set())
    sides_b = set(b.actors) | (set(b.targets) if b.acled_event_type == "Battles" else set())
    if not a.actors or not b.actors:
        return True
    if (_unidentified(a.actors, book) or _unidentified(b.actors, book)) and _same_stated_day(a.date, b.date):
        # "a drone strike ... on Sunday" and "the army said it carried out strikes there on
        # Sunday": one strike, whose owner the second names. Not without a day in both: a
        # background line ("X has attacked farmers before") names no one's act that day.
        return True
    if any(book.related(x, y) for x in a.actors for y in b.actors):
        return True
    # A battle told from both sides: "rebels attacked ... regime forces fought back".
    both_battles = a.plover == b.plover == "ASSAULT" and "Battles" in {a.acled_event_type, b.acled_event_type}
    if a.acled_event_type == b.acled_event_type == "Battles":
        # "rebels captured the academy" / "the army was fighting in Ramouseh": one story
        # telling each side's part of one battle at one place and day (ACLED codes a battle
        # per place and day, whoever the text names first).
        return True
    return both_battles and any(book.related(x, y) for x in sides_a for y in sides_b)


def _same_stated_day(a: DateRef, b: DateRef) -> bool:
    return a.expression is not None and b.expression is not None and a.value is not None and a.value == b.value


def _unidentified(actors: list[str], book: ActorBook) -> bool:
    """Only unidentified perpetrators ("gunmen", "a drone"): generic armed actors of no side."""
    return bool(actors) and all(a in book and book.entries[a].generic and book.sector_of(a) == "UAF" for a in actors)


def _coarse(place: Place) -> bool:
    """A province or wider, or a part of one ("northern Mali", precision 3): it may hold any
    town of its country. A part of a town ("eastern Aleppo", precision 2) is no such place."""
    return place.kind in COARSE_KINDS or (place.kind == "area" and place.precision >= 3)


def _places_compatible(a: Optional[Place], b: Optional[Place]) -> bool:
    if a is None or b is None or a.name == b.name:
        return True
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True  # one town under two spellings
    if _coarse(a) or _coarse(b):
        return a.country == b.country
    if _named_inside(a.name, b.name) or _named_inside(b.name, a.name):
        return True  # "the Ramouseh artillery academy" is in Ramouseh
    # Two different parts of a town (a road, a quarter) are different places; a part
    # placed at its town's point (precision 2) may be inside that town.
    if a.precision >= 2 and b.precision >= 2:
        return False
    if a.precision >= 2 or b.precision >= 2:
        return a.lat == b.lat and a.lon == b.lon
    return False


def _named_inside(part: str, whole: str) -> bool:
    """Every word of ``whole`` is in ``part``, which has more: "X academy" in "X"."""
    p, w = set(normalize_name(part).split()), set(normalize_name(whole).split())
    return bool(w) and w < p


def _kinds_compatible(a: EventMention, b: EventMention) -> bool:
    """An air strike and a ground battle are different occurrences, even on one day."""
    if a.mode and b.mode and a.mode != b.mode and {a.mode, b.mode} not in COMPATIBLE_MODES:
        return False
    kinds = {a.acled_event_type, b.acled_event_type} - {None}
    return len(kinds) <= 1


def _headline(m: EventMention) -> bool:
    """A mention in the first line, undated: headlines tell the story's event, not its day."""
    return m.sentence is not None and m.sentence.start == 0 and m.date.expression is None


def _headline_fits(head: EventMention, other: EventMention) -> bool:
    """A headline's event is the body's event of the last few days ("on Saturday")."""
    if not _headline(head) or head.date.value is None or other.date.value is None:
        return False
    return other.date.precision == "day" and 0 <= (head.date.value - other.date.value).days <= 3


def _same_occurrence(a: EventMention, b: EventMention, book: ActorBook) -> bool:
    return (
        a.plover == b.plover
        and _kinds_compatible(a, b)
        and _future(a) == _future(b)
        and (a.status in DENIED_STATUSES) == (b.status in DENIED_STATUSES)
        and (_dates_compatible(a.date, b.date, _reach(a, b)) or _headline_fits(a, b) or _headline_fits(b, a))
        and _actors_compatible(a, b, book)
        and _targets_compatible(a, b, book)
        and _places_compatible(a.place, b.place)
    )


def _targets_compatible(a: EventMention, b: EventMention, book: ActorBook) -> bool:
    """Strikes on "Houthi positions" and on "a minibus carrying a family" are two strikes: one-sided
    acts whose targets are both named must share one. A battle's sides swap between tellings,
    so battles are left to ``_actors_compatible``."""
    if not a.targets or not b.targets or "Battles" in {a.acled_event_type, b.acled_event_type}:
        return True
    return any(book.related(x, y) for x in a.targets for y in b.targets)


def _reach(a: EventMention, b: EventMention) -> int:
    battle = "Battles" in {a.acled_event_type, b.acled_event_type}
    return UNDATED_REACH_DAYS_BATTLE if battle else UNDATED_REACH_DAYS


def _absorb(into: EventMention, other: EventMention, book: ActorBook) -> None:
    other_actors, other_targets = other.actors, other.targets
    vague_into, vague_other = _unidentified(into.actors, book), _unidentified(other.actors, book)
    if into.actors and other.actors and vague_into != vague_other:
        # The party named takes the place of "a drone" or "gunmen"; it is not their opponent.
        if vague_into:
            into.actors = []
        else:
            other_actors = []
    elif into.actors and other.actors and not any(book.related(x, y) for x in into.actors for y in other.actors):
        # Opposing sides of one battle: the later mention's actors become the targets.
        other_actors, other_targets = other.targets, other.actors
    into.actors = _most_specific(into.actors + other_actors, book)
    into.targets = [t for t in _most_specific(into.targets + other_targets, book) if t not in into.actors]
    into.evidence = sorted(set(into.evidence) | set(other.evidence), key=lambda s: s.start)
    into.status = _merged_status(into.status, other.status)  # type: ignore[assignment]
    into.reported_by = list(dict.fromkeys(into.reported_by + other.reported_by))
    if into.date.expression is None and other.date.expression is not None:
        into.date = other.date
    into.place = _finer(into.place, other.place)
    into.mode = into.mode or other.mode
    if into.mode == "explosives" and other.mode == "suicide-attack":
        into.mode, into.acled_sub_event_type = other.mode, other.acled_sub_event_type
    # A bare claim does not recode what the text states ("rebels said they took ...").
    upgrade = other.status != "claimed" or into.status == "claimed"
    if upgrade and other.acled_sub_event_type and into.acled_sub_event_type in {None, "Armed clash"}:
        into.acled_sub_event_type, into.acled_event_type = other.acled_sub_event_type, other.acled_event_type
    into.fatalities = _lowest(into.fatalities, other.fatalities)
    into.injured = _lowest(into.injured, other.injured)
    into.rule = into.rule if other.rule in into.rule else f"{into.rule}+{other.rule}"


def _merged_status(a: str, b: str) -> str:
    """A denial of one part of a told event ("the army denied that any civilians had been
    killed") contests it, not negates it: the event is claimed. Else ``merge_status``."""
    if (a in DENIED_STATUSES) != (b in DENIED_STATUSES) and ({a, b} - DENIED_STATUSES) <= HAPPENED_STATUSES:
        return "claimed"
    return merge_status(a, b)


def _most_specific(ids: list[str], book: ActorBook) -> list[str]:
    """Drop an actor when one of its members is named too (keep the most specific)."""
    unique = list(dict.fromkeys(ids))
    return [a for a in unique if not any(a in book.ancestors(b) for b in unique if b != a)]


def _finer(a: Optional[Place], b: Optional[Place]) -> Optional[Place]:
    if a is None or b is None:
        return a or b
    if _coarse(a) and not _coarse(b):
        return b
    return a


def _lowest(a: Optional[int], b: Optional[int]) -> Optional[int]:
    values = [v for v in (a, b) if v is not None]
    return min(values) if values else None
