"""Time expressions, resolved against an anchor date.

One grammar (a regular expression compiled once) recognises the expressions; the
stage checks each hit against the parse (tense, modal "may", names) and resolves it
against the document's publication date, or against a caption's own date for the
relative words on that caption's line. spaCy DATE entities that the grammar did not
reach are tried as whole expressions, and dateparser is a last resort for absolute
dates in odd formats. Conventions: docs/times-and-figures.md.

Rules (``TimeMention.rule``) are ``times:<kind>`` with optional ``:<qualifier>``s:
kinds ``absolute``, ``relative``, ``weekday``, ``offset``, ``decade``, ``future``;
qualifiers ``caption`` (anchored on the line's own date), ``typo`` (matched by edit
distance), ``unanchored`` (relative, but no anchor date was known), ``entity`` (found
through a spaCy DATE entity), ``dateparser``. A caller tells future from past with
``rule.startswith("times:future")``.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable, Optional

from spacy.tokens import Doc, Span as SpacySpan, Token

from frontlines.model import DatePrecision, DateRef, Reading, Span, TimeMention
from frontlines.reading.numbers import (
    LABEL_WORDS, SMALL_NUMBER_PATTERN, TENS, UNITS, VAGUE_SMALL, counts_a_plural, number_value,
    trie_regex,
)

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_FULL_MONTHS = [m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_ABBR_MONTHS = [m for m in MONTHS if m not in _FULL_MONTHS]

# Words a typo may be matched to: the relative-day words, weekdays and months of 7+ letters.
_TYPO_TARGETS: tuple[str, ...] = tuple(
    w for w in ("yesterday", "tomorrow", "tonight", "overnight", "weekend",
                *WEEKDAYS, *_FULL_MONTHS) if len(w) >= 7
)
_TIME_WORDS = frozenset(_TYPO_TARGETS)

# Tokens whose entity label means a month/weekday word is part of a name:
# "Theresa May", "Bloody Sunday", "USA Today".
_NAME_ENTS = frozenset({"PERSON", "ORG", "WORK_OF_ART", "EVENT", "LAW", "FAC", "PRODUCT", "NORP"})
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "would", "'d", "could", "may", "might"})
_FUTURE_GOVERNORS = frozenset({
    "expect", "plan", "due", "likely", "set", "schedule", "prepare", "threaten", "vow",
    "promise", "intend", "aim", "hope", "go", "about", "agree", "pledge", "poise", "slate",
    "bind", "unlikely",
})
_PREP_WORDS = frozenset({
    "on", "in", "since", "by", "until", "till", "from", "during", "within", "at", "over",
    "before", "after", "through", "throughout", "of", "between", "and", "to", "as", "or",
})
# Every word an expression can start with (a preposition, a modifier, a count, a key word).
_FIRST_WORDS = frozenset({
    "on", "in", "since", "by", "until", "till", "from", "during", "within", "at", "over",
    "before", "after", "through", "throughout", "as", "of", "between", "the", "a", "an",
    "several", "just", "only", "barely", "about", "around", "nearly", "almost", "some", "more",
    "less", "last", "this", "next", "earlier", "later", "early", "late", "mid", "summer",
    "spring", "autumn", "fall", "winter", "yesterday", "today", "tonight", "tomorrow",
    "overnight", "soon", "shortly", "imminently", "hours", "days", "weeks", "months",
    *UNITS, *TENS, *WEEKDAYS, *MONTHS,
})


def _build_grammar() -> re.Pattern[str]:
    """The grammar, in lower case: it runs on an ASCII-lowered copy of the text, and
    month names are checked for their capital in the original afterwards."""
    full = trie_regex(_FULL_MONTHS)
    abbr = trie_regex(_ABBR_MONTHS) + r"\.?"
    parts = {
        "<MONTH>": f"(?:{full}|{abbr})",
        "<FULLMONTH>": full,
        "<DAY>": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])",
        "<YEAR>": r"(?:1[89]\d\d|20\d\d)(?!\d)",
        "<WD>": trie_regex(list(WEEKDAYS)),
        "<PART>": trie_regex(["morning", "afternoon", "evening", "night"]),
        "<N>": SMALL_NUMBER_PATTERN,
        "<UNIT>": r"(?:hour|day|week|fortnight|month|year)s?",
        "<Q>": r"(?:(?:just|only|barely|about|around|nearly|almost|some|more\s+than|less\s+than"
               r"|over)\s+)?",
        "<MOD>": r"(?:early|mid|late|the\s+(?:end|start|beginning|middle)\s+of)",
    }
    # One named group around each alternative, so that ``m.lastgroup`` names it.
    alternatives = [
        r"(?P<iso>(?P<iso_y><YEAR>)(?P<iso_sep>[-/.])(?P<iso_m>1[0-2]|0?[1-9])(?P=iso_sep)"
        r"(?P<iso_d>3[01]|[12]\d|0?[1-9])(?!\d))",
        r"(?P<num>(?P<num_a>3[01]|[12]\d|0?[1-9])(?P<num_sep>[/.])(?P<num_b>3[01]|[12]\d|0?[1-9])"
        r"(?P=num_sep)(?P<num_y><YEAR>))",
        r"(?P<dm>(?:<WD>,?\s+(?:the\s+)?)?(?:the\s+)?(?P<dm_d><DAY>)(?:\s*[-\u2013]\s*<DAY>)?"
        r"(?:\s+of\s+|\s+|-)(?P<dm_m><MONTH>)(?:(?:,\s*|\s+of\s+|\s+|-)(?P<dm_y><YEAR>))?)",
        r"(?P<md>(?:<WD>,?\s+)?(?P<md_m><MONTH>)\s+(?:the\s+)?(?P<md_d><DAY>)"
        r"(?:(?:,\s*|\s+of\s+|\s+)(?P<md_y><YEAR>))?(?![,.]\d))",
        r"(?P<my>(?P<my_mod><MOD>[\s-]+)?(?P<my_m><MONTH>),?\s+(?P<my_y><YEAR>))",
        r"(?P<dec>(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<dec_y>1[89]\d0|20\d0)'?s)",
        r"(?P<rel>the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)"
        r"|(?P<rel_w>yesterday|today|tonight|tomorrow|overnight)(?:\s+<PART>)?"
        r"|last\s+night|(?:this|earlier\s+this|later\s+this)\s+<PART>"
        r"|(?:earlier|later)\s+today"
        r"|the\s+(?:past|last)\s+(?:24|twenty-four)\s+hours)",
        r"(?P<eo>the\s+end\s+of\s+(?P<eo_mod>this|the|next|last)\s+(?P<eo_u>week|month|year))",
        r"(?P<per>(?P<per_mod>last|this|next|earlier\s+this|later\s+this)\s+"
        r"(?P<per_u>weekend|week|month|year))",
        r"(?P<cnt><Q>(?P<cnt_next>the\s+next\s+)?(?P<cnt_n><N>)\s+(?P<cnt_u><UNIT>)"
        r"(?:(?P<cnt_ago>\s+ago)|(?P<cnt_off>\s+(?:after|before))"
        r"|(?:['\u2019]s?)?(?P<cnt_time>\s+time)?))",
        r"(?P<dlv>hours|days|weeks|months)",
        r"(?P<wd>(?P<wd_mod>(?:last|this|next|early\s+on|late\s+on|early|late)\s+)?(?P<wd_w><WD>)"
        r"(?:\s+<PART>)?)",
        r"(?P<mo>(?P<mo_mod>(?:last|this|next|<MOD>)[\s-]+)?(?P<mo_m><FULLMONTH>))",
        r"(?P<yr>(?P<yr_mod>(?:<MOD>|(?:the\s+)?(?:summer|spring|autumn|fall|winter)(?:\s+of)?)"
        r"[\s-]+)?(?P<yr_y><YEAR>)(?![,.]\d|/\d))",
        r"(?P<fut>soon|shortly|imminently|before\s+long|in\s+the\s+near\s+future"
        r"|(?:in\s+)?the\s+(?:coming|next\s+few)\s+(?:hours|days|weeks|months)"
        r"|in\s+the\s+(?:hours|days|weeks|months)\s+ahead)",
        r"(?P<wkd>the\s+weekend)",
    ]
    preps = trie_regex(["on", "in", "since", "by", "until", "till", "from", "during", "within",
                        "at", "over", "before", "after", "through", "throughout", "of",
                        "between"])
    prefix = rf"(?P<prep>(?:{preps}|as\s+(?:of|early\s+as|late\s+as))\s+)?"
    body = "|".join(alternatives)
    for key, value in parts.items():
        body = body.replace(key, value)
    # A cheap look at the first word spares trying every alternative at every word.
    first = trie_regex(sorted(_FIRST_WORDS))
    return re.compile(rf"(?<![\w\-])(?=\d|{first}\b){prefix}(?:{body})(?![\w])")


_GRAMMAR = _build_grammar()
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# What each match is, after splitting the merged alternatives by what they matched.
_ABSOLUTE = frozenset({"iso", "num", "dmy", "mdy", "my", "yr", "dec"})
_FULL_DATES = frozenset({"iso", "num", "dmy", "mdy"})
_MONTH_ALTS = frozenset({"dmy", "mdy", "dm", "md", "my", "mo"})
_WORD_RE = re.compile(r"[A-Za-z]{7,12}")
_LAST_WORD_RE = re.compile(r"([A-Za-z]+)\W*$")
_SOON_AFTER_RE = re.compile(r"\s*(?:after|afterwards?|before|thereafter|as)\b", re.IGNORECASE)
_YEAR_IN_TEXT_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_DAY_NUMBER_RE = re.compile(r"(?<!\d)(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)")
_AGE_RE = re.compile(r"year-old|years?\s+old|aged", re.IGNORECASE)


# ---------------------------------------------------------------- date arithmetic

def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _weekday_before(anchor: date, weekday: int) -> date:
    """The latest such weekday on or before the anchor: a Sunday paper's "on Sunday" is that day."""
    return anchor - timedelta(days=(anchor.weekday() - weekday) % 7)


def _weekday_after(anchor: date, weekday: int) -> date:
    return anchor + timedelta(days=(weekday - anchor.weekday()) % 7 or 7)


def _period_start(d: date, precision: DatePrecision) -> date:
    if precision == "week":
        return _monday(d)
    if precision == "month":
        return d.replace(day=1)
    if precision == "year":
        return date(d.year, 1, 1)
    return d


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _back(anchor: date, n: float, unit: str, vague: bool) -> tuple[date, DatePrecision]:
    """The period ``n`` units before the anchor; vague counts widen it by one step."""
    k = int(n)
    if unit == "hour":
        return anchor - timedelta(days=k // 24), "day"
    if unit == "day":
        return (_monday(anchor - timedelta(days=k)), "week") if vague else (
            anchor - timedelta(days=k), "day")
    if unit in ("week", "fortnight"):
        days = k * (14 if unit == "fortnight" else 7)
        d = anchor - timedelta(days=days)
        return (d.replace(day=1), "month") if vague else (_monday(d), "week")
    if unit == "month":
        d = add_months(anchor, -k)
        return (date(d.year, 1, 1), "year") if vague else (d.replace(day=1), "month")
    return date(anchor.year - k, 1, 1), "year"


def _forward(anchor: date, n: float, unit: str) -> date:
    k = int(n)
    if unit == "hour":
        return anchor + timedelta(days=-(-k // 24))
    if unit == "day":
        return anchor + timedelta(days=k)
    if unit == "week":
        return anchor + timedelta(days=7 * k)
    if unit == "fortnight":
        return anchor + timedelta(days=14 * k)
    if unit == "month":
        return add_months(anchor, k)
    return add_months(anchor, 12 * k)


def _unit(text: str) -> str:
    u = text.lower()
    return u[:-1] if u.endswith("s") else u


def _count(text: str) -> tuple[Optional[float], bool]:
    """A count in a time expression and whether it is vague ("a few", "several")."""
    squashed = " ".join(text.lower().split())
    return number_value(text), squashed in VAGUE_SMALL


# ---------------------------------------------------------------- interpretation

@dataclass(frozen=True)
class _Parsed:
    value: Optional[date]
    precision: Optional[DatePrecision]
    kind: str  # absolute | relative | weekday | offset | decade
    future: bool  # the expression points after the anchor


def _alternative(m: re.Match[str]) -> str:
    """Which reading a match is: the alternative's group (it closes last, so it is
    ``m.lastgroup``), split where one alternative serves two readings."""
    name = m.lastgroup or ""
    if name in ("dm", "md"):
        return name[0] + name[1] + "y" if m.group(name + "_y") else name
    if name == "cnt":
        return "ago" if m.group("cnt_ago") else "off" if m.group("cnt_off") else "dl"
    return name


def _interpret(m: re.Match[str], anchor: Optional[date], *, future_tense: bool,
               loose: bool) -> Optional[_Parsed]:
    """What a grammar match means. ``loose`` accepts a bare year or month (spaCy
    called it a date); otherwise those need a preposition or modifier."""
    alt = _alternative(m)
    prep = " ".join((m.group("prep") or "").lower().split())
    g = m.group

    # Absolute: need no anchor.
    if alt == "iso":
        d = _safe_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
        return _Parsed(d, "day", "absolute", False) if d else None
    if alt == "num":
        a, b = int(g("num_a")), int(g("num_b"))
        day, month = (b, a) if b > 12 >= a else (a, b)  # day first unless impossible
        d = _safe_date(int(g("num_y")), month, day)
        return _Parsed(d, "day", "absolute", False) if d else None
    if alt in ("dmy", "mdy"):
        grp = alt[:2]  # "dmy" and "dm" share the groups dm_*
        month = MONTHS[g(grp + "_m").lower().rstrip(".")]
        day = int(re.match(r"\d+", g(grp + "_d")).group())
        d = _safe_date(int(g(grp + "_y")), month, day)
        return _Parsed(d, "day", "absolute", False) if d else None
    if alt == "my":
        return _Parsed(date(int(g("my_y")), MONTHS[g("my_m").lower().rstrip(".")], 1), "month",
                       "absolute", False)
    if alt == "yr":
        if not (prep or g("yr_mod") or loose):
            return None
        return _Parsed(date(int(g("yr_y")), 1, 1), "year", "absolute", False)
    if alt == "dec":
        return _Parsed(date(int(g("dec_y")), 1, 1), "year", "decade", False)

    if alt == "fut":
        return _Parsed(None, None, "relative", True)
    if alt == "dlv":
        return _Parsed(None, None, "relative", True) if prep == "within" else None
    if alt == "dl":
        deadline = prep == "within" or (prep == "in" and bool(
            future_tense or g("cnt_time") or g("cnt_next")))
        if not deadline:
            return None  # "in three weeks" told in the past is an amount, not a time
        n, vague = _count(g("cnt_n"))
        if n is None or vague or anchor is None:
            return _Parsed(None, None, "relative", True)
        return _Parsed(_forward(anchor, n, _unit(g("cnt_u"))), "day", "relative", True)
    if alt == "mo" and not (prep or g("mo_mod") or loose):
        return None
    if alt == "wkd" and prep not in ("at", "over", "during", "on", "by", "since", "after",
                                     "before", "until", "through", "throughout"):
        return None

    intrinsic_future = _intrinsically_future(m, alt)
    if anchor is None:
        kind = "weekday" if alt == "wd" else "offset" if alt == "off" else "relative"
        return _Parsed(None, None, kind, intrinsic_future or future_tense)
    forward = intrinsic_future or future_tense
    parsed = _relative(m, alt, anchor, forward)
    if parsed is None:
        return None
    value, precision, kind = parsed
    later = value is not None and precision is not None and (
        _period_start(value, precision) > _period_start(anchor, precision))
    return _Parsed(value, precision, kind, intrinsic_future or later or (
        future_tense and alt in ("wd", "mo", "dm", "md", "wkd", "per")))


def _intrinsically_future(m: re.Match[str], alt: str) -> bool:
    g = m.group
    if alt == "per":
        mod = " ".join(g("per_mod").lower().split())
        return mod in ("next", "later this")
    if alt == "wd":
        return (g("wd_mod") or "").strip().lower() == "next"
    if alt == "mo":
        return (g("mo_mod") or "").strip().lower().startswith("next")
    if alt == "eo":
        return g("eo_mod").lower() == "next"
    if alt == "rel":
        text = " ".join(g("rel").lower().split())
        return text.startswith(("tomorrow", "the day after", "later"))
    return False


def _relative(m: re.Match[str], alt: str, anchor: date,
              forward: bool) -> Optional[tuple[Optional[date], DatePrecision, str]]:
    g = m.group
    if alt == "rel":
        text = " ".join(g("rel").lower().split())
        if text.startswith("the day before"):
            return anchor - timedelta(days=2), "day", "relative"
        if text.startswith("the day after"):
            return anchor + timedelta(days=2), "day", "relative"
        word = (g("rel_w") or "").lower()
        if word == "yesterday" or word == "overnight" or text == "last night":
            return anchor - timedelta(days=1), "day", "relative"
        if word == "tomorrow":
            return anchor + timedelta(days=1), "day", "relative"
        return anchor, "day", "relative"  # today, tonight, this morning, past 24 hours
    if alt in ("ago", "off"):
        n, vague = _count(g("cnt_n"))
        if n is None:
            return None
        value, precision = _back(anchor, n, _unit(g("cnt_u")), vague)
        return value, precision, "relative" if alt == "ago" else "offset"
    if alt == "wd":
        weekday = WEEKDAYS[g("wd_w").lower()]
        mod = (g("wd_mod") or "").strip().lower()
        after = mod == "next" or (mod != "last" and forward)
        day = _weekday_after(anchor, weekday) if after else _weekday_before(anchor, weekday)
        return day, "day", "weekday"
    if alt == "mo":
        month = MONTHS[g("mo_m").lower()]
        mod = " ".join((g("mo_mod") or "").lower().replace("-", " ").split())
        if mod == "last":
            year = anchor.year if month < anchor.month else anchor.year - 1
        elif mod == "next":
            year = anchor.year if month > anchor.month else anchor.year + 1
        elif mod == "this":
            year = anchor.year
        elif forward:
            year = anchor.year if month >= anchor.month else anchor.year + 1
        else:
            year = anchor.year if month <= anchor.month else anchor.year - 1
        return date(year, month, 1), "month", "relative"
    if alt in ("dm", "md"):
        month = MONTHS[g(alt + "_m").lower().rstrip(".")]
        day = int(re.match(r"\d+", g(alt + "_d")).group())
        this_year = _safe_date(anchor.year, month, day)
        if this_year is None:
            return None
        if forward:
            d = this_year if this_year >= anchor else _safe_date(anchor.year + 1, month, day)
        else:
            d = this_year if this_year <= anchor else _safe_date(anchor.year - 1, month, day)
        return (d, "day", "relative") if d else None
    if alt == "wkd":
        return _weekend(anchor, forward), "week", "relative"
    if alt == "per":
        mod = " ".join(g("per_mod").lower().split())
        unit = g("per_u").lower()
        step = -1 if mod == "last" else 1 if mod == "next" else 0
        if unit == "weekend":
            return _weekend(anchor, step > 0 or (step == 0 and forward)), "week", "relative"
        if unit == "week":
            return _monday(anchor) + timedelta(days=7 * step), "week", "relative"
        if unit == "month":
            return add_months(anchor.replace(day=1), step), "month", "relative"
        return date(anchor.year + step, 1, 1), "year", "relative"
    if alt == "eo":
        mod = g("eo_mod").lower()
        step = -1 if mod == "last" else 1 if mod == "next" else 0
        unit = g("eo_u").lower()
        if unit == "week":
            return _monday(anchor) + timedelta(days=7 * step + 6), "day", "relative"
        if unit == "month":
            return _month_end(add_months(anchor.replace(day=1), step)), "day", "relative"
        return date(anchor.year + step, 12, 31), "day", "relative"
    return None


def _weekend(anchor: date, forward: bool) -> date:
    """The week (its Monday) of the weekend meant: the last one, or the next one."""
    saturday = _weekday_after(anchor, 5) if forward else _weekday_before(anchor, 5)
    if forward and anchor.weekday() == 6:
        saturday = anchor - timedelta(days=1)  # said on a Sunday: this weekend
    return _monday(saturday)


def _rule(parsed: _Parsed, qualifiers: list[str]) -> str:
    kind = "future" if parsed.future else parsed.kind
    return ":".join(["times", kind, *qualifiers])


# ---------------------------------------------------------------- typos

def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition counts one), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=65536)
def typo_target(word: str) -> Optional[str]:
    """The time word a 7+ letter word is a misspelling of, if any.

    Distance ≤ 1 for targets under 9 letters, ≤ 2 from 9 letters ("yestesrday"); the
    first letter must agree, and plurals of a target ("weekends") are not typos.
    """
    w = word.lower()
    if len(w) < 7 or w in _TIME_WORDS:
        return None
    for target in _TYPO_TARGETS:
        if target[0] != w[0] or w == target + "s":
            continue
        limit = 2 if len(target) >= 9 else 1
        if _osa_distance(w, target, limit) <= limit:
            return target
    return None


def _fix_case(original: str, target: str) -> str:
    if target in MONTHS or original[:1].isupper():
        return target.title()
    return target


class _Offsets:
    """Maps offsets in a typo-corrected copy of the text back to the original."""

    def __init__(self) -> None:
        self.edits: list[tuple[int, int, int]] = []  # (scan_start, scan_end, shift_after)

    def back(self, pos: int) -> int:
        shift = 0
        for start, end, after in self.edits:
            if pos < end:
                if pos > start:  # inside a replaced word: snap to its start
                    return start + shift
                return pos + shift
            shift = after
        return pos + shift


def _correct_typos(text: str, accept: Callable[[int, int], bool]
                   ) -> tuple[str, _Offsets, list[tuple[int, int]]]:
    """The text with misspelt time words replaced (where ``accept`` agrees), the map
    back to the original offsets, and the original spans that were replaced."""
    offsets = _Offsets()
    pieces: list[str] = []
    fixed: list[tuple[int, int]] = []
    last = 0
    shift = 0
    for m in _WORD_RE.finditer(text):
        s, e = m.span()
        if (s > 0 and text[s - 1].isalpha()) or (e < len(text) and text[e].isalpha()):
            continue
        target = typo_target(m.group())
        if target is None or not accept(s, e):
            continue
        replacement = _fix_case(m.group(), target)
        pieces.append(text[last:s])
        scan_start = s - shift
        pieces.append(replacement)
        shift += (e - s) - len(replacement)
        offsets.edits.append((scan_start, scan_start + len(replacement), shift))
        fixed.append((s, e))
        last = e
    if not fixed:
        return text, offsets, fixed
    pieces.append(text[last:])
    return "".join(pieces), offsets, fixed


# ---------------------------------------------------------------- the public function

def parse_time(expression: str, anchor: Optional[date], *,
               future: bool = False) -> Optional[tuple[DateRef, str]]:
    """Resolve a whole time expression against ``anchor`` and name the rule used.

    ``future`` says the verb it goes with is in the future ("will meet on Thursday").
    Returns None when the expression is not a time expression this grammar knows.
    """
    text = expression.strip()
    scan, _, fixed = _correct_typos(text, lambda s, e: True)
    m = _GRAMMAR.fullmatch(scan.translate(_ASCII_LOWER))
    if m is None:
        return None
    parsed = _interpret(m, anchor, future_tense=future, loose=True)
    if parsed is None:
        return None
    qualifiers = ["typo"] if fixed else []
    if anchor is None and _alternative(m) not in _ABSOLUTE:
        qualifiers.append("unanchored")
    return DateRef(parsed.value, parsed.precision, text), _rule(parsed, qualifiers)


def resolve_time(expression: str, anchor: Optional[date]) -> Optional[DateRef]:
    """The date a time expression means, seen from ``anchor`` (None: unknown anchor,
    so only absolute expressions get a value). None if it is not a time expression."""
    found = parse_time(expression, anchor)
    return found[0] if found else None


# ---------------------------------------------------------------- the stage

def _future_tense(span: SpacySpan) -> bool:
    """Whether the clause a time expression sits in speaks of the future."""
    tok: Token = span.root
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            break
        if tok.head is tok:
            return False
        tok = tok.head
    else:
        return False
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    auxes = [c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(a in ("have", "has", "had", "'ve") for a in auxes):
        return False  # "may have died", "will have left": a past seen from somewhere
    if any(a in _FUTURE_AUX for a in auxes):
        return True
    if "to" in auxes and tok.head is not tok and tok.head.lemma_.lower() in _FUTURE_GOVERNORS:
        return True
    return False


def _token_at(span: SpacySpan, char: int) -> Optional[Token]:
    for tok in span:
        if tok.idx <= char < tok.idx + len(tok.text):
            return tok
    return None


def _caption_date(text: str, m: re.Match[str], start: int, end: int) -> Optional[date]:
    """A full date that closes its line and is not governed by a preposition: the
    dateline of a photo caption ("..., Aleppo, Syria July 31, 2016.")."""
    alt = _alternative(m)
    if alt not in _FULL_DATES or m.group("prep"):
        return None
    line_end = text.find("\n", end)
    tail = text[end:] if line_end < 0 else text[end:line_end]
    if tail.strip(" \t.") != "":
        return None
    line_start = text.rfind("\n", 0, start) + 1
    before = _LAST_WORD_RE.search(text[line_start:start])
    if before and before.group(1).lower() in _PREP_WORDS:
        return None
    parsed = _interpret(m, None, future_tense=False, loose=True)
    return parsed.value if parsed else None


def _line_of(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


class TimeStage:
    """Finds time expressions and resolves them to dates (see the module notes)."""

    name = "times"
    assigns = ("times",)

    def __init__(self, use_dateparser: bool = True):
        self.use_dateparser = use_dateparser

    def __call__(self, doc: Doc, reading: Reading) -> None:
        text = reading.document.text  # the parsed text (Doc.text would re-join the tokens)
        published = reading.document.published

        def noun_like(s: int, e: int) -> bool:
            span = doc.char_span(s, e)
            return span is not None and span.root.pos_ not in ("VERB", "ADJ", "AUX")

        scan, offsets, fixed = _correct_typos(text, noun_like)
        scan = scan.translate(_ASCII_LOWER)
        hits: list[tuple[re.Match[str], int, int]] = []
        for m in _GRAMMAR.finditer(scan):
            hits.append((m, offsets.back(m.start()), offsets.back(m.end())))

        anchors: dict[int, date] = {}  # line start → that line's own date
        for m, s, e in hits:
            local = _caption_date(text, m, s, e)
            if local is not None:
                anchors[_line_of(text, s)] = local

        found: list[TimeMention] = []
        covered: list[tuple[int, int]] = []
        for m, s, e in hits:
            span = doc.char_span(s, e)
            if span is None or not self._context_ok(m, span, text, offsets.back):
                continue
            line = _line_of(text, s)
            anchor = anchors.get(line, published)
            qualifiers = []
            if line in anchors and _alternative(m) not in _ABSOLUTE:
                qualifiers.append("caption")
            if any(fs < e and s < fe for fs, fe in fixed):
                qualifiers.append("typo")
            mention = self._mention(m, span, anchor, qualifiers, loose=self._listed(m, span))
            if mention:
                found.append(mention)
                covered.append((s, e))

        for ent in doc.ents:
            if ent.label_ != "DATE":
                continue
            inside = [t for t in found
                      if t.span.start < ent.end_char and ent.start_char < t.span.end]
            if not inside:
                mention = self._from_entity(ent, text, anchors, published)
                if mention:
                    found.append(mention)
            elif self.use_dateparser and _DAY_NUMBER_RE.search(ent.text) and not any(
                    t.date.precision == "day" and t.rule.startswith("times:absolute")
                    for t in inside):
                # The grammar read pieces ("on 2016", "July 31") of what spaCy and
                # dateparser read as one day: "2016 July 31", "the 31st day of July 2016".
                whole = _dateparser_absolute(ent.text)
                if whole is not None and whole[1] == "day":
                    start = min(ent.start_char, *(t.span.start for t in inside))
                    end = max(ent.end_char, *(t.span.end for t in inside))
                    found = [t for t in found if t not in inside]
                    found.append(TimeMention(DateRef(whole[0], "day", text[start:end]),
                                             Span(start, end, text[start:end]),
                                             "times:absolute:dateparser"))

        found.sort(key=lambda t: t.span.start)
        reading.times.extend(found)

    def _mention(self, m: re.Match[str], span: SpacySpan, anchor: Optional[date],
                 qualifiers: list[str], *, loose: bool) -> Optional[TimeMention]:
        parsed = _interpret(m, anchor, future_tense=_future_tense(span), loose=loose)
        if parsed is None:
            return None
        if anchor is None and _alternative(m) not in _ABSOLUTE:
            qualifiers = [*qualifiers, "unanchored"]
        expression = span.text
        return TimeMention(
            date=DateRef(parsed.value, parsed.precision, expression),
            span=Span(span.start_char, span.end_char, expression),
            rule=_rule(parsed, qualifiers),
        )

    @staticmethod
    def _listed(m: re.Match[str], span: SpacySpan) -> bool:
        """A bare month or year right after another one: "from March to May", "2014 and 2015"."""
        alt = _alternative(m)
        if alt not in ("mo", "yr") or span.start < 2:
            return False
        link, before = span.doc[span.start - 1], span.doc[span.start - 2]
        if link.lower_ not in ("to", "and", "or", "-", "\u2013", "until", "through"):
            return False
        return before.lower_ in MONTHS or bool(_YEAR_IN_TEXT_RE.fullmatch(before.text))

    @staticmethod
    def _context_ok(m: re.Match[str], span: SpacySpan, text: str,
                    back: Callable[[int], int]) -> bool:
        """Checks on the parse and the original case; ``back`` maps match offsets to text."""
        alt = _alternative(m)
        if alt in _MONTH_ALTS:
            at = back(m.start(alt[:2] + "_m"))
            month = _token_at(span, at)
            if not text[at].isupper() or month is None or month.tag_ == "MD" or \
                    month.ent_type_ in _NAME_ENTS:
                return False  # "may" and "march" in lower case, "May" the modal, "Theresa May"
        if alt == "wd":
            word = next((t for t in span if t.lower_ in WEEKDAYS), None)
            if word is not None and word.ent_type_ in _NAME_ENTS:
                return False  # "Bloody Sunday"
        if alt == "rel":
            if any(t.ent_type_ in ("ORG", "WORK_OF_ART") for t in span):
                return False  # "USA Today"
        if alt == "per":
            before = text[max(0, span.start_char - 4):span.start_char].lower()
            after = text[span.end_char:span.end_char + 4].lower()
            if re.search(r"\bthe\s$", before) or re.match(r"\s+of\b", after):
                return False  # "the last week of July" is not last week
        if alt == "fut" and _SOON_AFTER_RE.match(text, span.end_char):
            return False  # "soon after the attack" is not the future
        if alt == "yr":
            if span.start > 0 and span.doc[span.start - 1].lower_ in LABEL_WORDS:
                return False  # "Highway 2016", "Resolution 2042": a name
            year = next((t for t in span if _YEAR_IN_TEXT_RE.fullmatch(t.text)), None)
            if year is not None and counts_a_plural(year):
                return False  # "in 2000 homes" counts homes
        return True

    def _from_entity(self, ent: SpacySpan, text: str, anchors: dict[int, date],
                     published: Optional[date]) -> Optional[TimeMention]:
        """A spaCy DATE entity the grammar did not reach, tried as one expression."""
        target = ent
        m = _GRAMMAR.fullmatch(ent.text.translate(_ASCII_LOWER))
        if m is None and ent.text.lower().startswith("the ") and len(ent) > 1:
            target = ent[1:]
            m = _GRAMMAR.fullmatch(target.text.translate(_ASCII_LOWER))
        line = _line_of(text, ent.start_char)
        anchor = anchors.get(line, published)
        if m is not None:
            if not self._context_ok(m, target, text, lambda p: target.start_char + p):
                return None
            qualifiers = ["entity"]
            if line in anchors and _alternative(m) not in _ABSOLUTE:
                qualifiers.insert(0, "caption")
            return self._mention(m, target, anchor, qualifiers, loose=True)
        if not self.use_dateparser:
            return None
        found = _dateparser_absolute(ent.text)
        if found is None:
            return None
        value, precision = found
        return TimeMention(DateRef(value, precision, ent.text),
                           Span(ent.start_char, ent.end_char, ent.text),
                           "times:absolute:dateparser")


@lru_cache(maxsize=1)
def _dateparsers() -> tuple[object, object]:
    # Two parsers with different "now": a result that does not move is absolute.
    from dateparser.date import DateDataParser

    def make(base: datetime) -> object:
        return DateDataParser(languages=["en"], settings={
            "RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False})

    return make(datetime(2001, 3, 14)), make(datetime(1995, 9, 23))


@lru_cache(maxsize=4096)
def _dateparser_absolute(text: str) -> Optional[tuple[date, DatePrecision]]:
    """An absolute date in a format the grammar lacks, via dateparser (slow: ~2 ms a
    call, so only for DATE entities that name a year, and cached)."""
    years = _YEAR_IN_TEXT_RE.findall(text)
    if len(years) != 1 or _AGE_RE.search(text):
        return None
    first, second = _dateparsers()
    a = first.get_date_data(text)  # type: ignore[attr-defined]
    b = second.get_date_data(text)  # type: ignore[attr-defined]
    if a.date_obj is None or b.date_obj is None or a.date_obj != b.date_obj:
        return None
    if str(a.date_obj.year) != years[0]:
        return None
    precision: DatePrecision = a.period if a.period in ("day", "month", "year") else "day"
    return _period_start(a.date_obj.date(), precision), precision


__all__ = ["TimeStage", "parse_time", "resolve_time", "typo_target", "MONTHS", "WEEKDAYS"]
