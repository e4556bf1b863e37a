"""Humanitarian figures: who is trapped, displaced, killed, evacuated, and how long supplies last.

Each indicator is read from a ``Figure`` (figures.py: value, hedge, low/high, unit) and the
words the parse ties to it: "300,000 civilians still trapped" → trapped_population;
"169 people had left" → evacuated; "470,000 people may have died in the war" →
deaths_total; "half of Syria's population has been displaced" → displaced_share;
"supplies could run out within three weeks" → supply_exhaustion, a forecast with status
expected and ``projected_date`` = as-of date + the duration. A count of a besieged
place's residents, with no verb of its own, is its trapped population. Kinds and units
follow the seed gold (README rule 7; docs/situation.md):

trapped_population, population, displaced, displaced_share, refugees, deaths,
deaths_total, injured, missing, evacuated, aid_delivered, supply_exhaustion,
conflict_duration.

An attack's toll stays the event's ``fatalities``: a count of dead that an event of the
document already carries is no indicator, unless it is a war-wide or running total.
One figure told twice in a document is one indicator with both mentions as evidence.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from spacy.tokens import Doc, Span as SpacySpan, Token

from frontlines.knowledge.actors import ActorBook
from frontlines.model import DateRef, Figure, Indicator, Place, Reading, Span
from frontlines.reading import syntax
from frontlines.reading.areas import Where
from frontlines.reading.claims import ClaimContext
from frontlines.reading.events import PERSON_UNITS
from frontlines.gazetteer.placekey import place_key
from frontlines.reading.status import merge_status
from frontlines.reading.times import add_months

TRAPPED = {"trap", "trapped", "besiege", "besieged", "encircle", "encircled", "surround", "stranded",
           "strand", "stuck", "cut"}
KILLED = {"kill", "die", "dead", "death", "killed", "perish", "slay"}
INJURED = {"injure", "wound", "hurt", "injured", "wounded", "treat"}
DISPLACED = {"displace", "displaced", "uproot", "homeless"}
FLED = {"flee", "escape"}
LEFT = {"leave", "evacuate", "evacuated", "cross", "exit", "relocate", "bus", "use"}
MISSING = {"missing", "disappear"}
LIVING = {"live", "remain", "reside", "stay", "population"}
# A participle standing as the counted noun says what the figure counts: "22 wounded".
UNIT_KINDS = {"dead": "deaths", "killed": "deaths", "wounded": "injured", "injured": "injured",
              "missing": "missing", "displaced": "displaced", "homeless": "displaced", "trapped": "trapped_population",
              "besieged": "trapped_population", "stranded": "trapped_population", "evacuated": "evacuated",
              "refugee": "refugees"}
AID_UNITS = {"truck", "lorry", "convoy", "tonne", "ton", "ration", "parcel", "basket", "shipment", "load"}
AID_VERBS = {"deliver", "reach", "enter", "arrive", "bring", "cross", "make", "drive", "carry", "send"}
SUPPLY_NOUNS = {"supply", "supplies", "food", "fuel", "diesel", "flour", "bread", "water", "medicine",
                "stock", "reserve", "ration", "wheat", "grain", "oxygen", "petrol", "gasoline", "anaesthetic",
                "electricity", "aid", "rice"}
SUPPLY_VERBS = {"run", "last", "dwindle", "deplete", "exhaust", "finish"}
WAR_NOUNS = {"war", "conflict", "fighting", "uprising", "insurgency", "revolution", "crisis", "siege"}
# What lasts long enough to be a war's duration: "five years of war", not "two days of fighting".
WAR_SPANS = {"war", "conflict", "uprising", "insurgency", "revolution"}
RESIDENT_UNITS = {"resident", "inhabitant", "civilian", "people", "population", "family", "person"}
DURATION_UNITS = {"day": "days", "month": "months", "year": "years", "hour": "hours"}
# Figures about a siege: placed at the besieged place when their own words name none.
SIEGE_KINDS = {"trapped_population", "population", "evacuated", "aid_delivered", "supply_exhaustion"}
# The count runs over a whole war or period, not one attack.
AGGREGATE_WORDS = {"war", "conflict", "total", "overall", "across", "so far", "this year", "nationwide"}


@dataclass
class _Reading:
    kind: str
    figure: Figure
    cue: Token  # the word that says what the figure counts
    noun: Token
    where: Optional[Where]
    evidence: Span
    forecast: bool = False


class IndicatorStage:
    name = "indicators"
    assigns = ("indicators",)

    def __init__(self, book: ActorBook):
        self.book = book

    def __call__(self, doc: Doc, reading: Reading) -> None:
        cc = ClaimContext(doc, reading, self.book)
        besieged = {place_key(c.place.name if c.place else c.place_text) for c in reading.control
                    if c.change == "besieged"}
        lifted = {place_key(c.place.name if c.place else c.place_text) for c in reading.control
                  if c.change == "lifted"}
        shut_in = besieged - lifted
        found: list[Indicator] = []
        for fig in reading.figures:
            span = doc.char_span(fig.span.start, fig.span.end, alignment_mode="expand")
            if span is None:
                continue
            item = _classify(fig, span, cc, shut_in)
            if item is None or _event_toll(item, reading):
                continue
            found.append(_indicator(item, cc))
        reading.indicators.extend(_merge(found, cc.ctx.narrator(), cc.headline_end()))


# ---------------------------------------------------------------------------- what it counts


def _noun_of(fig: Figure, span: SpacySpan) -> Token:
    """The token the figure counts: its noun, else the number itself."""
    if fig.unit and fig.unit != "share":
        for tok in reversed(span):
            if tok.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"} and not tok.like_num:
                return tok
    return span.root


def _cues(noun: Token) -> list[Token]:
    """The words that say what happened to what the figure counts, nearest first."""
    cues = [c for c in noun.children if c.dep_ in {"acl", "amod", "relcl", "advcl"}]
    cues += [x for c in list(cues) for x in c.children if x.dep_ in {"xcomp", "acomp", "oprd"}]
    head, hops = noun, 0
    while head.head != head and hops < 3:
        if head.dep_ == "conj" and syntax.is_verb(head.head):
            break  # "killed 2,000 and forced 150,000 from their homes": each verb its own count
        head = head.head
        hops += 1
        if syntax.is_verb(head) or head.pos_ == "ADJ":
            cues.append(head)
            cues += [c for c in head.children if c.dep_ in {"xcomp", "acomp", "oprd", "ccomp"}]
            if head.lemma_.lower() not in {"be", "have"}:
                break
        elif head.pos_ not in {"ADP", "NOUN", "PROPN", "NUM", "DET", "ADJ", "ADV"}:
            break
    return cues


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _has(cues: list[Token], words: set[str]) -> Optional[Token]:
    for tok in cues:
        if _lemma(tok) in words or tok.lower_ in words:
            return tok
    return None


def _classify(fig: Figure, span: SpacySpan, cc: ClaimContext, shut_in: set[str]) -> Optional[_Reading]:
    noun = _noun_of(fig, span)
    cues = _cues(noun)
    unit = fig.unit
    if fig.rule == "figures:duration":
        return _duration(fig, span, noun, cues, cc)
    if unit == "share":
        cue = _has(cues, DISPLACED | FLED)
        if cue is not None:
            return _reading("displaced_share", fig, cue, noun, cc)
        return None
    if unit in AID_UNITS:
        cue = _has(cues, AID_VERBS)
        return _reading("aid_delivered", fig, cue, noun, cc) if cue is not None else None
    if unit not in PERSON_UNITS | RESIDENT_UNITS | set(UNIT_KINDS) and unit:
        return None
    if not unit:
        found = _population_at(fig, span, cc, shut_in)
        if found is not None or span.root.dep_ not in {"nsubj", "nsubjpass", "dobj", "pobj"}:
            return found
    if unit in UNIT_KINDS:
        return _reading(UNIT_KINDS[unit], fig, noun, noun, cc)
    homes = next((c for c in cues if syntax.is_verb(c) and _has_homes(c)), None)
    if homes is not None:  # "forced 150,000 from their homes", "fled their homes"
        return _reading("displaced", fig, homes, noun, cc)
    for words, kind in ((TRAPPED, "trapped_population"), (KILLED, "deaths"), (INJURED, "injured"),
                        (MISSING, "missing"), (DISPLACED, "displaced")):
        cue = _has(cues, words)
        if cue is not None:
            if kind == "deaths" and _war_wide(cue):
                kind = "deaths_total"
            return _reading(kind, fig, cue, noun, cc)
    cue = _has(cues, FLED | LEFT)
    if cue is not None and _lemma(cue) == "leave" and (noun.dep_ in {"dobj", "oprd"} and noun.head == cue or any(
            c.dep_ == "auxpass" for c in cue.children)):
        cue = None  # "left 2 million people without water", "35 doctors were left": nobody went
    if cue is not None:
        item = _reading("displaced" if _lemma(cue) in FLED else "evacuated", fig, cue, noun, cc)
        if _lemma(cue) in FLED and item.where is not None and item.where.kind == "country":
            item.kind = "refugees"  # "43,000 people had fled into neighbouring Sudan"
        return item
    if not unit:
        return None
    if unit in RESIDENT_UNITS and (_has(cues, LIVING) is not None or not any(syntax.is_verb(c) for c in cues)
                                   or _possessed_by_place(noun)):
        item = _reading("population", fig, _has(cues, LIVING) or noun, noun, cc)
        if item.where is not None and place_key(item.where.name) in shut_in:
            item.kind = "trapped_population"  # the residents of a besieged place are trapped there
        return item
    return None


def _possessed_by_place(noun: Token) -> bool:
    return any(c.dep_ == "poss" for c in noun.children)


def _has_homes(verb: Token) -> bool:
    """"flee their homes", "forced from their homes": displacement, not evacuation."""
    return any(t.lemma_.lower() in {"home", "house"} for c in verb.children if c.dep_ not in {"conj", "cc"}
               for t in c.subtree)


def _war_wide(cue: Token) -> bool:
    """"died in the war", "the fighting has killed": a total over the war, not one battle's
    ("killed in the fighting for the farms since Wednesday")."""
    args = [t for _, t in syntax.prep_objects(cue, {"in", "during", "since", "over"})]
    if any(_lemma(t) in WAR_SPANS for t in args):
        return True
    return any(_lemma(t) in WAR_NOUNS and not syntax.prep_objects(t, {"for", "in", "around", "over"})
               for t in cue.children if t.dep_ == "nsubj")


def _population_at(fig: Figure, span: SpacySpan, cc: ClaimContext, shut_in: set[str]) -> Optional[_Reading]:
    """"puts the population of the besieged districts at about 275,000", "a population it
    estimates at 300,000": a bare number is a population when "population ... at N" says so."""
    root = span.root
    if root.dep_ != "pobj" or root.head.lower_ != "at":
        return None
    gov = root.head.head
    nouns = [gov] if gov.lemma_.lower() == "population" else \
        [o for o in syntax.objects(gov) if o.lemma_.lower() == "population"]
    if not nouns and gov.dep_ == "relcl" and gov.head.lemma_.lower() == "population":
        nouns = [gov.head]
    if not nouns:
        return None
    item = _reading("population", fig, gov, nouns[0], cc)
    if item.where is None or place_key(item.where.name) in shut_in or _has(
            [c for c in nouns[0].subtree], TRAPPED) is not None:
        item.kind = "trapped_population"
        item.where = item.where or _siege_place(cc)
    return item


def _siege_place(cc: ClaimContext) -> Optional[Where]:
    """The place the document says is besieged (and not since relieved), else one relieved."""
    control = cc.reading.control
    lifted = {place_key(c.place.name if c.place else c.place_text) for c in control if c.change == "lifted"}
    sieges = [c for c in control if c.change == "besieged"]
    for c in sorted(sieges, key=lambda c: place_key(c.place.name if c.place else c.place_text) in lifted):
        return Where(c.place, c.place_text)
    relieved = [c for c in control if c.change == "lifted"]
    return Where(relieved[0].place, relieved[0].place_text) if relieved else None


def _duration(fig: Figure, span: SpacySpan, noun: Token, cues: list[Token], cc: ClaimContext) -> Optional[_Reading]:
    """"supplies could run out within three weeks", "flour for perhaps three weeks", "five years of war"."""
    if fig.unit in {"year", "month"} and any(_lemma(o) in WAR_SPANS for _, o in syntax.prep_objects(noun, {"of"})):
        return _reading("conflict_duration", fig, noun, noun, cc)
    verb = syntax.clause_head(noun)
    supply = _supply_noun(verb)
    if supply is None:
        return None
    if _lemma(verb) in SUPPLY_VERBS or _lemma(verb) in {"have", "be"} or any(
            t.lower_ == "enough" for t in verb.subtree):
        item = _reading("supply_exhaustion", fig, verb, noun, cc)
        item.forecast = True
        return item
    return None


def _supply_noun(verb: Token) -> Optional[Token]:
    for tok in syntax.subjects(verb) + syntax.objects(verb) + syntax.passive_subjects(verb):
        for t in [tok] + [c for c in tok.children if c.dep_ in {"compound", "amod"}]:
            if _lemma(t) in SUPPLY_NOUNS or t.lower_ in SUPPLY_NOUNS:
                return t
    return None


def _reading(kind: str, fig: Figure, cue: Token, noun: Token, cc: ClaimContext) -> _Reading:
    where = _where(kind, cue, noun, cc)
    if syntax.is_verb(cue):
        evidence = cc.clause(cue)
    else:
        lo = min(noun.left_edge.i, cc.doc.char_span(fig.span.start, fig.span.end, alignment_mode="expand").start)
        hi = max(t.i for t in noun.subtree if t.dep_ not in {"relcl", "punct"}) + 1
        evidence = cc.span(lo, hi)
    if not (evidence.start <= fig.span.start and fig.span.end <= evidence.end):
        evidence = Span(min(evidence.start, fig.span.start), max(evidence.end, fig.span.end),
                        cc.doc.text[min(evidence.start, fig.span.start):max(evidence.end, fig.span.end)])
    return _Reading(kind, fig, cue, noun, where, evidence)


def _where(kind: str, cue: Token, noun: Token, cc: ClaimContext) -> Optional[Where]:
    """The place in the figure's own phrase, then in its clause; war totals at the country."""
    finder = cc.places
    owners = [noun] + [t for _, t in syntax.prep_objects(noun, {"of"})]  # "the majority of its population"
    for tok in owners + [c for o in owners for c in o.children if c.dep_ == "poss"]:
        if tok.pos_ == "PRON" and tok.lower_ in {"its", "their"}:
            town = finder.town_before(tok.idx)
            if town is not None:
                return Where(town, tok.text)
    scopes = [noun] + ([cue] if cue is not noun else [])
    for scope in scopes:
        for tok in sorted(scope.subtree, key=lambda t: abs(t.i - scope.i)):
            if tok.dep_ in {"relcl", "advcl", "ccomp"} and tok is not scope:
                continue
            found = finder.mention(tok) if tok.pos_ == "PROPN" else finder.at(tok) if tok.pos_ == "NOUN" else None
            if found is not None and found.place is not None and tok.lemma_.lower() not in {"home", "house"}:
                if kind == "deaths_total" and found.kind != "country":
                    continue
                return found
    if kind in {"deaths_total", "conflict_duration", "displaced_share", "refugees"}:
        country = _country(cc, cue.idx)
        if country is not None:
            return country
    if kind in SIEGE_KINDS:
        siege = _siege_place(cc)
        if siege is not None:
            return siege  # "169 people had left", "20 trucks made it through": out of, into the siege
    town = finder.town_before(cue.idx)
    return Where(town, town.name) if town else None


def _country(cc: ClaimContext, char: int) -> Optional[Where]:
    main = cc.places.main_town()
    options = [pm for pm in cc.ctx.places_in_order if pm.place.kind == "country"
               and (main is None or pm.place.country == main.country)]
    before = [pm for pm in options if pm.span.start < char]
    pick = (before or options or [None])[-1]
    return Where(pick.place, pick.span.text) if pick else None


def _event_toll(item: _Reading, reading: Reading) -> bool:
    """An attack's dead and wounded belong to the event, not to the humanitarian figures."""
    if item.kind not in {"deaths", "injured"}:
        return False
    sentence = item.cue.sent
    if any(w in sentence.text.lower() for w in AGGREGATE_WORDS if " " in w) or any(
            t.lower_ in AGGREGATE_WORDS for t in item.cue.subtree):
        return False
    return any(ev.plover == "ASSAULT" for ev in reading.events)


# ---------------------------------------------------------------------------- the indicator


def _unit(fig: Figure) -> str:
    if fig.rule == "figures:duration":
        return DURATION_UNITS.get(fig.unit, fig.unit)
    if fig.unit in PERSON_UNITS | RESIDENT_UNITS | {"refugee", ""}:
        return "people"
    if fig.unit == "share":
        return "share"
    return fig.unit if fig.unit.endswith("s") or fig.value == 1 else fig.unit + "s"


def _indicator(item: _Reading, cc: ClaimContext) -> Indicator:
    fig = item.figure
    status, speakers = cc.status(item.cue)
    if not syntax.is_verb(item.cue) and status not in {"claimed", "confirmed", "denied"}:
        status = "asserted"  # "its 300,000 residents" inside a forecast: the count itself is stated
    if status in {"claimed", "confirmed"} and not _hedged(item.cue) and not any(cc.armed(a) for a in speakers):
        status = "asserted"  # a count given by the UN, doctors or a council is theirs, not a party's claim
    projected: Optional[DateRef] = None
    if item.forecast:
        if status not in {"negated", "denied"}:
            status = "expected"  # a forecast, however hedged ("could run out")
        as_of = cc.date(item.cue, "asserted")
        projected = _projected(item, as_of, cc)
    else:
        as_of = _as_of(item, status, cc)
    return Indicator(
        id=cc.finding_id("in", fig.span.start, item.kind),
        kind=item.kind,
        value=fig.value,
        unit=_unit(fig),
        low=fig.low,
        high=fig.high,
        hedge=fig.hedge,
        place=item.where.place if item.where else None,
        as_of=as_of,
        projected_date=projected,
        status=status,  # type: ignore[arg-type]
        reported_by=cc.reported_by(speakers),
        evidence=[item.evidence],
        rule=f"indicators:{item.kind}:{fig.rule.split(':')[-1]}",
    )


def _hedged(cue: Token) -> bool:
    """"may have died", "according to some estimates": an estimate, whoever gives it."""
    return any(c.dep_ == "aux" and c.lower_ in {"may", "might", "could"} for c in cue.children) or \
        any(t.lower_ == "estimates" and t.pos_ == "NOUN" for t in cue.sent)


def _as_of(item: _Reading, status: str, cc: ClaimContext) -> DateRef:
    """The day the figure holds for: a time in its clause (not "since …", which opens the
    period counted), else the caption date, else the publication day."""
    date = cc.date(item.cue, "asserted" if status in {"hypothetical", "expected", "planned"} else status)
    if date.expression and date.expression.lower().startswith("since"):
        return cc.caption_date(item.cue.idx) or cc.ctx.default_date("asserted")
    return date


def _projected(item: _Reading, as_of: DateRef, cc: ClaimContext) -> Optional[DateRef]:
    """The as-of day plus the duration; the words are the future time the text gives."""
    fig = item.figure
    words = next((tm.date.expression for tm in cc.reading.times if tm.rule.startswith("times:future")
                  and tm.span.start <= fig.span.end and fig.span.start <= tm.span.end), None)
    if as_of.value is None or fig.value is None:
        return DateRef(None, None, words)
    unit = fig.unit
    step = {"day": timedelta(days=fig.value), "hour": timedelta(hours=fig.value)}.get(unit)
    if step is None and unit in {"month", "year"}:
        months = int(round(fig.value * (12 if unit == "year" else 1)))
        return DateRef(add_months(as_of.value, months), as_of.precision, words)
    if step is None:
        return DateRef(None, None, words)
    return DateRef(as_of.value + step, as_of.precision, words)


def _sources(a: list[str], b: list[str], narrator: list[str]) -> list[str]:
    """Both mentions' sources; the outlet only when nobody else is named."""
    both = list(dict.fromkeys(a + b))
    named = [s for s in both if s not in narrator]
    return named or both


def _merge(items: list[Indicator], narrator: list[str], headline_end: int) -> list[Indicator]:
    """One figure told twice (a subtitle and the body) is one indicator with both mentions;
    a headline's figure ("thousands leave") joins the body's figure of the same kind."""
    headlines = [i for i in items if i.evidence[0].start < headline_end]
    kept: list[Indicator] = []
    for item in [i for i in items if i not in headlines] + headlines:
        if item in headlines:
            body = next((k for k in kept if k.kind == item.kind and k not in headlines), None)
            if body is not None and (body.value, body.low, body.high) != (item.value, item.low, item.high):
                body.evidence.extend(item.evidence)
                continue
        key = (item.kind, item.value, item.low, item.high, _place_name(item.place))
        for k in kept:
            if (k.kind, k.value, k.low, k.high, _place_name(k.place)) == key and \
                    (k.status == item.status or item.kind == "supply_exhaustion"):
                k.evidence.extend(e for e in item.evidence if e not in k.evidence)
                k.status = merge_status(k.status, item.status)
                k.reported_by = _sources(k.reported_by, item.reported_by, narrator)
                if k.hedge is None and item.hedge is not None:
                    k.hedge, k.projected_date = item.hedge, item.projected_date or k.projected_date
                if k.as_of.expression is None and item.as_of.expression is not None:
                    k.as_of = item.as_of
                break
        else:
            kept.append(item)
    return kept


def _place_name(place: Optional[Place]) -> str:
    return place_key(place.name) if place else ""


__all__ = ["IndicatorStage"]
