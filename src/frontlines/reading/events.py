"""Event mentions: triggers from the knowledge file, with roles, status, place and date.

For each trigger the stage asks the parse who did it (subject, "by" agent, the
modifier in "a regime offensive", the subject of a light verb in "rebels launched
an offensive"), to whom (object, "on/against" phrase, passive subject), where and
when (place and time mentions in the same clause, else the sentence, else the
document's defaults), and how sure the text is (status.py). Mentions of one
occurrence inside the document are then merged (merge.py).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any, Optional

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span as SpacySpan, Token
from spacy.util import filter_spans

from frontlines.knowledge.actors import ActorBook
from frontlines.knowledge.event_labels import CASE_TO_ACLED
from frontlines.knowledge.ontology import ACLED_BY_ASSAULT_MODE, ARMED_SECTORS, acled_event_type
from frontlines.knowledge.triggers import Trigger
from frontlines.model import Actor, DateRef, EventMention, Place, Reading, Span
from frontlines.reading import syntax
from frontlines.reading.classify import CROWDS, protest_features
from frontlines.reading.merge import CROWD_CONTROL, EXCESSIVE_FORCE, PEACEFUL_PROTEST as PEACEFUL, fold_crowd_control, merge_mentions
from frontlines.reading.places import DATELINE_RULE, dateline_span
from frontlines.reading.status import FUTURE_STATUSES, REPORT_VERBS, read_status

# Verbs whose subject performs the event their object names: "rebels launched an offensive".
LIGHT_VERBS = {"reimpose", "launch", "carry", "conduct", "mount", "stage", "begin", "wage", "start", "step", "press", "pursue",
               "intensify", "continue", "resume", "unleash", "make", "lead", "spearhead", "order", "announce",
               "initiate", "undertake", "perpetrate", "commit", "claim", "hold", "impose", "lay", "tighten",
               "designate", "establish", "set", "sign", "reach", "open", "declare", "organise", "organize",
               "fire", "drop", "use", "detonate", "plant", "throw", "lob", "deploy", "send"}
HOSTILE_TYPES = {"ASSAULT", "COERCE", "THREATEN", "SANCTION", "ACCUSE", "MOBILIZE"}
# Posts and units of armed men: attacking one is a clash, whoever holds it (ACLED).
ARMED_POSTS = frozenset({"base", "airbase", "barracks", "garrison", "outpost", "checkpoint", "post", "position",
                         "patrol", "convoy", "headquarters", "headquarter"})
CIVILIAN_MODIFIERS = frozenset({"aid", "humanitarian", "relief", "civilian", "refugee", "medical", "food",
                                "trading", "election", "polling"})
CHEMICAL = "Chemical weapon"
CHEMICAL_AGENT = re.compile(r"\b(?:chlorine|sarin|mustard gas|nerve (?:agent|gas)|vx|(?<!tear )(?:poison(?:ous)?|toxic) "
                            r"(?:gas|gases|chemicals?|substance)|chemical (?:munitions?|agents?|weapons?|bombs?))\b",
                            re.I)
# What a chemical agent may be delivered by: an air strike, shells, a bomb, an attack or a clash.
VIOLENT_SUBTYPES = frozenset({"Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                              "Attack", "Armed clash", "Grenade"})
# What crowd control is fired or used: the weapon, never the act's target ("fired tear gas at
# demonstrators": the demonstrators are).
CROWD_WEAPONS = frozenset({"gas", "teargas", "cannon", "bullet", "spray", "grenade", "baton", "canister", "round"})
VIOLENT_DEMO, MOB = "Violent demonstration", "Mob violence"
# Targets that name demonstrators. Narrower than classify's crowd words: gunmen firing on "a crowd"
# at a wedding or on "students" at a school attack them; they do not put down a protest.
PROTESTERS = re.compile(r"protest|demonstrat|marcher|rall(?:y|ies)|sit-in", re.I)
DISRUPTED = "Disrupted weapons use"  # ACLED sub-event type of weapons found or made safe
REQUEST_LEMMAS = {"tell", "order", "urge", "ask", "call", "demand", "appeal", "warn", "instruct"}
THREAT_LEMMAS = {"threaten", "vow", "pledge", "promise"}
COARSE_KINDS = {"country", "admin1", "governorate", "province", "region", "continent"}
ONSET_NOUNS = {"opening", "start", "launch", "beginning", "creation", "establishment", "resumption"}
FIGHTER_NOUNS = {"unit", "fighter", "troop", "soldier", "force", "militant", "rebel", "gunman",
                 "insurgent", "militia", "militiaman", "jihadist", "commando", "army"}
NEWS_NOUNS = {"news", "word", "report", "rumour", "rumor", "footage", "video", "image", "picture"}
NOMINAL_POS = {"NOUN", "PROPN"}
PURPOSE_LEMMAS = {"let", "allow", "enable", "permit", "help"}
DURATION_WORD = re.compile(r"(year|month|week|day)s?\b", re.I)
ENDING_VERBS = {"break", "lift", "end", "breach", "raise"}
FEAR_NOUNS = {"fear", "risk", "danger", "threat", "prospect", "possibility"}
ONSET_VERBS = {"begin", "start", "break", "erupt", "escalate", "intensify", "resume"}
NAME_ENTITIES = {"DATE", "TIME", "PERSON", "GPE", "LOC", "CARDINAL", "ORDINAL", "WORK_OF_ART", "LAW"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "on", "from", "across", "around"}
ARMED_NON_STATE = {"REB", "UAF", "CRM"}
KILL_LEMMAS = {"kill", "die", "dead", "death", "toll", "life", "massacre", "execute", "slaughter"}
INJURE_LEMMAS = {"injure", "wound", "hurt", "injury", "injured", "wounded"}
PERSON_UNITS = {"people", "person", "civilian", "soldier", "fighter", "child", "woman", "man", "resident",
                "villager", "rebel", "troop", "militant", "police", "policeman", "officer", "worker",
                "student", "protester", "member", "passenger", "worshipper", "refugee", "staff", "doctor",
                "nurse", "journalist", "family", "patient", "gunman", "insurgent", "combatant",
                "dead", "killed", "wounded", "injured", "missing"}
DEFINITE_PLACE_NOUNS = {"city": "city", "town": "city", "village": "city", "road": "road", "highway": "road",
                        "neighbourhood": "neighbourhood", "district": "neighbourhood", "area": "city",
                        "camp": "facility", "base": "facility", "hospital": "facility", "province": "admin1",
                        "country": "country"}
TIME_AFTER = (" after", " before")
PLURAL_PRONOUNS = {"they", "them", "their"}
CIVILIAN_SITES = {"market", "school", "mosque", "church", "bakery", "bus", "minibus", "home", "house",
                  "residential", "neighbourhood", "neighborhood", "village", "camp", "shelter", "theatre",
                  "theater", "wedding", "funeral", "queue", "bread", "shop", "crowd", "family", "car"}
SINGULAR_PRONOUNS = {"he", "him", "she", "her", "it", "its"}
REPORTING = {"say", "claim", "announce", "state", "deny", "confirm", "admit", "report", "insist", "add"}
PARTICLES = {"out", "off", "back", "up", "down", "over", "in"}
# Ground that can be captured even when the gazetteer does not know its name.
TERRAIN_NOUNS = {"town", "village", "city", "road", "highway", "neighbourhood", "neighborhood", "district",
                 "base", "airbase", "airport", "hill", "checkpoint", "crossing", "bridge", "area", "territory",
                 "outpost", "position", "stronghold", "suburb", "quarter", "camp", "academy", "garrison",
                 "port", "border", "region", "province", "countryside", "front", "frontline", "barracks",
                 "hilltop", "ridge", "farm", "mountain", "plain", "valley", "zone", "route", "junction"}
ANAPHORS = {"group", "militants", "force", "forces", "movement", "organisation", "organization"}
# Types whose coordinated subjects act on each other (PLOVER's reciprocal SRC/TAR spans).
RECIPROCAL_TYPES = {"AGREE", "CONSULT", "COOPERATE", "SUPPORT"}
# Nouns that count people or groups: "a group of Moroccan diplomats", "thousands of Kurds".
QUANTITY_HEADS = {"group", "number", "thousand", "hundred", "dozen", "score", "million", "third", "half",
                  "quarter", "majority", "some", "one", "two", "three", "part", "delegation", "handful"}
# Common nouns that name who acts: the whole phrase is the actor ("Israeli troops"), where a
# demonym on a thing ("Israeli tanks", "an Australian ultimatum") names the country alone.
PEOPLE_NOUNS = PERSON_UNITS | FIGHTER_NOUNS | {
    "official", "minister", "leader", "government", "president", "parliament", "authority", "administration",
    "diplomat", "delegation", "negotiator", "cabinet", "council", "party", "union", "group", "agency", "court",
    "army", "military", "police", "guerrilla", "guerilla", "militiaman", "minority", "majority", "community",
    "people", "national", "citizen", "immigrant", "youth", "ambassador", "envoy", "king", "prime",
    "chancellor", "premier", "spokesman", "commander", "chief", "nation", "missionary", "priest", "cleric",
    "bishop", "teacher", "lawyer", "judge", "general", "nationalist", "dissident", "prisoner", "hostage",
    "governor", "mayor", "prosecutor", "secretary", "ruler", "emir", "sultan", "prince", "sheikh", "queen", "country", "ally",
    "opposition", "organization", "organisation", "movement", "front", "regime", "junta", "agent", "inhabitant",
    "activist", "fundamentalist", "separatist", "extremist", "terrorist", "coalition", "alliance", "bloc",
    "mediator", "monitor", "inspector", "peacekeeper", "deputy", "lawmaker", "legislator", "senator",
    "association", "forum", "federation", "committee", "commission", "assembly", "ministry", "office",
    "department", "embassy", "consulate", "network", "faction", "tribe", "clan", "serb", "kurd", "albanian"}
# Saying verbs that, with "that X must/should ...", make a demand.
DEMAND_SAYING = {"declare", "conclude", "argue", "warn", "stress", "reiterate", "write"}
ACTOR_ENTS = {"NORP", "GPE", "ORG", "PERSON", "FAC", "LOC"}
# Types whose object is the thing given and whose "to" phrase is the recipient.
GIVING_TYPES = {"AID", "AGREE", "CONCEDE", "SANCTION", "SUPPORT", "CONSULT"}
# Types whose recipient, when no party is named, is the place the measure is imposed on or
# the act is aimed at ("threatened to institute a curfew in Algiers").
PLACE_RECIPIENT_TYPES = {"COERCE", "CONCEDE", "THREATEN", "SANCTION", "MOBILIZE", "REQUEST", "ASSAULT", "AID",
                         "RETREAT"}
# Types whose object is the actor's own force, moved towards or away from the recipient.
MOVING_TYPES = {"MOBILIZE", "RETREAT"}
# Office nouns that a named body before them speaks for ("European Community foreign ministers").
OFFICIAL_NOUNS = {"official", "minister", "diplomat", "spokesman", "spokeswoman", "spokesperson",
                  "representative", "delegate", "envoy"}
# Adjectives that belong to a group's name ("ethnic Albanians"); others at its left edge do not.
NAMING_ADJECTIVES = {"ethnic", "former"}
# People who are an act's recipients wherever they are: "killed civilians in Aleppo".
VICTIM_NOUNS = {"people", "person", "civilian", "child", "woman", "man", "resident", "villager", "worker",
                "student", "passenger", "worshipper", "refugee", "patient", "family", "inhabitant"}
# "the strike could amount to a war crime": determiners of an act told before (_drop_retold).
RETOLD_DETERMINERS = {"the", "this", "that"}
# Nouns for a body of people: the party is named by what follows "of".
COLLECTIVE_NOUNS = {"patrol", "unit", "convoy", "column", "group", "squad", "team", "contingent",
                    "detachment", "band", "platoon", "company", "battalion", "brigade", "crowd", "mob"}
# Prepositions by which an act or a thing names the party it concerns: "deliberations with the
# government", "a war against Iraq", "aid for Romania", "violations by the police".
NESTED_PREPS = {"with", "against", "to", "for", "from", "at", "over", "on", "of", "by"}
# Actors that only speak (unnamed sources, officials, spokesmen, the press): a "they" in what they
# say is the party they speak for, when their phrase names one (DocContext.speaks_for).
VOICE_SECTORS = {"UNK", "JRN"}
SPOKEN_FOR_PREPS = {"for", "of", "to", "with", "from"}
# Territory triggers whose ground is named only in some places (_objects_ok): the place pushed
# back from, and the thing freed itself.
PUSH_BACK = {"drive back", "push back", "beat back", "force back", "dislodge"}
FREED_GROUND = {"free"}
# Verbs of taking whose object may be people rather than ground ("captured three militants in
# Kandahar": the place is where, not what): people taken are a seizure of captives (the COERCE
# entry in triggers.toml), judged on the direct object or passive subject alone.
CAPTIVE_TAKING = {"capture", "seize", "take", "take prisoner", "take captive"}
CAPTIVE_NOUNS = (PERSON_UNITS | FIGHTER_NOUNS | {"commander", "leader", "suspect", "official", "hostage",
                                                 "prisoner", "chief", "emir"}) - \
    {"dead", "killed", "wounded", "injured", "missing", "family", "staff", "army", "force", "unit", "militia"}
# Ground that changes hands without a fight (ACLED's "Non-violent transfer of territory"): a
# gain told "without a fight / resistance / firing a shot", "unopposed", "met no resistance",
# or one that followed the other side's withdrawal or handover, with no fighting told with it.
FIGHT_WORDS = {"fight", "fighting", "resistance", "battle", "clash", "shot", "gunshot", "gunfire", "firing",
               "bloodshed", "violence", "bullet"}
UNOPPOSED_WORDS = {"unopposed", "peacefully", "unchallenged", "uncontested"}
ATTACK_WORDS = FIGHT_WORDS | {"attack", "assault", "offensive", "shelling", "strike", "airstrike", "raid",
                              "bombardment", "counterattack", "counter-attack", "counteroffensive", "siege"}
YIELD_VERBS = {"withdraw", "retreat", "leave", "abandon", "evacuate", "vacate", "flee", "quit", "cede",
               "surrender", "transfer"}
YIELD_PARTICLE_VERBS = {"pull": {"out", "back"}, "hand": {"over"}, "give": {"up"}, "turn": {"over"},
                        "move": {"out"}, "fall": {"back"}}
YIELD_NOUNS = {"withdrawal", "retreat", "pullout", "pull-out", "handover", "hand-over", "evacuation",
               "departure", "surrender", "exit"}
YIELD_MARKS = {"after", "when", "as", "once", "following"}
# Advances (clash triggers) that a "without resistance" makes a transfer: "advanced and entered
# the town without a fight".
ADVANCE_PHRASES = {"advance", "push into", "push", "make inroad", "inroad", "incursion"}
# Prepositions of the trigger (or of its complement clause) that lead to such an act or thing:
# "called off the strike after deliberations with X", "in protest against X", "insisted on demands that X".
HOLDER_PREPS = {"after", "during", "over", "for", "at", "on", "in", "against", "to"}


@dataclass
class Frame:
    """One trigger occurrence with what the parse says about it."""

    trigger: Trigger
    span: SpacySpan
    head: Token
    actors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    own_date: Optional[DateRef] = None
    own_place: Optional[Place] = None
    status: str = "asserted"
    speakers: list[str] = field(default_factory=list)
    fatalities: Optional[int] = None
    injured: Optional[int] = None
    absorbed: bool = False  # folded into another frame of the same clause
    rule: str = ""
    statement: bool = False  # a speech act with no date or place of its own
    actor_tokens: list[Token] = field(default_factory=list)  # the role words, named or not
    target_tokens: list[Token] = field(default_factory=list)
    reciprocal: bool = False  # "Jordan and Britain agreed": each is the other's recipient
    # A gain read as a non-violent transfer only because it followed a withdrawal: the battle's
    # gain it is instead when the document tells fighting that happened (_fought_elsewhere).
    fought_instead: Optional[str] = None
    responsibility_claimed: bool = False  # its actor is who claims responsibility for it


class EventStage:
    name = "events"
    assigns = ("events",)

    def __init__(self, nlp: Language, triggers: list[Trigger], book: ActorBook,
                 nonconflict: frozenset[str] = frozenset(), instruments: Optional[dict[str, str]] = None):
        self.book = book
        self.nonconflict = nonconflict
        self.instruments = instruments or {}  # weapon lemma -> the mode it gives a generic verb
        # Verbs that tell weapons found or made safe: a weapon they govern is no attack.
        self.disrupting = frozenset(t.phrase for t in triggers if t.acled == DISRUPTED and " " not in t.phrase)
        self.by_phrase: dict[str, list[Trigger]] = {}
        for trig in triggers:
            self.by_phrase.setdefault(trig.phrase, []).append(trig)
        # First words of two-word triggers ending in a particle ("drive out", "pull back"):
        # the only words whose children are searched for a separated particle.
        self.phrasal_heads = {p.split()[0] for p in self.by_phrase
                              if len(p.split()) == 2 and p.split()[1] in PARTICLES}
        self.lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        phrases = sorted(self.by_phrase)
        for phrase, pattern in zip(phrases, nlp.pipe(phrases)):
            self.lemma_matcher.add(phrase, [pattern])
            self.lower_matcher.add(phrase, [nlp.make_doc(phrase)])
        # Two-word phrases, for typo-tolerant matching of their second word ("air srike").
        self.pairs: dict[str, list[tuple[str, str]]] = {}
        for phrase in phrases:
            words = phrase.split()
            if len(words) == 2 and len(words[1]) >= 5:
                self.pairs.setdefault(words[0], []).append((words[1], phrase))

    # ------------------------------------------------------------------ matching
    def _matches(self, doc: Doc) -> list[SpacySpan]:
        found = [SpacySpan(doc, s, e, label=m) for m, s, e in self.lemma_matcher(doc)]
        found += [SpacySpan(doc, s, e, label=m) for m, s, e in self.lower_matcher(doc)]
        for token in doc:
            # Separable phrasal verbs: "drove them out" is "drive out".
            if token.lemma_.lower() not in self.phrasal_heads:
                continue  # the cheap test first: most words head no phrasal trigger
            for child in token.children:
                if child.dep_ in {"prt", "prep", "advmod"} and child.lower_ in PARTICLES and child.i > token.i + 1:
                    phrase = f"{token.lemma_.lower()} {child.lower_}"
                    if phrase in self.by_phrase:
                        found.append(SpacySpan(doc, token.i, token.i + 1, label=phrase))
        for token in doc[:-1]:
            for second, phrase in self.pairs.get(token.lower_, ()):
                nxt = doc[token.i + 1]
                word = nxt.lower_.rstrip("s")
                if word != second and _one_edit(word, second):
                    found.append(SpacySpan(doc, token.i, token.i + 2, label=phrase))
        return filter_spans(found)

    def _candidates(self, span: SpacySpan) -> list[Trigger]:
        """The trigger entries whose part of speech fits, in file order; the first whose
        argument conditions the sentence meets wins ("sent troops" vs "sent ambulances")."""
        head = span.root
        if head.ent_type_ in NAME_ENTITIES:
            return []  # "March 1", "Operation Storm": a date or a name, not an act
        fitting = []
        for trig in self.by_phrase.get(span.label_, ()):
            if trig.pos == "VERB" and not syntax.is_verb(head):
                continue
            if trig.pos == "NOUN" and head.pos_ not in {"NOUN", "PROPN"}:
                continue
            if trig.pos is None and head.pos_ not in {"NOUN", "PROPN", "VERB", "AUX"}:
                continue
            fitting.append(trig)
        return fitting

    # ------------------------------------------------------------------ the stage
    def __call__(self, doc: Doc, reading: Reading) -> None:
        ctx = DocContext(doc, reading, self.book)
        frames: list[Frame] = []
        first = next(iter(doc.sents), None)
        matches = self._matches(doc)
        # A disaster word inside a trigger ("exchanged fire", "sniper fire") is the fire of weapons.
        in_trigger = {t.i for span in matches for t in span}
        disaster_story = first is not None and any(
            t.lemma_.lower() in self.nonconflict and t.pos_ == "NOUN" and t.i not in in_trigger for t in first)
        ctx.trigger_heads = {span.root.i for span in matches}
        for span in matches:
            if span.root.idx in ctx.name_chars:
                continue  # "the Government of National Accord", "the Popular Mobilization Forces": a name
            frame = next((f for trig in self._candidates(span) if (f := self._frame(trig, span, ctx))), None)
            if frame is not None and disaster_story and frame.trigger.plover == "ASSAULT" and not frame.actors:
                continue  # "the quake struck ... killing 2,000": nobody attacked anyone
            if frame is not None:
                frames.append(frame)
        frames += self._modal_demands(doc, ctx)
        events = [f for f in frames if not f.statement]
        statements = [f for f in frames if f.statement]
        _absorb_linked(events)
        _absorb_linked(statements)
        _drop_retold(events, ctx.trigger_heads)
        live = [f for f in events if not f.absorbed]
        mentions = [self._mention(f, ctx) for f in live]
        _fought_elsewhere(live, mentions)
        merged = merge_mentions([m for m in mentions if m is not None], self.book)
        reading.events.extend(code_chemical(fold_crowd_control(code_protests(merged, self.book.sector_of))))
        # Speech acts with no date or place of their own are not events of the document, but
        # they are what a sentence like "X accused Y" codes: kept apart, unmerged.
        told = [self._mention(f, ctx) for f in statements if not f.absorbed]
        reading.statements.extend(m for m in told if m is not None)
        # Rules may name an actor the text only implies (a market's civilians, a government's army).
        for event in reading.events:
            for actor_id in event.actors + event.targets + event.reported_by:
                if actor_id in self.book and actor_id not in reading.actors:
                    reading.actors[actor_id] = self.book.get(actor_id)
        outlet = reading.document.outlet
        if outlet and any(outlet_id(outlet) in e.reported_by for e in reading.events):
            # The narrator is a source like any other: it appears among the actors.
            reading.actors.setdefault(outlet_id(outlet), Actor(outlet_id(outlet), outlet, "JRN", None))

    def _frame(self, trig: Trigger, span: SpacySpan, ctx: "DocContext") -> Optional[Frame]:
        head = span.root
        if _inside_request(head) and trig.plover != "REQUEST":
            return None  # "telling fighters to surrender": the surrender has not happened
        if head.lemma_.lower() == "leave" and _has_small_clause(head):
            return None  # "leaving 300,000 people encircled": a result, not a departure
        if _purpose(head):
            return None  # "corridors to let civilians leave": what the corridors are for
        if _is_instrument(head):
            return None  # "back the regime with air strikes": the strikes are how, not another event
        if _background(head) and not trig.verbal:
            return None  # "a group that has been fighting the army since 2012": a state, not an occurrence
        if trig.verbal and self._moved_not_spoke(head):
            return None  # "a rocket slammed into a school", "troops charged into the crowd": no speech
        if trig.mode == CROWD_CONTROL and head.lemma_.lower() == "charge" and syntax.objects(head):
            return None  # "charged two students with murder": the charge a court brings
        if head.dep_ == "acl" and head.tag_ == "VBN" and trig.plover != "ASSAULT":
            return None  # "people gathered near a well": a description of the people
        siege_state = self._siege_state(trig, head, ctx)
        if _back_reference(head) and not siege_state:
            return None  # "since the siege began", "the deadliest attack in years", "the besieged city"
        if trig.plover != "THREATEN" and _inside(head, THREAT_LEMMAS):
            return None  # "threatened to attack tankers": the attack has not happened
        if trig.plover == "COERCE" and _siege_ended(head):
            return None  # "they broke the siege": the breaking is told (ASSAULT, control lifted)
        if _feared(head):
            return None  # "for fear of air strikes": what is feared has not happened
        if head.dep_ in {"pobj", "pcomp"} and head.head.lower_ == "without":
            return None  # "entered the town without fighting": the fighting did not happen
        frame = Frame(trigger=trig, span=span, head=head, rule=trig.rule)
        if trig.plover == "ASSAULT" and _caused_by_nature(head, self.nonconflict, span):
            return None  # "the earthquake killed 200": a disaster, not an attack
        if trig.plover == "ASSAULT" and not syntax.is_verb(head) and _found_weapon(head, self.disrupting):
            return None  # "two IEDs were found and defused": weapons disrupted, not used
        # The argument conditions read the parse only: tested before the costlier roles, as
        # common verbs ("find", "open", "clear") are triggers only with the right object.
        if trig.objects and not self._objects_ok(frame, ctx):
            return None
        if trig.acled == DISRUPTED and trig.objects and not _weapon_taken(head, trig.objects):
            return None  # "destroyed armoured vehicles with car bombs": the bombs were used
        if trig.complements and not _has_complement(head, trig.complements):
            return None
        self._roles(frame, ctx)
        status = read_status(head)
        frame.status = status.status
        frame.speakers = [a for tok in status.speakers for a in ctx.actors_at(tok)]
        if frame.status == "claimed" and not frame.actors and _responsibility_claimed(head):
            frame.actors = list(frame.speakers)  # "al-Shabaab claimed responsibility for the bombing"
            frame.responsibility_claimed = True
        if frame.status == "claimed" and frame.speakers and not any(
                self._sector(a) in ARMED_SECTORS | {"UNK", None} for a in frame.speakers):
            # Told by the UN, a rights group or residents: their report (kept in reported_by),
            # not a party's claim. An armed party, a government or unnamed sources still claim.
            frame.status = "asserted"
        if trig.acled == "@territory" and frame.status in {"asserted", "claimed", "confirmed"} and _aim(head):
            frame.status = "planned"  # "launched an offensive to free the province": the aim, not a gain
        if trig.past_only and frame.status in FUTURE_STATUSES:
            return None
        if frame.status == "confirmed" and trig.plover not in HOSTILE_TYPES:
            # A party confirms what hurts it; what favours it stays its claim.
            frame.status = "claimed"
        frame.own_date = ctx.time_for(head, span, future=frame.status in FUTURE_STATUSES)
        frame.own_place = ctx.place_for(head, span, direct=trig.verbal)
        if siege_state:
            frame.own_place = ctx.place_at(head.head) or frame.own_place  # the besieged place itself
        if trig.verbal and frame.own_date is None and frame.own_place is None:
            frame.statement = True  # a statement with no date or place of its own: not an event
        if _generic(frame):
            return None
        frame.fatalities, frame.injured = ctx.casualties(head)
        return frame

    def _modal_demands(self, doc: Doc, ctx: "DocContext") -> list[Frame]:
        """"declared that China must drop barriers": saying what another party must or should
        do is a demand (PLOVER's REQUEST), whatever the saying verb."""
        frames: list[Frame] = []
        for tok in doc:
            if tok.i in ctx.trigger_heads or not syntax.is_verb(tok) or \
                    tok.lemma_.lower() not in REPORTING | REPORT_VERBS | DEMAND_SAYING:
                continue
            for comp in tok.children:
                if comp.dep_ != "ccomp" or not any(c.dep_ == "aux" and c.lower_ in {"must", "should"}
                                                   for c in comp.children):
                    continue
                if not any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in comp.children):
                    continue  # "we must leave": a resolve, not a demand on another party
                trig = Trigger(f"{tok.lemma_.lower()} that ... must", "REQUEST", None, None, verbal=True)
                frame = self._frame(trig, SpacySpan(doc, tok.i, tok.i + 1, label=trig.phrase), ctx)
                if frame is not None:
                    frames.append(frame)
                break
        return frames

    @staticmethod
    def _siege_state(trig: Trigger, head: Token, ctx: "DocContext") -> bool:
        """"the besieged eastern districts": unlike "the deadliest attack", an adjective of
        siege on a place reports that the siege still holds on the day of the report, as
        "the regime's siege of Aleppo" does (the seed codes that as an event of that day)."""
        if not (trig.plover == "COERCE" and trig.mode == "restrict" and head.dep_ == "amod"):
            return False
        noun = head.head
        return ctx.place_at(noun) is not None or noun.lemma_.lower() in TERRAIN_NOUNS

    def _roles(self, frame: Frame, ctx: "DocContext") -> None:
        head = frame.head
        actors: list[Token] = []
        targets: list[Token] = []
        if syntax.is_verb(head):
            passive = syntax.passive_subjects(head)
            actors += syntax.agents(head) or ([] if passive else syntax.subjects(head))
            targets += passive + syntax.objects(head)
            targets += [t for p, t in syntax.prep_objects(head, {"on", "against", "at", "with", "of", "out"})
                        if p in {"on", "against"}]
            # "an air strike hit the hospital": the noun trigger is the subject, its object the target.
        else:
            actors += [c for c in head.children if c.dep_ in {"compound", "amod", "poss", "nmod"}]
            # "a regime offensive": the word right before the trigger names who, whatever the parse says.
            if frame.span.start > 0 and frame.span.start - 1 != head.i:
                actors.append(head.doc[frame.span.start - 1])
            actors += [t for p, t in syntax.prep_objects(head, {"by", "from"})]
            targets += [t for p, t in syntax.prep_objects(head, {"on", "against", "of"})]
            gov = head.head
            if head.dep_ == "pobj" and gov.lower_ == "of" and gov.head.dep_ in {"dobj", "nsubjpass"} \
                    and gov.head.lemma_.lower() in ONSET_NOUNS:
                # "announced the opening of corridors": whoever announces opens them.
                gov, head_in_verb = gov.head.head, gov.head
            else:
                head_in_verb = head
            if head_in_verb.dep_ in {"dobj", "nsubjpass", "attr"} and syntax.is_verb(gov) and gov.lemma_ in LIGHT_VERBS:
                actors += syntax.subjects(gov) + syntax.agents(gov)
                targets += [t for p, t in syntax.prep_objects(gov, {"on", "against"})]
            elif head.dep_ == "nsubj" and syntax.is_verb(gov):
                targets += syntax.objects(gov)
            elif head.dep_ == "pobj" and gov.dep_ == "prep" and syntax.is_verb(gov.head) and gov.lower_ in {"in", "by"}:
                # "twelve people were killed in an air strike"
                targets += syntax.passive_subjects(gov.head)
        if frame.trigger.mode == CROWD_CONTROL and syntax.is_verb(head):
            # the crowd the force is aimed at, not the tear gas fired at it
            targets = [t for t in targets + [t for _, t in syntax.prep_objects(head, {"at", "into", "on"})]
                       if t.lemma_.lower() not in CROWD_WEAPONS]
        # Roles only the spans use (the ids stay those of the rules above, except for speech acts,
        # whose recipient is often in their complement): "threatened to impose restrictions
        # against German goods", "demanded autonomy from Serbian authorities", "talks with X".
        extra: list[Token] = []
        named = [t for t in targets if t.ent_type_ not in {"DATE", "TIME"}]  # not "on Monday"
        plover = frame.trigger.plover
        if (frame.trigger.verbal or plover == "PROTEST") and not named and syntax.is_verb(head):
            extra += _complement_targets(head)
        elif plover == "PROTEST" and not named and syntax.is_verb(head.head) and head.dep_ == "dobj":
            extra += _complement_targets(head.head)  # "continued their hunger strike to demand ..."
            extra += [t for _, t in syntax.prep_objects(head.head, {"against", "at"})]
        if plover == "THREATEN" and syntax.is_verb(head) and \
                not any(_actor_like(t, ctx) for t in named + extra):
            # "threatened to strike unless Israel rescinded ...": the one who must yield
            for clause in [head, *[c for c in head.children if c.dep_ in {"xcomp", "ccomp"}]]:
                for adv in clause.children:
                    if adv.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"unless", "if"} for m in adv.children):
                        extra += [t for t in syntax.subjects(adv) if t.pos_ != "PRON"]
        preps = {"with"} | ({"to", "from"} if frame.trigger.verbal else set())
        if plover in GIVING_TYPES:
            preps |= {"to"}  # "granted asylum to 18 Rwandan rebels"
        if plover == "ACCUSE":
            preps = (preps - {"to"}) | {"over", "about", "for"}  # complained to X over Y: Y is accused
        if plover in MOVING_TYPES:
            preps |= {"from", "against", "into"}  # "withdraw its troops from Lebanon"
        extra += [t for p, t in syntax.prep_objects(head, preps) if syntax.is_verb(head) or p == "with"]
        if frame.trigger.verbal:
            targets += extra
        span_actors = list(actors)
        gov = head.head
        if not syntax.is_verb(head) and head.dep_ == "pobj" and gov.lower_ in {"in", "by", "with", "for", "during"} \
                and syntax.is_verb(gov.head) and not syntax.passive_subjects(gov.head):
            # "guerrillas wounded two soldiers in a bomb attack": the clause's roles are the act's
            span_actors += syntax.subjects(gov.head)
            extra += syntax.objects(gov.head)
        if syntax.is_verb(head) and not actors and head.dep_ == "xcomp" and head.head.pos_ == "ADJ" \
                and syntax.is_verb(head.head.head):
            span_actors += syntax.subjects(head.head.head)  # "France is ready to contribute troops"
        if plover in GIVING_TYPES | MOVING_TYPES and syntax.is_verb(head):
            objs = syntax.objects(head)
            if plover in MOVING_TYPES:
                extra += [t for o in objs for p, t in syntax.prep_objects(o, {"in", "into", "from"})]
            recipients = [t for t in extra if t.dep_ in {"pobj", "dative"}] + \
                [c for c in head.children if c.dep_ == "dative"]
            if recipients or plover in MOVING_TYPES:
                # what is given or moved is not its recipient: "offered its troops to Lebanon"
                targets = [t for t in targets if t not in objs or t.dep_ == "dative"]
                extra = [t for t in extra if t not in objs or t.dep_ == "dative"]
        frame.actor_tokens = _dedupe(t for tok in span_actors for t in syntax.with_conjuncts(tok))
        frame.target_tokens = _dedupe(t for tok in targets + extra for t in syntax.with_conjuncts(tok)
                                      if t not in frame.actor_tokens and t.ent_type_ not in {"DATE", "TIME"})
        subjects = [t for t in frame.actor_tokens if t.dep_ in {"nsubj", "conj"}]
        if frame.trigger.plover in RECIPROCAL_TYPES and len(subjects) > 1 and not frame.target_tokens:
            frame.reciprocal = True  # "Jordan and Britain have agreed": PLOVER's SRC/TAR
        frame.actors = _dedupe(a for tok in actors for a in ctx.actors_at(tok, resolve_pronouns=True))
        frame.targets = _dedupe(a for tok in targets for a in ctx.actors_at(tok, resolve_pronouns=True)
                                if a not in frame.actors)
        if frame.trigger.plover == "ASSAULT" and not frame.targets and \
                any(t.lemma_.lower() in CIVILIAN_SITES for tok in targets for t in syntax.with_conjuncts(tok)):
            # ACLED: a strike on a market, school or bakery targets civilians.
            frame.targets = ["CIVILIANS"]

    def _objects_ok(self, frame: Frame, ctx: "DocContext") -> bool:
        wanted = set(frame.trigger.objects)
        head = frame.head
        inner_preps = {"of", "in", "at", "near", "around", "on"}
        territory = frame.trigger.acled == "@territory"
        if territory and frame.trigger.phrase in PUSH_BACK:
            # "drove the militants back from the village": the ground is where they were pushed from
            holders = [head] + [c for c in head.children if c.lower_ == "back" and c.dep_ in {"prt", "advmod"}]
            return self._ground_ok([t for h in holders for _, t in syntax.prep_objects(h, {"from", "out"})],
                                   {"of"}, wanted, ctx)
        if territory and frame.trigger.phrase in FREED_GROUND:
            # "freed the villages from the militants", not "freed hostages in Idlib"
            freed = [t for o in syntax.objects(head) + syntax.passive_subjects(head) for t in syntax.with_conjuncts(o)]
            return any(ctx.place_by_char.get(t.idx) is not None or t.lemma_.lower() in TERRAIN_NOUNS
                       for t in freed if not _person_like(t, ctx))
        if frame.trigger.phrase in CAPTIVE_TAKING and syntax.is_verb(head):
            if territory and _people_taken(head, ctx):
                return False  # "captured three militants in Kandahar": captives, not the town
            if frame.trigger.mode == "arrest":
                return _people_taken(head, ctx)
        args = syntax.objects(head) + [t for _, t in syntax.prep_objects(head)]
        args += syntax.passive_subjects(head) + _misparsed_objects(head)
        if not (territory and syntax.objects(head)):
            # "the town fell", "troops left": the subject; not "police in Taizhou seized boxes",
            # whose subject's place is where the takers are, not the ground taken
            args += syntax.subjects(head)
        args += [c for c in head.children if c.dep_ in {"compound", "poss"}]
        # "captured a string of hilltops in the Mallah farms": what was taken is named
        # inside the object's own phrases, two prepositions deep at most.
        if not syntax.is_verb(head):
            # "the capture on Saturday of the academy": the parser hangs "of the academy"
            # on "Saturday"; an "of" phrase within a few words still names what was taken.
            for tok in head.doc[head.i + 1:min(head.i + 5, head.sent.end)]:
                if tok.dep_ == "prep" and tok.lower_ == "of":
                    args += [c for c in tok.children if c.dep_ == "pobj"]
                    break
        if head.dep_ == "relcl":
            # "the Castello road, which government forces cut": the pronoun is the road.
            args = [head.head if a.tag_ in {"WDT", "WP"} else a for a in args]
        return self._ground_ok(args, inner_preps, wanted, ctx)

    @staticmethod
    def _ground_ok(args: list[Token], inner_preps: set[str], wanted: set[str], ctx: "DocContext") -> bool:
        """One of the arguments, or a noun in their phrases two prepositions deep at most, is
        of the wanted kind: a place, an actor, or one of the lemmas."""
        args = list(args)
        for arg in list(args):
            for _, inner in syntax.prep_objects(arg, inner_preps):
                args.append(inner)
                args += [t for _, t in syntax.prep_objects(inner, inner_preps & {"of", "in", "at", "near"})]
        for arg in args:
            for tok in syntax.with_conjuncts(arg):
                if "@place" in wanted and (ctx.place_at(tok) is not None or tok.lemma_.lower() in TERRAIN_NOUNS):
                    return True
                if "@actor" in wanted and ctx.actors_at(tok):
                    return True
                if tok.lemma_.lower() in wanted:
                    return True
                # "violated the ceasefire agreement", "fired tear gas": the kind of thing is its
                # compound or its modifier
                if any(c.dep_ in {"compound", "amod"} and c.lemma_.lower() in wanted for c in tok.children) and \
                        "@place" not in wanted:
                    return True
        return False

    def _moved_not_spoke(self, verb: Token) -> bool:
        """A verb of speech used of a body or a weapon in motion: it goes "into" or "through"
        something, or a weapon is its subject ("slammed", "charged", "blasted")."""
        if any(c.dep_ == "prep" and c.lower_ in {"into", "through"} for c in verb.children):
            return True
        return self._instrument_mode(verb) is not None

    def _instrument_mode(self, verb: Token) -> Optional[str]:
        """The mode a weapon gives the generic verb it is the subject or "by" agent of: "the
        drone had hit people" is a drone strike, "hit by rockets" shelling."""
        if not syntax.is_verb(verb):
            return None
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                nouns = [child]
            elif child.dep_ == "agent":  # "struck by warplanes"
                nouns = [g for g in child.children if g.dep_ == "pobj"]
            else:
                continue
            for noun in nouns:
                mode = self.instruments.get(noun.lemma_.lower())
                if mode:
                    return mode
        return None

    def _launched_from_air(self, frame: Frame) -> Optional[str]:
        """"aerial" or "drone" when an actor of the act is an aircraft or a drone (its word or
        its compound: "helicopter gunships", "Russian jets")."""
        for tok in frame.actor_tokens:
            for word in [tok, *(c for c in tok.children if c.dep_ == "compound")]:
                mode = self.instruments.get(word.lemma_.lower())
                if mode in {"aerial", "drone"}:
                    return mode
        return None

    def _mention(self, frame: Frame, ctx: "DocContext") -> Optional[EventMention]:
        trig = frame.trigger
        if trig.plover == "ASSAULT" and frame.actors and all(a == "PROTESTERS" for a in frame.actors):
            # ACLED: violence by demonstrators is a riot, not an attack.
            trig = Trigger(trig.phrase, "PROTEST", "riot", "Violent demonstration", group=trig.group)
        if trig.plover == "COERCE" and trig.mode == "arrest" and frame.actors and \
                all(self._sector(a) in ARMED_NON_STATE for a in frame.actors):
            # ACLED: only states arrest; gunmen "rounding up" villagers abduct them.
            trig = Trigger(trig.phrase, "ASSAULT", "abduct", "Abduction/forced disappearance", group=trig.group)
        rule = frame.rule
        mode = None
        if trig.plover == "ASSAULT" and trig.acled == "@assault" and not trig.mode:
            mode = self._instrument_mode(frame.head)
        elif trig.plover == "ASSAULT" and trig.mode == "heavy-weapons":
            # ACLED: whatever is fired from an aircraft ("warplanes fired missiles") is an air strike
            mode = self._launched_from_air(frame)
        if mode in ACLED_BY_ASSAULT_MODE:
            trig = Trigger(trig.phrase, "ASSAULT", mode, ACLED_BY_ASSAULT_MODE[mode], group=trig.group)
            rule += f"+instrument:{mode}"
        actors = [self._armed(a) if trig.plover in {"ASSAULT", "MOBILIZE"} else a for a in frame.actors]
        acled = self._acled(trig, frame, actors)
        date_ref = frame.own_date or ctx.default_date(frame.status)
        place = frame.own_place or (None if trig.verbal else ctx.sentence_place(frame.head)) \
            or ctx.default_place()
        head = frame.head
        if head.dep_ == "pobj" and head.head.lower_ in {"after", "before", "since", "until"}:
            # "two weeks after [a raid on its market killed 15]": the phrase tells this act;
            # the clause around it tells another.
            evidence = head.doc[head.left_edge.i:head.right_edge.i + 1]
        else:
            evidence = syntax.clause_span(_evidence_root(head))
        if not (evidence.start <= frame.span.start and frame.span.end <= evidence.end):
            evidence = frame.head.sent
        reported_by = frame.speakers or ctx.narrator()
        sent = frame.head.sent
        digest = hashlib.sha256(f"{ctx.reading.document.id}:{frame.span.start_char}:{trig.plover}".encode()).hexdigest()
        inside = range(frame.span.start, frame.span.end)
        actor_spans = _dedupe(sp for tok in frame.actor_tokens
                              if (tok.i not in inside or tok.dep_ in {"nsubj", "nsubjpass"}) and
                              (_actor_like(tok, ctx) or tok.dep_ in {"nsubj", "nsubjpass", "pobj"})
                              for sp in role_spans(tok, ctx, actor=True))
        if not actor_spans and trig.plover == "ASSAULT" and head.dep_ == "nsubj" and not syntax.is_verb(head) \
                and syntax.is_verb(head.head):
            # "a roadside bombing killed one soldier": with no one named, the act is the actor
            first = min([c.left_edge.i for c in head.lefts if c.dep_ in {"compound", "amod", "nmod"}]
                        + [frame.span.start])
            if (sp := _trimmed(head.doc, first, head.i + 1)) is not None:
                actor_spans = [sp]
        target_tokens = [t for t in frame.target_tokens if t.i not in inside and role_spans(t, ctx, actor=False)]
        if target_tokens:
            # One recipient, the first the roles name, with the names coordinated with it
            # ("the United States and Israel"); not every party a long clause mentions.
            first = target_tokens[0]
            target_tokens = [first] + [t for t in target_tokens[1:] if t in first.conjuncts
                                       and (t.pos_ == "PROPN" or t.ent_type_ in ACTOR_ENTS)]
        target_spans = _dedupe(sp for tok in target_tokens
                               for sp in role_spans(tok, ctx, actor=False) if sp not in actor_spans)
        if not target_spans and not frame.reciprocal:
            # "called off the strike after deliberations with the government": the party named
            # inside an act or a thing the trigger governs
            nested = [t for t in _nested_targets(frame, ctx) if t.i not in inside and t not in frame.actor_tokens]
            target_spans = _dedupe(sp for tok in nested for sp in role_spans(tok, ctx, actor=False)
                                   if sp not in actor_spans)
        if not target_spans and trig.plover in PLACE_RECIPIENT_TYPES:
            where = _imposed_on(head, frame)
            if where is not None and (sp := _entity_span(where)) and sp not in actor_spans:
                target_spans = [sp]
        if frame.reciprocal or (trig.plover in RECIPROCAL_TYPES and len(actor_spans) > 1 and not target_spans
                                and any(t.dep_ == "nsubj" for t in frame.actor_tokens)):
            target_spans = list(actor_spans)  # "Jordan and Britain have agreed": PLOVER's SRC/TAR
        return EventMention(
            id=f"ev-{digest[:12]}",
            plover=trig.plover,
            mode=trig.mode,
            acled_event_type=acled_event_type(acled),
            acled_sub_event_type=acled,
            actors=_dedupe(actors),
            targets=[t for t in frame.targets if t not in actors],
            place=place,
            date=date_ref,
            status=frame.status,  # type: ignore[arg-type]
            reported_by=reported_by,
            fatalities=frame.fatalities,
            injured=frame.injured,
            evidence=[Span(evidence.start_char, evidence.end_char, evidence.text)],
            rule=rule,
            trigger=Span(frame.span.start_char, frame.span.end_char, frame.span.text),
            sentence=Span(sent.start_char, sent.end_char, sent.text),
            actor_spans=actor_spans,
            target_spans=target_spans,
            clause_depth=clause_depth(head),
        )

    def _armed(self, actor_id: str) -> str:
        """A government acting with force acts through its armed forces."""
        if actor_id in self.book and self.book.get(actor_id).sector == "GOV":
            return self.book.armed_child(actor_id) or actor_id
        return actor_id

    def _sector(self, actor_id: str) -> Optional[str]:
        return self.book.sector_of(actor_id)

    def _acled(self, trig: Trigger, frame: Frame, actors: list[str]) -> Optional[str]:
        if frame.status in FUTURE_STATUSES or frame.status in {"negated", "denied"}:
            return None  # ACLED codes what happened
        acled = trig.acled
        if trig.mode == CROWD_CONTROL and not CROWDS.search(frame.span.sent.text):
            return None  # tear gas at "the residents": ACLED's intervention needs a crowd
        if acled == "@territory" and _unopposed(frame.head):
            return "Non-violent transfer of territory"  # ACLED: ground acquired without a battle
        if acled == "Armed clash" and trig.phrase in ADVANCE_PHRASES and _unopposed(frame.head):
            return "Non-violent transfer of territory"  # "advanced and entered without fighting"
        if acled == "@territory":
            sectors = {self._sector(a) for a in actors}
            if sectors & {"GOV", "MIL"}:
                gain = "Government regains territory"
            else:
                gain = "Non-state actor overtakes territory" if actors else "Armed clash"
            if _after_yield(frame.head) and not _fought(frame.head):
                # "retook the city after the army pulled out": handed over without a battle,
                # unless the document tells fighting (_fought_elsewhere)
                frame.fought_instead = gain
                return "Non-violent transfer of territory"
            return gain
        if acled == "@assault":
            if trig.mode in ACLED_BY_ASSAULT_MODE:
                return ACLED_BY_ASSAULT_MODE[trig.mode]
            target_sectors = {self._sector(t) for t in frame.targets}
            actor_armed = any(self._sector(a) in ARMED_SECTORS | {"UAF"} for a in actors)
            if target_sectors and not target_sectors & ARMED_SECTORS:
                return "Attack"
            if actor_armed and target_sectors & ARMED_SECTORS:
                return "Armed clash"
            if not target_sectors and _untargeted(frame.head) and not frame.responsibility_claimed and \
                    (actor_armed or _fighters_act(frame.head)):
                return "Armed clash"  # "units attacking from inside the city": no victims named
            if not target_sectors and _hits_armed_post(frame.head):
                return "Armed clash"  # "stormed a military base": armed men were there to fight back
            return "Attack" if not target_sectors else "Armed clash"
        return acled


# ---------------------------------------------------------------------- document context
class DocContext:
    """Lookups over what earlier stages found, by token."""

    def __init__(self, doc: Doc, reading: Reading, book: ActorBook):
        self.doc, self.reading, self.book = doc, reading, book
        self.actor_by_char: dict[int, str] = {}
        self.actor_starts: list[tuple[int, str, bool, int]] = []  # (char, actor id, main subject?, group)
        self.name_chars: set[int] = set()  # characters inside actors' names of several words
        for m in reading.actor_mentions:
            for c in range(m.span.start, m.span.end):
                self.actor_by_char[c] = m.actor_id
            if " " in m.span.text.strip():
                self.name_chars.update(range(m.span.start, m.span.end))
        for m in reading.actor_mentions:
            tok = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
            # Antecedents are the subjects of main clauses ("Regime and Russian planes dropped ...").
            subject = _subject_group(tok.root) if tok is not None else None
            self.actor_starts.append((m.span.start, m.actor_id, subject is not None,
                                      subject.i if subject is not None else -1))
        # A dateline says where the reporter filed from: never the place of what is told.
        told = [pm for pm in reading.places if pm.rule != DATELINE_RULE]
        self.place_by_char: dict[int, Place] = {}
        for pm in told:
            for c in range(pm.span.start, pm.span.end):
                self.place_by_char[c] = pm.place
        self.places_in_order = sorted(told, key=lambda p: p.span.start)
        # A dateline's day is the filing day (the publication's), not the day of what is told.
        line_start, line_end = dateline_span(reading.document.text)
        self.times = sorted((t for t in reading.times
                             if not line_start <= t.span.start < line_end),
                            key=lambda t: t.span.start)
        self.trigger_heads: set[int] = set()  # token indices of every trigger (events stage)
        self._per_sentence: dict[tuple[str, int], Any] = {}

    # actors
    def actors_at(self, token: Token, resolve_pronouns: bool = False) -> list[str]:
        """Actors a role-bearing token refers to: itself, its modifiers, its conjuncts."""
        found: list[str] = []
        for tok in syntax.with_conjuncts(token):
            actor = self.actor_by_char.get(tok.idx)
            if actor is None:
                for child in tok.children:
                    if child.dep_ in {"compound", "amod", "nmod", "poss"} and child.idx in self.actor_by_char:
                        actor = self.actor_by_char[child.idx]
                        break
            if actor is None and tok.lemma_.lower() in COLLECTIVE_NOUNS:
                # "a patrol of National Guard troops and soldiers": the troops and soldiers
                for _, obj in syntax.prep_objects(tok, {"of"}):
                    found += [a for a in self.actors_at(obj) if a not in found]
            if actor is None and resolve_pronouns and (tok.pos_ == "PRON" or tok.lower_ in ANAPHORS and
                                                       any(c.lower_ == "the" for c in tok.children)):
                found += [a for a in self.antecedent(tok) if a not in found]
            if actor is None and resolve_pronouns:
                # "its aircraft", "their fighters": the owner is the actor.
                for child in tok.children:
                    if child.dep_ == "poss" and child.pos_ == "PRON":
                        found += [a for a in self.antecedent(child) if a not in found]
            if actor is not None and actor not in found:
                found.append(actor)
        return found

    def speaks_for(self, speaker: Token) -> list[str]:
        """Who a speaker's "we" or "they" is: the speaker, or, when the speaker is only a voice
        ("sources", "a spokesman", a news outlet), the party its phrase names ("a spokesman for
        the Taliban", "sources affiliated to the militants", "sources close to the army")."""
        own = self.actors_at(speaker)
        if own and not all(self._sector(a) in VOICE_SECTORS for a in own):
            return own
        for tok in speaker.subtree:
            if tok != speaker and tok.dep_ == "pobj" and tok.head.lower_ in SPOKEN_FOR_PREPS:
                party = [a for a in self.actors_at(tok) if self._sector(a) not in VOICE_SECTORS]
                if party:
                    return party
        return own

    def _sector(self, actor_id: str) -> Optional[str]:
        return self.book.sector_of(actor_id)

    def antecedent(self, pronoun: Token) -> list[str]:
        """The actors of the latest main-clause subject before the pronoun, outside its clause."""
        if pronoun.lower_ not in PLURAL_PRONOUNS | SINGULAR_PRONOUNS | ANAPHORS:
            return []
        own_clause = syntax.clause_head(pronoun)
        # "The army said it had carried out strikes": the speaker is the pronoun's antecedent.
        reporter = own_clause.head if own_clause.dep_ in {"ccomp", "xcomp"} else None
        if reporter is not None and reporter.lemma_.lower() in REPORTING:
            speakers = [a for s in syntax.subjects(reporter) for a in self.speaks_for(s)]
            if speakers:
                return speakers
        if pronoun.lower_ in {"it", "its"}:
            return []  # outside reported speech "it" is too often a thing
        best_group, best = -1, []
        for start, actor_id, was_subject, group in self.actor_starts:
            if start >= pronoun.idx:
                break
            if not was_subject:
                continue
            tok = self.doc.char_span(start, start + 1, alignment_mode="expand")
            if tok is not None and syntax.clause_head(tok.root) == own_clause:
                continue
            if group != best_group:
                best_group, best = group, []
            best.append(actor_id)
        return best

    # places
    def place_at(self, token: Token) -> Optional[Place]:
        place = self.place_by_char.get(token.idx)
        if place is None:
            for child in token.children:
                if child.dep_ in {"compound", "amod", "nmod", "poss"} and child.idx in self.place_by_char:
                    return self.place_by_char[child.idx]
            for _, obj in syntax.prep_objects(token, {"of"}):
                if obj.idx in self.place_by_char:
                    return self.place_by_char[obj.idx]
        definite = any(c.lower_ == "the" for c in token.children)
        if place is None and definite:
            place = self.named_like(token)  # "the farms": the Mallah farms named before
        if place is None and token.lower_ in DEFINITE_PLACE_NOUNS and definite:
            place = self.latest_place(token.idx, DEFINITE_PLACE_NOUNS[token.lower_])
        return place

    def named_like(self, noun: Token) -> Optional[Place]:
        """The latest place named before ``noun`` whose name ends in that noun: "the
        academy" after "the Ramouseh artillery academy"."""
        word = noun.lower_
        if noun.pos_ != "NOUN" or len(word) < 4:
            return None
        for pm in reversed(self.places_in_order):
            if pm.span.start >= noun.idx:
                continue
            last = pm.span.text.lower().split()[-1] if pm.span.text.split() else ""
            # "the farms" is the Mallah farms; "the districts" is not the Shaar district
            if last == word or (noun.tag_ == "NN" and last == noun.lemma_.lower()):
                return pm.place
        return None

    def latest_place(self, before: int, kind: str) -> Optional[Place]:
        """"the road" is the road named last; "the city" is the town the story is about."""
        if kind == "city":
            return self.default_place()
        for pm in reversed(self.places_in_order):
            if pm.span.start < before and (pm.place.kind == kind or (kind == "city" and pm.place.kind in {"city", "town", "village"})):
                return pm.place
        return self.default_place() if kind == "city" else None

    def place_for(self, head: Token, span: SpacySpan, direct: bool = False) -> Optional[Place]:
        """A place in the trigger's own clause, nearest first; then one deeper in that clause.

        ``direct``: only the clause itself (a speech act is placed by its own words,
        not by the places its content names)."""
        clause = head if syntax.is_verb(head) else syntax.clause_head(head)
        sent = head.sent
        sources = {i for att, under in self.attributions(sent) if att != head.i
                   and head.i not in under for i in under}
        candidates = [t for t in clause.subtree if sent.start <= t.i < sent.end and t.i not in sources]
        if clause.dep_ == "relcl" and any(c.tag_ in {"WDT", "WP"} for c in clause.children):
            candidates.append(clause.head)  # "the road, which forces cut": the road itself
        # "advanced from the Mallah farms and reached the road": where a move starts is
        # the last choice for where it happened.
        candidates.sort(key=lambda t: abs(t.i - head.i))
        origin: Optional[Place] = None
        for tok in candidates:
            if tok.pos_ not in NOMINAL_POS and tok.idx not in self.place_by_char:
                continue  # only a noun (or a word of a place's name) can name a place: cheap test first
            if syntax.clause_head(tok) != clause and not _in_noun_subtree(tok, head) \
                    and tok != clause.head:
                continue
            if direct and not (tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS and tok.head.head == clause):
                continue  # a speech act is placed by "in X", not by whom it names
            if tok.dep_ == "nsubj" and tok.idx in self.actor_by_char:
                continue  # "Moscow announced ...": the capital speaks for its government, it is not the place
            place = self.place_at(tok)
            if place is not None and _origin(tok):
                origin = origin or place
            elif place is not None:
                return place
        if direct:
            return origin
        conjuncts = [c for c in clause.children if c.dep_ == "conj" and syntax.is_verb(c)] \
            if origin is not None else []
        for conj in conjuncts:
            # "advanced from X and reached the road": the place the move reached.
            for tok in conj.subtree:
                if syntax.clause_head(tok) == conj and not _origin(tok) and tok.i not in sources:
                    place = self.place_at(tok)
                    if place is not None:
                        return place
        if origin is not None:
            return origin
        for tok in clause.subtree:
            if tok.i in sources:
                continue
            place = self.place_at(tok)
            if place is not None:
                return place
        return None

    def default_place(self) -> Optional[Place]:
        """The place the document is mostly about: its most mentioned town or city. "east
        Aleppo" and "eastern Aleppo" count for Aleppo; when the city is only ever named
        through its parts, the first part named stands for it."""
        counts: dict[object, tuple[int, Place]] = {}
        for pm in self.places_in_order:
            place = pm.place
            if place.kind in {"city", "town", "village"}:
                key = place.name  # the gazetteer's name: one town under two spellings
            elif place.kind == "area" and (place.source or "").startswith("area:") and place.precision <= 2:
                # a part of a town ("eastern Aleppo"), not of a country ("western Afghanistan")
                key = place.source[len("area:"):]
            else:
                continue
            n, first = counts.get(key, (0, place))
            if first.kind == "area" and place.kind != "area":
                first = place
            counts[key] = (n + 1, first)
        if not counts:
            return None
        return max(counts.values(), key=lambda item: item[0])[1]

    def sentence_place(self, head: Token) -> Optional[Place]:
        """The place nearest the trigger in its sentence, outside who-says-so phrases
        ("according to aid workers in Gaziantep"): better than the document's main town."""
        sent = head.sent
        source_tokens = {i for _, under in self.attributions(sent) for i in under}
        for tok in sorted(sent, key=lambda t: abs(t.i - head.i)):
            if tok.i in source_tokens:
                continue
            if tok.dep_ == "nsubj" and tok.idx in self.actor_by_char:
                continue  # "Moscow says ...": a government, not a place
            place = self.place_by_char.get(tok.idx)
            if place is not None and place.kind not in COARSE_KINDS:
                return place  # a country or province says less than the story's own town
        return None

    # times
    def time_for(self, head: Token, span: SpacySpan, future: bool) -> Optional[DateRef]:
        """A time in the trigger's clause; else one in a clause that governs it.

        Times that look ahead ("within three weeks") only date expected events.
        """
        sent = head.sent
        clause = head if syntax.is_verb(head) else syntax.clause_head(head)
        in_clause = {t.i for t in clause.subtree}
        governing = {a.i for a in clause.ancestors} | {clause.i}
        fallback: Optional[DateRef] = None
        for tm in self.times:
            # "two weeks after a raid killed 15": the raid is dated by the words before it,
            # whatever else its clause says ("struck again on Tuesday").
            if sent.start_char <= tm.span.start < sent.end_char and \
                    tm.span.text.lower().endswith(TIME_AFTER) and _governed_by(head, tm.span.end):
                return tm.date
        for tm in self.times:
            if not (sent.start_char <= tm.span.start < sent.end_char):
                continue
            if tm.rule.startswith("times:future") != future:
                continue
            if tm.span.text.lower().endswith(TIME_AFTER):
                # "one week after X did Y": the time dates what follows it.
                if tm.span.end <= span.start_char:
                    return tm.date
                continue
            tok = self.doc.char_span(tm.span.start, tm.span.end, alignment_mode="expand")
            if tok is None:
                continue
            owner = syntax.clause_head(tok.root)
            if owner != clause and owner.dep_ == "relcl" and owner.i in in_clause \
                    and owner.i in self.trigger_heads:
                continue  # "the road, which forces cut on July 17": that act's own day
            if tok.root.i in in_clause and syntax.clause_head(tok.root).i in governing | in_clause:
                return tm.date
            if fallback is None and syntax.clause_head(tok.root).i in governing:
                fallback = tm.date
        return fallback

    def default_date(self, status: str) -> DateRef:
        published = self.reading.document.published
        if status in FUTURE_STATUSES or published is None:
            return DateRef(None, None, None)
        return DateRef(published, "day", None)

    # figures
    def casualties(self, head: Token) -> tuple[Optional[int], Optional[int]]:
        sent = head.sent
        killed: Optional[int] = None
        injured: Optional[int] = None
        kill_tokens, hurt_tokens = self.toll_verbs(sent)
        for fig in self.reading.figures:
            if not (sent.start_char <= fig.span.start < sent.end_char) or fig.unit not in PERSON_UNITS:
                continue
            fig_span = self.doc.char_span(fig.span.start, fig.span.end, alignment_mode="expand")
            if fig_span is None or fig.value is None and fig.low is None:
                continue
            value = int(fig.low if fig.low is not None else fig.value)
            kills = [k for k in kill_tokens if self._toll_of(k, head)]
            hurts = [k for k in hurt_tokens if self._toll_of(k, head)]
            if any(_linked(fig_span.root, k) for k in kills) and killed is None:
                killed = value
            elif any(_linked(fig_span.root, k) for k in hurts) and injured is None:
                injured = value
        return killed, injured

    # per-sentence lookups, asked for every trigger of the sentence: computed once
    def attributions(self, sent: SpacySpan) -> list[tuple[int, frozenset[int]]]:
        """The who-says-so phrases of a sentence: (head index, the indices under it)."""
        key = ("attributions", sent.start)
        found = self._per_sentence.get(key)
        if found is None:
            found = self._per_sentence[key] = [
                (tok.i, frozenset(t.i for t in tok.subtree)) for tok in sent if _is_attribution(tok)]
        return found

    def toll_verbs(self, sent: SpacySpan) -> tuple[list[Token], list[Token]]:
        """The sentence's words of killing and of wounding."""
        key = ("tolls", sent.start)
        found = self._per_sentence.get(key)
        if found is None:
            kill = [t for t in sent if t.lemma_.lower() in KILL_LEMMAS or t.lower_ in KILL_LEMMAS]
            hurt = [t for t in sent if t.lemma_.lower() in INJURE_LEMMAS or t.lower_ in INJURE_LEMMAS]
            found = self._per_sentence[key] = (kill, hurt)
        return found

    def _toll_of(self, verb: Token, head: Token) -> bool:
        """"struck Atareb again, two weeks after a raid killed 15": a toll belongs to the
        nearest trigger above its verb, when that is another event's."""
        if verb == head:
            return True
        for anc in verb.ancestors:
            if anc == head:
                return True
            if anc.i in self.trigger_heads:
                return False
        return True

    def narrator(self) -> list[str]:
        outlet = self.reading.document.outlet
        return [outlet_id(outlet)] if outlet else []


# ---------------------------------------------------------------------- helpers
def outlet_id(outlet: str) -> str:
    """An outlet's actor id: "TRT World" → "TRT_WORLD"."""
    return "_".join("".join(ch if ch.isalnum() else " " for ch in outlet).upper().split())


def _subject_group(token: Token) -> Optional[Token]:
    """The subject a token belongs to (itself or as a conjunct), if it is a main-clause subject."""
    while token.dep_ in {"conj", "compound", "amod"} and token.head != token:
        token = token.head
    if token.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    verb = token.head
    if verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT") or \
            (verb.dep_ == "ccomp" and verb.head.dep_ == "ROOT"):
        return token
    return None


def _dedupe(items) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _aim(verb: Token) -> bool:
    """A "to" infinitive on a noun or as a purpose: "an offensive to free the province"."""
    return verb.tag_ == "VB" and verb.dep_ in {"acl", "advcl"} and \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _gain_clauses(head: Token) -> list[Token]:
    """The words that tell a gain: the trigger (a noun trigger with its verb), and the verbs
    coordinated with its verb ("advanced on the town and entered without fighting")."""
    verb = head if syntax.is_verb(head) else syntax.clause_head(head)
    words = [head] if head != verb else []
    words += [verb] + [c for c in verb.children if c.dep_ == "conj" and syntax.is_verb(c)]
    if verb.dep_ == "conj" and syntax.is_verb(verb.head):
        words.append(verb.head)
    return words


def _unopposed(head: Token) -> bool:
    """The gain is told without a fight: "without a fight / resistance / firing a shot",
    "unopposed", "met no resistance", "had not encountered any resistance"."""
    for word in _gain_clauses(head):
        negated = any(c.dep_ == "neg" for c in word.children)
        for child in word.children:
            if child.lower_ in UNOPPOSED_WORDS:
                return True
            if child.dep_ == "prep" and child.lower_ == "without" and any(
                    g.lemma_.lower() in FIGHT_WORDS or g.lower_ in FIGHT_WORDS for g in child.subtree):
                return True
            if child.dep_ in {"dobj", "attr"} and child.lemma_.lower() in FIGHT_WORDS and (
                    negated or any(d.lower_ == "no" for d in child.children)):
                return True
    return False


def _fought(head: Token) -> bool:
    """The gain is told with fighting: "after heavy fighting", "during clashes", "amid shelling"."""
    for word in _gain_clauses(head):
        for child in word.children:
            if child.dep_ == "prep" and child.lower_ != "without" and any(
                    g.lemma_.lower() in ATTACK_WORDS or g.lower_ in ATTACK_WORDS
                    for g in child.children if g.dep_ in {"pobj", "pcomp"}):
                return True
    return False


def _yields(verb: Token, depth: int = 2) -> bool:
    """The clause tells the other side giving the ground up: "the army withdrew", "pulled out of
    the city", "handed the region over", "said it had finished pulling its troops back"."""
    lemma = verb.lemma_.lower()
    if lemma in YIELD_VERBS or lemma in YIELD_NOUNS:
        return True
    particles = YIELD_PARTICLE_VERBS.get(lemma)
    if particles and any(c.lower_ in particles and c.dep_ in {"prt", "advmod", "prep"} for c in verb.children):
        return True
    if depth > 0 and lemma in REPORTING | REPORT_VERBS | {"finish", "complete", "begin", "start"}:
        return any(_yields(c, depth - 1) for c in verb.children if c.dep_ in {"ccomp", "xcomp"})
    return False


def _after_yield(head: Token) -> bool:
    """The gain followed the other side's withdrawal or handover: "recaptured the city after
    the army pulled out", "regained the region when the mission handed it over", "entered the
    town following the withdrawal of the army"."""
    for word in _gain_clauses(head):
        for child in word.children:
            if child.dep_ == "advcl" and syntax.is_verb(child) and \
                    any(m.dep_ in {"mark", "advmod"} and m.lower_ in YIELD_MARKS for m in child.children) and _yields(child):
                return True
            if child.dep_ == "prep" and child.lower_ in YIELD_MARKS | {"upon", "on"}:
                for g in child.children:
                    if g.dep_ == "pobj" and g.lemma_.lower() in YIELD_NOUNS:
                        return True
                    if g.dep_ in {"pcomp", "pobj"} and syntax.is_verb(g) and _yields(g):
                        return True
    return False


def _fought_elsewhere(frames: list[Frame], mentions: list[Optional[EventMention]]) -> None:
    """A gain read as a transfer only because it followed a withdrawal is the battle's gain when
    the document tells any fighting, shelling or strike that happened ("captured the district
    after rebels withdrew ... 29 killed in the battle for the district since Monday"): the
    withdrawal may have been under fire. An explicit "without a fight" is not undone."""
    for frame, mention in zip(frames, mentions):
        if frame.fought_instead is None or mention is None:
            continue
        if any(other is not mention and other is not None and other.plover == "ASSAULT"
               and other.acled_event_type in {"Battles", "Explosions/Remote violence"}
               and other.status in {"asserted", "claimed", "confirmed"} for other in mentions):
            mention.acled_sub_event_type = frame.fought_instead
            mention.acled_event_type = acled_event_type(frame.fought_instead)


def _untargeted(head: Token) -> bool:
    """Nobody is said to be attacked, killed or hit: no object, no passive subject, no
    "on X"."""
    def named(pairs: list[tuple[str, Token]]) -> bool:
        return any(t.ent_type_ not in {"DATE", "TIME"} for _, t in pairs)  # not "on Saturday"

    if not syntax.is_verb(head):
        return not named(syntax.prep_objects(head, {"on", "against", "of"}))
    return not (syntax.objects(head) or syntax.passive_subjects(head)
                or named(syntax.prep_objects(head, {"on", "against"})))


def _hits_armed_post(head: Token) -> bool:
    """What is attacked is a post or a unit of armed men ("a military base", "army positions",
    "a patrol"), not one kept for civilians ("an aid convoy", "a refugee camp")."""
    hit = syntax.objects(head) + syntax.passive_subjects(head) + \
        [t for _, t in syntax.prep_objects(head, {"on", "against"})]
    for tok in (t for h in hit for t in syntax.with_conjuncts(h)):
        modifiers = {c.lemma_.lower() for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}}
        if tok.lemma_.lower() in ARMED_POSTS and not modifiers & CIVILIAN_MODIFIERS:
            return True
    return False


def _fighters_act(head: Token) -> bool:
    """The subject (or the noun an -ing form hangs on) is a force: "units attacking"."""
    nouns = syntax.subjects(head) if syntax.is_verb(head) else []
    if head.dep_ in {"acl", "relcl"}:
        nouns.append(head.head)
    return any(n.lemma_.lower() in FIGHTER_NOUNS for n in nouns)


def _governed_by(head: Token, after_end: int) -> bool:
    """The trigger sits in the phrase that the word ending at ``after_end`` ("after",
    "before") opens: "two weeks after [a raid on its market killed ...]"."""
    for anc in (head, *head.ancestors):
        if anc.idx + len(anc.text) == after_end:
            return True
    return False


def _origin(tok: Token) -> bool:
    """The object of "from" (or "out of"): where something came from."""
    while tok.dep_ in {"compound", "amod", "nmod", "det", "poss"} and tok.head != tok:
        tok = tok.head  # "Mallah" in "from the Mallah farms"
    return tok.dep_ == "pobj" and tok.head.lower_ in {"from", "of"} and \
        (tok.head.lower_ == "from" or tok.head.head.lower_ == "out")


def _is_attribution(tok: Token) -> bool:
    """The head of a who-says-so phrase: "according to X", or the subject of "said"."""
    if tok.lower_ == "according" and tok.dep_ == "prep":
        return True
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in REPORTING


def _has_small_clause(verb: Token) -> bool:
    """"left 20 people dead", "leaving thousands encircled": an object with its state. The
    parser may hang the state on the verb ("leaving 20 soldiers injured") or make it the object
    itself ("leaving three dead")."""
    return any(c.dep_ in {"oprd", "ccomp", "acomp", "xcomp"}
               or (c.dep_ == "dobj" and (c.pos_ == "ADJ" or c.tag_ == "VBN")) for c in verb.children)


def _responsibility_claimed(head: Token) -> bool:
    """The act is what someone claims responsibility for: "claimed responsibility for the bombing"."""
    for tok in head.ancestors:
        if tok.lemma_.lower() == "responsibility":
            return tok.head.lemma_.lower() == "claim"
        if syntax.is_verb(tok):
            return False
    return False


def _purpose(head: Token) -> bool:
    """The trigger is what an infinitive of purpose would let happen: "corridors to let
    civilians leave", "a truce to allow aid to enter"."""
    for anc in syntax.ancestors_upto(head, 2):
        if anc.lemma_.lower() in PURPOSE_LEMMAS and anc != head and \
                any(c.dep_ == "aux" and c.lower_ == "to" for c in anc.children):
            return True
    return False


def _inside_request(head: Token) -> bool:
    """The trigger is what someone is told or asked to do ("telling fighters to surrender")."""
    for anc in syntax.ancestors_upto(head, 3):
        if anc.lemma_.lower() in REQUEST_LEMMAS and any(
                c.dep_ in {"xcomp", "ccomp"} and head in c.subtree for c in anc.children):
            return True
    return False


def _caused_by_nature(head: Token, causes: frozenset[str], trigger: SpacySpan) -> bool:
    """The trigger's subject, or the noun it modifies, is a disaster or an accident; or, for a
    participle clause ("the bus overturned, killing nine"), the clause it hangs on tells one.
    A word of the trigger itself is no cause: the "fire" of "fire tear gas"."""
    verb = head if syntax.is_verb(head) else head.head
    args = syntax.subjects(verb) + syntax.agents(verb) + [t for p, t in syntax.prep_objects(verb, {"in", "by"})]
    if not syntax.is_verb(head):
        args.append(head)
    elif head.dep_ in {"advcl", "acl"} and head.tag_ == "VBG":
        gov = head.head  # a verb, or the subject noun when the parser hangs the clause on it
        args += [gov] + syntax.subjects(gov) + [c for c in gov.children if c.dep_ == "acl" and c is not head]
    inside = range(trigger.start, trigger.end)
    return any(t.lemma_.lower() in causes or any(c.lemma_.lower() in causes for c in t.children
                                                   if c.dep_ in {"compound", "amod"} and c.i not in inside)
               for t in args)


def _siege_ended(head: Token) -> bool:
    """"rebels broke the siege", "the siege had been lifted": an end, not a siege that
    holds; "an offensive to break the siege" still tells a siege in force."""
    verb = head.head
    if head.dep_ not in {"dobj", "nsubjpass", "pobj"} or verb.lemma_.lower() not in ENDING_VERBS:
        return False
    if any(DURATION_WORD.search(c.text) for c in head.children if c.dep_ in {"amod", "compound", "nmod"}):
        return False  # "ended a four-year siege": the siege told whole, with its own span
    return not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _feared(head: Token) -> bool:
    """The trigger is the object of "fear of", "risk of", "danger of", "threat of"."""
    prep = head.head
    return head.dep_ == "pobj" and prep.lower_ == "of" and prep.head.lemma_.lower() in FEAR_NOUNS


def _inside(head: Token, lemmas: set[str]) -> bool:
    """The trigger is the complement of one of these verbs ("threatened to attack")."""
    return head.dep_ in {"xcomp", "ccomp"} and head.head.lemma_.lower() in lemmas


def _background(head: Token) -> bool:
    """Perfect progressive ("has been fighting") or a perfect relative clause ("that have
    attacked farmers") describes an ongoing state or a habit, not one occurrence."""
    if not syntax.is_verb(head):
        return False
    auxes = [c.lower_ for c in head.children if c.dep_ in {"aux", "auxpass"}]
    if "been" in auxes and head.tag_ == "VBG":
        return True
    if any(c.dep_ == "prep" and c.lower_ == "since" for c in head.children):
        return True  # "territory Moscow had captured since the invasion": held since, not taken now
    return head.dep_ == "relcl" and any(a in {"has", "have"} for a in auxes)


def _back_reference(head: Token) -> bool:
    """The trigger names a known event to situate something else, or describes a state.

    "since the fighting broke out", "since the invasion" (a time reference), "it was the
    deadliest attack in two years" (a comparison) and "the besieged city" (an adjective)."""
    if head.dep_ == "amod":
        return True
    if head.dep_ == "attr" and head.head.lemma_ == "be":
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "since":
        return True
    if head.dep_ == "pobj" and head.head.lower_ == "of" and \
            head.head.head.lemma_.lower() in NEWS_NOUNS:
        return True  # "celebrate the news of the offensive": told before, not told here
    # "since the siege began", "since fighting broke out": the onset of something already known.
    verb = head.head if head.dep_ in {"nsubj", "csubj"} else None
    return verb is not None and verb.lemma_.lower() in ONSET_VERBS and \
        any(c.dep_ == "mark" and c.lower_ in {"since", "after", "before", "when"} for c in verb.children)


def _recoded(m: EventMention, sub_event_type: str, why: str) -> EventMention:
    """The mention with another ACLED sub-event type (and its event type), the rule saying why."""
    return replace(m, acled_sub_event_type=sub_event_type, acled_event_type=acled_event_type(sub_event_type),
                   rule=m.rule + why)


def code_chemical(mentions: list[EventMention]) -> list[EventMention]:
    """An attack whose sentence names a chemical agent ("shells containing chlorine", "an attack
    with poisonous gas") is ACLED's "Chemical weapon", whatever delivered it. Tear gas is crowd
    control, not a chemical weapon. The agent's own use ("fired toxic gas", a trigger of its own)
    beside such an attack in one sentence is that attack told again, and is dropped."""
    out = []
    recoded: set[tuple[int, int]] = set()
    for m in mentions:
        if m.plover == "ASSAULT" and m.acled_sub_event_type in VIOLENT_SUBTYPES and m.sentence is not None \
                and CHEMICAL_AGENT.search(m.sentence.text):
            m = _recoded(m, CHEMICAL, "+chemical")
            recoded.add((m.sentence.start, m.sentence.end))
        out.append(m)
    return [m for m in out if not (m.mode == "unconventional" and m.acled_sub_event_type == CHEMICAL
                                   and m.sentence is not None and (m.sentence.start, m.sentence.end) in recoded
                                   and not m.rule.endswith("+chemical"))]


def code_protests(mentions: list[EventMention], sector_of: Any) -> list[EventMention]:
    """A protest told as peaceful by its trigger takes the ACLED sub-type of how its crowd was
    met or behaved in its sentence ("police fired tear gas" → Protest with intervention;
    "protesters hurled stones" → Violent demonstration), by ``classify.protest_features``; a
    riot with no demonstration named ("a mob lynched two men") is mob violence."""
    by_sentence: dict[int, list[EventMention]] = {}
    for m in mentions:
        if m.sentence is not None:
            by_sentence.setdefault(m.sentence.start, []).append(m)

    def recodable(m: EventMention) -> bool:
        # A protest or riot; or an attack on demonstrators ("troops fired on demonstrators,
        # killing three"), which ACLED codes as excessive force against protesters.
        return (m.plover == "PROTEST" and m.acled_sub_event_type in {PEACEFUL, VIOLENT_DEMO}) or (
            m.acled_sub_event_type == "Attack" and any(PROTESTERS.search(t.text) for t in m.target_spans)) or (
            m.mode == CROWD_CONTROL)  # "fired tear gas and live rounds at protesters, killing three"

    role_of: dict[int, str] = {}
    for start, group in by_sentence.items():
        if any(recodable(m) for m in group):
            roles = [f[5:] for f in protest_features(group, group[0].sentence.text, sector_of)  # type: ignore[union-attr]
                     if f.startswith("role=")]
            if roles and CASE_TO_ACLED.get(roles[0], PEACEFUL) != PEACEFUL:
                role_of[start] = CASE_TO_ACLED[roles[0]]
    out = []
    for m in mentions:
        sub = role_of.get(m.sentence.start) if m.sentence is not None else None
        if sub and recodable(m) and (m.plover == "PROTEST" or sub == EXCESSIVE_FORCE) and \
                (m.acled_sub_event_type != VIOLENT_DEMO or sub == MOB):  # a riot may only become a mob's
            m = _recoded(m, sub, "+crowd")
        out.append(m)
    return out


def _misparsed_objects(head: Token) -> list[Token]:
    """Objects the parser took for the subject of a clause: in "discovered ammunition believed
    to belong to the PKK" it reads "ammunition believed" as a clause of its own. A clause
    opened by "that", "if" or the like is a clause indeed, and gives none."""
    return [s for c in head.children if c.dep_ == "ccomp" and c.tag_ in {"VBN", "VBD"}
            and not any(m.dep_ in {"mark", "aux", "auxpass"} for m in c.children) for s in syntax.subjects(c)]


def _weapon_taken(head: Token, weapons: tuple[str, ...]) -> bool:
    """What the verb found or made safe is a weapon: its object or passive subject, the noun
    it describes ("arms found in the house"), or an "of" phrase of one ("a cache of rifles")."""
    taken = syntax.objects(head) + syntax.passive_subjects(head) + _misparsed_objects(head)
    if head.dep_ == "acl":
        taken.append(head.head)
    taken += [t for a in list(taken) for _, t in syntax.prep_objects(a, {"of"})]
    # "explosive devices": the weapon word may modify a general noun as an adjective.
    return any(tok.lemma_.lower() in weapons or any(c.dep_ in {"compound", "amod"} and c.lemma_.lower() in weapons
                                                    for c in tok.children)
               for a in taken for tok in syntax.with_conjuncts(a))


def _found_weapon(head: Token, verbs: frozenset[str]) -> bool:
    """The weapon noun is what one of ``verbs`` found or made safe: its object, its passive
    subject, inside the object's phrase ("caches of weapons and IEDs"), or described by it
    ("the bombs discovered on Wednesday")."""
    tok = head
    for _ in range(6):  # up through coordination, compounds and "of" phrases
        if any(c.dep_ == "acl" and c.lemma_.lower() in verbs for c in tok.children):
            return True
        if tok.dep_ in {"dobj", "nsubjpass"}:
            return tok.head.lemma_.lower() in verbs
        if tok.dep_ not in {"conj", "compound", "pobj", "prep", "appos"} or tok.head is tok:
            return False
        if tok.dep_ == "prep" and tok.lower_ != "of":
            return False  # "destroyed vehicles with car bombs": the bombs were the means
        tok = tok.head
    return False


def _is_instrument(head: Token) -> bool:
    gov = head.head
    return head.dep_ == "pobj" and gov.lower_ == "with" and syntax.is_verb(gov.head)


def _has_complement(head: Token, lemmas: tuple[str, ...]) -> bool:
    """The head governs one of these verbs directly, or through its coordination."""
    for child in head.children:
        if child.dep_ in {"xcomp", "ccomp"}:
            for verb in syntax.with_conjuncts(child):
                if verb.lemma_.lower() in lemmas:
                    return True
    return False


def _generic(frame: Frame) -> bool:
    """A bare plural noun with no actor, date or place: "attempts to implement ceasefires"."""
    head = frame.head
    if syntax.is_verb(head) or head.tag_ not in {"NNS", "NNPS"}:
        return False
    if any(c.dep_ in {"det", "poss", "nummod"} for c in head.children):
        return False
    return not frame.actors and not frame.targets and frame.own_date is None and frame.own_place is None


def _in_noun_subtree(tok: Token, head: Token) -> bool:
    return not syntax.is_verb(head) and tok in head.subtree


def _linked(a: Token, b: Token) -> bool:
    """Two tokens stand in a direct relation, or share a head, or one governs the other closely."""
    if a == b or a.head == b or b.head == a or a.head == b.head:
        return True
    return b in list(syntax.ancestors_upto(a, 3)) or a in list(syntax.ancestors_upto(b, 3))


def _absorb_linked(frames: list[Frame]) -> None:
    """Fold same-type triggers that are arguments of each other into one frame.

    "an air strike hit the hospital": the noun gives the mode, the verb the target.
    """
    for i, a in enumerate(frames):
        if a.absorbed:
            continue
        for b in frames[i + 1:]:
            if b.absorbed or a.trigger.plover != b.trigger.plover or a.head.sent != b.head.sent:
                continue
            if a.own_date and b.own_date and a.own_date.value != b.own_date.value:
                continue  # "struck again on Tuesday, two weeks after a raid killed 15": two acts
            outcome = (_is_outcome(a) and b.trigger.mode) or (_is_outcome(b) and a.trigger.mode)
            # A generic verb ("hit", "struck") directly tied to a specific trigger tells the same act.
            generic = (a.trigger.acled == "@assault" and not a.trigger.mode) or \
                (b.trigger.acled == "@assault" and not b.trigger.mode)
            adjacent = a.head.head == b.head or b.head.head == a.head
            # "captured the road, cutting the last supply route": the participle tells
            # what the same act achieved.
            consequence = _participle_of(a.head, b.head) or _participle_of(b.head, a.head)
            if _argument_of(a.head, b.head) or _argument_of(b.head, a.head) or outcome or \
                    (generic and adjacent) or consequence:
                keep, drop = (a, b) if _specificity(a) >= _specificity(b) else (b, a)
                _fold(keep, drop)


def _drop_retold(frames: list[Frame], trigger_heads: set[int]) -> None:
    """"The strike could amount to a war crime": a definite noun, the subject of a verb that
    tells no act of its own, names an act of its type told earlier in the document. It says
    something about that act (its legality, its reception), not another one."""
    for i, frame in enumerate(frames):
        head = frame.head
        if frame.absorbed or frame.own_date is not None or syntax.is_verb(head):
            continue
        if head.dep_ not in {"nsubj", "nsubjpass"} or head.head.i in trigger_heads:
            continue
        if not any(c.dep_ == "det" and c.lower_ in RETOLD_DETERMINERS for c in head.children):
            continue
        if any(not f.absorbed and f.trigger.plover == frame.trigger.plover for f in frames[:i]):
            frame.absorbed = True


def _evidence_root(head: Token) -> Token:
    """The clause that tells the event: a trigger that is an argument speaks through its verb."""
    root = head
    while root.dep_ in {"nsubj", "nsubjpass", "csubj", "dobj", "compound"} and root.head != root:
        root = root.head
    return root if syntax.is_verb(root) else syntax.clause_head(root)


def _argument_of(noun: Token, verb: Token) -> bool:
    """The noun trigger is a core argument of the verb trigger: "an air strike hit ..."."""
    if noun.head != verb:
        return noun.dep_ == "pobj" and noun.head.head == verb and noun.head.lower_ in {"in", "by", "with"}
    return noun.dep_ in {"nsubj", "nsubjpass", "csubj", "dobj", "attr", "compound", "agent"}


def _participle_of(verb: Token, main: Token) -> bool:
    """``verb`` is an -ing clause hanging on ``main``: "cut the road, severing the route"."""
    return verb.head == main and verb.dep_ in {"advcl", "xcomp"} and verb.tag_ == "VBG"


def _is_outcome(frame: Frame) -> bool:
    """A bare killing ("were killed", "died") that reports what another trigger did."""
    return frame.trigger.plover == "ASSAULT" and frame.trigger.mode is None and \
        frame.head.lemma_.lower() in KILL_LEMMAS | INJURE_LEMMAS


def _specificity(frame: Frame) -> int:
    trig = frame.trigger
    return (2 if trig.mode else 0) + (2 if trig.acled == "@territory" else 0) + (1 if trig.acled and not trig.acled.startswith("@") else 0)


def _fold(keep: Frame, drop: Frame) -> None:
    drop.absorbed = True
    keep.actors = _dedupe(keep.actors + drop.actors)
    keep.targets = _dedupe([t for t in keep.targets + drop.targets if t not in keep.actors])
    keep.own_date = keep.own_date or drop.own_date
    keep.own_place = keep.own_place or drop.own_place
    keep.fatalities = keep.fatalities if keep.fatalities is not None else drop.fatalities
    keep.injured = keep.injured if keep.injured is not None else drop.injured
    keep.actor_tokens = _dedupe(keep.actor_tokens + drop.actor_tokens)
    keep.target_tokens = _dedupe(t for t in keep.target_tokens + drop.target_tokens if t not in keep.actor_tokens)
    keep.reciprocal = keep.reciprocal or drop.reciprocal
    if keep.status == "asserted" and drop.status != "asserted":
        keep.status, keep.speakers = drop.status, drop.speakers


# ---------------------------------------------------------------------- role spans
def _complement_targets(verb: Token) -> list[Token]:
    """Who a speech act is aimed at when its complement names it: the subject of "demanded
    that the government end ...", the objects and "against/on/with/to/from" phrases of
    "threatened to break relations with Russia", "shunned work to protest at X"."""
    found: list[Token] = []
    for comp in verb.children:
        purpose = comp.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children)
        if comp.dep_ not in {"xcomp", "ccomp"} and not purpose or not syntax.is_verb(comp):
            continue
        if comp.dep_ == "ccomp":
            found += [c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"]
        for obj in syntax.objects(comp):
            found.append(obj)
            found += [t for _, t in syntax.prep_objects(obj, {"against", "on", "with", "to", "from", "of"})]
        found += [t for _, t in syntax.prep_objects(comp, {"against", "on", "with", "to", "from", "in"})]
    return found


def _nested_targets(frame: Frame, ctx: "DocContext") -> list[Token]:
    """The party named inside an act or a thing that the trigger governs, when the roles name
    none: "called off a strike after deliberations with the government", "insisted on its
    demands that Burundi's government grant ...", "mobilized reservists for a war against
    Iraq", "agreed to provide aid for Romania and Poland", "staged a hunger strike in protest
    against violations by the security forces". The act or thing is the trigger noun itself or
    a noun of its phrase ("held talks with X"), or an object or a prepositional object of the
    trigger, of the verb a noun trigger is the object of, or of the trigger's complement clause
    ("to allow the delivery of grain to Afghanistan", "calling for independence from Iraq").
    Only the trigger's own subtree is searched."""
    head, span = frame.head, frame.span
    starts = [head]
    if not syntax.is_verb(head) and head.dep_ in {"dobj", "nsubjpass", "attr"} and syntax.is_verb(head.head) \
            and head.head.i not in ctx.trigger_heads:
        # "staged a hunger strike ... in protest against X"; not "called off the strike after
        # talks with X", where the verb is an act of its own
        starts.append(head.head)
    # a participle says what a speech act or a protest is about ("demonstrated, calling for
    # independence from Iraq"); after other acts it tells an outcome ("left, ending a deployment")
    participle = frame.trigger.verbal or frame.trigger.plover == "PROTEST"
    for start in list(starts):
        starts += [c for c in start.children if syntax.is_verb(c) and (
            c.dep_ in {"xcomp", "ccomp"} or c.dep_ == "advcl" and (
                c.tag_ == "VBG" and participle or any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)))]
    holders: list[Token] = [t for t in span if t.pos_ == "NOUN" and (t != head or not syntax.is_verb(t))]
    for start in starts:
        holders += syntax.objects(start) + [t for _, t in syntax.prep_objects(start, HOLDER_PREPS)]
    for holder in _dedupe(holders):
        if not _act_or_thing(holder, ctx):
            continue
        found = _parties_inside(holder, ctx, 3)
        if found:
            return found
    return []


def _act_or_thing(tok: Token, ctx: "DocContext") -> bool:
    """A noun that names no party and no place: "talks", "a war", "aid", "the violations"."""
    return tok.pos_ == "NOUN" and tok.ent_type_ not in {"DATE", "TIME"} and not _actor_like(tok, ctx) \
        and ctx.place_at(tok) is None and tok.lemma_.lower() not in TERRAIN_NOUNS


def _parties_inside(noun: Token, ctx: "DocContext", depth: int) -> list[Token]:
    """The first party in a noun's complement, with its conjuncts, down to ``depth`` nouns:
    its prepositional phrases ("with the government", "against violations by the police"),
    the subject or "by" agent of its clause ("demands that X grant", "a bill signed by X")."""
    for child in noun.children:
        args: list[Token] = []
        if child.dep_ == "prep" and child.lower_ in NESTED_PREPS:
            args = [g for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ in {"acl", "relcl"} and syntax.is_verb(child):
            args = [c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"
                    and c.tag_ not in {"WDT", "WP"}] + syntax.agents(child)
        for arg in args:
            if arg.ent_type_ in {"DATE", "TIME"}:
                continue
            if _actor_like(arg, ctx):
                return syntax.with_conjuncts(arg)
            if depth > 1 and child.dep_ == "prep" and _act_or_thing(arg, ctx):
                found = _parties_inside(arg, ctx, depth - 1)
                if found:
                    return found
    return []


def _entity_span(tok: Token) -> Optional[Span]:
    """The named entity a token is part of ("West Darfur State"), without a leading "the"."""
    doc, start, end = tok.doc, tok.i, tok.i + 1
    while start > tok.sent.start and doc[start].ent_iob_ == "I":
        start -= 1
    while end < tok.sent.end and doc[end].ent_iob_ == "I":
        end += 1
    return _trimmed(doc, start, end)


def _imposed_on(head: Token, frame: Frame) -> Optional[Token]:
    """The named place of an "in/on/at" phrase of the act, its object or its complement."""
    verbs = [head] if syntax.is_verb(head) else [head, head.head]
    holders = list(verbs)
    for v in verbs:
        holders += [c for c in v.children if c.dep_ in {"xcomp", "dobj"}]
        holders += [o for c in v.children if c.dep_ == "xcomp" for o in syntax.objects(c)]
    for h in holders:
        for _, t in syntax.prep_objects(h, {"in", "on", "at", "into"}):
            for cand in [t, *[c for c in t.subtree if c.dep_ == "pobj"]]:
                if cand.ent_type_ in {"GPE", "LOC", "FAC"} and cand not in frame.actor_tokens:
                    return cand
    return None


def _people_taken(head: Token, ctx: "DocContext") -> bool:
    """What a verb of taking took (its direct objects, or its passive subjects) is people, every
    one: "seized two soldiers", "a commander was captured"; not "captured Kafr Hamra"."""
    taken = [t for o in syntax.objects(head) + syntax.passive_subjects(head) for t in syntax.with_conjuncts(o)]
    return bool(taken) and all(
        ctx.place_at(t) is None and t.lemma_.lower() not in TERRAIN_NOUNS
        and (t.lemma_.lower() in CAPTIVE_NOUNS or t.ent_type_ == "PERSON") for t in taken)


def _person_like(tok: Token, ctx: "DocContext") -> bool:
    return (tok.idx in ctx.actor_by_char or tok.pos_ == "PROPN" or tok.ent_type_ in ACTOR_ENTS
            or tok.lemma_.lower() in PEOPLE_NOUNS or tok.lower_ in PEOPLE_NOUNS)


def _actor_like(tok: Token, ctx: "DocContext") -> bool:
    """The word, or one of its modifiers, names a party: a known actor, a name, a people."""
    return _person_like(tok, ctx) or any(
        c.dep_ in {"compound", "amod", "poss", "nmod"} and (c.idx in ctx.actor_by_char or c.ent_type_ in ACTOR_ENTS)
        for c in tok.children)


def role_spans(tok: Token, ctx: "DocContext", actor: bool) -> list[Span]:
    """The spans of one role word: one phrase, or one demonym each when coordinated
    demonyms share the noun ("Hungarian and Romanian officials" → "Hungarian", "Romanian").
    A pronoun in reported speech is the speaker: "Syria says it is willing to withdraw"."""
    if tok.pos_ == "PRON" and tok.lower_ in PLURAL_PRONOUNS | SINGULAR_PRONOUNS:
        own = syntax.clause_head(tok)
        reporter = own.head if own.dep_ in {"ccomp", "xcomp"} else None
        if reporter is None or reporter.lemma_.lower() not in REPORTING | REPORT_VERBS:
            return []
        return [sp for s in syntax.subjects(reporter) if s.pos_ != "PRON" for sp in role_spans(s, ctx, actor)]
    tok = _unquantified(tok)
    for child in tok.children:
        if child.dep_ == "amod" and child.ent_type_ == "NORP" and child.i < tok.i and \
                any(c.dep_ == "conj" for c in child.children):
            parts = [t for t in syntax.with_conjuncts(child) if t.ent_type_ == "NORP" and t.i < tok.i]
            if len(parts) > 1:
                return [Span(t.idx, t.idx + len(t.text), t.text) for t in sorted(parts, key=lambda t: t.i)]
    span = role_span(tok, ctx, actor)
    if span is None:
        return []
    if not actor and not _actor_like(tok, ctx) and (inner := _inner_party(tok, ctx)) is not None:
        # "assistance for Moldova and Georgia": the names coordinated with the party inside
        more = (role_span(c, ctx, actor) for c in inner.conjuncts if c.pos_ == "PROPN" or c.ent_type_ in ACTOR_ENTS)
        return _dedupe([span, *(m for m in more if m is not None)])
    return [span]


def _inner_party(tok: Token, ctx: "DocContext") -> Optional[Token]:
    """The party in the phrase of a word that names none: "the removal of President X"."""
    for _, inner in syntax.prep_objects(tok, {"of", "from", "with", "against", "to", "on", "for"}):
        if _actor_like(inner, ctx):
            return inner
    return None


def role_span(tok: Token, ctx: "DocContext", actor: bool) -> Optional[Span]:
    """The words that name a role, as PLOVER spans them: the noun phrase without its
    determiner, number or quantity ("a group of Moroccan diplomats" → "Moroccan diplomats"),
    with its name-bearing "in/of/from" phrase ("Security forces in Guinea"); a demonym alone
    when it sits on a thing ("Israeli tanks" → "Israeli"). Pronouns and bare common nouns
    that name no party give none (an actor may still be "a roadside bombing")."""
    tok = _unquantified(tok)
    if tok.pos_ in {"PRON", "DET", "NUM"} and tok.ent_type_ not in ACTOR_ENTS or tok.tag_ in {"WDT", "WP"}:
        return None
    if tok.pos_ not in {"NOUN", "PROPN", "ADJ", "NUM"} or tok.ent_type_ in {"DATE", "TIME", "CARDINAL", "MONEY",
                                                                            "PERCENT", "QUANTITY"}:
        return None
    if not actor and (where := _where_unnamed(tok, ctx)) is not None:
        return _entity_span(where)  # "refused to deploy peacekeepers in Iraq": the country
    if not _actor_like(tok, ctx):
        if not actor:
            # "the removal of President X", "a formula ... with its partners": the party inside.
            inner = _inner_party(tok, ctx)
            return role_span(inner, ctx, actor) if inner is not None else None
        if tok.pos_ != "NOUN":
            return None
    doc = tok.doc
    if not _person_like(tok, ctx) and tok.pos_ == "NOUN":
        # a thing: the demonym or name on it speaks for who owns or uses it
        names = [c for c in tok.children if c.dep_ in {"compound", "amod", "nmod", "poss"} and c.i < tok.i
                 and (c.ent_type_ in ACTOR_ENTS or c.idx in ctx.actor_by_char)]
        if names:
            c = names[0]
            start, end = c.left_edge.i, c.i + 1
            for other in names[1:]:
                if other.i == end and other.pos_ == "PROPN":
                    end = other.i + 1  # "US Predator attacks"
            if c.ent_type_:
                while start > tok.sent.start and doc[start - 1].ent_iob_ == "I" and doc[start - 1].ent_type_ == c.ent_type_:
                    start -= 1
                while end < tok.i and doc[end].ent_iob_ == "I" and doc[end].ent_type_ == c.ent_type_:
                    end += 1
            if end - start > 1 and (doc[end - 1].tag_ == "POS" or doc[end - 1].lower_ == "'s"):
                end -= 1  # "Saddam Hussein's proposal": the owner
            return _trimmed(doc, start, end)
    if tok.lemma_.lower() in OFFICIAL_NOUNS:
        body = [c for c in tok.lefts if c.dep_ == "compound" and (c.ent_type_ in {"ORG", "GPE"} or
                                                                   c.lemma_.lower() in PEOPLE_NOUNS)]
        if body:
            return _trimmed(doc, body[0].left_edge.i, body[-1].i + 1)  # "Haitian government officials"
    start = tok.i
    for child in tok.lefts:
        if child.dep_ in {"compound", "amod", "poss", "nmod", "npadvmod", "nummod", "det", "predet", "quantmod",
                          "advmod", "punct", "case", "prep"}:
            start = min(start, child.left_edge.i)
    end = tok.i + 1
    # An actor's "in" phrase describes it ("Security forces in Guinea"); a target's is where.
    name_preps = {"in", "of", "from", "for"} if actor else {"of", "from", "for"}
    for child in tok.rights:
        if child.i != end:
            continue
        if child.dep_ in {"compound", "flat", "case"} or (child.dep_ == "appos" and child.pos_ == "PROPN") or \
                (child.dep_ == "prep" and child.lower_ in name_preps
                 and any(g.ent_type_ in ACTOR_ENTS or g.pos_ == "PROPN" for g in child.subtree)):
            end = child.right_edge.i + 1
    if tok.ent_type_ and tok.ent_iob_ in {"B", "I"}:
        # the whole name: "National Union for the Total Independence of Angola"
        e = tok.i
        while e + 1 < tok.sent.end and doc[e + 1].ent_iob_ == "I":
            e += 1
        end = max(end, e + 1)
    return _trimmed(doc, start, end)


def _where_unnamed(tok: Token, ctx: "DocContext") -> Optional[Token]:
    """The place of a recipient group that has no name of its own: "peacekeepers in Iraq", "a
    peace-keeping force in Liberia", "its forces in Lebanon", "parties to the conflict in
    Iraq" (PLOVER codes the country). A named one keeps its words ("Moslem forces in east
    Bosnia", "the Cambodian refugee camp in Thailand")."""
    if tok.pos_ != "NOUN" or tok.ent_type_ or tok.idx in ctx.actor_by_char or not _person_like(tok, ctx) \
            or tok.lemma_.lower() in VICTIM_NOUNS:
        return None  # a thing keeps its own rules; "civilians in Aleppo" are the victims themselves
    if any(c.dep_ in {"compound", "amod", "nmod", "poss"} and (c.ent_type_ or c.pos_ == "PROPN" or
                                                             c.idx in ctx.actor_by_char) for c in tok.children):
        return None
    holders = [tok] + [t for _, t in syntax.prep_objects(tok, {"to", "of", "for"}) if t.pos_ == "NOUN"]
    for holder in holders:
        for _, place in syntax.prep_objects(holder, {"in"}):
            if place.ent_type_ in {"GPE", "LOC"} or (place.pos_ == "PROPN" and ctx.place_at(place) is not None):
                return place
    return None


def _unquantified(tok: Token) -> Token:
    """"a group of diplomats", "thousands of Kurds", "one third of the guerrillas": the counted noun."""
    for _ in range(3):
        if not (tok.lemma_.lower() in QUANTITY_HEADS or tok.lower_ in QUANTITY_HEADS or tok.pos_ == "NUM"):
            break
        inner = [t for _, t in syntax.prep_objects(tok, {"of"})]
        if not inner:
            break
        tok = inner[0]
    return tok


LEADING_DROP_DEPS = {"det", "predet", "nummod", "quantmod", "punct", "cc", "prep", "case", "advmod"}


def _trimmed(doc: Doc, start: int, end: int) -> Optional[Span]:
    """Drop determiners, numbers, "some/at least" and plain adjectives at the left ("the
    angry protesters" → "protesters"); stop at a comma or parenthesis ("PLO (FDD)")."""
    while start < end:
        t = doc[start]
        if t.dep_ in LEADING_DROP_DEPS or t.pos_ in {"DET", "NUM", "PUNCT"} or t.like_num or t.tag_ == "PRP$" or \
                (t.pos_ in {"ADJ", "VERB"} and not t.ent_type_ and t.lower_ not in NAMING_ADJECTIVES
                 and (not t.is_title or t.i == t.sent.start)):
            start += 1
            continue
        break
    for i in range(start, end):
        if doc[i].text in {",", "(", ";", "--", "\u2014"}:
            end = i
            break
    while end > start and doc[end - 1].is_punct:
        end -= 1
    if end <= start:
        return None
    span = doc[start:end]
    return Span(span.start_char, span.end_char, span.text)


def clause_depth(head: Token) -> int:
    """How many verbs govern the trigger's clause, reporting verbs ("X said") not counted:
    0 is the sentence's main act."""
    root = head
    while root.dep_ in {"nsubj", "nsubjpass", "csubj", "dobj", "compound", "attr"} and root.head != root:
        root = root.head  # "an attack killed ...", "signed an agreement": the verb's own act
    extra = 0
    if not syntax.is_verb(root):
        root, extra = syntax.clause_head(root), 1  # "wounded two soldiers in a bomb attack"
    return extra + sum(1 for anc in (root, *root.ancestors) if anc != root and syntax.is_verb(anc)
                       and anc.lemma_.lower() not in REPORTING | REPORT_VERBS)
