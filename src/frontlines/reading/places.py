"""Place mentions: toponyms found by NER, user place names and patterns, resolved offline.

Resolution order: a user place (the analyst's own file) when its country is one the
document speaks of or its parent is named in it; else the gazetteer's best candidate,
ordered by the learned ranker (gazetteer/ranker.py) in the document's context: its
countries, the provinces it names, "X, Y" containment and the other places' points.
Demonyms ("Syrian") only add country context. ``resolve_spans`` resolves given spans (the
gold-spans mode of the geoparsing benchmarks) with the same rules.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional, Protocol, Sequence

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span as SpacySpan
from spacy.util import filter_spans

from frontlines.gazetteer.index import rank
from frontlines.gazetteer.normalize import normalize_name
from frontlines.gazetteer.ranker import RankContext, Ranker, neighbour_candidates
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
    "river": "water",
}
# "the village of Koshobe", "Koshobe village": a settlement by its own words, kept by name
# (at the place it is said to be in) when no gazetteer knows it. "city" is left out: "the
# city of X" names towns the gazetteer has, and a miss there is more often not a town.
SETTLEMENT_NOUNS = {"village", "town", "hamlet", "settlement"}
# After a country's name or demonym these say where a settlement is ("a Nigerian village").
# Lower case only: "Kuwait City" is a name.
WHERE_NOUNS = SETTLEMENT_NOUNS | {"city"}
DIRECTIONS = {"northern", "southern", "eastern", "western", "north", "south", "east", "west", "central",
              "northeastern", "northwestern", "southeastern", "southwestern", "north-eastern",
              "north-western", "south-eastern", "south-western", "northeast", "northwest", "southeast",
              "southwest", "north-east", "north-west", "south-east", "south-west", "outer", "inner"}
# A capitalised word that no entity covers is a town only if the town is this big.
MIN_BARE_POPULATION = 5000
MIN_BARE_POPULATION_NO_CONTEXT = 100_000
# A city this large, named as a place, tells which country the story is in.
CONTEXT_POPULATION = 100_000
# The label of a span given from outside (gold toponym spans): a place, whatever NER says.
GIVEN = "GIVEN"
USER_LABEL = "USER"  # a span matched against the user's place names
AREA_HEADS = DIRECTIONS | {"outskirts", "countryside", "suburbs", "centre", "center", "edge", "part"}
# A wire dateline opens the text: "BEIRUT (Levant Wire) - ", "GAZIANTEP, Turkey, August 7,
# 2016 — ". It says where the reporter filed from, not where anything happened.
DATELINE = re.compile(
    r"[ \t]*[A-Z][A-Z'./\- ]{1,40}(?:,\s*[A-Z][A-Za-z.' ]{1,30}?)?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2}(?:,\s*\d{4})?)?\s*(?:\([^()\n]{1,60}\))?\s*[-\u2013\u2014]+\s")
HEADLINE_MAX = 200  # a first paragraph this short is the headline; the dateline follows it
DATELINE_RULE = "places:dateline"


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
                 user_names: Sequence[str] = (), actor_names: Sequence[str] = (),
                 ranker: Optional[Ranker] = None):
        self.gazetteer = gazetteer
        # Orders a name's candidates in the document's context (fitted weights, else the hand order).
        self.ranker = ranker if ranker is not None else Ranker.load()
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
            found.append(SpacySpan(doc, start, end, label=USER_LABEL))
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
        # The analyst's own names come first: NER's longer guess ("Bab Qinnasrin in") loses.
        users = filter_spans([s for s in found if len(s) and s.label_ == USER_LABEL])
        taken = {i for s in users for i in range(s.start, s.end)}
        rest = [s for s in found if len(s) and s.label_ != USER_LABEL and not any(i in taken for i in range(s.start, s.end))]
        spans = sorted(users + filter_spans(rest), key=lambda s: s.start)
        return [(s, s.label_) for s in spans]

    # -- resolution ------------------------------------------------------------------------
    def _user(self, name: str, ctx: RankContext) -> Optional[Candidate]:
        """The analyst's own place of that name, if its country or one of its parents is in
        the document's context ("Castello" is the Aleppo road in a Syria story, not in an
        Italian one). A row that names neither country nor parent applies everywhere."""
        if not self.user_places:
            return None
        for c in self.user_places.lookup(name):
            if self._user_in_context(c, ctx):
                return c
        return None

    def _user_in_context(self, c: Candidate, ctx: RankContext) -> bool:
        country, parent = c.place.country, getattr(c, "parent", None)
        if not country and not parent:
            return True
        if country and country in ctx.countries:
            return True
        seen: set[str] = set()
        for _ in range(6):  # up the parent chain: "al-Rashideen 4" -> "al-Rashideen" -> "Aleppo"
            if not parent or parent in seen:
                return False
            seen.add(parent)
            if normalize_name(parent) in ctx.names:
                return True
            ups = self.user_places.lookup(parent) if self.user_places else []
            parent = getattr(ups[0], "parent", None) if ups else None
        return False

    def _gazetteer(self, name: str, ctx: "RankContext | set[str]") -> list:
        """The candidates for ``name``, best first in this context."""
        if not self.gazetteer:
            return []
        found = self.gazetteer.lookup(name)
        countries = ctx if isinstance(ctx, set) else ctx.countries
        if not found and countries and hasattr(self.gazetteer, "lookup_spelling"):
            found = self.gazetteer.lookup_spelling(name, countries)  # "Atareb": Al Atarib
        if not found:
            return found
        if isinstance(ctx, set):
            return rank(found, ctx)
        return [c for c, _ in self.ranker.order(found, ctx)]

    def _context(self, spans: Sequence[tuple[SpacySpan, str]]) -> set[str]:
        """The countries the document speaks of (names, demonyms, big towns named as places)."""
        countries: set[str] = set()
        for span, label in spans:
            if label != GIVEN and _water_name(span):
                continue  # "the Red Sea" says nothing of Sudan's Red Sea State
            for cand in self._gazetteer(span.text, set())[:1]:
                # A name from the analyst's place file is a place whatever NER made of it.
                big_town = (label in PLACE_LABELS or label == USER_LABEL) and \
                    cand.population >= CONTEXT_POPULATION
                if (cand.feature in ("country", "demonym") or big_town) and cand.place.country:
                    countries.add(cand.place.country)
        return countries

    def _contexts(self, doc: Doc, spans: Sequence[tuple[SpacySpan, str]],
                  countries: set[str]) -> list[RankContext]:
        """Per span, what the rest of the document says: its countries, the provinces it
        names, the "X, Y" container of this span, and the points of the other places (the
        hand ranker's first choice for each, as anchors)."""
        ranked = [self._gazetteer(span.text, countries) for span, _ in spans]
        firsts = [(r or [None])[0] for r in ranked]
        keys = [normalize_name(span.text) for span, _ in spans]
        tops: dict[str, list] = {}  # each place name's candidates, for coherence (ranker.py)
        for (span, label), key, r in zip(spans, keys, ranked):
            if label in PLACE_LABELS or label in (GIVEN, USER_LABEL):
                tops.setdefault(key, neighbour_candidates(r))
        admin1 = {c.place.admin1 for c in firsts if c is not None and c.feature == "admin1" and c.place.admin1}
        names = set(keys)
        for c in firsts:  # "Aleppo" named: its province and country are named too, for user parents
            if c is not None and c.parent:
                names.add(normalize_name(c.parent))
        contexts = []
        text = doc.text  # built from the tokens on each access: once, not per pair
        for i, (span, _label) in enumerate(spans):
            container: set[str] = set()
            for j, (other, _) in enumerate(spans):
                if j != i and 0 < other.start_char - span.end_char <= 2 \
                        and text[span.end_char:other.start_char].strip() == ",":
                    for c in self._gazetteer(other.text, countries)[:5]:
                        if c.feature == "admin1" and c.place.admin1:
                            container.add(c.place.admin1)
                        elif c.feature in ("country", "demonym") and c.place.country:
                            container.add(c.place.country)
            anchors = [(c.place.lat, c.place.lon) for j, c in enumerate(firsts)
                       if j != i and c is not None and c.feature != "demonym" and c.place.lat is not None
                       and keys[j] != keys[i]]
            others = [c for j, c in enumerate(firsts)
                      if j != i and c is not None and keys[j] != keys[i] and c.feature != "demonym"]
            contexts.append(RankContext(
                countries=countries, admin1=admin1, container=container, anchors=anchors, names=names,
                anchor_countries={c.place.country for c in others if c.place.country},
                anchor_admin1={c.place.admin1 for c in others if c.place.admin1},
                neighbours=[g for k, g in tops.items() if k != keys[i] and g]))
        return contexts

    def _resolve(self, doc: Doc, span: SpacySpan, label: str, ctx: RankContext,
                 text: Optional[str] = None) -> tuple[Optional[PlaceMention], Optional[SpacySpan]]:
        """One candidate span in the document's context: (mention, None) when it resolves,
        (None, named span) for a named road or quarter no gazetteer knows, else (None, None).
        ``text`` overrides the span's text for lookups (a given span may cut a token)."""
        countries = ctx.countries
        name = _with_kind_noun(span)
        written = span.text if text is None else text
        user = self._user(name.text, ctx) or (self._user(written, ctx) if name is not span else None)
        if user is not None:
            return _mention(user.place, name, "places:user"), None
        where = self._country_of_settlement(span) if label != GIVEN else None
        if where is not None:
            country, feature = where
            if feature == "demonym":
                return None, None  # "a Nigerian village" names no village, the demonym no place
            span = name = country  # "[Mali village]": the country where the village is
            written = span.text
        kind = KIND_NOUNS[doc[name.end - 1].lower_] if name is not span else None
        if kind == "facility" and doc[name.end - 1].lower_ == "airport" and label != GIVEN:
            # "Donetsk airport": the city's airport where the gazetteer knows it (its only one)
            airports = [c for c in self._gazetteer(name.text, ctx)
                        if c.feature == "airport" and (not countries or c.place.country in countries)]
            if airports:
                return _mention(replace(airports[0].place, name=name.text), name, "places:gazetteer:airport"), None
        if kind in {"road", "neighbourhood", "facility"} and label != GIVEN:
            # "the Castello road" is a road, not the town of Castello. A span given as the
            # toponym is the place itself: "[Benghazi] hospital", "[Otter Tail County] Road 80".
            return None, name
        if kind == "water" and label != GIVEN:
            return None, None  # "the Dnipro river" is not the city of Dnipro; no rivers here
        if label == "PROPN":
            # Not an entity at all: only a town of some size in the document's countries.
            floor = MIN_BARE_POPULATION if countries else MIN_BARE_POPULATION_NO_CONTEXT
            options = [c for c in self._gazetteer(written, ctx)
                       if c.feature in {"city", "admin1", "country"}
                       and (not countries or c.place.country in countries)
                       and (c.feature != "city" or c.population >= floor)]
        elif label not in PLACE_LABELS and label not in (USER_LABEL, GIVEN):
            # NER said organisation or person: accept only a strong gazetteer hit.
            if written.lower() in self.actor_names:
                return None, None
            floor = 0 if countries else MIN_BARE_POPULATION_NO_CONTEXT
            options = [c for c in self._gazetteer(written, ctx)
                       if c.feature != "demonym" and (not countries or c.place.country in countries)
                       and (c.feature != "city" or c.population >= floor)]
        else:
            options = [c for c in self._gazetteer(written, ctx)
                       if c.feature != "demonym" or label == GIVEN]
        if label != GIVEN and _water_name(span):
            # "the Red Sea port of Hodeidah" is not Sudan's Red Sea State: a unit of a water
            # body's name only in the story's own countries ("Red River" county in a Texas
            # story), a town of the name ("Fall River") anywhere. No water bodies here.
            options = [c for c in options if c.feature == "city" or c.place.country in countries]
            if not options:
                return None, None
        if kind == "admin1":
            # "Mali's Gao region": the region, where the story's countries have one of that
            # name ("the Charlotte region" is the city's, not a parish of Saint Vincent).
            options.sort(key=lambda c: not (c.feature == "admin1" and (not countries or c.place.country in countries)))
        if options:
            place = _as_written(options[0], written)
            return _mention(place, span, f"places:gazetteer:{label.lower()}"), None
        if label != GIVEN and (label in PLACE_LABELS or label == "PROPN") and _settlement(span):
            return None, span
        return None, (name if name is not span else None)

    def _country_of_settlement(self, span: SpacySpan) -> Optional[tuple[SpacySpan, str]]:
        """"[Mali village]", "a [Nigerian] village", "the [Syrian] city": a settlement noun
        after a country's name or demonym says where a settlement is, not what it is called.
        The words that name the country and whether they are its name or its demonym."""
        doc = span.doc
        if span[-1].text in WHERE_NOUNS and len(span) > 1:
            before = span[:-1]
        elif span.end < len(doc) and doc[span.end].text in WHERE_NOUNS:
            before = span
        else:
            return None
        words = [t for t in before if t.lower_ not in DIRECTIONS and t.lower_ not in {"the", "a", "an"}]
        if not words or not self.gazetteer:
            return None
        country = doc[words[0].i:words[-1].i + 1]
        found = self.gazetteer.lookup(country.text)
        return (country, found[0].feature) if found and found[0].feature in {"country", "demonym"} else None

    def __call__(self, doc: Doc, reading: Reading) -> None:
        spans = self.candidate_spans(doc)
        countries = self._context(spans)
        unresolved: list[SpacySpan] = []
        rivers = _river_names(doc, spans)
        for (span, label), ctx in zip(spans, self._contexts(doc, spans, countries)):
            if span.text.lower() in rivers:
                continue  # "bridges over the Dnipro" after "the Dnipro river": the river again
            mention, named = self._resolve(doc, span, label, ctx)
            if mention is not None:
                reading.places.append(mention)
            elif named is not None:
                unresolved.append(named)
        self._fallback(doc, reading, unresolved)
        self._areas(doc, reading)
        _mark_dateline(reading.document.text, reading)

    def resolve_spans(self, doc: Doc, offsets: Sequence[tuple[int, int]]) -> list[Optional[Place]]:
        """Resolve toponyms whose character spans are given (the gold-spans mode of the
        geoparsing benchmarks): the same resolution as ``__call__``, in the context of the
        document's own candidates and of the given spans, with no detection filter."""
        given = _given_spans(doc, offsets)
        out: list[Optional[Place]] = []
        for (span, label), (start, end), ctx in zip(given, offsets, self._given_contexts(doc, given)):
            if span is None or ctx is None:
                out.append(None)
                continue
            mention, _ = self._resolve(doc, span, label, ctx, text=doc.text[start:end])
            out.append(mention.place if mention is not None else None)
        return out

    def _given_contexts(self, doc: Doc, given: list) -> list[Optional[RankContext]]:
        """Contexts for given spans, built over the given spans and the document's own other
        candidates (those not overlapping a given span)."""
        placed = [g for g in given if g[0] is not None]
        taken = {i for s, _ in placed for i in range(s.start, s.end)}
        own = [(s, lab) for s, lab in self.candidate_spans(doc) if not any(i in taken for i in range(s.start, s.end))]
        spans = sorted(placed + own, key=lambda sl: sl[0].start)
        countries = self._context(spans)
        by_span = {(s.start, s.end, s.label_): c for (s, _), c in zip(spans, self._contexts(doc, spans, countries))}
        return [by_span.get((s.start, s.end, s.label_)) if s is not None else None for s, _ in given]

    def candidate_rows(self, doc: Doc, offsets: Sequence[tuple[int, int]]) -> list[tuple[list, list[list[float]]]]:
        """For fitting the ranker: each given span's candidates (the hand ranker's top) and
        their feature rows, in the same context ``resolve_spans`` uses."""
        from frontlines.gazetteer.ranker import candidate_matrix

        given = _given_spans(doc, offsets)
        out: list[tuple[list, list[list[float]]]] = []
        for (start, end), ctx in zip(offsets, self._given_contexts(doc, given)):
            found = self.gazetteer.lookup(doc.text[start:end]) if self.gazetteer and ctx is not None else []
            out.append(candidate_matrix(found, ctx) if found else ([], []))
        return out

    def _areas(self, doc: Doc, reading: Reading) -> None:
        """"northern Aleppo", "the city's southwest": a part of a place, at its point, precision 2."""
        for i, mention in enumerate(reading.places):
            span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
            if span is None or span.start == 0:
                continue
            before = doc[span.start - 1]
            if before.lower_ in DIRECTIONS and mention.place.kind in {"city", "admin1", "country", "town"}:
                area = doc[span.start - 1:span.end]
                reading.places[i] = _mention(area_of(mention.place, area.text), area, "places:area")
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
                    reading.places.append(_mention(area_of(town, f"{token.text} {town.name}"), span, "places:area"))

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
        main = max(towns, key=lambda p: sum(t.name == p.name for t in towns)) if towns else None
        by_char = {m.span.start: m.place for m in reading.places}
        for span in named:
            last = doc[span.end - 1].lower_
            kind = KIND_NOUNS[last] if last in KIND_NOUNS else "village"
            anchor = main
            if kind == "village":
                # "the village of Amasrakad in Mali's Gao region": at Gao Region. Without such
                # words the story's main town may be far away (another province): no place.
                anchor = _container(span, by_char)
                if anchor is None:
                    continue
            place = Place(
                name=span.text, kind=kind,
                lat=anchor.lat if anchor else None, lon=anchor.lon if anchor else None,
                precision=max(2, anchor.precision or 2) if anchor else 3,
                country=anchor.country if anchor else None,
                admin1=anchor.admin1 if anchor else None,
                source=f"fallback:{anchor.name}" if anchor else "unresolved",
            )
            reading.places.append(_mention(place, span, "places:named-unresolved"))


def _settlement(span: SpacySpan) -> bool:
    """"the village of X" or "X village": the words say X is a settlement."""
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in SETTLEMENT_NOUNS:
        return True
    return span.end < len(doc) and doc[span.end].lower_ in SETTLEMENT_NOUNS


WATER_HEADS = {"sea", "ocean", "river", "gulf"}
ADMIN_NOUNS = {"state", "province", "governorate", "region", "county", "district", "oblast"}


def _water_name(span: SpacySpan) -> bool:
    """"the Red Sea", "the Persian Gulf": a name headed by a water word, unless an admin noun
    follows ("Red Sea State")."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in ADMIN_NOUNS:
        return False
    return len(span) > 1 and span[-1].lower_ in WATER_HEADS


def _river_names(doc: Doc, spans: Sequence[tuple[SpacySpan, str]]) -> set[str]:
    """Names the document uses for a river ("the Dnipro river"): not towns, there or elsewhere
    in it. Given spans (benchmarks) are excluded by the caller's labels."""
    return {s.text.lower() for s, label in spans
            if label != GIVEN and s.end < len(doc) and doc[s.end].lower_ == "river"}


def _container(span: SpacySpan, by_char: dict[int, Place]) -> Optional[Place]:
    """The resolved place a name is said to lie in or near: "Koshobe in ... Borno state"."""
    doc = span.doc
    heads = [span.root]
    if span.start >= 2 and doc[span.start - 1].lower_ == "of":
        heads.append(doc[span.start - 2])  # "the village of X in Y": "in" may hang on "village"
    for head in heads:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in {"in", "near"}:
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        # "in Nigeria's Borno state": the state, the finest place named there
                        found = [(by_char[tok.idx].precision or 3, -tok.i, by_char[tok.idx])
                                 for tok in obj.subtree if tok.idx in by_char]
                        if found:
                            return min(found, key=lambda f: f[:2])[2]
    return None


def _given_spans(doc: Doc, offsets: Sequence[tuple[int, int]]) -> list[tuple[Optional[SpacySpan], str]]:
    """Given character spans as token spans (widened to whole tokens); None where empty."""
    given: list[tuple[Optional[SpacySpan], str]] = []
    for start, end in offsets:
        span = doc.char_span(start, end, alignment_mode="expand")
        given.append((SpacySpan(doc, span.start, span.end, label=GIVEN) if span is not None and len(span) else None,
                      GIVEN))
    return given


def _as_written(candidate, text: str) -> Place:
    """A town matched by an English or older name keeps the name the report uses
    ("Hodeidah", not "Al Ḩudaydah"); the GeoNames id still says which town it is.
    Countries, provinces and abbreviations keep their canonical names."""
    place = candidate.place
    if candidate.feature != "city" or getattr(candidate, "match", "name") == "abbrev" or text.isupper():
        return place
    return replace(place, name=text)


def area_of(place: Place, name: str) -> Place:
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


def dateline_span(text: str) -> tuple[int, int]:
    """Where the dateline of the first paragraph, or of the one after the headline, lies
    ((0, 0) when there is none)."""
    starts = [0]
    brk = text.find("\n\n")
    if 0 < brk <= HEADLINE_MAX:
        starts.append(brk + 2)
    for start in starts:
        m = DATELINE.match(text, start)
        if m:
            return m.start(), m.end()
    return 0, 0


def _mark_dateline(text: str, reading: Reading) -> None:
    """Relabel the places inside the opening dateline: kept, but known for what they are."""
    start, end = dateline_span(text)
    if end:
        reading.places[:] = [replace(pm, rule=DATELINE_RULE)
                             if start <= pm.span.start and pm.span.end <= end else pm
                             for pm in reading.places]


def _mention(place: Place, span: SpacySpan, rule: str) -> PlaceMention:
    return PlaceMention(place=place, span=Span(span.start_char, span.end_char, span.text), rule=rule)
