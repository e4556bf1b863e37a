"""Sentence boundaries: a line break always ends a sentence.

News text puts titles, captions and credits on lines of their own; spaCy's parser
happily runs them together ("Aleppo\\n\\nRebels"). Marking a start after each line
break before the parser runs keeps them apart; the parser respects preset starts.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "frontlines_line_breaks"


@Language.component(COMPONENT)
def line_breaks(doc: Doc) -> Doc:
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[i + 1].is_sent_start = True
    return doc


def add_line_breaks(nlp: Language) -> None:
    """Insert the component before the parser (idempotent)."""
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
