"""The levels of a candidate pair (archive/incidents/comparisons.py): partial dates by their bounds, places
by distance, a unit both name or two different units of one side, abuse types in common; every level has
a weight, the score is the probability they add up to, and the words a reviewer reads come from the same
level as the score."""
import datetime as dt
import math

import pytest

from archive.incidents import comparisons
from archive.incidents.candidates import Profile
from archive.incidents.circumstances import Circumstances
from archive.incidents.group_sizes import GroupSize

KUZNICA, BRUZGI = (53.51094, 23.64953, "kuznica"), (53.55528, 23.68167, "bruzgi")
BIALYSTOK = (53.13333, 23.16433, "bialystok")
DAY = dt.date(2021, 11, 8).toordinal()


def score(a, b, book, met=10):
    """(probability, reasons) of a pair, for a testimony that meets `met` records in blocking."""
    known = comparisons.levels(a, b, book)
    return comparisons.probability(known, comparisons.prior(met)), comparisons.reasons(known, book)


def told(first=DAY, last=None, point=KUZNICA, sides=("BY",), units=("by_military_special",),
         abuse=("beating", "dog_attack"), size=None, times=(), crossings=(), origins=()):
    return Profile("testimony", 1, intervals=[(first, last if last is not None else first)],
                   points=[point] if point else [], sides=set(sides), units=set(units), abuse_types=set(abuse),
                   size=size, stated=Circumstances(frozenset(times), frozenset(crossings), frozenset(origins)))


@pytest.mark.parametrize("other, level", [
    (told(), "same_day"),
    (told(DAY + 1), "day_apart"),
    (told(DAY - 3), "days_apart"),
    (told(DAY - 7, DAY + 7), "centred"),                   # "2021-11-08~": a week either side of that day
    (told(DAY - 3, DAY + 11), "overlap_close"),            # "2021-11-12~": around another day
    (told(dt.date(2021, 11, 1).toordinal(), dt.date(2021, 11, 30).toordinal()), "overlap_wide"),  # "2021-11"
    (told(DAY + 2, DAY + 16), "near_inexact"),
])
def test_partial_dates_compare_by_their_day_bounds(other, level):
    assert comparisons.date_level(told(), other)[0] == level


def test_an_approximate_day_counts_for_more_around_the_other_day_than_off_it(codebook):
    around = told(DAY - 7, DAY + 7)   # 'around 8 November'
    assert score(around, told(), codebook)[0] > score(told(DAY - 3, DAY + 11), told(), codebook)[0]
    assert score(around, told(), codebook)[1][0] == "about the same day"


@pytest.mark.parametrize("size, other, level", [
    (GroupSize(80, 80), GroupSize(80, 80), "same"),
    (GroupSize(80, 80, approximate=True), GroupSize(80, 80, approximate=True), "overlap"),   # both 'about 80'
    (GroupSize(80, 80, approximate=True), GroupSize(70, 70), "overlap"),     # 'about 80' is 64–96
    (GroupSize(20, 30), GroupSize(25, 25), "overlap"),
    (GroupSize(80, 80), GroupSize(70, 70), "near"),                          # within a quarter of 80
    (GroupSize(80, 80), GroupSize(30, 30), "far"),
])
def test_group_sizes_compare_by_their_bounds(size, other, level, codebook):
    assert comparisons.size_level(told(size=size), told(size=other))[0] == level
    assert comparisons.size_level(told(size=size), told()) is None   # not said: counts for nothing


def test_a_group_size_in_common_lifts_the_score_and_one_far_off_lowers_it(codebook):
    month = dt.date(2021, 11, 1).toordinal(), dt.date(2021, 11, 30).toordinal()
    vague = dict(first=month[0], last=month[1], point=None)   # 'in November', no place said
    unsized = score(told(**vague), told(), codebook)[0]
    same, reasons = score(told(**vague, size=GroupSize(80, 80, approximate=True)), told(size=GroupSize(75, 75)),
                          codebook)
    assert same > unsized > score(told(**vague, size=GroupSize(20, 20)), told(size=GroupSize(80, 80)), codebook)[0]
    assert reasons[-1] == "group about 80 vs 75"


@pytest.mark.parametrize("point, level", [(KUZNICA, "same"), (BRUZGI, "within_10"), (BIALYSTOK, "far")])
def test_places_compare_by_distance(point, level):
    assert comparisons.place_level(told(), told(point=point))[0] == level
    assert comparisons.place_level(told(), told(point=None)) is None  # not said: counts for nothing


def test_two_units_of_one_side_are_told_apart_from_a_side_alone(codebook):
    border_guard = told(sides=("PL",), units=("pl_border_guard",))
    assert comparisons.perpetrator_level(border_guard, told(sides=("PL",), units=()), codebook)[0] == "same_side"
    army = told(sides=("PL",), units=("pl_army",))
    assert comparisons.perpetrator_level(border_guard, army, codebook)[0] == "other_unit"
    assert comparisons.perpetrator_level(border_guard, told(), codebook)[0] == "other_side"
    value, reasons = score(border_guard, army, codebook)
    assert reasons[2] == ("different units: Poland: Border Guard (Straż Graniczna, SG) vs "
                          "Poland: Polish Armed Forces (soldiers)")
    assert value < score(border_guard, told(sides=("PL",), units=()), codebook)[0] < score(
        border_guard, border_guard, codebook)[0]


@pytest.mark.parametrize("abuse, level", [(("beating", "dog_attack"), "same"), (("beating",), "within"),
                                          (("beating", "theft"), "overlap"), (("theft",), "none")])
def test_abuse_types_in_common(abuse, level):
    assert comparisons.abuse_level(told(), told(abuse=abuse))[0] == level


def test_every_level_a_part_can_fall_into_has_a_weight():
    assert set(comparisons.WEIGHTS) == set(comparisons.WORDS)
    for part, names in {"date": {"same_day", "day_apart", "days_apart", "centred", "overlap_close", "overlap_wide",
                                 "near_inexact", "apart"},
                        "place": {"same", "within_10", "within_25", "within_50", "far"},
                        "perpetrators": {"same_unit", "same_side", "other_unit", "other_side"},
                        "abuse_types": {"same", "within", "overlap", "none"},
                        "size": {"same", "overlap", "near", "far"},
                        "time_of_day": {"same", "adjacent", "apart"}, "crossing": {"same", "other"},
                        "origin": {"same", "other"}}.items():
        assert set(comparisons.WEIGHTS[part]) == names


def test_the_prior_follows_how_many_records_a_testimony_meets(codebook):
    assert comparisons.prior(2) == 0.0  # at most even odds
    share = comparisons.PARTNERS / 260   # PARTNERS of the 260 met are expected to tell its event
    assert comparisons.prior(260) == pytest.approx(math.log2(share / (1 - share)))
    assert score(told(), told(), codebook, met=1000)[0] < score(told(), told(), codebook, met=100)[0]


def test_the_score_is_the_probability_the_levels_add_up_to_and_a_missing_part_counts_for_nothing(codebook):
    same = comparisons.levels(told(), told(), codebook)
    assert set(same) == {"date", "place", "perpetrators", "abuse_types"}
    weight = sum(comparisons.WEIGHTS[p][level] for p, (level, _) in same.items())
    assert comparisons.probability(same, -3.0) == pytest.approx(1 / (1 + 2 ** -(weight - 3.0)))
    unsaid = comparisons.levels(told(), told(point=None), codebook)
    assert "place" not in unsaid
    assert comparisons.probability(unsaid, -3.0) == pytest.approx(
        1 / (1 + 2 ** -(weight - 3.0 - comparisons.WEIGHTS["place"]["same"])))
    # Closer in each part, never lower.
    assert score(told(), told(), codebook)[0] > score(told(), told(DAY + 1), codebook)[0] > score(
        told(), told(DAY + 3), codebook)[0]


@pytest.mark.parametrize("mine, theirs, level, words", [
    (("night",), ("night",), "same", "both at night"),
    (("night", "dawn"), ("dawn",), "same", "both at dawn or early in the morning"),
    (("night",), ("evening",), "adjacent", "one at night, the other in the evening"),
    (("night",), ("dawn",), "adjacent", "one at night, the other at dawn or early in the morning"),
    (("night",), ("day",), "apart", "one at night, the other during the day"),
    (("dawn",), ("evening",), "apart", "one at dawn or early in the morning, the other in the evening"),
])
def test_times_of_day_compare_by_how_far_apart_in_the_day(mine, theirs, level, words, codebook):
    known = comparisons.levels(told(times=mine), told(times=theirs), codebook)
    assert known["time_of_day"][0] == level
    assert words in comparisons.reasons(known, codebook)


@pytest.mark.parametrize("part, mine, theirs, level, words", [
    ("crossings", ("river",), ("river", "fence"), "same", "both at the river"),
    ("crossings", ("swamp",), ("fence",), "other", "one in the swamp, the other at the fence"),
    ("origins", ("syria", "iraq"), ("iraq",), "same", "both groups from Iraq"),
    ("origins", ("syria", "iraq"), ("iraq", "syria"), "same", "both groups from Iraq / Syria"),
    ("origins", ("yemen",), ("congo", "iran"), "other", "groups from Yemen vs DR Congo / Iran"),
])
def test_crossings_and_origins_compare_by_one_in_common(part, mine, theirs, level, words, codebook):
    known = comparisons.levels(told(**{part: mine}), told(**{part: theirs}), codebook)
    (name,) = {"crossings": "crossing", "origins": "origin"}[part],
    assert known[name][0] == level
    assert words in comparisons.reasons(known, codebook)


def test_what_one_statement_does_not_say_counts_for_nothing(codebook):
    said = told(times=("night",), crossings=("river",), origins=("syria",))
    assert not {"time_of_day", "crossing", "origin"} & set(comparisons.levels(said, told(), codebook))
    # Saying the same lifts the score; saying another lowers it.
    assert score(said, said, codebook)[0] > score(said, told(), codebook)[0] > score(
        said, told(times=("day",), crossings=("fence",), origins=("iran",)), codebook)[0]


def test_the_words_are_translated(codebook):
    known = comparisons.levels(told(times=("night",), origins=("syria",)), told(times=("night",), origins=("syria",)),
                               codebook)
    from archive.i18n import speaking
    with speaking("pl"):
        assert {"oba: w nocy", "obie grupy: Syria"} <= set(comparisons.reasons(known, codebook))


def test_a_circumstance_both_say_counts_for_more_the_rarer_it_is_in_the_archive(codebook):
    archive = [told(times=("night",))] * 8 + [told(times=("day",)), told(times=("evening",))]
    shares = comparisons.value_shares(archive)
    assert shares["time_of_day"][0] == {"night": 0.8, "day": 0.1, "evening": 0.1}
    assert shares["origin"] == ({}, 0)   # none says it: nothing to weigh by

    def scored(time):
        known = comparisons.levels(told(times=(time,)), told(times=(time,)), codebook)
        return comparisons.probability(known, -3.0, shares=shares), comparisons.probability(known, -3.0)

    (night, night_plain), (day, day_plain) = scored("night"), scored("day")
    assert day > day_plain == night_plain > night   # the level alone cannot tell them apart
    expected = 0.8 ** 2 + 0.1 ** 2 + 0.1 ** 2
    assert comparisons.rarity(comparisons.levels(told(times=("day",)), told(times=("day",)), codebook), shares) == (
        pytest.approx(min(comparisons.RARITY_CAP, math.log2(expected / 0.1))))
    # A difference is not weighed by value.
    known = comparisons.levels(told(times=("night",)), told(times=("day",)), codebook)
    assert comparisons.rarity(known, shares) == 0.0
