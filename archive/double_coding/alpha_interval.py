"""How much an alpha rests on: a bootstrap 95% interval, and a plain warning when it is too thin.

**The interval** is a percentile bootstrap over units (Efron & Tibshirani 1993, ch. 13): the
double-coded testimonies are drawn with replacement, as many as there are, REPLICATES times; alpha
is recomputed on each resample, and the interval runs from the 2.5th to the 97.5th percentile of
those alphas. The generator has a fixed SEED, so the same codings always give the same interval
and the page does not flicker. It is not Krippendorff's own bootstrap (Hayes & Krippendorff 2007,
the KALPHA macro), which redraws pairs of values: drawing whole testimonies keeps each
testimony's codings together, which is what a new sample of testimonies would do.

**Fast, whatever the number of testimonies.** Alpha depends on the units only through the summed
coincidence matrix, and a unit's share of that matrix depends only on the values it holds. So the
units are grouped into kinds (two coders, applied or not: at most three kinds, "both", "neither",
"one of them"); a resample is a multinomial draw of how many units of each kind it holds; and the
resampled matrices of all replicates are one matrix product. The cost is replicates x kinds x
categories^2, a millisecond or two, for 10 testimonies as for 10,000.

A resample in which every value falls in one category has no alpha (0 / 0); such resamples are
left out, and when they are more than MAX_UNDEFINED of them the interval is not given at all.
"""
from collections import Counter
from dataclasses import dataclass
from itertools import permutations

import numpy as np

from archive.double_coding.agreement import pairable
from archive.i18n import say_plural

REPLICATES = 2000
SEED = 20111        # any fixed number: the interval must be the same at every visit
LEVEL = 0.95
MIN_UNITS = 10      # below this, no interval and a warning: a handful of testimonies concludes nothing
MAX_WIDTH = 0.2     # wider than this, a warning: such an interval cannot tell Krippendorff's bands
                    # apart (unreliable below 0.667, tentative to 0.800, reliable above: 0.133 wide)
MAX_UNDEFINED = 0.05


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    @property
    def width(self):
        return self.high - self.low


@dataclass(frozen=True)
class Reading:
    """What a row of figures can bear: the interval (or None) and a warning in words (or None)."""
    interval: Interval | None
    caution: str | None = None
    reason: str | None = None   # 'few', 'rare', 'wide', or None


def _kinds(units):
    """[(values of a kind of unit, sorted), how many units are of that kind], in a fixed order."""
    counted = Counter(tuple(sorted(values, key=repr)) for values in pairable(units))
    return sorted(counted.items(), key=repr)


def _share(values, index, size):
    """One unit's share of the coincidence matrix, flattened: each ordered pair of values from
    different coders adds 1 / (m - 1) (archive/double_coding/agreement.py `coincidences`)."""
    share = np.zeros((size, size))
    for first, second in permutations(values, 2):
        share[index[first], index[second]] += 1 / (len(values) - 1)
    return share.ravel()


def alphas_of(matrices, size):
    """Alpha of each row of flattened size x size coincidence matrices; NaN where not defined.
    alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k, as archive/double_coding/agreement.py."""
    matrices = matrices.reshape(-1, size, size)
    totals = matrices.sum(axis=2)
    n = totals.sum(axis=1)
    observed = n - np.trace(matrices, axis1=1, axis2=2)
    expected = n * n - (totals * totals).sum(axis=1)
    defined = expected > 1e-9
    alphas = np.full(len(n), np.nan)
    alphas[defined] = 1 - (n[defined] - 1) * observed[defined] / expected[defined]
    return alphas


def bootstrap_alphas(units, replicates=REPLICATES, seed=SEED):
    """Alpha of each of `replicates` resamples of the units (NaN where not defined)."""
    kinds = _kinds(units)
    if not kinds:
        return np.full(replicates, np.nan)
    categories = sorted({value for values, _ in kinds for value in values}, key=repr)
    index = {value: i for i, value in enumerate(categories)}
    shares = np.array([_share(values, index, len(categories)) for values, _ in kinds])
    counts = np.array([count for _, count in kinds])
    draws = np.random.default_rng(seed).multinomial(counts.sum(), counts / counts.sum(), size=replicates)
    return alphas_of(draws @ shares, len(categories))


def alpha_interval(units, replicates=REPLICATES, seed=SEED, level=LEVEL):
    """(Interval or None, share of resamples without an alpha)."""
    alphas = bootstrap_alphas(units, replicates, seed)
    defined = alphas[~np.isnan(alphas)]
    undefined = 1 - len(defined) / replicates
    if not len(defined):
        return None, undefined
    low, high = np.quantile(defined, [(1 - level) / 2, (1 + level) / 2])
    return Interval(float(low), float(high)), undefined


def reading(units, alpha):
    """The interval and the warning for one row of figures (units as archive/double_coding/agreement.py has them)."""
    n = len(pairable(units))
    if n < MIN_UNITS:
        return Reading(None, few_words(n), "few")
    if alpha is None:
        return Reading(None)  # the page says "not defined" already
    interval, undefined = alpha_interval(units)
    if interval is None or undefined > MAX_UNDEFINED:
        return Reading(None, say_plural(
            "Too rare to conclude: applied in so few of these %(num)s testimony that α is not even defined in "
            "%(share)s of their resamples.",
            "Too rare to conclude: applied in so few of these %(num)s testimonies that α is not even defined in "
            "%(share)s of their resamples.", n, share=format(undefined, ".0%")), "rare")
    if interval.width > MAX_WIDTH:
        return Reading(interval, say_plural(
            "Too uncertain to conclude: α rests on %(num)s testimony, and its 95%% interval is %(width)s wide "
            "(more than %(most)s).",
            "Too uncertain to conclude: α rests on %(num)s testimonies, and its 95%% interval is %(width)s wide "
            "(more than %(most)s).", n, width=format(interval.width, ".2f"), most=MAX_WIDTH), "wide")
    return Reading(interval)


def few_words(n):
    return say_plural("Too few double-coded testimonies to conclude: α rests on %(num)s testimony (at least "
                      "%(least)s are needed for an interval).",
                      "Too few double-coded testimonies to conclude: α rests on %(num)s testimonies (at least "
                      "%(least)s are needed for an interval).", n, least=MIN_UNITS)
