"""The bootstrap interval for alpha: its fast path against the `krippendorff` package, how it behaves
(perfect agreement, more units, stability), its coverage on simulated coders, and the warnings."""
import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.double_coding import alpha_interval
from archive.double_coding.agreement import krippendorff_alpha
from archive.double_coding.alpha_interval import Interval, Reading, reading
from archive.double_coding.alpha_interval import alpha_interval as interval_of

_ = None


def coders(seed, n, prevalence=0.4, accuracy=0.85, count=2):
    """n units coded yes/no by `count` coders who each report the truth with `accuracy`."""
    rng = np.random.default_rng(seed)
    truth = rng.random(n) < prevalence
    right = rng.random((n, count)) < accuracy
    return [[bool(t) if r else not t for r in row] for t, row in zip(truth, right)]


def package_alpha(units):
    """The package's alpha; units of fewer values are padded with missing ones (nominal alpha does
    not care which coder gave which value)."""
    width = max(len(unit) for unit in units)
    matrix = np.array([[np.nan if v is None else float(v) for v in unit] + [np.nan] * (width - len(unit))
                       for unit in units]).T
    return krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")


reliability_data = st.integers(2, 4).flatmap(lambda count: st.lists(
    st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=count, max_size=count), min_size=2, max_size=30))


@settings(max_examples=100, deadline=None)
@given(reliability_data, st.integers(0, 2**32 - 1))
def test_each_resampled_alpha_is_the_packages_alpha_of_that_resample(units, seed):
    """The fast path (kinds of unit, multinomial counts, one matrix product) against the `krippendorff`
    package on the same resample written out unit by unit."""
    kinds = alpha_interval._kinds(units)
    if not kinds:
        return
    categories = sorted({v for values, _ in kinds for v in values}, key=repr)
    index = {v: i for i, v in enumerate(categories)}
    shares = np.array([alpha_interval._share(values, index, len(categories)) for values, _ in kinds])
    counts = np.random.default_rng(seed).multinomial(sum(c for _, c in kinds), [1 / len(kinds)] * len(kinds))
    (fast,) = alpha_interval.alphas_of(counts[None, :] @ shares, len(categories))
    resample = [list(values) for (values, _), times in zip(kinds, counts) for _ in range(times)]
    ours = krippendorff_alpha(resample)
    if ours is None:
        assert np.isnan(fast)
    else:
        assert fast == pytest.approx(ours, abs=1e-9)
        assert fast == pytest.approx(package_alpha(resample), abs=1e-9)


def test_the_whole_sample_drawn_once_gives_alpha_itself():
    units = coders(1, 60)
    kinds = alpha_interval._kinds(units)
    index = {False: 0, True: 1}
    shares = np.array([alpha_interval._share(values, index, 2) for values, _ in kinds])
    counts = np.array([count for _, count in kinds])
    assert alpha_interval.alphas_of(counts[None, :] @ shares, 2)[0] == pytest.approx(krippendorff_alpha(units))


def test_perfect_agreement_gives_one_to_one():
    units = [[True, True]] * 12 + [[False, False]] * 18
    assert interval_of(units) == (Interval(1.0, 1.0), 0.0)


def test_the_interval_holds_alpha_and_is_stable():
    units = coders(2, 80)
    first, _ = interval_of(units)
    assert first.low < krippendorff_alpha(units) < first.high
    assert interval_of(units)[0] == first                   # fixed seed: the same at every visit
    assert interval_of(list(reversed(units)))[0] == first   # and whatever order the units come in


def test_more_units_narrow_the_interval():
    base = coders(3, 20)
    widths = [interval_of(base * times)[0].width for times in (1, 4, 16)]
    assert widths[0] > widths[1] > widths[2] > 0
    assert widths[1] == pytest.approx(widths[0] / 2, rel=0.35)  # about 1 / sqrt(n)


def test_any_number_of_coders_and_missing_codings():
    units = [[True, True, _], [False, False, False], [True, _, True], [False, True, False]] * 10
    found, undefined = interval_of(units)
    assert undefined == 0 and found.low <= krippendorff_alpha(units) <= found.high


@pytest.mark.slow
def test_coverage_on_simulated_coders():
    """Two coders who each get 85 % of 80 testimonies right: over 300 samples, the 95 % interval
    holds the population's alpha (from a sample of 200,000) about 95 times in 100."""
    population = krippendorff_alpha(coders(0, 200_000))
    held = 0
    for seed in range(1, 301):
        found, _ = interval_of(coders(seed, 80), replicates=1000)
        held += found.low <= population <= found.high
    assert 0.90 <= held / 300 <= 0.98, held


class TestReading:
    def test_too_few_says_so_in_words_and_gives_no_interval(self):
        assert reading(coders(4, 4), 0.5) == Reading(
            None, "Too few double-coded testimonies to conclude: α rests on 4 testimonies "
                  "(at least 10 are needed for an interval).", "few")
        assert "rests on 1 testimony " in reading([[True, False]], None).caution

    def test_units_without_two_codings_do_not_count(self):
        assert reading([[True, _]] * 30 + [[True, False]] * 3, 0.1).caution.startswith(
            "Too few double-coded testimonies to conclude: α rests on 3 testimonies")

    def test_enough_units_and_a_narrow_interval_need_no_warning(self):
        units = coders(5, 400, accuracy=0.95)
        found = reading(units, krippendorff_alpha(units))
        assert found.caution is None and found.interval.width <= alpha_interval.MAX_WIDTH

    def test_a_wide_interval_is_too_uncertain(self):
        units = coders(6, 25, accuracy=0.8)
        found = reading(units, krippendorff_alpha(units))
        assert found.reason == "wide" and found.interval.width > alpha_interval.MAX_WIDTH
        assert found.caution == (f"Too uncertain to conclude: α rests on 25 testimonies, and its 95% interval is "
                                 f"{found.interval.width:.2f} wide (more than 0.2).")

    def test_a_type_applied_once_is_too_rare(self):
        units = [[False, False]] * 29 + [[True, False]]
        found = reading(units, krippendorff_alpha(units))
        assert found.reason == "rare" and found.interval is None
        assert found.caution.startswith("Too rare to conclude: applied in so few of these 30 testimonies that α is not "
                                        "even defined in ")

    def test_an_undefined_alpha_needs_no_warning_of_its_own(self):
        assert reading([[True, True]] * 20, None) == Reading(None)
