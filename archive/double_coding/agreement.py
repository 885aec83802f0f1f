"""Inter-coder agreement on nominal data: percent agreement, Cohen's kappa, Krippendorff's alpha.

Pure functions of the values coders gave, with no database. A *unit* is one thing that was coded
(a testimony, for one abuse type or perpetrator side) and holds one value per coder: a sequence
in coder order, with None where that coder gave no value (missing data, which alpha allows).

Each statistic returns None where it is not defined, rather than dividing by zero: kappa and alpha
when all values fall in one category (expected disagreement is 0), any of them with no pairable
units. References:
- J. Cohen (1960), "A coefficient of agreement for nominal scales", Educational and Psychological
  Measurement 20(1): κ = (p_o − p_e) / (1 − p_e).
- K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for
  Communication, University of Pennsylvania: α = 1 − D_o / D_e through the coincidence matrix.
"""
from collections import Counter
from dataclasses import dataclass
from itertools import permutations


@dataclass(frozen=True)
class Agreement:
    """The three statistics for one dimension, and how many units they rest on."""
    n: int                  # units with values from at least two coders
    percent: float | None   # share of agreeing coder pairs, 0–100
    kappa: float | None     # None unless exactly two coders coded every unit
    alpha: float | None


def pairable(units):
    """The units' present values, keeping units with at least two (the only ones that say
    anything about agreement)."""
    present = ([value for value in unit if value is not None] for unit in units)
    return [values for values in present if len(values) >= 2]


def percent_agreement(units):
    """Agreeing pairs of coders as a percentage of all pairs, over every pairable unit.
    With two coders this is the share of units on which they agree."""
    agreeing = pairs = 0
    for values in pairable(units):
        for i, first in enumerate(values):
            for second in values[i + 1:]:
                pairs += 1
                agreeing += first == second
    return 100 * agreeing / pairs if pairs else None


def cohen_kappa(pairs):
    """Cohen's kappa for two coders: `pairs` are (first coder's value, second coder's value)."""
    pairs = list(pairs)
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(first == second for first, second in pairs) / n
    firsts = Counter(first for first, _ in pairs)
    seconds = Counter(second for _, second in pairs)
    expected = sum(firsts[value] * seconds[value] for value in firsts) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def coincidences(units):
    """Krippendorff's coincidence matrix {(c, k): o_ck}: within each unit of m_u values, every
    ordered pair of values from different coders adds 1 / (m_u − 1)."""
    matrix = Counter()
    for values in pairable(units):
        weight = 1 / (len(values) - 1)
        for c, k in permutations(values, 2):
            matrix[c, k] += weight
    return matrix


def krippendorff_alpha(units):
    """Krippendorff's alpha, nominal metric, any number of coders, missing values allowed:
    α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k."""
    matrix = coincidences(units)
    totals = Counter()
    for (c, _), count in matrix.items():
        totals[c] += count
    n = sum(totals.values())
    observed = sum(count for (c, k), count in matrix.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def agreement(units):
    """All three for one dimension. Kappa needs every pairable unit coded by the same two coders:
    each unit here must then hold exactly two values (one per coder, in the same coder order)."""
    units = [list(unit) for unit in units]
    usable = pairable(units)
    two_coders = bool(units) and all(len(unit) == 2 for unit in units)
    kappa = cohen_kappa((a, b) for a, b in units if a is not None and b is not None) if two_coders else None
    return Agreement(n=len(usable), percent=percent_agreement(units), kappa=kappa,
                     alpha=krippendorff_alpha(units))
