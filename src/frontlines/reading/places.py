"""Place mentions: toponyms found by NER, user place names and patterns, resolved offline.

Resolution order: a user place (the analyst's own file) when its country is the
document's, or nothing says otherwise; else the gazetteer's best candidate given the
countries the document mentions. Demonyms ("Syrian") only add country context.
"""
from __future__ import annotations

from typing import Optional, Protocol, Sequence

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span as SpacySpan
from spacy.util import filter_spans

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
LEADING_NOISE = ("the ", "The ")


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
                 user_names: Sequence[str] = ()):
        self.gazetteer = gazetteer
        self.user_places = user_places
        self.user_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
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
        rank = getattr(self.gazetteer, "rank", None)
        return rank(found, countries) if rank and found else found

    def __call__(self, doc: Doc, reading: Reading) -> None:
        spans = self.candidate_spans(doc)
        # Pass 1: the countries the document speaks of (names and demonyms) are the context.
        countries: set[str] = set()
        looked: list[tuple[SpacySpan, str, list]] = []
        for span, label in spans:
            options = self._gazetteer(span.text, set())
            looked.append((span, label, options))
            for cand in options[:1]:
                if cand.feature in ("country", "demonym") and cand.place.country:
                    countries.add(cand.place.country)
        # Pass 2: resolve each mention in that context.
        for span, label, _ in looked:
            name = _with_kind_noun(span)
            user = self._user(name.text, countries) or (self._user(span.text, countries) if name is not span else None)
            if user is not None:
                reading.places.append(_mention(user.place, name, "places:user"))
                continue
            if label not in PLACE_LABELS and label != "USER":
                # NER said organisation or person: accept only a strong gazetteer hit.
                options = self._gazetteer(span.text, countries)
                options = [c for c in options if c.feature != "demonym" and (not countries or c.place.country in countries)]
            else:
                options = [c for c in self._gazetteer(span.text, countries) if c.feature != "demonym"]
            if options:
                reading.places.append(_mention(options[0].place, span, f"places:gazetteer:{label.lower()}"))


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
