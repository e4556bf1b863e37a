"""How sure the text is of an event: asserted, claimed by whom, confirmed, denied,
expected, planned, hypothetical or negated — read from the words that govern it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Token

from frontlines.reading.syntax import ancestors_upto, is_verb, subjects

REPORT_VERBS = {"say", "claim", "report", "allege", "announce", "state", "insist", "tell", "add",
                "assert", "believe", "suggest", "argue", "maintain", "write", "post", "tweet"}
CONFIRM_VERBS = {"confirm", "acknowledge", "admit", "concede"}
DENY_VERBS = {"deny", "reject", "dismiss", "refute"}
HYPOTHETICAL_MODALS = {"may", "might", "could"}
EXPECT_MARKERS = {"likely", "expect", "set", "poised", "about", "due", "bound", "soon", "imminent"}
PLAN_VERBS = {"prepare", "plan", "intend", "aim", "seek", "vow", "pledge", "threaten", "promise",
              "mull", "consider", "gear", "offer", "willing", "ready", "prepared", "agree"}
FUTURE_AUX = {"will", "shall", "'ll", "would"}  # "would" is mostly the future of reported speech
HYPOTHETICAL_NOUNS = {"attempt", "bid", "ploy", "plot", "scheme", "pretext"}
NEGATORS = {"not", "n't", "never", "no"}
FAIL_VERBS = {"fail", "refuse", "decline"}
# Status precedence when mentions of one event are merged.
PRECEDENCE = ["negated", "denied", "hypothetical", "expected", "planned", "confirmed", "asserted", "claimed"]
FUTURE_STATUSES = {"expected", "planned", "hypothetical"}
HAPPENED_STATUSES = frozenset({"asserted", "claimed", "confirmed"})  # told as having happened
DENIED_STATUSES = frozenset({"negated", "denied"})


@dataclass
class StatusReading:
    status: str = "asserted"
    speakers: list[Token] = field(default_factory=list)  # who says so, as tokens
    rule: str = "status:default"


def _has_child(token: Token, lemmas: set[str], deps: Optional[set[str]] = None) -> bool:
    return any(c.lemma_.lower() in lemmas and (deps is None or c.dep_ in deps) for c in token.children)


def _kids(token: Token) -> list[tuple[str, str]]:
    return [(c.lemma_.lower(), c.dep_) for c in token.children]


def _has(kids: list[tuple[str, str]], lemmas: set[str], deps: set[str]) -> bool:
    return any(lemma in lemmas and dep in deps for lemma, dep in kids)


SPEECH_VERBS = REPORT_VERBS | CONFIRM_VERBS | DENY_VERBS


def _unclaimed(kids: list[tuple[str, str]], speakers: list[Token]) -> bool:
    """The claim is negated ("has not claimed") or no one makes it ("no group", "nobody")."""
    return _has(kids, NEGATORS, {"neg"}) or any(
        s.lemma_.lower() in {"nobody", "none", "noone"} or _has_child(s, {"no"}, {"det"}) for s in speakers)


def read_status(trigger: Token) -> StatusReading:
    """Walk from the trigger up through the verbs that govern it, nearest first."""
    result = StatusReading()
    chain = [trigger] + list(ancestors_upto(trigger, 8))
    modality: Optional[str] = None
    sent = trigger.sent  # Token.sent searches the document: once
    for depth, token in enumerate(chain):
        lemma = token.lemma_.lower()
        if not sent.start <= token.i < sent.end:
            break
        kids = _kids(token)  # each child made once, not once per test
        if depth > 0 and lemma in SPEECH_VERBS and is_verb(token):
            speakers = subjects(token)
            if lemma == "claim" and _unclaimed(kids, speakers):
                # "no group has claimed responsibility for the bombing": the narrator tells the
                # bombing; no one claims it
                continue
            if lemma in DENY_VERBS:
                return StatusReading("denied", speakers, f"status:deny:{lemma}")
            if modality:
                return StatusReading(modality, speakers, result.rule)
            if lemma in CONFIRM_VERBS:
                return StatusReading("confirmed", speakers, f"status:confirm:{lemma}")
            return StatusReading("claimed", speakers, f"status:report:{lemma}")
        if modality is None and is_verb(token) and (
                _has(kids, {"if", "unless"}, {"mark"})
                or (_has(kids, {"until"}, {"mark"}) and token.tag_ not in {"VBD", "VBN"})):
            # "until Russia decided to back the regime" is a past fact; "until they leave" is not
            modality, result.rule = "hypothetical", "status:conditional"
        if modality is None and (is_verb(token) or depth == 0 or token.pos_ == "ADJ"):
            if _has(kids, NEGATORS, {"neg", "det"}) or (depth > 0 and lemma in FAIL_VERBS):
                return StatusReading("negated", [], "status:negation")
            if _has(kids, HYPOTHETICAL_MODALS, {"aux"}):
                modality, result.rule = "hypothetical", "status:modal"
            elif _has(kids, FUTURE_AUX, {"aux"}):
                modality, result.rule = "expected", "status:future"
            elif (depth > 0 and lemma in EXPECT_MARKERS) or _has(kids, EXPECT_MARKERS, {"acomp", "advmod", "amod"}):
                # a governing "set to attack", not the trigger itself ("set up a base")
                modality, result.rule = "expected", "status:expected"
            elif depth > 0 and lemma in PLAN_VERBS:
                modality, result.rule = "planned", f"status:plan:{lemma}"
        if modality is None and depth > 0 and lemma in HYPOTHETICAL_NOUNS:
            # "may in fact be an attempt to depopulate": the reading, not the act, is asserted.
            head = token.head
            if _has_child(head, HYPOTHETICAL_MODALS, {"aux"}):
                modality, result.rule = "hypothetical", "status:modal-attempt"
    if modality is None and not is_verb(trigger):
        # "operations likely to be launched soon": the modality hangs below the noun.
        for child in trigger.children:
            if child.dep_ in {"acl", "amod", "relcl"} and (
                    child.lemma_.lower() in EXPECT_MARKERS or _has_child(child, FUTURE_AUX | HYPOTHETICAL_MODALS, {"aux"})):
                modality, result.rule = "expected", "status:expected-noun"
    if modality:
        result.status = modality
    # "according to X" anywhere in the sentence makes the whole sentence X's claim.
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            speakers = [c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"]
            if result.status == "asserted":
                return StatusReading("claimed", speakers, "status:according-to")
            result.speakers = speakers
    return result


def merge_status(a: str, b: str) -> str:
    """The status of an event told by two mentions: confirmation beats a bare claim."""
    return a if PRECEDENCE.index(a) <= PRECEDENCE.index(b) else b
