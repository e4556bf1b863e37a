"""Control claims: who takes, holds, loses, divides or besieges a place, and how sure the text is.

``change`` is one of ``captured``, ``held``, ``lost``, ``divided``, ``besieged``, ``lifted``.
``controller`` is who holds (or takes, or besieges) the place, ``counterpart`` the other
side: the previous holder of a capture, the other holder of a division, the besieged
party of a siege. A state's forces hold ground for the state ("regime forces captured"
→ the Syrian government). Rules, by the word the claim is read at:

- capture verbs (capture, seize, take, overrun, retake, storm, enter …; "take control of")
  → captured; "drive X out of P" → captured from X; withdraw from / pull out of / lose /
  abandon → lost; "P fell to X" → captured;
- "X-held P", "held by X", "controlled by X", "under X control", "in X hands", "X control
  of P", "X holds P" → held; "divided between X and Y" → divided;
- "siege of P", "besieged P", "encircle", "surround", "cut off P", cutting "the last
  supply route into P" → besieged; a siege broken, lifted or ended → lifted.

A denied or negated change is a claim that the state before it holds: "the army denied
the siege had been broken" is the army's claim that the place is besieged. Mentions of
one claim in a document (a caption printed twice, "the siege" told three times) are
merged into one claim with every mention as evidence. Conventions: docs/situation.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from spacy.tokens import Doc, Token

from frontlines.knowledge.actors import ActorBook
from frontlines.model import ControlClaim, DateRef, Reading, Span
from frontlines.reading import syntax
from frontlines.reading.areas import (
    AREA_NOUNS, ROAD_NOUNS, TOWN_KINDS, TOWN_NOUNS, Where, holder_token,
)
from frontlines.reading.claims import ClaimContext
from frontlines.gazetteer.placekey import place_key
from frontlines.reading.status import FUTURE_STATUSES, merge_status

CAPTURE_VERBS = {"capture", "seize", "take", "overrun", "retake", "recapture", "storm", "conquer",
                 "liberate", "occupy", "enter", "regain", "wrest", "secure"}
CONTROL_TAKING = {"take", "seize", "gain", "assume", "wrest", "regain", "establish", "impose", "win"}
DRIVE_VERBS = {"drive", "push", "force", "expel", "oust", "chase", "kick", "flush", "dislodge"}
WITHDRAW_VERBS = {"withdraw", "retreat", "pull", "flee", "evacuate"}
LOSS_VERBS = {"lose", "abandon", "cede", "surrender"}
HOLD_VERBS = {"hold", "control", "keep", "retain", "occupy", "run"}
REMAIN_VERBS = {"remain", "stay", "be"}
DIVIDE_VERBS = {"divide", "split", "partition"}
ENCIRCLE_VERBS = {"encircle", "surround", "besiege", "blockade", "encircled"}
CUT_VERBS = {"cut", "sever"}
SIEGE_NOUNS = {"siege", "blockade", "encirclement"}
BREAK_VERBS = {"break", "lift", "end", "breach", "raise", "ease"}
ATTEMPT_WORDS = {"try", "attempt", "aim", "effort", "bid", "seek", "push", "battle", "fight", "struggle",
                 "plan", "vow", "offensive", "launch", "operation", "want", "hope", "bid", "order"}
HELD_FORMS = {"held", "controlled", "occupied", "run"}
BESIEGED_FORMS = {"besieged", "encircled", "surrounded", "blockaded"}
LAST_ROUTE = {"last", "only", "main", "remaining", "sole", "vital", "supply"}
# Ground taken as a foothold in a named place: "took positions in the city's southwest".
FOOTHOLD_NOUNS = {"position", "hilltop", "hill", "ground", "territory", "village", "area",
                  "neighbourhood", "district", "street", "part", "point", "post", "checkpoint", "foothold"}


@dataclass
class _Claim:
    where: Where
    change: str
    controller: Optional[str]
    counterpart: Optional[str]
    trigger: Token
    evidence: list[Span]
    rule: str
    attributive: bool = False  # "rebel-held P", "besieged P": the narrator's description
    status: str = "asserted"
    speakers: list[str] = field(default_factory=list)
    date: DateRef = field(default_factory=DateRef)


class ControlStage:
    name = "control"
    assigns = ("control",)

    def __init__(self, book: ActorBook):
        self.book = book

    def __call__(self, doc: Doc, reading: Reading) -> None:
        cc = ClaimContext(doc, reading, self.book)
        found: list[_Claim] = []
        for token in doc:
            for claim in _Reader(cc, found).read(token):
                found.append(claim)
        for claim in found:
            _attest(claim, cc)
        reading.control.extend(_finish(_merge(_turn_denials(found, cc), self.book, cc.headline_end()), cc))


class _Reader:
    """The claims one token is the trigger of."""

    def __init__(self, cc: ClaimContext, found: list[_Claim]):
        self.cc, self.found = cc, found
        self.doc = cc.doc

    def read(self, token: Token) -> Iterator[_Claim]:
        lower, lemma = token.lower_, token.lemma_.lower()
        if lower in HELD_FORMS and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children):
            held = list(self._holder(token))
            if held:
                yield from held
                return
        if lower in BESIEGED_FORMS and token.dep_ in {"amod", "compound"} and token.head.i > token.i:
            yield from self._besieged_adjective(token)
            return
        if token.pos_ == "NOUN" and lemma in SIEGE_NOUNS:
            yield from self._siege(token)
        elif token.pos_ == "NOUN" and lemma == "control":
            yield from self._control_noun(token)
        elif syntax.is_verb(token):
            yield from self._verb(token, lemma)

    # -- helpers -------------------------------------------------------------------
    def _actors(self, tokens: list[Token]) -> list[str]:
        out: list[str] = []
        for tok in tokens:
            for a in self.cc.actors(tok):
                a = self.cc.state_actor(a)
                if a not in out:
                    out.append(a)
        return out

    def _first(self, tokens: list[Token]) -> Optional[str]:
        actors = self._actors(tokens)
        return actors[0] if actors else None

    def _place(self, token: Token) -> Optional[Where]:
        found = self.cc.places.at(token)
        if found is None and token.pos_ == "NOUN" and any(c.lower_ == "the" for c in token.children):
            found = self._recent(token)  # "the airport", "the project": the one a claim named before
        return found

    def _place_in(self, token: Token) -> Optional[Where]:
        return self._place(token) or self.cc.places.in_subtree(token)

    def _recent(self, token: Token) -> Optional[Where]:
        lemma = token.lemma_.lower()
        for claim in reversed(self.found):
            if claim.where.name.lower().split()[-1:] in ([lemma], [token.lower_]):
                return claim.where
        return None

    def _latest_siege(self) -> Optional[Where]:
        for claim in reversed(self.found):
            if claim.change in {"besieged", "lifted"}:
                return claim.where
        return None

    def _sentence_place(self, token: Token, kinds: set[str]) -> Optional[Where]:
        """A town or area named in the sentence, nearest first."""
        sent = token.sent
        best: Optional[tuple[int, Where]] = None
        for tok in sent:
            if tok.pos_ not in {"NOUN", "PROPN"}:
                continue
            where = self.cc.places.mention(tok) if tok.pos_ == "PROPN" else self.cc.places.at(tok)
            if where is None or where.place is None or where.kind not in kinds:
                continue
            distance = abs(tok.i - token.i)
            if best is None or distance < best[0]:
                best = (distance, where)
        return best[1] if best else None

    def _claim(self, where: Where, change: str, controller: Optional[str], counterpart: Optional[str],
               trigger: Token, rule: str, evidence: Optional[Span] = None, attributive: bool = False) -> _Claim:
        if counterpart is None and controller is not None and change in {"captured", "besieged", "lifted", "lost"}:
            counterpart = self.cc.opponent(trigger, [controller])
        if counterpart == controller:
            counterpart = None
        return _Claim(where, change, controller, counterpart, trigger, [evidence or self.cc.clause(trigger)],
                      f"control:{rule}", attributive=attributive)

    # -- adjectives and nouns ----------------------------------------------------------
    def _holder(self, token: Token) -> Iterator[_Claim]:
        """"the rebel held city of Anadan", "regime-held areas of Aleppo"."""
        j = token.i - 1
        if j >= 0 and self.doc[j].text == "-":
            j -= 1
        if j < 0:
            return
        holder = self._first([self.doc[j]])
        if holder is None:
            return
        if token.dep_ in {"amod", "compound", "acl"} and token.head.i > token.i:
            noun = token.head
        else:
            nouns = [c for c in token.children if c.dep_ in {"dobj", "attr"} and c.i > token.i]
            if not nouns:
                return
            noun = nouns[0]
        for head in syntax.with_conjuncts(noun):
            where = self._place(head)
            if where is None:
                continue
            start = j - 1 if j > 0 and self.doc[j - 1].lower_ == "the" else j
            yield self._claim(where, "held", holder, None, token, "held:adjective",
                              evidence=self.cc.span(min(start, head.i), _phrase_end(head) + 1), attributive=True)

    def _besieged_adjective(self, token: Token) -> Iterator[_Claim]:
        """"besieged Mariupol", "the besieged districts", "besieged rebel-held districts of Aleppo"."""
        noun = token.head
        where = self._place(noun)
        if where is None and noun.lemma_.lower() in AREA_NOUNS | TOWN_NOUNS:
            # "the besieged districts": the besieged place told before, else the area named last
            latest = self.cc.places.latest(noun.idx, {"area"})
            where = self._latest_siege() or self._sentence_place(noun, TOWN_KINDS | {"area"}) or \
                (Where(latest, latest.name) if latest else None) or self._town(noun)
        if where is None:
            return
        holder = holder_token(noun)
        counterpart = self._first([holder]) if holder is not None else None
        start = token.i - 1 if token.i > 0 and self.doc[token.i - 1].lower_ == "the" else token.i
        yield self._claim(where, "besieged", self._first(syntax.agents(token)), counterpart, token,
                          "besieged:adjective", evidence=self.cc.span(start, _phrase_end(noun) + 1),
                          attributive=True)

    def _siege(self, noun: Token) -> Iterator[_Claim]:
        """A siege: besieged while it stands, lifted when the text says it was broken."""
        if ({noun.head.lemma_.lower()} | {c.lemma_.lower() for c in noun.children}) & {"word", "term", "label", "name"}:
            return  # "officials avoided the word siege": the word, not a siege
        where = self._siege_place(noun)
        if where is None:
            return
        besieger = self._first([c for c in noun.children if c.dep_ in {"compound", "poss", "amod", "nmod"}]
                               + [t for p, t in syntax.prep_objects(noun, {"by"})])
        verb = noun.head
        if besieger is None and syntax.is_verb(verb) and verb.lemma_.lower() in {"impose", "lay", "tighten",
                                                                                 "maintain", "enforce"}:
            besieger = self._first(syntax.subjects(verb))
        broken = [c for c in noun.children if c.dep_ == "acl" and c.lemma_.lower() in BREAK_VERBS and c.tag_ == "VBN"]
        if broken:  # "Aleppo siege broken"
            verb = broken[0]
        if syntax.is_verb(verb) and verb.lemma_.lower() in BREAK_VERBS and (broken or noun.dep_ in {
                "dobj", "nsubjpass", "nsubj"}) and _realised(verb):
            breakers = self._actors(syntax.subjects(verb) + syntax.agents(verb)) if noun.dep_ == "dobj" else []
            yield self._claim(where, "lifted", besieger, breakers[0] if breakers else None, verb,
                              "lifted:" + verb.lemma_.lower())
            return
        yield self._claim(where, "besieged", besieger, None, noun, "besieged:siege",
                          evidence=self.cc.clause(noun) if not syntax.is_verb(verb) else self.cc.clause(verb))

    def _siege_place(self, noun: Token) -> Optional[Where]:
        for _, obj in syntax.prep_objects(noun, {"of", "on", "around", "against", "in"}):
            where = self._place_in(obj)
            if where is not None:
                return where
        for child in noun.children:
            if child.dep_ in {"compound", "poss", "nmod"}:
                where = self.cc.places.mention(child)
                if where is not None:
                    return where
        nearby = self._sentence_place(noun, TOWN_KINDS | {"area"})
        if any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in noun.children):
            return nearby or self._town(noun)  # "a four-year siege": a new one, where the sentence is
        return self._latest_siege() or nearby or self._town(noun)  # "the siege": the one told before

    def _town(self, token: Token) -> Optional[Where]:
        town = self.cc.places.town_before(token.idx)
        return Where(town, town.name) if town else None

    def _control_noun(self, noun: Token) -> Iterator[_Claim]:
        """"regime control of roads", "under rebel control", "took control of the town"."""
        of = [t for p, t in syntax.prep_objects(noun, {"of", "over"})]
        owner = [c for c in noun.children if c.dep_ in {"compound", "poss", "amod", "nmod"}]
        gov = noun.head
        if noun.dep_ == "dobj" and syntax.is_verb(gov) and gov.lemma_.lower() in CONTROL_TAKING | {"lose"}:
            where = self._place_in(of[0]) if of else self._clause_place(gov)
            if where is not None:
                actors = self._first(syntax.subjects(gov) + syntax.agents(gov))
                change = "lost" if gov.lemma_.lower() == "lose" else "captured"
                yield self._claim(where, change, actors, None, gov, f"{change}:control")
            return
        if gov.lower_ == "under" and gov.dep_ == "prep":
            holder = self._first(owner + of)
            target = gov.head
            places = [target] if not syntax.is_verb(target) else \
                syntax.subjects(target) + syntax.passive_subjects(target)
            for tok in places:
                where = self._place_in(tok)
                if where is not None and holder is not None:
                    yield self._claim(where, "held", holder, None, noun, "held:under-control")
            return
        holder = self._first(owner)
        if holder is not None and of:
            where = self._place_in(of[0])
            if where is not None:
                end = _phrase_end(of[0])
                yield self._claim(where, "held", holder, None, noun, "held:control-of",
                                  evidence=self.cc.span(noun.left_edge.i, end + 1))

    def _clause_place(self, verb: Token) -> Optional[Where]:
        """The place nearest to a verb with no object of its own, in its sentence."""
        best: Optional[tuple[int, Where]] = None
        for tok in verb.sent:
            if tok.pos_ not in {"NOUN", "PROPN"}:
                continue
            where = self.cc.places.mention(tok) or (self.cc.places.at(tok) if tok.lemma_.lower() in TOWN_NOUNS
                                                   else None)
            if where is not None and (best is None or abs(tok.i - verb.i) < best[0]):
                best = (abs(tok.i - verb.i), where)
        return best[1] if best else None

    # -- verbs -------------------------------------------------------------------------
    def _verb(self, verb: Token, lemma: str) -> Iterator[_Claim]:
        subjects = syntax.subjects(verb)
        passive = syntax.passive_subjects(verb)
        objects = syntax.objects(verb)
        preps = syntax.prep_objects(verb)
        if lemma in CAPTURE_VERBS:
            yield from self._capture(verb, lemma, subjects, passive, objects, preps)
        elif lemma in DRIVE_VERBS:
            driven = self._first(objects)
            for p, obj in preps:
                where = self._place_in(obj) if p in {"out", "from"} else None
                if where is not None and driven is not None:  # someone is driven out, not "the front line"
                    yield self._claim(where, "captured", self._first(subjects + syntax.agents(verb)),
                                      driven, verb, f"captured:{lemma}-out")
                    return
        elif lemma in WITHDRAW_VERBS:
            loser = self._first(subjects)
            if loser is None or not self.cc.armed(loser):
                return
            for p, obj in preps:
                where = self._place_in(obj) if p in {"from", "out", "of"} else None
                if where is not None:
                    yield self._claim(where, "lost", loser, None, verb, f"lost:{lemma}")
                    return
        elif lemma in LOSS_VERBS:
            loser = self._first(subjects)
            for obj in objects:
                where = self._place(obj)
                if where is not None and loser is not None:
                    winners = [t for p, t in preps if p == "to"]
                    yield self._claim(where, "lost", loser, self._first(winners), verb, f"lost:{lemma}")
        elif lemma == "fall":
            winners = [t for p, t in preps if p == "to"]
            for subj in subjects:
                where = self._place(subj)
                if where is not None:
                    yield self._claim(where, "captured", self._first(winners), None, verb, "captured:fall")
        elif lemma in HOLD_VERBS:
            yield from self._hold(verb, lemma, subjects, passive, objects)
        elif lemma in REMAIN_VERBS:
            for p, obj in preps:
                if p in {"in", "under"} and obj.lemma_.lower() in {"hand", "control"}:
                    holder = self._first([obj])
                    for subj in subjects:
                        where = self._place_in(subj)
                        if where is not None and holder is not None:
                            yield self._claim(where, "held", holder, None, verb, f"held:{p}-hands")
        elif lemma in DIVIDE_VERBS:
            sides = self._actors([t for p, t in preps if p == "between"])
            targets = passive or ([verb.head] if verb.dep_ in {"acl", "amod"} else objects)
            for tok in targets:
                where = self._place(tok)
                if where is not None and sides:
                    yield self._claim(where, "divided", sides[0], sides[1] if len(sides) > 1 else None, verb,
                                      f"divided:{lemma}")
        elif lemma in ENCIRCLE_VERBS:
            yield from self._encircle(verb, lemma, subjects, passive, objects)
        elif lemma in CUT_VERBS:
            yield from self._cut(verb, lemma, subjects, objects, preps)

    def _capture(self, verb: Token, lemma: str, subjects: list[Token], passive: list[Token],
                 objects: list[Token], preps: list[tuple[str, Token]]) -> Iterator[_Claim]:
        actors = self._first(subjects + syntax.agents(verb))
        if lemma in {"enter", "storm"} and (actors is None or not self.cc.armed(actors)):
            return  # "an aid convoy entered the east", "protesters stormed parliament": no ground taken
        if lemma == "take" and (not objects and not passive or any(
                c.dep_ == "prt" and c.lower_ not in {"over", "back"} for c in verb.children)):
            return  # "take up an offer", "take part"
        targets = objects + passive
        for obj in targets:
            if obj.lemma_.lower() == "control":
                return  # "take control of": the noun's rule
            where = self._place_in(obj)
            if where is None and obj.lemma_.lower() in FOOTHOLD_NOUNS:
                where = next((w for p, t in preps if p in {"in", "of", "near", "around", "at", "inside"}
                              for w in [self._place_in(t)] if w is not None), None)
            if where is None:
                continue
            losers = [t for p, t in preps if p == "from"]
            yield self._claim(where, "captured", actors, self._first(losers), verb, f"captured:{lemma}")
            return

    def _hold(self, verb: Token, lemma: str, subjects: list[Token], passive: list[Token],
              objects: list[Token]) -> Iterator[_Claim]:
        agents = syntax.agents(verb)
        holder = self._first(agents or subjects)
        if holder is None or not (self.cc.armed(holder) or agents):
            return
        if agents:  # "held by X", "controlled by X"
            targets = passive or ([verb.head] if verb.dep_ in {"acl", "amod"} else [])
        else:
            targets = [o for o in objects if o.lemma_.lower() not in {"which", "that"}]
            if verb.dep_ == "relcl" and not targets:
                targets = [verb.head]  # "the road, which government forces have held since July"
        for tok in targets:
            # the object itself is the ground: "held the college", not "held talks in Geneva"
            for head in syntax.with_conjuncts(tok):
                where = self._place(head)
                if where is not None:
                    yield self._claim(where, "held", holder, None, verb, f"held:{lemma}")

    def _encircle(self, verb: Token, lemma: str, subjects: list[Token], passive: list[Token],
                  objects: list[Token]) -> Iterator[_Claim]:
        besieger = self._first(subjects + syntax.agents(verb)) if not passive else self._first(syntax.agents(verb))
        if besieger is not None and not self.cc.armed(besieger):
            # "leaving 250,000 people encircled": the people are shut in, not the besiegers
            besieger, targets = None, []
        else:
            targets = passive or objects
        for tok in targets:
            where = self._place_in(tok)
            if where is not None:
                holder = holder_token(tok)
                yield self._claim(where, "besieged", besieger, self._first([holder]) if holder is not None else None,
                                  verb, f"besieged:{lemma}")
                return
        where = self._latest_siege() or self._sentence_place(verb, TOWN_KINDS | {"area"})
        if where is not None and not targets:
            yield self._claim(where, "besieged", besieger, None, verb, f"besieged:{lemma}")

    def _cut(self, verb: Token, lemma: str, subjects: list[Token], objects: list[Token],
             preps: list[tuple[str, Token]]) -> Iterator[_Claim]:
        """"cut the Castello road" takes the road; "cut the last supply line into P" besieges P."""
        actor = self._first(subjects + syntax.agents(verb))
        particle_off = any(c.dep_ == "prt" and c.lower_ == "off" for c in verb.children)
        for obj in objects + syntax.passive_subjects(verb):
            mention = self.cc.places.mention(obj)
            if mention is not None and mention.kind == "road" and not particle_off and lemma in {"cut", "sever"}:
                yield self._claim(mention, "captured", actor, None, verb, f"captured:{lemma}")
                return
            route = obj.lemma_.lower() in ROAD_NOUNS and any(
                c.lower_ in LAST_ROUTE for c in obj.children if c.dep_ in {"amod", "compound"})
            if route:
                into = [t for p, t in preps + syntax.prep_objects(obj) if p in {"into", "to", "for"}]
                where = next((w for t in into for w in [self._place_in(t)] if w is not None), None)
                where = where or self._town(verb)
                if where is not None:
                    holder = next((h for t in into for h in [holder_token(t)] if h is not None), None)
                    yield self._claim(where, "besieged", actor, self._first([holder]) if holder is not None else None,
                                      verb, f"besieged:{lemma}-route")
                    return
            if particle_off and lemma == "cut":
                where = self._place_in(obj)
                if where is not None and (where.kind in TOWN_KINDS | {"area"} or where.place is None):
                    holder = holder_token(obj)
                    yield self._claim(where, "besieged", actor, self._first([holder]) if holder is not None else None,
                                      verb, "besieged:cut-off")
                    return


# ------------------------------------------------------------------------------ settling


def _phrase_end(noun: Token) -> int:
    """The last token of a place phrase: the noun, its "of X", and a place name it is part of."""
    end = noun.i
    for _, obj in syntax.prep_objects(noun, {"of"}):
        end = max(end, obj.i)
    doc = noun.doc
    while end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN" and doc[end + 1].head.i in {end, end + 1}:
        end += 1
    if end + 1 < len(doc) and doc[end + 1].lower_ in {"neighbourhood", "district", "road", "city", "town"}:
        end += 1
    return end


def _realised(verb: Token) -> bool:
    """"broke the siege", "the siege is broken" — not "to break the siege" or "efforts to lift it"."""
    if verb.tag_ == "VB" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    for anc in syntax.ancestors_upto(verb, 3):
        if anc.lemma_.lower() in ATTEMPT_WORDS and verb.dep_ in {"xcomp", "acl", "advcl", "relcl", "pcomp"}:
            return False
    return verb.tag_ in {"VBD", "VBN", "VBZ", "VBP", "VBG"}


def _aim(verb: Token) -> bool:
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
        and verb.dep_ in {"acl", "xcomp", "advcl", "relcl"}


def _attest(claim: _Claim, cc: ClaimContext) -> None:
    """Status, speakers and date: the narrator's for descriptions, the trigger's otherwise."""
    if claim.attributive:
        claim.status, claim.speakers = "asserted", []
        claim.date = cc.date(claim.trigger, "asserted", own_time=False)
        return
    claim.status, claim.speakers = cc.status(claim.trigger)
    if claim.status == "asserted" and claim.change == "captured" and _aim(claim.trigger):
        claim.status = "planned"  # "an offensive to take the capital": the aim, not the gain
    if claim.change == "besieged" and claim.trigger.pos_ == "NOUN" and claim.status in FUTURE_STATUSES | {"negated"}:
        claim.status = "asserted"  # "efforts to break the siege" take the siege for granted
    claim.date = cc.date(claim.trigger, claim.status)


def _turn_denials(claims: list[_Claim], cc: ClaimContext) -> list[_Claim]:
    """A denied change is the denier's claim that the state before it still holds; a siege
    described as besieged in a report of its end names the place, it claims nothing."""
    lifted = {place_key(c.where.name) for c in claims if c.change == "lifted" and c.status not in {"denied", "negated"}}
    out = []
    for c in claims:
        if c.attributive and c.change == "besieged" and place_key(c.where.name) in lifted:
            continue
        if c.status in {"denied", "negated"} and c.change in {"lifted", "captured", "lost"}:
            deniers = [cc.state_actor(s) for s in c.speakers]
            if c.change == "lifted":  # "the army denied the siege had been broken"
                c.change, c.controller = "besieged", c.controller or (deniers[:1] or [None])[0]
            elif c.change == "captured":
                if c.controller and any(cc.book.related(c.controller, d) for d in deniers):
                    continue  # a side denying its own gain says nothing of who holds the place
                c.change, c.controller, c.counterpart = "held", c.counterpart or (deniers[:1] or [None])[0], None
            else:
                c.change, c.counterpart = "held", None
            c.status = "claimed"  # the denier's claim, whether or not we know the denier
            c.rule += ":denied"
            if c.change == "held" and c.controller is None:
                continue
        out.append(c)
    return out


def _view(c: _Claim) -> tuple[str, Optional[str], Optional[str]]:
    """(change, controller, counterpart), a loss seen as the other side's capture."""
    if c.change == "lost":
        return "captured", c.counterpart, c.controller
    return c.change, c.controller, c.counterpart


def _fits(a: Optional[str], b: Optional[str], book: ActorBook) -> bool:
    """Two sides can be one: equal, one a member of the other, or one unknown ("fighters")."""
    generic = {k for k in (a, b) if k and k in book.entries and book.entries[k].generic}
    return a is None or b is None or bool(generic) or a == b or book.related(a, b)


def _merge(claims: list[_Claim], book: ActorBook, headline_end: int) -> list[_Claim]:
    """One claim per (place, change, sides, status) in a document, with all its evidence.
    A headline claim then joins the body claim it summarises (same change and sides)."""
    kept: list[_Claim] = []
    headlines = [c for c in claims if c.trigger.idx < headline_end]
    for c in [c for c in claims if c not in headlines] + headlines:
        change, ctrl, other = _view(c)
        key = place_key(c.where.name)
        for k in kept:
            k_change, k_ctrl, k_other = _view(k)
            same_status = k.status == c.status or {k.status, c.status} <= {"asserted", "confirmed"}
            if k_change == change and place_key(k.where.name) == key and same_status \
                    and _fits(k_ctrl, ctrl, book) and _fits(k_other, other, book) \
                    and (k.date.value == c.date.value or None in (k.date.expression, c.date.expression)):
                _absorb(k, c)
                break
        else:
            body = next((k for k in kept if c in headlines and k not in headlines and _summarises(c, k, book)), None)
            if body is not None:
                body.evidence.extend(c.evidence)
            else:
                kept.append(c)
    return kept


def _summarises(head: _Claim, body: _Claim, book: ActorBook) -> bool:
    """"Army controls Mekelle" tells the body's "troops took control of Mekelle": the same
    change (a capture's result counts as the capture) and the sides the headline names."""
    h_change, h_ctrl, h_other = _view(head)
    b_change, b_ctrl, b_other = _view(body)
    if not (h_change == b_change or {h_change, b_change} == {"captured", "held"}):
        return False
    if head.status in {"denied", "negated"}:
        return False
    pairs = [(h_ctrl, b_ctrl)] + ([(h_other, b_other)] if h_change == b_change else [])
    known = [(h, b) for h, b in pairs if h is not None]
    return bool(known) and all(b is not None and book.related(h, b) for h, b in known)


def _absorb(keep: _Claim, other: _Claim) -> None:
    if keep.change == "lost" and other.change != "lost":  # the capture names both sides
        keep.change, keep.controller, keep.counterpart = other.change, other.controller, other.counterpart
    keep.controller = keep.controller or (other.controller if other.change == keep.change else None)
    keep.counterpart = keep.counterpart or (other.counterpart if other.change == keep.change else None)
    keep.status = merge_status(keep.status, other.status)
    keep.speakers = list(dict.fromkeys(keep.speakers + other.speakers))
    if keep.date.expression is None and other.date.expression is not None:
        keep.date = other.date
    for span in other.evidence:
        if span not in keep.evidence:
            keep.evidence.append(span)
    keep.attributive = keep.attributive and other.attributive


def _finish(claims: list[_Claim], cc: ClaimContext) -> list[ControlClaim]:
    out = []
    for c in claims:
        c.evidence.sort(key=lambda s: s.start)
        first = c.evidence[0]
        out.append(ControlClaim(
            id=cc.finding_id("cc", first.start, c.change),
            place=c.where.place,
            place_text=c.where.text,
            controller=c.controller,
            counterpart=c.counterpart,
            change=c.change,
            date=c.date,
            status=c.status,  # type: ignore[arg-type]
            reported_by=cc.reported_by(c.speakers),
            evidence=c.evidence,
            rule=c.rule,
        ))
    return out


__all__ = ["ControlStage"]
