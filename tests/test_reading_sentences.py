"""A line break always ends a sentence: titles, captions and credits stand alone."""
from __future__ import annotations

from frontlines.reading.pipeline import load_nlp


def test_title_and_credit_lines_are_their_own_sentences():
    nlp = load_nlp()
    text = ("Shelling resumes in Donetsk\n\nResidents sheltered overnight as artillery fire hit the city\n"
            "Photo agency\n\nThe ceasefire collapsed on Friday.")
    sentences = [s.text.strip() for s in nlp(text).sents if s.text.strip()]
    assert sentences[0] == "Shelling resumes in Donetsk"
    assert "Photo agency" in sentences
    assert sentences[-1] == "The ceasefire collapsed on Friday."


def test_the_component_is_added_once():
    nlp = load_nlp()
    from frontlines.reading.sentences import COMPONENT, add_line_breaks

    add_line_breaks(nlp)
    assert nlp.pipe_names.count(COMPONENT) == 1
    assert nlp.pipe_names.index(COMPONENT) < nlp.pipe_names.index("parser")
