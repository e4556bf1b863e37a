"""Figures: counts with the noun they count and the hedge that qualifies them.

"some 300,000 civilians" → Figure(300000, unit "civilian", hedge "some"). The stage
walks the tokens once; a number phrase (digits, words, scales, vague plurals, ranges,
shares) is read at the token it starts on, its hedge is read just before it, and its
noun just after it (through the parse where it helps). Numbers that are dates, times,
years, names ("Route 6"), ages or phone numbers are skipped. Conventions:
docs/times-and-figures.md.

Rules: ``figures:count``, ``figures:vague`` ("dozens", "several"), ``figures:range``,
``figures:share`` ("half of", "40%"), ``figures:bound`` ("the majority of": a bound
with no value), ``figures:duration`` ("three weeks" = 21 days).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Doc, Token

from frontlines.model import Figure, Reading, Span
from frontlines.reading.numbers import (
    FRACTIONS, LABEL_WORDS, NUMBER_WORDS, SCALES, SUFFIXES, TENS, UNITS, VAGUE_PLURALS,
    VAGUE_SMALL, DIGITS_RE, SUFFIXED_RE, counts_a_plural, parse_digits, words_value,
)

# Longest first, so that "as many as" wins over "as".
HEDGES: tuple[tuple[str, ...], ...] = tuple(sorted((tuple(h.split()) for h in (
    "as many as", "as much as", "as few as", "as little as", "up to", "at least", "at most",
    "more than", "fewer than", "less than", "no more than", "no fewer than", "no less than",
    "well over", "just over", "just under", "upwards of", "in excess of", "close to",
    "an estimated", "some", "about", "around", "nearly", "almost", "over", "only", "just",
    "within", "roughly", "approximately", "estimated",
)), key=len, reverse=True))

_MONTH_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
})
_WEEKDAY_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                            "sunday"})
_YEAR_PREPS = frozenset({"in", "since", "by", "until", "till", "from", "during", "of",
                         "through", "before", "after", "early", "late", "mid", "summer",
                         "spring", "autumn", "winter", "between"})
_TIME_SUFFIXES = frozenset({"am", "pm", "a.m.", "p.m.", "gmt", "utc", "hrs", "o'clock", "h",
                            "local"})
_DURATIONS: dict[str, tuple[int, str]] = {
    "hour": (1, "hour"), "day": (1, "day"), "week": (7, "day"), "fortnight": (14, "day"),
    "month": (1, "month"), "year": (1, "year"),
}
# "three days ago", "two weeks later": a point in time, which is the times stage's.
_AFTER_DURATION = frozenset({"ago", "later", "earlier", "after", "before", "afterwards"})
# Words that stand as the counted noun after a number: "12 dead", "30 wounded".
_STANDING_WORDS = frozenset({
    "dead", "killed", "wounded", "injured", "displaced", "missing", "detained", "arrested",
    "kidnapped", "abducted", "homeless", "besieged", "trapped", "evacuated", "stranded",
    "captured", "executed", "civilians",
})
# Singular nouns that count a plural: "300,000 staff".
_COLLECTIVES = frozenset({"staff", "personnel", "police", "infantry", "livestock", "cattle",
                          "crew", "militia", "strong", "aircraft", "artillery", "ammunition"})
_CURRENCIES = {"$": "usd", "us$": "usd", "£": "gbp", "€": "eur"}
# A lone number with no noun counts only where it is a noun phrase itself.
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj", "appos",
                            "ROOT", "oprd", "dative"})
_VERBAL_BOUNDS: dict[tuple[str, ...], tuple[Optional[float], Optional[float]]] = {
    ("the", "majority"): (0.5, None), ("a", "majority"): (0.5, None),
    ("the", "vast", "majority"): (0.5, None), ("the", "overwhelming", "majority"): (0.5, None),
    ("a", "minority"): (None, 0.5), ("the", "bulk"): (0.5, None), ("most",): (0.5, None),
}
_NOUNISH = frozenset({"NOUN", "PROPN"})
_BLOCKED_RE = re.compile(
    r"(?=[\d(+])(?:"  # every branch starts with one of these: fail fast elsewhere
    r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b"  # 2016-07-31, 2016/07/31
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}-[A-Za-z]{3}-\d{2,4}\b"  # 31/07/2016
    r"|\b\d{1,2}:\d{2}\b"  # clock times
    r"|(?:\+\d{1,3}[\s-]?)?(?:\(\d{2,4}\)[\s-]?)?\b\d{2,4}(?:[\s-]\d{2,4}){2,}\b"  # phones
    r"|\(\d{2,4}\)\s?\d{3}[\s-]?\d{3,4}\b|\b\d{3}-\d{4}\b|\+\d{6,})"
)


_PERIOD_HALF = frozenset({"first", "second", "latter", "former", "other", "the", "a", "one"})
# Words a number phrase can start with; other tokens are skipped at once.
_START_WORDS = frozenset(NUMBER_WORDS | set(VAGUE_PLURALS) | {
    "between", "the", "a", "an", "most", "half", "tens", "several",
})


@dataclass
class _Number:
    start: int  # token index of the first token of the number phrase
    end: int  # token index after it
    value: Optional[float]
    kind: str  # count | vague | share | bound
    low: Optional[float] = None
    high: Optional[float] = None
    scale: float = 1.0  # what a scale word or suffix multiplied it by ("1.2 million")
    hedge: Optional[str] = None  # set for verbal bounds, which are their own hedge
    direct_noun: bool = False  # a share whose noun follows without "of": "one in five children"


def _is_year(doc: Doc, i: int) -> bool:
    tok = doc[i]
    t = tok.text
    if not (len(t) == 4 and t.isdigit() and 1800 <= int(t) <= 2100):
        return False
    if counts_a_plural(tok):
        return False  # "2000 homes"
    if tok.ent_type_ == "DATE":
        return True
    prev = doc[i - 1].lower_ if i > 0 else ""
    if prev in _YEAR_PREPS or prev in _MONTH_WORDS:
        return True
    if prev in ("-", "\u2013", "to", "and", ",") and i > 1 and (
            _looks_like_year(doc[i - 2].text) or doc[i - 2].lower_ in _MONTH_WORDS
            or (doc[i - 2].like_num and i > 2 and doc[i - 3].lower_ in _MONTH_WORDS)):
        return True
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return nxt is not None and nxt.text in ("-", "\u2013") and i + 2 < len(doc) and \
        _looks_like_year(doc[i + 2].text)


def _looks_like_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100


def _is_month(tok: Token) -> bool:
    return tok.lower_.rstrip(".") in _MONTH_WORDS and tok.text[:1].isupper() and tok.tag_ != "MD"


class FigureStage:
    """Counts, shares, ranges and durations with their noun and hedge."""

    name = "figures"
    assigns = ("figures",)

    def __call__(self, doc: Doc, reading: Reading) -> None:
        text = reading.document.text  # the parsed text (Doc.text would re-join the tokens)
        blocked = [m.span() for m in _BLOCKED_RE.finditer(text)]
        lowers = [t.lower_ for t in doc]
        i = 0
        n = len(doc)
        while i < n:
            w = lowers[i]
            if not (w[:1].isdigit() or w in _START_WORDS):
                i += 1
                continue
            number = self._number_at(doc, lowers, i, blocked)
            if number is None:
                i += 1
                continue
            figure = self._figure(doc, text, lowers, number)
            if figure is not None:
                reading.figures.append(figure)
            i = max(number.end, i + 1)

    # ------------------------------------------------------------ number phrases

    def _number_at(self, doc: Doc, lowers: list[str], i: int,
                   blocked: list[tuple[int, int]]) -> Optional[_Number]:
        w = lowers[i]
        if w == "between":
            return self._between(doc, lowers, i, blocked)
        bound = self._verbal_bound(lowers, i)
        if bound is not None:
            return bound
        share = self._fraction(doc, lowers, i)
        if share is not None:
            return share
        first = self._core(doc, lowers, i, blocked)
        if first is None:
            return None
        return self._extend(doc, lowers, first, blocked)

    def _core(self, doc: Doc, lowers: list[str], i: int,
              blocked: list[tuple[int, int]]) -> Optional[_Number]:
        """One number: digits (with scale), words, or a vague quantity."""
        tok = doc[i]
        w = lowers[i]
        n = len(doc)
        if any(s <= tok.idx < e for s, e in blocked):
            return None
        if tok.is_digit or tok.like_num or w[:1].isdigit():
            value = parse_digits(tok.text)
            if value is not None:
                if _is_year(doc, i):
                    return None
                j = i + 1
                # "2bn" is one token; "3m" is two ("3", "m") with no space between.
                scale = 1.0 if DIGITS_RE.match(tok.text) else value / float(
                    SUFFIXED_RE.match(tok.text).group(1))
                if j < n and not tok.whitespace_ and lowers[j] in SUFFIXES:
                    scale *= SUFFIXES[lowers[j]]
                    value *= SUFFIXES[lowers[j]]
                    j += 1
                while j < n and lowers[j] in SCALES and lowers[j] != "dozen":
                    scale *= SCALES[lowers[j]]
                    value *= SCALES[lowers[j]]
                    j += 1
                return _Number(i, j, value, "count", scale=scale)
        if w in NUMBER_WORDS or (w in ("a", "an") and i + 1 < n and lowers[i + 1] in SCALES) or (
                w == "half" and i + 2 < n and lowers[i + 1] in ("a", "an")
                and lowers[i + 2] in SCALES):
            return self._words(doc, lowers, i)
        if w in VAGUE_PLURALS or w == "tens":
            return self._vague_plural(doc, lowers, i)
        if w == "several":
            return _Number(i, i + 1, VAGUE_SMALL["several"], "vague")
        if w == "a" and i + 1 < n:
            for phrase, value in VAGUE_SMALL.items():
                words = phrase.split()
                if lowers[i:i + len(words)] == words:
                    return _Number(i, i + len(words), value, "vague")
                if words[-1] == "of" and lowers[i:i + len(words) - 1] == words[:-1]:
                    return _Number(i, i + len(words) - 1, value, "vague")  # "a couple" alone
        return None

    def _words(self, doc: Doc, lowers: list[str], i: int) -> Optional[_Number]:
        n = len(doc)
        words: list[str] = []
        j = i
        while j < n:
            w = lowers[j]
            if w in NUMBER_WORDS or (j == i and w in ("a", "an", "half")) or (
                    w in ("a", "an") and words == ["half"]):
                words.append(w)
                j += 1
            elif w == "-" and words and words[-1] in TENS and j + 1 < n and \
                    lowers[j + 1] in UNITS and not doc[j - 1].whitespace_:
                j += 1  # "twenty-three"
            elif w == "and" and words and words[-1] in ("hundred", "thousand", "million") and \
                    j + 1 < n and (lowers[j + 1] in UNITS or lowers[j + 1] in TENS):
                j += 1  # "two hundred and fifty"
            else:
                break
        value = words_value(words)
        if value is None:
            return None
        if words == ["one"]:
            # "one" is mostly a pronoun: "one of them", "no one".
            tok = doc[i]
            if tok.dep_ != "nummod" or tok.head.i <= i or tok.head.pos_ not in _NOUNISH:
                return None
            if i > 0 and lowers[i - 1] in ("no", "the", "this", "that", "every", "any"):
                return None
        scale = 1.0
        for w in reversed(words):  # the trailing scale words: "two hundred thousand"
            if w not in SCALES:
                break
            scale *= SCALES[w]
        return _Number(i, j, value, "count", scale=scale)

    def _vague_plural(self, doc: Doc, lowers: list[str], i: int) -> Optional[_Number]:
        """"dozens", "hundreds of thousands", "tens of thousands": one of each unit."""
        n = len(doc)
        w = lowers[i]
        if doc[i].pos_ not in ("NOUN", "NUM", "PROPN"):
            return None
        if w == "tens":
            if i + 2 < n and lowers[i + 1] == "of" and lowers[i + 2] in ("thousands", "millions"):
                return _Number(i, i + 3, 10 * VAGUE_PLURALS[lowers[i + 2]], "vague")
            return None
        if w == "scores" and not (i + 1 < n and lowers[i + 1] == "of"):
            return None  # "test scores"
        value = VAGUE_PLURALS[w]
        j = i + 1
        if j + 1 < n and lowers[j] == "of" and \
                lowers[j + 1] in ("thousands", "millions", "billions"):
            value *= VAGUE_PLURALS[lowers[j + 1]]
            j += 2
        return _Number(i, j, value, "vague")

    def _verbal_bound(self, lowers: list[str], i: int) -> Optional[_Number]:
        """"the majority of", "most of": a share with a bound and no value."""
        if lowers[i] not in ("the", "a", "most"):
            return None
        for words, (low, high) in _VERBAL_BOUNDS.items():
            k = len(words)
            if tuple(lowers[i:i + k]) == words and i + k < len(lowers) and lowers[i + k] == "of":
                return _Number(i, i + k, None, "bound", low=low, high=high, hedge=" ".join(words))
        return None

    def _fraction(self, doc: Doc, lowers: list[str], i: int) -> Optional[_Number]:
        """"half of", "a third of", "two-thirds of", "one in five": shares."""
        n = len(doc)
        w = lowers[i]
        if w == "half" and i > 0 and lowers[i - 1] in _PERIOD_HALF:
            return None  # "the second half of 2016" is a period, not a share
        if w == "half" and i + 1 < n and (lowers[i + 1] == "of" or (
                doc[i + 1].tag_ in ("DT", "PRP$") and lowers[i + 1] not in ("a", "an"))):
            return _Number(i, i + 1, 0.5, "share")
        count = UNITS.get(w) or (1 if w in ("a", "an") else None)
        if count is None and doc[i].is_digit and len(w) <= 3:
            count = int(w)  # "1 in 10"
        if not count:
            return None
        j = i + 1
        if j < n and lowers[j] == "-" and not doc[i].whitespace_:
            j += 1
        if j < n and lowers[j] in FRACTIONS and lowers[j] != "half" and j + 1 < n and \
                lowers[j + 1] == "of":
            return _Number(i, j + 1, round(count * FRACTIONS[lowers[j]], 2), "share")
        if j + 1 < n and lowers[j] in ("in", "out") and w not in ("a", "an"):
            k = j + 1 + (1 if lowers[j] == "out" and lowers[j + 1] == "of" else 0)
            if lowers[j] == "out" and k == j + 1:
                return None
            if k < n and lowers[k] in UNITS and UNITS[lowers[k]] > count:
                return _Number(i, k + 1, round(count / UNITS[lowers[k]], 2), "share",
                               direct_noun=True)
            if k < n and doc[k].is_digit and int(doc[k].text) > count:
                return _Number(i, k + 1, round(count / int(doc[k].text), 2), "share",
                               direct_noun=True)
        return None

    def _between(self, doc: Doc, lowers: list[str], i: int,
                 blocked: list[tuple[int, int]]) -> Optional[_Number]:
        first = self._core(doc, lowers, i + 1, blocked) if i + 1 < len(doc) else None
        if first is None or first.end >= len(doc) or lowers[first.end] != "and":
            return None
        if first.end + 1 >= len(doc):
            return None
        second = self._core(doc, lowers, first.end + 1, blocked)
        if second is None:
            return None
        number = self._range(first, second)
        number.start = i
        return self._percent(doc, lowers, number)

    def _extend(self, doc: Doc, lowers: list[str], first: _Number,
                blocked: list[tuple[int, int]]) -> _Number:
        """Ranges ("10-15", "10 to 15", "two or three") and percentages after a number."""
        n = len(doc)
        j = first.end
        if first.kind == "count" and j + 1 < n:
            link = lowers[j]
            starts_from = first.start > 0 and lowers[first.start - 1] == "from"
            if link in ("-", "\u2013", "to") and not (link == "to" and starts_from) or link == "or":
                second = self._core(doc, lowers, j + 1, blocked)
                if second is not None and second.kind == "count" and second.value is not None \
                        and first.value is not None:
                    if link != "or" or second.value > first.value:
                        return self._percent(doc, lowers, self._range(first, second))
        return self._percent(doc, lowers, first)

    @staticmethod
    def _range(first: _Number, second: _Number) -> _Number:
        low, high = first.value, second.value
        if low is not None and high is not None and first.scale == 1 and second.scale > 1 \
                and low * second.scale <= high:
            low *= second.scale  # "10 to 15 million": the scale belongs to both ends
        if low is not None and high is not None and low > high:
            low, high = high, low
        return _Number(first.start, second.end, low, "range", low=low, high=high)

    @staticmethod
    def _percent(doc: Doc, lowers: list[str], number: _Number) -> _Number:
        j = number.end
        n = len(doc)
        width = 0
        if j < n and lowers[j] in ("%", "percent", "pc"):
            width = 1
        elif j + 1 < n and lowers[j] == "per" and lowers[j + 1] == "cent":
            width = 2
        if not width or number.value is None:
            return number

        def share(x: Optional[float]) -> Optional[float]:
            return None if x is None else round(x / 100, 6)

        return _Number(number.start, j + width, share(number.value), "share",
                       low=share(number.low), high=share(number.high))

    # ------------------------------------------------------------ the figure

    def _figure(self, doc: Doc, text: str, lowers: list[str], number: _Number) -> Optional[Figure]:
        if not self._plausible(doc, lowers, number):
            return None
        start_tok = number.start
        unit = ""
        currency = None
        if start_tok > 0 and lowers[start_tok - 1] in _CURRENCIES:
            currency = _CURRENCIES[lowers[start_tok - 1]]
            start_tok -= 1
        hedge = number.hedge
        hedge_start = start_tok
        if hedge is None:
            for words in HEDGES:
                k = len(words)
                if start_tok - k >= 0 and tuple(lowers[start_tok - k:start_tok]) == words:
                    hedge = " ".join(words)
                    hedge_start = start_tok - k
                    break

        noun = self._noun(doc, lowers, number)
        singular_mismatch = (
            noun is not None and number.kind in ("count", "vague", "range")
            and (number.value or 0) > 1 and noun.tag_ == "NN"
            and noun.lemma_.lower() not in _DURATIONS and noun.lower_ not in _COLLECTIVES)
        if singular_mismatch:
            noun = None  # "400,000 face famine": a count takes a plural; the parse went astray
        end_tok = number.end
        value, low, high = number.value, number.low, number.high
        rule = {"count": "figures:count", "vague": "figures:vague", "range": "figures:range",
                "share": "figures:share", "bound": "figures:bound"}[number.kind]
        if number.kind in ("share", "bound"):
            unit = "share"
            if noun is not None:
                end_tok = noun.i + 1
        elif noun is not None:
            lemma = noun.lemma_.lower()
            if lemma in _DURATIONS:
                if noun.i + 1 < len(doc) and lowers[noun.i + 1] in _AFTER_DURATION | {"old"}:
                    return None  # "three days ago" is a time, "12 years old" an age
                factor, unit = _DURATIONS[lemma]
                value, low, high = (None if x is None else x * factor for x in (value, low, high))
                rule = "figures:duration"
            elif lemma in ("person", "persons", "people"):
                unit = "people"
            elif noun.pos_ != "NOUN" and noun.lower_ in _STANDING_WORDS:
                unit = noun.lower_  # "30 wounded": the lemma "wound" would lose the sense
            else:
                unit = lemma
            end_tok = noun.i + 1
        elif currency:
            unit = currency
        elif not singular_mismatch:
            if hedge is None and doc[number.end - 1].dep_ not in _ARGUMENT_DEPS and \
                    number.kind != "vague":
                return None  # a bare number with no role is more likely a label than a count
        if currency and unit not in ("", currency) and noun is not None and noun.i == number.end:
            unit = currency  # "$3m aid": the money is counted, not the aid

        start_char = doc[hedge_start].idx
        end_char = doc[end_tok - 1].idx + len(doc[end_tok - 1].text)
        return Figure(
            value=value,
            span=Span(start_char, end_char, text[start_char:end_char]),
            unit=unit,
            hedge=hedge,
            low=low if number.kind in ("range", "bound") or (
                number.kind == "share" and number.low is not None) else None,
            high=high if number.kind in ("range", "bound") or (
                number.kind == "share" and number.high is not None) else None,
            rule=rule,
        )

    @staticmethod
    def _plausible(doc: Doc, lowers: list[str], number: _Number) -> bool:
        """Rejects numbers that name, date or age something instead of counting."""
        i, j = number.start, number.end
        prev = doc[i - 1] if i > 0 else None
        nxt = doc[j] if j < len(doc) else None
        if number.kind in ("bound",):
            return True
        if prev is not None:
            if prev.lower_ in LABEL_WORDS and number.kind in ("count", "range"):
                return False  # "Route 6", "Resolution 2254"
            if prev.pos_ == "PROPN" and prev.is_title and doc[i].head.i == prev.i and \
                    not _is_month(prev) and number.kind == "count":
                return False  # "Brigade 80": a number hanging off a capitalised name
            if _is_month(prev) or prev.lower_ in ("aged", "age", "ages"):
                return False
            if prev.text in ("#", "No.", "no."):
                return False
        if nxt is not None:
            if _is_month(nxt) or nxt.lower_ in _TIME_SUFFIXES or nxt.lower_ in _WEEKDAY_WORDS:
                return False
            if nxt.text in ("-", "\u2013") and j + 1 < len(doc) and \
                    lowers[j + 1] in ("year", "month", "week", "day", "hour", "minute", "mile",
                                      "km", "kilometre", "kilometer", "strong", "member", "man"):
                return False  # "12-year-old", "five-year plan", "10-day truce": adjectives
            if nxt.text in (".", ")") and j - i == 1 and (
                    i == 0 or doc[i - 1].text_with_ws.endswith("\n") or
                    doc[i - 1].text in (".", "!", "?")):
                return False  # a list marker "1."
        return True

    @staticmethod
    def _noun(doc: Doc, lowers: list[str], number: _Number) -> Optional[Token]:
        """The noun a number counts: the head it modifies, or the noun right after it."""
        n = len(doc)
        last = doc[number.end - 1]
        head = last.head
        if number.kind not in ("share", "bound") and last.dep_ in (
                "nummod", "quantmod", "compound", "amod", "nmod") and \
                number.end <= head.i <= number.end + 4 and head.pos_ in _NOUNISH and \
                not _is_month(head) and head.lower_ not in _WEEKDAY_WORDS and head.text != "%" \
                and all(not doc[k].is_punct or doc[k].text == "-"
                        for k in range(number.end, head.i)):
            return head
        j = number.end
        if j < n and lowers[j] == "of":
            j += 1
            while j < n and (doc[j].tag_ in ("DT", "PRP$") or lowers[j] in ("these", "those")):
                j += 1
        elif number.kind == "share" and j < n and doc[j].tag_ in ("DT", "PRP$"):
            j += 1  # "half the city"
        elif number.kind == "share" and number.direct_noun:
            pass  # "one in five children"
        elif number.kind in ("share", "bound"):
            return None
        if j < n and doc[j].lower_ in _STANDING_WORDS and doc[j].pos_ != "NOUN":
            return doc[j]
        found: Optional[Token] = None
        k = j
        while k < n and k < j + 6:
            tok = doc[k]
            if tok.pos_ in _NOUNISH and tok.text != "%":
                if _is_month(tok) or tok.lower_ in _WEEKDAY_WORDS:
                    break
                found = tok
            elif tok.tag_ == "POS" and found is not None:
                found = None  # "Syria's": the noun comes after the possessive
            elif tok.pos_ == "ADJ" or (tok.tag_ in ("VBN", "VBG") and tok.dep_ == "amod") or (
                    tok.text == "-" and not tok.whitespace_):
                if found is not None:
                    break
            else:
                break
            k += 1
        return found


__all__ = ["FigureStage", "HEDGES"]
