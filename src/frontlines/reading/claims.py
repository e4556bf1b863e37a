"""What control claims and humanitarian figures share: how sure, who says so, when, and ids.

Both stages read a finding off one token (a verb, a noun, an adjective or a number) and
ask the same questions about it. Status comes from ``status.read_status`` with two
refinements that matter for states and figures more than for events:

- a temporal clause inside reported speech ("the rebels said they advanced, a week after
  the army drove them out") tells background the narrator takes for granted, so it is
  asserted, not the speaker's claim;
- a perfect modal ("may have died") hedges a past fact: it is claimed, not hypothetical.
"""
from __future__ import annotations

import hashlib
from typing import Optional

from spacy.tokens import Doc, Token

from frontlines.knowledge.actors import ActorBook
from frontlines.knowledge.ontology import ARMED_SECTORS
from frontlines.model import DateRef, Reading, Span
from frontlines.reading import syntax
from frontlines.reading.areas import PlaceFinder
from frontlines.reading.events import DocContext
from frontlines.reading.status import (
    CONFIRM_VERBS, DENY_VERBS, FUTURE_STATUSES, HYPOTHETICAL_MODALS, REPORT_VERBS, read_status,
)

TEMPORAL_MARKS = {"after", "before", "since", "when", "until", "once", "while"}
# Verbs that put a forecast or an estimate in someone's mouth without "said".
WARN_VERBS = {"warn", "fear", "estimate", "predict", "caution", "forecast", "worry", "put"}
SPEECH_VERBS = REPORT_VERBS | CONFIRM_VERBS | DENY_VERBS


class ClaimContext:
    """Per-document lookups for the control and indicator stages."""

    def __init__(self, doc: Doc, reading: Reading, book: ActorBook):
        self.doc, self.reading, self.book = doc, reading, book
        self.ctx = DocContext(doc, reading, book)
        self.places = PlaceFinder(self.ctx)

    # -- who -----------------------------------------------------------------------
    def actors(self, token: Token) -> list[str]:
        """The actors a token names; "Houthi officials", "fighters of the Republic" are the
        Houthis and the Republic rather than unnamed officials or fighters."""
        found = self.ctx.actors_at(token, resolve_pronouns=True)
        if found and all(self._generic(a) for a in found):
            named = [a for c in token.children if c.dep_ in {"compound", "amod", "nmod"}
                     for a in self.ctx.actors_at(c)]
            named += [a for _, t in syntax.prep_objects(token, {"of"}) for a in self.ctx.actors_at(t)]
            # "its fighters", "they said they had taken": the owner, or the speaker's own name
            named += [a for c in token.children if c.dep_ == "poss" and c.pos_ == "PRON"
                      for a in self._speaker_of(c)]
            if token.pos_ == "PRON":
                named += self._speaker_of(token)
            named = [a for a in named if not self._generic(a)]
            if named:
                return list(dict.fromkeys(named))
        return found

    def _speaker_of(self, pronoun: Token) -> list[str]:
        clause = syntax.clause_head(pronoun)
        reporter = clause.head if clause.dep_ in {"ccomp", "xcomp", "acl"} else None
        if reporter is None or reporter.lemma_.lower() not in SPEECH_VERBS:
            return []
        return [a for s in syntax.subjects(reporter) for a in self.actors(s) if a is not None]

    def _generic(self, actor_id: str) -> bool:
        entry = self.book.entries.get(actor_id)
        return entry is not None and (entry.generic or entry.contextual)

    def state_actor(self, actor_id: str) -> str:
        """A state holds ground through its forces: the army's gains are the government's."""
        if actor_id in self.book and self.book.get(actor_id).sector == "MIL":
            for parent in self.book.ancestors(actor_id):
                if self.book.get(parent).sector == "GOV":
                    return parent
        return actor_id

    def armed(self, actor_id: str) -> bool:
        return actor_id in self.book and self.book.get(actor_id).sector in ARMED_SECTORS

    def opponent(self, token: Token, sides: list[Optional[str]]) -> Optional[str]:
        """The other armed party named in the sentence, nearest to ``token``: the side a
        capture was made from, or the one a siege shuts in, when the clause names none."""
        sent = token.sent
        known = [s for s in sides if s]
        best: Optional[tuple[int, str]] = None
        for m in self.reading.actor_mentions:
            if not (sent.start_char <= m.span.start < sent.end_char) or self._speaks(m.span.start):
                continue
            actor = self.state_actor(m.actor_id)
            if not self.armed(actor) or any(self.book.related(actor, s) or self.book.related(m.actor_id, s)
                                            for s in known):
                continue
            distance = abs(m.span.start - token.idx)
            if best is None or distance < best[0]:
                best = (distance, actor)
        return best[1] if best else None

    def _speaks(self, char: int) -> bool:
        """The actor named at ``char`` is the subject of a speech verb: it tells, it does not fight."""
        tok = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if tok is None:
            return False
        root = tok.root
        while root.dep_ in {"compound", "amod", "det", "conj"} and root.head != root:
            root = root.head
        return root.dep_ == "nsubj" and root.head.lemma_.lower() in SPEECH_VERBS | WARN_VERBS

    # -- how sure ------------------------------------------------------------------
    def status(self, token: Token) -> tuple[str, list[str]]:
        """(status, speaker actor ids) of the finding read at ``token``."""
        found = read_status(token)
        status = found.status
        speakers = [a for tok in found.speakers for a in self.actors(tok)]
        if status != "asserted" and _presupposed(token) and not _local_modality(token):
            return "asserted", []
        if status == "hypothetical" and found.rule == "status:modal" and _perfect_modal(token):
            status = "claimed"
        if not speakers:
            speakers = self._warners(token)
            if speakers and status == "asserted":
                status = "claimed"
        return status, list(dict.fromkeys(speakers))

    def _warners(self, token: Token) -> list[str]:
        for anc in syntax.ancestors_upto(token, 4):
            if syntax.is_verb(anc) and anc.lemma_.lower() in WARN_VERBS:
                return [a for s in syntax.subjects(anc) for a in self.actors(s)]
        return []

    def reported_by(self, speakers: list[str]) -> list[str]:
        return speakers or self.ctx.narrator()

    # -- when ----------------------------------------------------------------------
    def date(self, token: Token, status: str, own_time: bool = True) -> DateRef:
        """A time in the token's clause; else the caption date of its line; else the
        publication day (nothing for what has not happened)."""
        if own_time:
            found = self.ctx.time_for(token, self.doc[token.i:token.i + 1], future=status in FUTURE_STATUSES)
            if found is not None and (found.value is not None or status in FUTURE_STATUSES):
                return found
        if status in FUTURE_STATUSES:
            return DateRef(None, None, None)
        return self.caption_date(token.idx) or self.ctx.default_date(status)

    def caption_date(self, char: int) -> Optional[DateRef]:
        """A full date that ends the line holding ``char`` dates what the line shows."""
        text = self.reading.document.text  # Doc.text re-joins every token
        lo = text.rfind("\n", 0, char) + 1
        hi = text.find("\n", char)
        hi = len(text) if hi < 0 else hi
        tail = text[lo:hi].rstrip(" .\t")
        for tm in self.reading.times:
            if lo <= tm.span.start < hi and tm.span.end >= lo + len(tail) and tm.rule.startswith("times:absolute") \
                    and tm.date.precision == "day":
                return tm.date
        return None

    # -- where it is said ------------------------------------------------------------
    def headline_end(self) -> int:
        """Where the headline ends (-1 for none): the first line, when it is the document's
        title or reads like one (short, no final full stop) and a body follows."""
        text = self.reading.document.text  # Doc.text re-joins every token
        end = text.find("\n")
        if end < 0 or not text[end:].strip():
            return -1
        first = text[:end].strip()
        title = (self.reading.document.title or "").strip()
        if (title and first == title) or (len(first.split()) <= 20 and first[-1:] not in {".", "!", "?", '"', "”"}):
            return end
        return -1

    def clause(self, token: Token) -> Span:
        span = syntax.clause_span(token if syntax.is_verb(token) else syntax.clause_head(token))
        return Span(span.start_char, span.end_char, span.text)

    def span(self, start: int, end: int) -> Span:
        """Tokens ``start``..``end`` (exclusive) as a text span."""
        piece = self.doc[start:end]
        return Span(piece.start_char, piece.end_char, piece.text)

    def finding_id(self, prefix: str, start: int, kind: str) -> str:
        """Unique across documents: the document id, the offset and the kind, hashed."""
        digest = hashlib.sha256(f"{self.reading.document.id}:{start}:{kind}".encode()).hexdigest()
        return f"{prefix}-{digest[:12]}"


def _presupposed(token: Token) -> bool:
    """The token sits in a temporal or relative clause below the speech verb that governs
    it: "after the army drove them out", "the LNA, which launched its offensive, denied …"."""
    current = token
    for _ in range(8):
        if current.head == current:
            return False
        if syntax.is_verb(current) and any(c.dep_ == "mark" and c.lower_ in TEMPORAL_MARKS
                                           for c in current.children):
            return True
        if current.dep_ in {"pcomp", "pobj"} and current.head.lower_ in TEMPORAL_MARKS:
            return True
        if current.dep_ == "relcl":
            return True
        current = current.head
        if syntax.is_verb(current) and current.lemma_.lower() in SPEECH_VERBS:
            return False
    return False


def _local_modality(token: Token) -> bool:
    """The token's own clause is negated, modal or future."""
    return any(c.dep_ in {"aux", "neg"} and c.lower_ in HYPOTHETICAL_MODALS | {"not", "n't", "never", "will", "can"}
               for c in token.children)


def _perfect_modal(token: Token) -> bool:
    """"may have died": a modal with a perfect auxiliary."""
    auxes = {c.lower_ for c in token.children if c.dep_ == "aux"}
    return bool(auxes & HYPOTHETICAL_MODALS) and bool(auxes & {"have", "'ve"})


__all__ = ["ClaimContext"]
