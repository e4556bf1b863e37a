"""Snippet and sentence event classes: from the rules, and from a small linear model.

Two things live here, both usable by the event stage:

- ``rule_label``: the CASE 2021 code (ACLED sub-event type, or one of the five classes ACLED
  does not code) that the rule-based events of a snippet amount to;
- ``SnippetClassifier``: TF-IDF over word and character n-grams, plus features from the
  rule-based events (``event_features``), into a linear SVM whose scores a softmax turns
  into probabilities (temperature fitted on held-out folds). It is
  trained on CASE 2021 dev by ``frontlines train case2021`` (evaluate/training.py, which
  needs scikit-learn); predicting needs only NumPy, so the default install can use it.

A model may also carry a block of word vectors (``FeatureConfig.word_vectors``; the table is
built by ``reading/word_vectors.py`` at training time and folded into one score per label and
word, so predicting still needs only NumPy), as the shipped default model does, and a
sentence-embedding block (``FeatureConfig.embeddings``; encoders in ``reading/encoders.py``, an
optional extra at prediction time too): ``knowledge/data/case2021_mpnet.npz`` is the shipped
one, on all-mpnet-base-v2.

The shipped default model is ``knowledge/data/case2021_classifier.npz``: label names, the n-gram
vocabulary (terms seen in at least two training snippets), IDF weights and coefficients, the
word table's words with their rarity weights and scores, and a short digest of each training text so that a scorer can tell a training fit from an
estimate. No snippet text is stored.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

from frontlines.knowledge.event_labels import ACLED_TO_CASE, NON_CONFLICT_CODES
from frontlines.knowledge.triggers import DATA_FILE as TRIGGER_FILE
from frontlines.model import EventMention, Reading
from frontlines.reading.encoders import embed
from frontlines.reading.merge import CROWD_CONTROL
from frontlines.reading.status import HAPPENED_STATUSES

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "case2021_classifier.npz"
# The same classifier with an all-mpnet-base-v2 embedding block (the embeddings extra + `make mpnet`).
MPNET_MODEL = DEFAULT_MODEL.with_name("case2021_mpnet.npz")
NAMED_MODELS = {"default": DEFAULT_MODEL, "mpnet": MPNET_MODEL}
FORMAT = "frontlines-snippet-classifier/1"
HAPPENED = HAPPENED_STATUSES

SectorOf = Callable[[str], Optional[str]]

# --------------------------------------------------------------------------- rules → CASE code

# PLOVER types with no ACLED sub-event type, by the class CASE gives them. ACLED codes what
# armed actors and crowds do; talks, sanctions and demands are diplomacy (DIPLO), blame and
# accusations attribute responsibility (ATTRIB), a withdrawal or a handover transfers
# territory without a fight (ACLED's "Non-violent transfer of territory"; a withdrawal only when
# someone takes the ground: ``RELOCATION`` below).
PLOVER_FALLBACK: dict[str, str] = {
    "AGREE": "AGREEMENT", "CONSULT": "DIPLO", "SUPPORT": "DIPLO", "COOPERATE": "DIPLO", "REQUEST": "DIPLO",
    "REJECT": "DIPLO", "THREATEN": "DIPLO", "SANCTION": "DIPLO", "AID": "DIPLO", "ACCUSE": "ATTRIB",
    "RETREAT": "NON_VIOL_TERRIT_TRANSFER", "CONCEDE": "NON_VIOL_TERRIT_TRANSFER",
    "MOBILIZE": "CHANGE_TO_GROUP_ACT", "PROTEST": "PEACE_PROTEST", "COERCE": "OTHER", "ASSAULT": "ATTACK",
}
# ACLED's codebook: a transfer of territory is ground acquired without a battle; forces that only
# pull back, redeploy or head elsewhere change their activity ("Change to group/activity").
RELOCATION = "CHANGE_TO_GROUP_ACT"
_TAKEN_OVER = re.compile("|".join((
    r"\b(?:took|take[sn]?|taking|gain(?:ed|s|ing)?|seiz(?:ed|es|ing)|assum(?:ed|es|ing)|wrest(?:ed|s|ing)?|"
    r"hand(?:ed|s|ing)?) (?:full |complete |over )?control\b",  # "took control", "handed over control"
    r"\bin the hands of\b", r"\b(?:took|taken|tak(?:es|ing)) over\b", r"\bhand-?over\b",
    r"\bhand(?:ed|s|ing)? (?:\w+ ){0,3}?(?:over|back)\b",  # "handed the base over"
    r"\bcontroll?(?:ed|s) (?:the|all|most)\b",  # "controlled the town", not "government-controlled areas"
    r"\bin (?:its|their) place\b",
    r"\b(?:mov(?:ed|es|ing)|walk(?:ed|s|ing)|march(?:ed|es|ing)|roll(?:ed|s|ing)) (?:back )?in(?:to)?\b",
    r"\b(?:entered|occupied|recaptured|retook|regained|captured|seized)\b")), re.I)
CRIME_SECTORS = frozenset({"CRM"})
# What police do to crime as to armed groups: among drugs or smuggling, it is crime policing.
CRIME_POLICING = frozenset({"Disrupted weapons use", "Arrests"})


def event_start(event: EventMention) -> int:
    if event.trigger is not None:
        return event.trigger.start
    return min((s.start for s in event.evidence), default=0)


def main_event(events: Sequence[EventMention]) -> Optional[EventMention]:
    """The event a snippet is about: the first (in text order) that happened and that ACLED
    codes; else the first that happened; else the first."""
    ordered = sorted(events, key=event_start)
    for keep in (lambda e: e.status in HAPPENED and e.acled_sub_event_type is not None,
                 lambda e: e.status in HAPPENED,
                 lambda e: True):
        found = [e for e in ordered if keep(e)]
        if found:
            return found[0]
    return None


# The ``[nonconflict]`` word lists of the trigger file that name each class.
NONCONFLICT_LISTS = (("NATURAL_DISASTER", ("natural",)), ("MAN_MADE_DISASTER", ("man_made", "man_made_forms")),
                     ("ORG_CRIME", ("crime",)))


@lru_cache(maxsize=1)
def _nonconflict_patterns() -> dict[str, re.Pattern[str]]:
    data = tomllib.loads(TRIGGER_FILE.read_text(encoding="utf-8")).get("nonconflict", {})
    out = {}
    for code, keys in NONCONFLICT_LISTS:
        words = sorted((w for key in keys for w in data.get(key, ())), key=len, reverse=True)
        if words:
            out[code] = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")(?:s|es)?\b")
    return out


# "fire" of weapons, not of a blaze: "opened fire", "a cease-fire", "under fire", "fire tear gas
# at". Blanked before the disaster words are matched. "fire at" stays: "a fire at the depot".
_WEAPON_FIRE = re.compile(r"\b(?:open(?:ed|s|ing)?|cease-?|sniper|gun|artillery|mortar|rocket|tank|machine[- ]gun|heavy|"
                          r"return(?:ed|s|ing)?|under|exchanges? of|exchang(?:ed|ing)|hold(?:ing)?|held|crossfire) ?fire\b|"
                          r"\bfire (?:tear|teargas|rubber|live|warning|shots?|rockets?|missiles?|shells?|"
                          r"mortars?|bullets?|rounds?|guns?|weapons?)\b")


def disaster_class(text: str) -> Optional[str]:
    """NATURAL_DISASTER or MAN_MADE_DISASTER when the text names a disaster or an accident
    from the trigger file's ``[nonconflict]`` lists; the first one named decides. The fire of
    weapons ("opened fire", "fire tear gas") is no blaze."""
    lower = _WEAPON_FIRE.sub(" ", text.lower())
    hits = [(m.start(), code) for code, pattern in _nonconflict_patterns().items() if code.endswith("_DISASTER")
            for m in [pattern.search(lower)] if m]
    return min(hits)[1] if hits else None


def crime_named(text: str) -> bool:
    """The text names organised crime from the trigger file's ``[nonconflict] crime`` list
    (drugs, smuggling, robbery, extortion ...)."""
    pattern = _nonconflict_patterns().get("ORG_CRIME")
    return pattern is not None and pattern.search(text.lower()) is not None


def rule_label(events: Sequence[EventMention], text: str, sector_of: SectorOf) -> tuple[str, str]:
    """The CASE code the rule-based events of a snippet amount to, and why.

    0. A text that claims or denies responsibility for an act ("claimed responsibility for the
       bombing", "denied any involvement in the attack") is about who is to blame: ATTRIB.
    1. The main event (``main_event``) with an ACLED sub-event type gives its code, except
       that an event whose actors are all criminal (sector CRM) is ORG_CRIME, and so is a
       seizure or an arrest in a text that names organised crime (``crime_named``: drugs,
       smuggling), which ACLED's codebook leaves out.
    2. A main event with no ACLED type takes the class of its PLOVER type (``PLOVER_FALLBACK``);
       a withdrawal is a transfer of territory only when the text tells someone taking the
       ground (``_TAKEN_OVER``), otherwise the group's relocation (``RELOCATION``).
    3. No event: a disaster or accident word gives NATURAL_DISASTER or MAN_MADE_DISASTER, a
       word of organised crime ORG_CRIME; anything else is OTHER.
    """
    if _ATTRIBUTION.search(text):
        return "ATTRIB", "responsibility claimed or denied"
    event = main_event(events)
    if event is None:
        code = disaster_class(text)
        if code:
            return code, "no event; disaster word"
        return ("ORG_CRIME", "no event; crime word") if crime_named(text) else ("OTHER", "no event")
    sectors = {sector_of(a) for a in event.actors}
    if event.actors and sectors <= CRIME_SECTORS:
        return "ORG_CRIME", f"{event.rule}: criminal actors"
    if event.acled_sub_event_type in CRIME_POLICING and crime_named(text):
        return "ORG_CRIME", f"{event.rule}: crime named"
    if event.acled_sub_event_type:
        return ACLED_TO_CASE[event.acled_sub_event_type], event.rule
    why = f"{event.rule} ({event.status}, no ACLED type)"
    if event.plover == "RETREAT" and event.mode == "withdraw" and not _TAKEN_OVER.search(text):
        return RELOCATION, why + "; no one takes the ground"
    return PLOVER_FALLBACK.get(event.plover, "OTHER"), why


def reading_sector_of(reading: Reading) -> SectorOf:
    return lambda actor_id: reading.actors[actor_id].sector if actor_id in reading.actors else None


# --------------------------------------------------------------------------- features


def event_features(events: Sequence[EventMention], text: str, sector_of: SectorOf) -> list[str]:
    """What the rules found, as feature names for the classifier.

    The event stage calls this with the mentions of one sentence (``sector_of`` from its
    ActorBook); training calls it with a snippet's Reading (``reading_features``). Names:
    ``rule=`` the rules' CASE code, then per event its PLOVER type, mode, ACLED sub-event
    type, status and the sectors of its actors and targets; beside a protest, how the crowd was
    met or behaved (``protest_features``).
    """
    feats = ["rule=" + rule_label(events, text, sector_of)[0]]
    if not events:
        feats.append("events=0")
    # What the story is about beside its acts: a disaster or a crime, or who is to blame.
    disaster = disaster_class(text)
    if disaster:
        feats.append(f"text={disaster}")
    if crime_named(text):
        feats.append("text=ORG_CRIME")
    if _RESPONSIBILITY.search(text):
        feats.append("text=responsibility")
    for e in events:
        happened = "happened" if e.status in HAPPENED else "not-happened"
        feats += [f"plover={e.plover}", f"mode={e.plover}/{e.mode or '-'}", f"status={happened}",
                  f"acled={e.acled_sub_event_type or '-'}"]
        feats += [f"actor={sector_of(a) or '?'}" for a in e.actors] or ["actor=none"]
        feats += [f"target={sector_of(t) or '?'}" for t in e.targets] or ["target=none"]
        feats += [f"{e.plover}:actor={sector_of(a) or '?'}" for a in e.actors]
    feats += protest_features(events, text, sector_of)
    return sorted(set(feats))


# Sides of an actor for the role features below: the state's forces and officials, armed groups
# outside the state, and civilians (protesters, residents, activists).
STATE_SECTORS = frozenset({"GOV", "MIL", "POL"})
NON_STATE_SECTORS = frozenset({"REB", "UAF", "CRM", "PTY", "INS", "MIL_UNK"})
_CROWD_WORDS = r"protest|demonstrat|marcher|rall(?:y|ies)|crowd|sit-in|activist|rioter|student"
_CROWD = re.compile(_CROWD_WORDS, re.I)
# Any crowd gathered, protesting or not, as the sentence of a crowd-control act names it (events.py).
CROWDS = re.compile(_CROWD_WORDS + r"|mourner|striker|gathering|supporter", re.I)
# Words of how a crowd was met or behaved, read only beside a protest or an act of force on a
# crowd (ACLED's codebook: intervention = arrests, dispersal, tear gas and the like; excessive
# force = live fire, killings; a violent demonstration = the protesters' own violence, stones,
# arson, looting).
_CROWD_CONTROL = re.compile(r"\b(?:tear[- ]?gas|water[- ]cannons?|rubber bullets?|pepper spray|batons?|baton[- ]charged?|"
                            r"stun grenades?|dispers(?:e|ed|es|ing|al)|br(?:oke|eak|eaking|oken) up|"
                            r"crack(?:ed|ing)? down|crackdown|suppress(?:ed|es|ing|ion)?)\b", re.I)
_LETHAL_FORCE = re.compile(r"\b(?:live (?:ammunition|rounds|fire)|open(?:ed|s)? fire|fired (?:on|at|into)|shot dead)\b", re.I)
_CROWD_VIOLENCE = re.compile(r"\b(?:thr(?:ew|ows?|owing|own)|hurl(?:s|ed|ing)?|pelt(?:s|ed|ing)?)\b[^.]{0,30}\b(?:stones?|rocks?|"
                             r"bottles?|petrol bombs?|molotov|projectiles?|firebombs?)|\b(?:set (?:on )?fire|set ablaze|"
                             r"torch(?:ed|ing)|smash(?:ed|ing)|loot(?:ed|ing|ers?)|vandali[sz](?:ed|ing)|ransack(?:ed|ing))\b",
                             re.I)
_CASUALTIES = re.compile(r"\b(?:killed|died|dead|deaths?|injur(?:ed|ies|ing)|wounded|hurt)\b", re.I)
_GRIEVANCE = re.compile(r"\b(?:against|over|decry(?:ing)?|condemn(?:ing|ed)?|denounc(?:e|ing|ed)|justice for|"
                        r"in protest (?:at|of)|mourn(?:ing)?|in reaction to|in response to)\b[^.,;:]*$", re.I)
# A denial may name the doer before the blame: "denied its planes were responsible for".
_ATTRIBUTION = re.compile(r"\bclaim(?:ed|s|ing)? (?:the |its |full )?responsibility\b|"
                          r"\bresponsibility (?:was|has been|had been) claimed\b|"
                          r"\bden(?:y|ied|ies|ying)\b[^.;:]{0,40}?\b(?:responsib(?:le|ility)|involvement|involved|"
                          r"role|behind)\b", re.I)
_RESPONSIBILITY = re.compile(r"\b(?:responsib(?:le|ility)|blam(?:e|ed|es|ing)|accus(?:e|ed|es|ing|ation)|"
                            r"attribut(?:e|ed|es|ing)|culprits?|perpetrators?)\b", re.I)
_ARREST = re.compile(r"\b(?:arrest(?:s|ed|ing)?|detain(?:s|ed|ing)?|detentions?|round(?:ed)? up)\b", re.I)
_REMOTE_MODES = frozenset({"explosives", "heavy-weapons", "aerial", "drone", "suicide-attack"})
_RIOT = re.compile(r"riot|rioting|stone", re.I)
_CLASH = re.compile(r"\b(?:clash|battle|fight|skirmish)", re.I)


def side_of(actor_ids: Sequence[str], sector_of: SectorOf) -> str:
    """``state``, ``non-state``, ``civilian``, ``other`` or ``none`` for a role's actors (the
    state wins a mixed role: "the army and allied militias")."""
    sectors = {sector_of(a) for a in actor_ids}
    if not sectors:
        return "none"
    if sectors & STATE_SECTORS:
        return "state"
    if sectors & NON_STATE_SECTORS:
        return "non-state"
    return "civilian" if "CVL" in sectors else "other"


def protest_features(events: Sequence[EventMention], text: str, sector_of: SectorOf) -> list[str]:
    """How a crowd was met or behaved, when the events hold a protest or an act of force on a
    crowd (a target named "protesters", "demonstrators", "the crowd" ...). ACLED's codebook
    orders the classes: a mob with no demonstration named is mob violence; protesters' own
    violence (a riot, a clash, stones, arson, looting) makes a violent demonstration; force by
    the authorities (or by no one named) with deaths or injuries, or live fire, is excessive
    force; arrests, dispersal, tear gas and the like are an intervention; else peaceful.

    An act of force named as what the crowd protests ("a protest against the killing of ...",
    "rallies to decry the arrests") is its grievance, not how it was met, and is left out.
    Names: ``role=CASE_CODE`` and ``protest+cue:NAME`` for the word cues found in the text."""
    protests = [e for e in events if e.plover == "PROTEST"]
    acts = [e for e in events if e.plover in {"ASSAULT", "COERCE"} and e.mode not in _REMOTE_MODES
            and not _is_grievance(e, text)]
    on_crowd = [e for e in acts if e.mode == CROWD_CONTROL or any(_CROWD.search(s.text) for s in e.target_spans)]
    if not protests and not on_crowd:
        return []
    riot = any(e.mode == "riot" for e in protests)
    cues = {name for name, pattern in (("crowd-control", _CROWD_CONTROL), ("lethal-force", _LETHAL_FORCE),
                                       ("crowd-violence", _CROWD_VIOLENCE), ("casualties", _CASUALTIES),
                                       ("arrest", _ARREST))
            if any(not _GRIEVANCE.search(text[max(0, m.start() - 60):m.start()]) for m in pattern.finditer(text))}
    # A clash is named as one ("clashes", "battled"): the attack/clash choice of an act with one side
    # named ("police operations") says nothing of the crowd.
    clash = any(e.trigger is not None and _CLASH.search(e.trigger.text) for e in acts)
    arrest = any(e.mode == "arrest" for e in acts) or "arrest" in cues
    force = bool(on_crowd) or "lethal-force" in cues or any(
        e.plover == "ASSAULT" and side_of(e.actors, sector_of) in {"state", "none"} for e in acts)
    hurt = any(e.fatalities or e.injured for e in acts + protests) or "casualties" in cues
    # A mob named with no demonstration, riot or clash beside it: ACLED's mob violence.
    mob = riot and not any(e.mode != "riot" or e.trigger is None or _RIOT.search(e.trigger.text)
                           or _CLASH.search(e.trigger.text) or _CROWD.search(e.trigger.text) for e in protests)
    if mob:
        role = "MOB_VIOL"
    elif riot or clash or "crowd-violence" in cues:
        role = "VIOL_DEMONSTR"
    elif "lethal-force" in cues or (hurt and (force or "crowd-control" in cues)):
        role = "FORCE_AGAINST_PROTEST"
    elif arrest or force or "crowd-control" in cues:
        role = "PROTEST_WITH_INTER"
    else:
        role = "PEACE_PROTEST"
    return ["role=" + role] + [f"protest+cue:{c}" for c in sorted(cues)]


def _is_grievance(event: EventMention, text: str) -> bool:
    """Whether the act is named as the object of a protest: "against", "over", "decry", "justice
    for" ... shortly before its trigger in the same clause."""
    start = _start_in(event, text)
    return start is not None and bool(_GRIEVANCE.search(text[max(0, start - 60):start]))


def _start_in(event: EventMention, text: str) -> Optional[int]:
    """Where the event's trigger starts in ``text``: the document's offsets when ``text`` is the
    document, else relative to the event's sentence (the event stage passes one sentence)."""
    trig = event.trigger
    if trig is None:
        return None
    if text[trig.start:trig.end] == trig.text:
        return trig.start
    if event.sentence is not None and text == event.sentence.text:
        return trig.start - event.sentence.start
    found = text.find(trig.text)
    return found if found >= 0 else None


def reading_features(reading: Reading) -> list[str]:
    return event_features(reading.events, reading.document.text, reading_sector_of(reading))


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_DIGITS = re.compile(r"\d")


def _folded(word: str) -> str:
    return _DIGITS.sub("0", word.replace("’", "'"))


def words(text: str) -> list[str]:
    """Lower-case word tokens, digits folded to 0 (a count is a count, whatever its value)."""
    return [_folded(w) for w in _WORD.findall(text.lower())]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """The tokens of ``words`` with where each lies in ``text`` (start, end)."""
    return [(m.start(), m.end(), _folded(m.group())) for m in _WORD.finditer(text.lower())]


@dataclass(frozen=True)
class FeatureConfig:
    word_ngrams: int = 2  # word n-grams of 1..word_ngrams
    char_ngrams: tuple[int, int] = (3, 5)  # character n-grams inside word boundaries; (0, 0): none
    use_rules: bool = True
    rule_weight: float = 0.5  # length of the rule block beside the unit-length text block
    embeddings: bool = False  # add a sentence embedding (the optional [embeddings] extra)
    embed_weight: float = 1.5  # length of the embedding block
    encoder: str = "minilm"  # which sentence encoder (reading/encoders.py), with embeddings
    word_vectors: bool = False  # add the mean of the words' vectors (reading/word_vectors.py)
    # The mean of a snippet's unit word vectors is about 0.5 long (0.48-0.54 over CASE dev), so
    # 3 gives the block the sentence embedding's length.
    word_weight: float = 3.0
    word_encoder: str = "mpnet"  # the encoder that embedded each word, with word_vectors


def text_terms(text: str, config: FeatureConfig) -> Counter[str]:
    """Term counts of one text: ``w:`` word n-grams and ``c:`` character n-grams."""
    toks = words(text)
    terms: Counter[str] = Counter()
    for n in range(1, config.word_ngrams + 1):
        for i in range(len(toks) - n + 1):
            terms["w:" + " ".join(toks[i:i + n])] += 1
    lo, hi = config.char_ngrams
    if lo:
        for tok in toks:
            padded = f" {tok} "
            for n in range(lo, hi + 1):
                for i in range(len(padded) - n + 1):
                    terms["c:" + padded[i:i + n]] += 1
    return terms


def text_digest(text: str) -> str:
    """A short fingerprint of a text (whitespace and case folded): no text is kept, only this."""
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Choice:
    """What ``choose`` picked: a candidate, its probability, and the model's own favourite."""

    label: Optional[str]
    prob: float
    top_label: str
    top_prob: float


@dataclass
class SnippetClassifier:
    labels: tuple[str, ...]
    terms: tuple[str, ...]  # text terms, then "r:"-prefixed rule features
    idf: np.ndarray  # one weight per term
    coef: np.ndarray  # labels × terms
    intercept: np.ndarray  # one per label
    config: FeatureConfig = field(default_factory=FeatureConfig)
    meta: dict[str, Any] = field(default_factory=dict)
    temperature: float = 1.0  # probabilities = softmax(temperature * scores), fitted on held-out folds
    embed_coef: Optional[np.ndarray] = None  # labels × embedding size, with config.embeddings
    # With config.word_vectors: the table's words, each word's rarity weight, and labels × words
    # scores (weight × the word's vector · the label's coefficients): the word block folded.
    word_terms: tuple[str, ...] = ()
    word_weights: Optional[np.ndarray] = None
    word_scores: Optional[np.ndarray] = None

    def __post_init__(self) -> None:
        self.index = {t: i for i, t in enumerate(self.terms)}
        self.word_index = {w: i for i, w in enumerate(self.word_terms)}
        self._seen = frozenset(self.meta.get("train_digests", ()))
        if self.coef.shape != (len(self.labels), len(self.terms)) or self.idf.shape != (len(self.terms),):
            raise ValueError(f"model arrays do not fit: {len(self.labels)} labels, {len(self.terms)} terms, "
                             f"coef {self.coef.shape}, idf {self.idf.shape}")
        if self.config.word_vectors and (
                self.word_scores is None or self.word_weights is None
                or self.word_scores.shape != (len(self.labels), len(self.word_terms))
                or self.word_weights.shape != (len(self.word_terms),)):
            raise ValueError(f"the model is configured for word vectors but its word arrays do not fit "
                             f"{len(self.labels)} labels and {len(self.word_terms)} words")

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "snippet classifier"))

    @property
    def uses_rules(self) -> bool:
        return self.config.use_rules

    # vectors -------------------------------------------------------------
    def vector(self, text: str, rule_features: Iterable[str] = ()) -> tuple[np.ndarray, np.ndarray]:
        """(term indices, values): the sparse row the model scores. Both blocks are TF-IDF with
        sublinear counts, each of unit length; the rule block is then scaled by ``rule_weight``."""
        idx: list[int] = []
        val: list[float] = []
        blocks: list[Counter[str]] = [text_terms(text, self.config)]
        if self.config.use_rules:
            blocks.append(Counter("r:" + f for f in set(rule_features)))
        for block, scale in zip(blocks, (1.0, self.config.rule_weight)):
            bi = [self.index[t] for t in block if t in self.index]
            if not bi:
                continue
            bv = np.array([1.0 + math.log(block[self.terms[i]]) for i in bi]) * self.idf[bi]
            bv *= scale / np.linalg.norm(bv)
            idx += bi
            val += bv.tolist()
        return np.array(idx, dtype=np.int64), np.array(val, dtype=np.float64)

    def scores(self, text: str, rule_features: Iterable[str] = (),
               embedding: Optional[np.ndarray] = None) -> np.ndarray:
        """The raw linear score of every label. A model with embeddings embeds ``text`` unless
        ``embedding`` (from ``embed``, for batches) is given."""
        idx, val = self.vector(text, rule_features)
        out = self.coef[:, idx].astype(np.float64) @ val + self.intercept
        if self.config.embeddings:
            if self.embed_coef is None:
                raise ValueError("the model is configured for embeddings but has no embedding weights")
            e = embed([text], self.config.encoder)[0] if embedding is None else np.asarray(embedding, dtype=np.float64)
            out = out + self.embed_coef.astype(np.float64) @ (e * self.config.embed_weight)
        if self.config.word_vectors:
            out = out + self.word_block(text)
        return out

    def word_block(self, text: str) -> np.ndarray:
        """The word vectors' share of every label's score: the rarity-weighted mean of the
        scores of the text's words (zeros when the table has none of them)."""
        rows = [self.word_index[w] for w in words(text) if w in self.word_index]
        if not rows or self.word_scores is None or self.word_weights is None:
            return np.zeros(len(self.labels))
        block = self.word_scores[:, rows].astype(np.float64).sum(axis=1) / self.word_weights[rows].sum()
        return self.config.word_weight * block

    def probabilities(self, text: str, rule_features: Iterable[str] = (),
                      embedding: Optional[np.ndarray] = None) -> np.ndarray:
        z = self.temperature * self.scores(text, rule_features, embedding)
        p = np.exp(z - z.max())
        return p / p.sum()

    # what the event stage calls -----------------------------------------
    def classify(self, text: str, rule_features: Iterable[str] = (),
                 embedding: Optional[np.ndarray] = None) -> list[tuple[str, float]]:
        """Every label with its probability, most probable first.

        ``rule_features``: ``event_features(...)`` of the rule-based events of the same text;
        a model trained with them (``uses_rules``) is less accurate without them."""
        p = self.probabilities(text, rule_features, embedding)
        order = np.argsort(-p, kind="stable")
        return [(self.labels[i], float(p[i])) for i in order]

    def choose(self, text: str, candidates: Sequence[Optional[str]], rule_features: Iterable[str] = (),
               embedding: Optional[np.ndarray] = None) -> Optional[Choice]:
        """The most probable of competing readings of one sentence.

        ``candidates`` are ACLED sub-event types ("Attack", "Armed clash"), CASE codes
        ("NATURAL_DISASTER", "DIPLO") or None (an event ACLED does not code, which stands for
        the five non-ACLED classes together). Returns None when there is no candidate."""
        probs = dict(self.classify(text, rule_features, embedding))
        top_label, top_prob = max(probs.items(), key=lambda kv: kv[1])
        best: Optional[Choice] = None
        for cand in candidates:
            if cand is None:
                prob = sum(probs.get(c, 0.0) for c in NON_CONFLICT_CODES)
            else:
                prob = probs.get(ACLED_TO_CASE.get(cand, cand), 0.0)
            if best is None or prob > best.prob:
                best = Choice(cand, prob, top_label, top_prob)
        return best

    def seen_count(self, texts: Iterable[str]) -> int:
        """How many of these texts the model was trained on (by digest)."""
        return sum(text_digest(t) in self._seen for t in texts)

    # files ---------------------------------------------------------------
    def save(self, path: Path) -> Path:
        """Write the model as one compressed ``.npz`` (no pickles: plain arrays and JSON)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        header = {"format": FORMAT, "config": asdict(self.config), "temperature": self.temperature,
                  "meta": self.meta}
        quantised, scale = _quantised(self.coef)
        extra = {} if self.embed_coef is None else {"embed_coef": self.embed_coef.astype(np.float16)}
        if self.word_scores is not None and self.word_weights is not None:
            word_scores, word_scale = _quantised(self.word_scores)
            extra.update(word_terms=_pack(self.word_terms), word_weights=self.word_weights.astype(np.float32),
                         word_scores=word_scores, word_scale=word_scale)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **extra, labels=np.array(self.labels), terms=_pack(self.terms),
                                idf=self.idf.astype(np.float32), coef=quantised,
                                coef_scale=scale, intercept=self.intercept.astype(np.float32),
                                header=np.array(json.dumps(header, ensure_ascii=False)))
        return path

    @classmethod
    def load(cls, path: Optional[Path] = None) -> "SnippetClassifier":
        path = Path(path) if path is not None else DEFAULT_MODEL
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no classifier model there (train one: frontlines train case2021 "
                                    f"--data ../shared/eval/dev/case2021.jsonl --out {path})")
        try:
            with np.load(path, allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                if header.get("format") != FORMAT:
                    raise ValueError(f"format {header.get('format')!r}, expected {FORMAT!r}")
                cfg = header["config"]
                config = FeatureConfig(word_ngrams=int(cfg["word_ngrams"]), char_ngrams=tuple(cfg["char_ngrams"]),
                                       use_rules=bool(cfg["use_rules"]), rule_weight=float(cfg["rule_weight"]),
                                       embeddings=bool(cfg.get("embeddings", False)),
                                       embed_weight=float(cfg.get("embed_weight", 1.5)),
                                       encoder=str(cfg.get("encoder", "minilm")),
                                       word_vectors=bool(cfg.get("word_vectors", False)),
                                       word_weight=float(cfg.get("word_weight", 3.0)),
                                       word_encoder=str(cfg.get("word_encoder", "mpnet")))
                embed_coef = z["embed_coef"].astype(np.float32) if "embed_coef" in z.files else None
                coef = z["coef"].astype(np.float32) * z["coef_scale"].astype(np.float32)[:, None]
                words_given = "word_scores" in z.files
                return cls(labels=tuple(str(x) for x in z["labels"]), terms=_unpack(z["terms"]),
                           idf=z["idf"].astype(np.float64), coef=coef,
                           intercept=z["intercept"].astype(np.float64), config=config, meta=header.get("meta", {}),
                           temperature=float(header.get("temperature", 1.0)), embed_coef=embed_coef,
                           word_terms=_unpack(z["word_terms"]) if words_given else (),
                           word_weights=z["word_weights"].astype(np.float64) if words_given else None,
                           word_scores=(z["word_scores"].astype(np.float32) * z["word_scale"][:, None]
                                        if words_given else None))
        except (OSError, KeyError, ValueError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: not a frontlines classifier model ({exc})") from exc


def _quantised(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with one float32 scale per row: an eighth of float64, and the scores move by
    under 1 % of a label's largest weight. With the word scores quantised too, no top label of
    the 411 CASE dev snippets changed, and no word block moved by more than 0.012 (the largest
    word's share is 4.0)."""
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    return np.round(matrix / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def _pack(terms: Sequence[str]) -> np.ndarray:
    # One UTF-8 blob: a unicode array would pad every term to the longest.
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)


def _unpack(blob: np.ndarray) -> tuple[str, ...]:
    text = blob.tobytes().decode("utf-8")
    return tuple(text.split("\n")) if text else ()


@lru_cache(maxsize=4)
def _default(path: Path) -> SnippetClassifier:
    return SnippetClassifier.load(path)


def model_file(name: str) -> Path:
    """A shipped model by name (``default``, ``mpnet``), or a model file's path."""
    if name in NAMED_MODELS:
        return NAMED_MODELS[name]
    path = Path(name)
    if not path.is_file():
        raise FileNotFoundError(f"{name}: no such model file (or one of: {', '.join(NAMED_MODELS)})")
    return path


def load_default() -> SnippetClassifier:
    """The shipped model, loaded once per process."""
    return _default(DEFAULT_MODEL)


def classify(text: str, rule_features: Iterable[str] = ()) -> list[tuple[str, float]]:
    """CASE 2021 codes of a snippet or sentence with their probabilities, most probable first,
    from the shipped model (see ``SnippetClassifier.classify``)."""
    return load_default().classify(text, tuple(rule_features))



# --------------------------------------------------------------------------- for the event stage

# Where the rules' choice of ACLED sub-event type is a judgement the model may revisit: between
# the sub-types of one ACLED event type (a battle that took ground, a protest that was met with
# force), and between an attack and a clash (the ``@assault`` choice, made from the target's
# sector). A weapon named by the trigger ("air strike", "IED") is a fact, not a judgement: the
# explosions keep their sub-type.
COMPETING: dict[str, tuple[str, ...]] = {}
for _group in (("Armed clash", "Government regains territory", "Non-state actor overtakes territory", "Attack"),
               ("Peaceful protest", "Protest with intervention", "Excessive force against protesters",
                "Violent demonstration", "Mob violence"),
               ("Attack", "Armed clash", "Abduction/forced disappearance", "Sexual violence"),
               ("Change to group/activity", "Headquarters or base established", "Non-violent transfer of territory",
                "Other", "Agreement")):
    for _sub in _group:
        COMPETING[_sub] = tuple(dict.fromkeys(COMPETING.get(_sub, ()) + _group))


def competing(sub_event_type: Optional[str]) -> tuple[str, ...]:
    """The ACLED sub-event types the model may choose between for an event the rules coded
    ``sub_event_type`` (itself first); () when the rules' choice stands."""
    if sub_event_type is None or sub_event_type not in COMPETING:
        return ()
    return (sub_event_type,) + tuple(s for s in COMPETING[sub_event_type] if s != sub_event_type)


def refine_mentions(model: SnippetClassifier, mentions: Sequence[EventMention], sector_of: SectorOf,
                    main: bool = True, uncode: bool = False, min_gain: float = 0.0) -> list[EventMention]:
    """The mentions with the ACLED sub-event types the model prefers.

    Each sentence is classified once, with the rule features of its own mentions (``event_features``).
    With ``main``, the sentence's main event (``main_event``) takes the model's most probable ACLED
    sub-event type, whatever the rules said; with ``uncode`` too, a sentence the model puts in a
    class ACLED does not code (DIPLO, ATTRIB, crime, disasters) leaves its main event uncoded.
    Every other coded mention may change only to a ``competing`` sub-type the model finds more
    probable by more than ``min_gain``. Mentions ACLED does not code (future, denied, statements)
    are left alone, and a changed mention says so in ``rule`` (``+model:case2021``). Pure:
    returns new mentions in the same order."""
    from dataclasses import replace

    from frontlines.knowledge.event_labels import CASE_TO_ACLED
    from frontlines.knowledge.ontology import acled_event_type

    def key_of(m: EventMention) -> tuple[int, str]:
        span = m.sentence or m.evidence[0]
        return (span.start, span.text)

    by_sentence: dict[tuple[int, str], list[EventMention]] = {}
    for m in mentions:
        by_sentence.setdefault(key_of(m), []).append(m)
    mains = {id(main_event(group)) for group in by_sentence.values()} if main else set()

    def revisable(m: EventMention) -> bool:
        return m.acled_sub_event_type is not None and (id(m) in mains or bool(competing(m.acled_sub_event_type)))

    # Each sentence is classified once; a model with an encoder embeds them in one batch.
    keys = list(dict.fromkeys(key_of(m) for m in mentions if revisable(m)))
    vectors = embed([k[1] for k in keys], model.config.encoder) if model.config.embeddings and keys else None
    ranked = {k: model.classify(k[1], event_features(by_sentence[k], k[1], sector_of),
                                vectors[i] if vectors is not None else None) for i, k in enumerate(keys)}
    out: list[EventMention] = []
    for m in mentions:
        key = key_of(m)
        if not revisable(m):
            out.append(m)
            continue
        probs = dict(ranked[key])
        new: Optional[str] = m.acled_sub_event_type
        if id(m) in mains:
            top = ranked[key][0][0]
            if top in CASE_TO_ACLED:
                new = CASE_TO_ACLED[top]
            elif uncode:
                new = None
        else:
            prob = lambda sub: probs.get(ACLED_TO_CASE[sub], 0.0)  # noqa: E731
            best = max(competing(m.acled_sub_event_type), key=prob)
            if prob(best) > prob(m.acled_sub_event_type) + min_gain:
                new = best
        if new != m.acled_sub_event_type:
            m = replace(m, acled_sub_event_type=new, acled_event_type=acled_event_type(new),
                        rule=m.rule + "+model:case2021")
        out.append(m)
    return out


class RefineStage:
    """A reading stage after the event stage: a snippet classifier revises the ACLED sub-event
    types of the events (``refine_mentions`` with ``uncode``). Opt-in (``Reader.load(classifier=...)``)."""

    name = "refine"
    assigns = ("events",)

    def __init__(self, model: SnippetClassifier, uncode: bool = True):
        self.model = model
        self.uncode = uncode

    def __call__(self, doc: Any, reading: Reading) -> None:
        if reading.events:
            reading.events = refine_mentions(self.model, reading.events, reading_sector_of(reading),
                                             uncode=self.uncode)


__all__ = ["COMPETING", "Choice", "DEFAULT_MODEL", "MPNET_MODEL", "FeatureConfig", "PLOVER_FALLBACK", "SnippetClassifier", "classify",
           "competing", "crime_named", "disaster_class", "embed", "event_features", "load_default", "main_event", "model_file", "reading_features",
           "RefineStage", "reading_sector_of", "refine_mentions", "rule_label", "text_digest", "text_terms", "word_spans", "words"]
