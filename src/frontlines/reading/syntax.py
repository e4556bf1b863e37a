"""Small questions about a dependency parse, shared by the event and control stages."""
from __future__ import annotations

from typing import Iterator, Optional

from spacy.tokens import Doc, Span as SpacySpan, Token

SUBJECT_DEPS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "attr", "oprd", "dative"}
CLAUSE_DEPS = {"conj", "advcl", "ccomp", "xcomp", "relcl", "acl", "parataxis", "pcomp"}
VERBAL_POS = {"VERB", "AUX"}
# Saying verbs that can stand as a parenthesis inside what they report ("..., activists said, ...").
SAYING_VERBS = {"say", "claim", "report", "tell", "add", "state", "announce", "confirm", "write"}


def repair_trailing_speakers(doc: Doc) -> None:
    """"…, killing two people, rescue workers and witnesses said.": the small model hangs the
    speakers on the last object as more of its conjuncts, leaving "said" with no subject. Give
    a subjectless saying verb the conjuncts just before it, from the comma on, as its subject."""
    for verb in doc:
        if verb.lemma_.lower() not in SAYING_VERBS or not is_verb(verb) or verb.i == 0:
            continue
        if any(c.dep_ in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS for c in verb.children):
            continue
        first = doc[verb.i - 1]
        if first.pos_ not in {"NOUN", "PROPN"} or first.dep_ != "conj" or first.head.i >= verb.i:
            continue
        # climb the conjunct chain ("rescue workers and witnesses") to the comma that opens it
        while first.dep_ == "conj" and first.left_edge.i > 0 and doc[first.left_edge.i - 1].text != ",":
            first = first.head
        if first.dep_ != "conj" or not any(a == verb for a in first.ancestors):
            continue  # no comma before it, or a list under another clause: nothing to move safely
        first.head = verb
        first.dep_ = "nsubj"


def is_verb(token: Token) -> bool:
    return token.pos_ in VERBAL_POS


def clause_head(token: Token) -> Token:
    """The verb that heads the clause a token sits in (the sentence root if none)."""
    current = token
    while not is_verb(current) and current.head != current:
        current = current.head
    return current


def subjects(verb: Token) -> list[Token]:
    """Active subjects of a verb, inherited through coordination and control.

    "the coalition had launched an offensive ... but were forced to retreat": the
    subject of "retreat" is that of "forced", which is that of "launched".
    """
    found = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if found:
        return found
    head = verb.head
    if head == verb:
        return []
    if verb.dep_ == "conj" and is_verb(head):
        passive = [c for c in head.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        return subjects(head) or passive
    if verb.dep_ == "xcomp" and is_verb(head):
        # Object control ("told fighters to surrender") before subject control.
        objects = [c for c in head.children if c.dep_ in OBJECT_DEPS]
        if objects and head.lemma_ in {"tell", "order", "urge", "ask", "force", "call", "allow"}:
            return objects
        passive = [c for c in head.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        return subjects(head) or passive
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and is_verb(head):
        # "planes dropped leaflets, telling fighters to surrender": the participle shares the subject.
        told = [c for c in head.children if c.dep_ == "ccomp" and c.i < head.i and is_verb(c)]
        if head.lemma_.lower() in SAYING_VERBS and told:
            # "rebels took the town, activists said, cutting the highway": the participle goes on
            # with what is told, not with the telling
            return subjects(told[0])
        return subjects(head)
    if verb.dep_ in {"relcl", "acl"} and verb.head.pos_ in {"NOUN", "PROPN", "PRON"}:
        noun = verb.head
        # "dropped leaflets telling fighters to surrender": the leaflets speak for who dropped them.
        if verb.dep_ == "acl" and noun.dep_ in OBJECT_DEPS and is_verb(noun.head):
            return subjects(noun.head)
        return [noun]
    return []


def passive_subjects(verb: Token) -> list[Token]:
    found = [c for c in verb.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
    if not found and verb.dep_ == "conj" and is_verb(verb.head):
        return passive_subjects(verb.head)
    return found


def agents(verb: Token) -> list[Token]:
    """The "by" phrase of a passive verb."""
    return [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]


def objects(head: Token) -> list[Token]:
    return [c for c in head.children if c.dep_ in OBJECT_DEPS]


def prep_objects(head: Token, preps: Optional[set[str]] = None) -> list[tuple[str, Token]]:
    """(preposition, object) pairs under a head: "offensive on [the base]"."""
    found = []
    for child in head.children:
        if child.dep_ == "prep" and (preps is None or child.lower_ in preps):
            for grandchild in child.children:
                if grandchild.dep_ in {"pobj", "pcomp"}:
                    found.append((child.lower_, grandchild))
                # "out of X", "away from X": a preposition stacked on another.
                if grandchild.dep_ == "prep":
                    found += [(child.lower_, g) for g in grandchild.children if g.dep_ == "pobj"]
        # "drove them out of X": the particle carries the preposition.
        if child.dep_ == "prt":
            for grandchild in child.children:
                if grandchild.dep_ == "prep":
                    for obj in grandchild.children:
                        if obj.dep_ == "pobj":
                            found.append((grandchild.lower_, obj))
    return found


def with_conjuncts(token: Token) -> list[Token]:
    """A token and the tokens coordinated with it ("Syrian and Russian planes")."""
    out = [token]
    for conj in token.conjuncts:
        if conj not in out:
            out.append(conj)
    return out


def ancestors_upto(token: Token, limit: int) -> Iterator[Token]:
    current, n = token, 0
    while current.head != current and n < limit:
        current = current.head
        n += 1
        yield current


TRAILING_MARKS = {"since", "after", "before", "when", "while", "until", "because", "as"}


def clause_span(head: Token) -> SpacySpan:
    """The head's subtree without coordinated clauses and trailing punctuation.

    This is the evidence for an event: the shortest clause that supports it.
    """
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ in {"conj", "cc"} and (is_verb(child) or child.dep_ == "cc"):
            if child.dep_ == "cc" or any(c.dep_ in SUBJECT_DEPS for c in child.children):
                skip.update(t.i for t in child.subtree)
        if child.dep_ in {"punct"} and child.i > head.i:
            skip.add(child.i)
        if child.dep_ == "advcl" and child.i > head.i and any(
                c.dep_ == "mark" and c.lower_ in TRAILING_MARKS for c in child.children):
            # "raids have grown more frequent since rebels launched their offensive": the
            # clause after "since" tells another occurrence, not this one's evidence.
            skip.update(t.i for t in child.subtree)
    kept = {t.i for t in head.subtree if t.i not in skip}
    sent = head.sent
    # The run of kept tokens around the head: a skipped clause ends the evidence even if
    # a stray token (a paragraph break) hangs on the head beyond it.
    start = end = head.i
    while start - 1 in kept:
        start -= 1
    while end + 1 in kept:
        end += 1
    end += 1
    # Stay inside the sentence and drop punctuation at the edges.
    start, end = max(start, sent.start), min(end, sent.end)
    doc = head.doc
    while end - start > 1 and doc[end - 1].is_punct:
        end -= 1
    while end - start > 1 and (doc[start].is_punct or doc[start].dep_ == "cc"):
        start += 1
    return doc[start:end]
