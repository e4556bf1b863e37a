"""Place mentions: toponyms found by NER, user place names and patterns, resolved offline.

Resolution order: a user place (the analyst's own file) when its country is the
document's, or nothing says otherwise; else the gazetteer's best candidate given the
countries the document mentions. Demonyms ("Syrian") only add country context.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional, Protocol, Sequence

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span as SpacySpan
from spacy.util import filter_spans

from frontlines.gazetteer.index import rank
from frontlines.model import Place, PlaceMention, Reading, Span

# Entity labels that are places outright, and labels spaCy often puts on places.
PLACE_LABELS = {"GPE", "LOC", "FAC"}
MAYBE_PLACE_LABELS = {"NORP", "ORG", "PERSON", "WORK_OF_ART"}
# Words that name the kind of place when they follow a name: "al Rashideen neighbourhood".
KIND_NOUNS = {
    "neighbourhood": "neighbourhood", "neighborhood": "neighbourhood", "district": "neighbourhood",
    "quarter": "neighbourhood", "road": "road", "highway": "road", "street": "road", "motorway": "road",
    "square": "road", "roundabout": "road", "camp": "facility", "base": "facility", "airport": "facility",
    "airbase": "facility", "hospital": "facility", "province": "admin1", "governorate": "admin1",
    "region": "admin1", "village": "city", "town": "city", "city": "city", "crossing": "crossing",
}
DIRECTIONS = {"northern", "southern", "eastern", "western", "north", "south", "east", "west", "central",
              "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern",
              "north-western", "south-eastern", "south-western", "northeast", "northwest", "southeast",
              "southwest", "north-east", "north-west", "south-east", "south-west", "outer", "inner"}
# A capitalised word that no entity covers is a town only if the town is this big.
MIN_BARE_POPULATION = 5000
MIN_BARE_POPULATION_NO_CONTEXT = 100_000
# A city this large, named as a place, tells which country the story is in.
CONTEXT_POPULATION = 100_000
AREA_HEADS = DIRECTIONS | {"outskirts", "countryside", "suburbs", "centre", "center", "edge", "part"}


class Candidate(Protocol):
    place: Place
    population: int
    feature: str


class PlaceLookup(Protocol):
    def lookup(self, name: str) -> list: ...


class PlaceStage:
    name = "places"
    assigns = ("places",)

    def __init__(self, nlp: Language, gazetteer: Optional[PlaceLookup], user_places: Optional[PlaceLookup],
                 user_names: Sequence[str] = (), actor_names: Sequence[str] = ()):
        self.gazetteer = gazetteer
        # "UN", "Hezbollah": names of actors are not towns, whatever a gazetteer holds.
        self.actor_names = {n.lower() for n in actor_names}
        self.user_places = user_places
        self.user_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # "Castello road", "al Rashideen neighbourhood": capitalised words before a kind noun.
        self.kind_matcher = Matcher(nlp.vocab)
        self.kind_matcher.add("NAMED_KIND", [[
            {"IS_TITLE": True, "OP": "+", "POS": {"IN": ["PROPN", "NOUN", "ADJ"]}, "IS_SENT_START": False},
            {"LOWER": {"IN": sorted(k for k, v in KIND_NOUNS.items() if v in {"road", "neighbourhood", "facility"})}},
        ]], greedy="LONGEST")
        if user_names:
            self.user_matcher.add("USER_PLACE", list(nlp.tokenizer.pipe(sorted(set(user_names)))))

    # -- candidates -------------------------------------------------------------------------
    def candidate_spans(self, doc: Doc) -> list[tuple[SpacySpan, str]]:
        found: list[SpacySpan] = []
        for _, start, end in self.user_matcher(doc):
            found.append(SpacySpan(doc, start, end, label="USER"))
        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS or ent.label_ in MAYBE_PLACE_LABELS:
                found.append(_trim(ent))
        # Proper nouns NER missed ("driven out of northern Aleppo"): checked harder later.
        covered = {i for s in found for i in range(s.start, s.end)}
        run: list[int] = []
        for token in list(doc) + [None]:
            if token is not None and token.pos_ == "PROPN" and token.i not in covered and token.is_title:
                run.append(token.i)
                continue
            if run:
                found.append(SpacySpan(doc, run[0], run[-1] + 1, label="PROPN"))
                run = []
        spans = filter_spans([s for s in found if len(s)])
        return [(s, s.label_) for s in spans]

    # -- resolution ------------------------------------------------------------------------
    def _user(self, name: str, countries: set[str]) -> Optional[Candidate]:
        if not self.user_places:
            return None
        options = self.user_places.lookup(name)
        if not options:
            return None
        fitting = [c for c in options if not countries or c.place.country in countries]
        return (fitting or [None])[0] if countries else options[0]

    def _gazetteer(self, name: str, countries: set[str]) -> list:
        if not self.gazetteer:
            return []
        found = self.gazetteer.lookup(name)
        return rank(found, countries) if found else found

    def __call__(self, doc: Doc, reading: Reading) -> None:
        spans = self.candidate_spans(doc)
        # Pass 1: the countries the document speaks of (names and demonyms) are the context.
        countries: set[str] = set()
        looked: list[tuple[SpacySpan, str, list]] = []
        for span, label in spans:
            options = self._gazetteer(span.text, set())
            looked.append((span, label, options))
            for cand in options[:1]:
                big_town = label in PLACE_LABELS and cand.population >= CONTEXT_POPULATION
                if (cand.feature in ("country", "demonym") or big_town) and cand.place.country:
                    countries.add(cand.place.country)
        # Pass 2: resolve each mention in that context.
        unresolved: list[SpacySpan] = []
        for span, label, _ in looked:
            name = _with_kind_noun(span)
            user = self._user(name.text, countries) or (self._user(span.text, countries) if name is not span else None)
            if user is not None:
                reading.places.append(_mention(user.place, name, "places:user"))
                continue
            if name is not span and KIND_NOUNS[doc[name.end - 1].lower_] in {"road", "neighbourhood", "facility"}:
                # "the Castello road" is a road, not the town of Castello.
                unresolved.append(name)
                continue
            if label == "PROPN":
                # Not an entity at all: only a town of some size in the document's countries.
                floor = MIN_BARE_POPULATION if countries else MIN_BARE_POPULATION_NO_CONTEXT
                options = [c for c in self._gazetteer(span.text, countries)
                           if c.feature in {"city", "admin1", "country"}
                           and (not countries or c.place.country in countries)
                           and (c.feature != "city" or c.population >= floor)]
            elif label not in PLACE_LABELS and label != "USER":
                # NER said organisation or person: accept only a strong gazetteer hit.
                if span.text.lower() in self.actor_names:
                    continue
                floor = 0 if countries else MIN_BARE_POPULATION_NO_CONTEXT
                options = [c for c in self._gazetteer(span.text, countries)
                           if c.feature != "demonym" and (not countries or c.place.country in countries)
                           and (c.feature != "city" or c.population >= floor)]
            else:
                options = [c for c in self._gazetteer(span.text, countries) if c.feature != "demonym"]
            if options:
                place = _as_written(options[0], span.text)
                reading.places.append(_mention(place, span, f"places:gazetteer:{label.lower()}"))
            elif name is not span:
                unresolved.append(name)
        self._fallback(doc, reading, unresolved)
        self._areas(doc, reading)

    def _areas(self, doc: Doc, reading: Reading) -> None:
        """"northern Aleppo", "the city's southwest": a part of a place, at its point, precision 2."""
        for i, mention in enumerate(reading.places):
            span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
            if span is None or span.start == 0:
                continue
            before = doc[span.start - 1]
            if before.lower_ in DIRECTIONS and mention.place.kind in {"city", "admin1", "country", "town"}:
                area = doc[span.start - 1:span.end]
                reading.places[i] = _mention(_area_of(mention.place, area.text), area, "places:area")
        # "the city's southwest": the part belongs to the town the text is about.
        towns = [m.place for m in reading.places if m.place.kind in {"city", "town"}]
        if not towns:
            return
        for token in doc:
            if token.lower_ in AREA_HEADS and token.dep_ == "pobj" or token.lower_ in AREA_HEADS and token.dep_ in {"dobj", "nsubj"}:
                owner = [c for c in token.children if c.dep_ == "poss" and c.lower_ in {"city", "town"}]
                if owner:
                    before = [m.place for m in reading.places if m.span.start < token.idx and m.place.kind in {"city", "town"}]
                    town = (before or towns)[-1]
                    span = doc[owner[0].i - 1 if owner[0].i > 0 and doc[owner[0].i - 1].lower_ == "the" else owner[0].i:token.i + 1]
                    reading.places.append(_mention(_area_of(town, f"{token.text} {town.name}"), span, "places:area"))

    def _fallback(self, doc: Doc, reading: Reading, named: list[SpacySpan]) -> None:
        """A named road or quarter no gazetteer knows ("the Castello road") keeps its own name,
        placed at the document's main town with precision 2, as ACLED does with unknown spots."""
        seen = {(m.span.start, m.span.end) for m in reading.places}
        for _, start, end in self.kind_matcher(doc):
            span = doc[start:end]
            if (span.start_char, span.end_char) not in seen and not any(
                    m.span.start <= span.start_char < m.span.end for m in reading.places):
                named.append(span)
        named = list({(s.start, s.end): s for s in named}.values())
        if not named:
            return
        towns = [m.place for m in reading.places if m.place.kind in {"city", "town", "village"}]
        anchor = max(towns, key=lambda p: sum(t.name == p.name for t in towns)) if towns else None
        for span in named:
            kind = KIND_NOUNS[doc[span.end - 1].lower_]
            place = Place(
                name=span.text, kind=kind,
                lat=anchor.lat if anchor else None, lon=anchor.lon if anchor else None,
                precision=2 if anchor else 3, country=anchor.country if anchor else None,
                admin1=anchor.admin1 if anchor else None,
                source=f"fallback:{anchor.name}" if anchor else "unresolved",
            )
            reading.places.append(_mention(place, span, "places:named-unresolved"))


def _as_written(candidate, text: str) -> Place:
    """A town matched by an English or older name keeps the name the report uses
    ("Hodeidah", not "Al Ḩudaydah"); the GeoNames id still says which town it is.
    Countries, provinces and abbreviations keep their canonical names."""
    place = candidate.place
    if candidate.feature != "city" or getattr(candidate, "match", "name") == "abbrev" or text.isupper():
        return place
    return replace(place, name=text)


def _area_of(place: Place, name: str) -> Place:
    return Place(name=name, kind="area", lat=place.lat, lon=place.lon, geonames_id=None,
                 precision=max(2, place.precision), country=place.country, admin1=place.admin1,
                 source=f"area:{place.name}")


def _trim(ent: SpacySpan) -> SpacySpan:
    """Drop a leading "the" and anything after a line break that NER swallowed."""
    start, end = ent.start, ent.end
    doc = ent.doc
    if doc[start].lower_ == "the" and end - start > 1:
        start += 1
    for i in range(start, end):
        if "\n" in doc[i].text or ("\n" in doc[i].whitespace_ and i + 1 < end):
            end = i + 1 if doc[i].text.strip() else i
            break
    return SpacySpan(doc, start, end, label=ent.label_)


def _with_kind_noun(span: SpacySpan) -> SpacySpan:
    """Extend "al Rashideen" to "al Rashideen neighbourhood" when the next word names a kind."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in KIND_NOUNS:
        return SpacySpan(doc, span.start, span.end + 1, label=span.label_)
    return span


def _mention(place: Place, span: SpacySpan, rule: str) -> PlaceMention:
    return PlaceMention(place=place, span=Span(span.start_char, span.end_char, span.text), rule=rule)
