"""Where a claim is: a place mention, or ground named by a common noun.

Control claims and humanitarian figures are often about ground no gazetteer names: "the
east of the city", "rebel-held districts", "roads leading into Aleppo", "the country's
largest city". ``PlaceFinder.at(token)`` turns the noun heading such a phrase into a
``Where``: the resolved place (an area keeps the point of its town, precision 2) and the
words that named it. Naming conventions (docs/situation.md):

- a part of a town named by its direction is "<direction> <town>": "the east of the city",
  "the city's east", "eastern districts" → "eastern Aleppo";
- a part named by its holder keeps the holder and gets its town: "rebel held districts"
  → "rebel held districts of Aleppo";
- "the city of Anadan" is Anadan; "the city", "its", "the country's largest city" are the
  town the text is about (the latest town named before, else the document's main town).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Token

from frontlines.model import Place, PlaceMention
from frontlines.reading import syntax
from frontlines.reading.events import DocContext  # the event stage's lookups, shared
from frontlines.gazetteer.placekey import direction_adjective
from frontlines.reading.places import KIND_NOUNS, area_of

TOWN_NOUNS = {"city", "town", "village", "capital"}
AREA_NOUNS = {"district", "area", "part", "half", "side", "neighbourhood", "neighborhood", "quarter",
              "suburb", "outskirts", "sector", "pocket", "enclave", "territory", "zone", "fringe", "edge"}
ROAD_NOUNS = {"road", "highway", "route", "line", "lifeline", "motorway", "artery", "track"}
FACILITY_NOUNS = {"airport", "airbase", "base", "palace", "headquarters", "academy", "college", "complex",
                  "barracks", "garrison", "port", "bridge", "checkpoint", "crossing", "dam", "refinery", "prison", "stadium", "hospital", "compound", "outpost", "camp"}
TOWN_KINDS = {"city", "town", "village"}
# Adjectives that do not make a facility one in particular: "a nearby base" is still any base.
VAGUE_ADJECTIVES = {"nearby", "local", "new", "old", "small", "large", "big", "main", "military", "several",
                    "other", "key", "strategic", "important", "same", "last", "only", "first"}
# Words that name a kind of place but are not its name: "al Rashideen neighbourhood" is al Rashideen.
_NAME_SUFFIXES = {k for k, v in KIND_NOUNS.items() if v == "neighbourhood"}


@dataclass(frozen=True)
class Where:
    """A claim's place: ``place`` resolved (or None when nothing resolves it), ``text`` the words."""

    place: Optional[Place]
    text: str

    @property
    def name(self) -> str:
        return self.place.name if self.place else self.text

    @property
    def kind(self) -> Optional[str]:
        return self.place.kind if self.place else None


class PlaceFinder:
    """Places at tokens, over what the places stage found."""

    def __init__(self, ctx: DocContext):
        self.ctx = ctx
        self.doc = ctx.doc
        self.mention_at: dict[int, PlaceMention] = {}
        for pm in sorted(ctx.reading.places, key=lambda p: (p.span.start, -p.span.end)):
            for c in range(pm.span.start, pm.span.end):
                self.mention_at.setdefault(c, pm)

    # -- towns ---------------------------------------------------------------------
    def town_before(self, char: int, anywhere: bool = False) -> Optional[Place]:
        """The latest town named before ``char`` in its sentence (``anywhere``: in the
        document); else the document's main town (as the event stage reads "the city")."""
        tok = self.doc.char_span(char, char + 1, alignment_mode="expand")
        start = 0 if anywhere or tok is None else tok.sent.start_char
        for pm in reversed(self.ctx.places_in_order):
            if start <= pm.span.start < char and pm.place.kind in TOWN_KINDS:
                return pm.place
        return self.main_town()

    def main_town(self) -> Optional[Place]:
        """The town the document is about: the most named, counting "eastern Aleppo" for Aleppo."""
        counts: dict[str, list] = {}
        for pm in self.ctx.places_in_order:
            place = pm.place
            if place.kind == "area" and (place.source or "").startswith("area:"):
                town = place.source.split(":", 1)[1]
                entry = counts.setdefault(town, [0, None])
                entry[0] += 1
                entry[1] = entry[1] or Place(town, "city", place.lat, place.lon, None, 1, place.country,
                                             place.admin1, place.source)
            elif place.kind in TOWN_KINDS:
                entry = counts.setdefault(place.name, [0, None])
                entry[0] += 1
                if entry[1] is None or entry[1].kind == "city" and entry[1].source.startswith("area:"):
                    entry[1] = place
        if not counts:
            return None
        return max(counts.values(), key=lambda e: e[0])[1]

    def latest(self, char: int, kinds: set[str]) -> Optional[Place]:
        for pm in reversed(self.ctx.places_in_order):
            if pm.span.end <= char and pm.place.kind in kinds:
                return pm.place
        return None

    # -- the token's place ---------------------------------------------------------
    def mention(self, token: Token) -> Optional[Where]:
        pm = self.mention_at.get(token.idx)
        if pm is None:
            return None
        return Where(_named(pm), pm.span.text)

    def at(self, token: Token) -> Optional[Where]:
        """The place the noun ``token`` names, or None when it names none."""
        lemma = token.lemma_.lower()
        of = self._of_object(token) if lemma in TOWN_NOUNS else None
        if of is not None:  # "the town of Madaya" is Madaya, whatever was read at "town"
            return self.mention(of) or (Where(None, _proper_run(of)) if of.pos_ == "PROPN" else None)
        found = self.mention(token)
        if found is not None:
            return found
        direction = direction_adjective(token.lower_) if token.pos_ in {"NOUN", "PROPN"} else None
        if direction:
            # "the east of the city", "the rebel-held east"
            return self._area(direction, self._owner_town(token), token)
        if lemma in AREA_NOUNS:
            return self._area_noun(token)
        if lemma in TOWN_NOUNS:
            if token.tag_ == "NNS":
                return None  # "rebel-held towns west of the city": which ones?
            # "the town" is the one named last; "the city", "the country's largest city" the story's
            town = self.town_before(token.idx, anywhere=lemma in {"town", "village"})
            return Where(town, _phrase(token)) if town else None
        if lemma in ROAD_NOUNS or lemma in FACILITY_NOUNS:
            return self._terrain(token, "road" if lemma in ROAD_NOUNS else "facility")
        return None

    def in_subtree(self, token: Token) -> Optional[Where]:
        """The first place named in the phrase headed by ``token`` (its conjuncts too), not
        inside a clause of its own ("an offer to leave east Aleppo" names no place taken)."""
        for tok in syntax.with_conjuncts(token):
            found = self.at(tok)
            if found is not None:
                return found
            for sub in sorted(tok.subtree, key=lambda t: abs(t.i - tok.i)):
                if sub is tok or _in_clause_below(sub, tok):
                    continue
                found = self.mention(sub)
                if found is not None:
                    return found
        return None

    # -- helpers -------------------------------------------------------------------
    def _of_object(self, token: Token) -> Optional[Token]:
        objs = [t for p, t in syntax.prep_objects(token, {"of"})]
        return objs[0] if objs else None

    def _owner_town(self, token: Token) -> Optional[Place]:
        if token.dep_ in {"compound", "amod"}:  # "east Aleppo" with "east" a modifier of the town
            found = self.mention(token.head)
            if found is not None and found.kind in TOWN_KINDS:
                return found.place
        of = self._of_object(token)
        if of is not None:
            found = self.at(of)
            if found is not None and found.place is not None and found.kind in TOWN_KINDS:
                return found.place
        for child in token.children:
            if child.dep_ == "poss":
                found = self.mention(child)
                if found is not None and found.place is not None and found.kind in TOWN_KINDS:
                    return found.place
        return self.town_before(token.idx)

    def _area(self, direction: str, town: Optional[Place], token: Token) -> Optional[Where]:
        if town is None:
            return None
        return Where(area_of(town, f"{direction} {town.name}"), _phrase(token))

    def _area_noun(self, token: Token) -> Optional[Where]:
        """"eastern districts" → eastern Aleppo; "rebel-held districts" → rebel-held districts of Aleppo."""
        for child in token.children:
            if child.dep_ in {"amod", "compound"}:
                direction = direction_adjective(child.lower_)
                if direction:
                    return self._area(direction, self._owner_town(token), token)
        town = self._owner_town(token)
        if town is None:
            return None
        holder = holder_token(token)
        if holder is None:
            return None  # "the area", "the besieged districts": the caller decides what they refer to
        words = self.doc[holder.i:token.i + 1].text
        return Where(area_of(town, f"{words} of {town.name}"), _phrase(token))

    def _terrain(self, token: Token, kind: str) -> Optional[Where]:
        """A road or facility no gazetteer names: "roads leading into Aleppo", "Hodeidah's airport"."""
        for child in token.children:
            if child.dep_ in {"poss", "compound"}:
                found = self.mention(child)
                if found is not None and found.place is not None and found.kind in TOWN_KINDS:
                    anchor = found.place
                    return Where(_terrain_place(f"{anchor.name} {token.text}", kind, anchor), _phrase(token))
        named = [c for c in token.lefts if c.dep_ in {"compound", "amod", "nmod"} and c.lower_ not in VAGUE_ADJECTIVES]
        if token.pos_ == "PROPN" or any(c.pos_ == "PROPN" for c in named):
            # "the Nineveh provincial government headquarters": a name of its own, nothing more
            name = self.doc[min(c.left_edge.i for c in named + [token]):token.i + 1].text
            return Where(_terrain_place(name, kind, self.town_before(token.idx)), name)
        if any(c.lower_ == "the" for c in token.children) and not _right_modifiers(token):
            latest = self.latest(token.idx, {kind})
            if latest is not None:
                return Where(latest, _phrase(token))  # "the road" is the road named last
        if not _right_modifiers(token) and token.tag_ != "NNS" and not (named and kind == "facility"):
            return None  # "a road", "the base": too vague to be ground anyone holds
        anchor = self._place_in(token) or self.town_before(token.idx)
        name = _phrase(token, keep_det=False)
        return Where(_terrain_place(name, kind, anchor), name)

    def _place_in(self, token: Token) -> Optional[Place]:
        for sub in token.subtree:
            found = self.mention(sub)
            if found is not None and found.place is not None:
                return found.place
        return None


def _in_clause_below(sub: Token, top: Token) -> bool:
    current = sub
    while current != top and current.head != current:
        if current.dep_ in {"relcl", "acl", "advcl", "ccomp", "xcomp"} or syntax.is_verb(current):
            return True
        current = current.head
    return False


def holder_token(noun: Token) -> Optional[Token]:
    """The first word of "rebel-held" / "opposition held" before a noun, if any."""
    for child in noun.children:
        if child.dep_ in {"amod", "compound", "acl"} and child.lemma_.lower() in HOLD_WORDS and child.i < noun.i:
            start = child.i
            doc = noun.doc
            if start > 0 and doc[start - 1].text == "-":
                start -= 1
            if start > 0:
                return doc[start - 1]
    return None


HOLD_WORDS = {"hold", "control", "occupy", "run"}


def _named(pm: PlaceMention) -> Place:
    """"al Rashideen neighbourhood" unresolved is the neighbourhood al Rashideen."""
    place = pm.place
    words = place.name.split()
    if pm.rule == "places:named-unresolved" and len(words) > 1 and words[-1].lower() in _NAME_SUFFIXES:
        return Place(" ".join(words[:-1]), place.kind, place.lat, place.lon, place.geonames_id,
                     place.precision, place.country, place.admin1, place.source)
    return place


def _terrain_place(name: str, kind: str, anchor: Optional[Place]) -> Place:
    return Place(name=name, kind=kind, lat=anchor.lat if anchor else None, lon=anchor.lon if anchor else None,
                 precision=2 if anchor else 3, country=anchor.country if anchor else None,
                 admin1=anchor.admin1 if anchor else None,
                 source=f"terrain:{anchor.name}" if anchor else "terrain")


def _right_modifiers(token: Token) -> list[Token]:
    return [c for c in token.rights if c.dep_ in {"prep", "acl"} and _names_place(c)]


def _names_place(token: Token) -> bool:
    return any(t.pos_ == "PROPN" for t in token.subtree)


def _proper_run(token: Token) -> str:
    """"Anadan" in "the city of Anadan, northern Aleppo province": the proper noun and its compounds."""
    parts = [c for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [token]
    return " ".join(t.text for t in parts)


def _phrase(token: Token, keep_det: bool = True) -> str:
    """The noun phrase headed by ``token``, up to its first place-naming modifier on the right."""
    doc = token.doc
    lefts = [t for t in token.lefts if keep_det or t.dep_ not in {"det", "poss", "predet"}]
    start = min([t.left_edge.i for t in lefts] + [token.i])
    if not keep_det:
        while start < token.i and doc[start].dep_ in {"det", "predet", "case"}:
            start += 1
    end = token.i + 1
    rights = _right_modifiers(token)
    if rights:  # "roads leading into Aleppo", not what the parse hangs on Aleppo after it
        proper = next(t for t in rights[0].subtree if t.pos_ == "PROPN")
        while proper.i + 1 < len(doc) and doc[proper.i + 1].pos_ == "PROPN":
            proper = doc[proper.i + 1]
        end = proper.i + 1
    while end - start > 1 and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end].text


__all__ = ["AREA_NOUNS", "FACILITY_NOUNS", "PlaceFinder", "ROAD_NOUNS", "TOWN_NOUNS", "Where",
           "direction_adjective", "holder_token"]
