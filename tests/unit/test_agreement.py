"""The agreement statistics against worked examples from the literature, their edge cases, and an
independent implementation (the `krippendorff` package, a test dependency)."""
import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.double_coding.agreement import (
    Agreement,
    agreement,
    cohen_kappa,
    coincidences,
    krippendorff_alpha,
    percent_agreement,
)

_ = None  # a missing value

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: binary data, two
# observers, no missing data. The paper gives alpha = 0.095.
BINARY_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
BINARY_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]

# Same paper, section C: nominal data, four observers, twelve units, missing data.
# The paper gives alpha (nominal) = 0.743.
NOMINAL = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],   # observer A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],   # observer B
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],   # observer C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],   # observer D
]


def units_of(*coders):
    """Reliability data as the paper prints it (a row per coder) turned into units (a column each)."""
    return [list(unit) for unit in zip(*coders)]


def table_pairs(yes_yes, yes_no, no_yes, no_no):
    """A two-coder 2x2 contingency table as (first coder, second coder) pairs."""
    return ([("yes", "yes")] * yes_yes + [("yes", "no")] * yes_no + [("no", "yes")] * no_yes
            + [("no", "no")] * no_no)


def test_krippendorff_binary_two_coders():
    assert krippendorff_alpha(units_of(BINARY_A, BINARY_B)) == pytest.approx(0.095, abs=0.0005)


def test_krippendorff_binary_coincidence_matrix_as_in_the_paper():
    # The paper's matrix for section A: o_00 = 10, o_01 = o_10 = 4, o_11 = 2 (n = 20).
    assert dict(coincidences(units_of(BINARY_A, BINARY_B))) == {(0, 0): 10, (0, 1): 4, (1, 0): 4, (1, 1): 2}


def test_krippendorff_nominal_four_coders_missing_data():
    assert krippendorff_alpha(units_of(*NOMINAL)) == pytest.approx(0.743, abs=0.0005)


def test_krippendorff_nominal_example_counts_only_pairable_values():
    # Unit 12 has a single value: it cannot be paired and drops out, so n = 40 in the paper.
    matrix = coincidences(units_of(*NOMINAL))
    assert sum(matrix.values()) == pytest.approx(40)
    assert agreement(units_of(*NOMINAL)).n == 11


@pytest.mark.parametrize("table, kappa", [
    ((20, 5, 10, 15), 0.4),        # p_o = 0.7, p_e = 0.5 (the textbook 2x2 example, e.g. Wikipedia)
    ((45, 15, 25, 15), 0.1304),    # same p_o = 0.6 as below, different marginals, different kappa
    ((25, 35, 5, 35), 0.2593),
])
def test_cohen_kappa_textbook_tables(table, kappa):
    assert cohen_kappa(table_pairs(*table)) == pytest.approx(kappa, abs=0.00005)


def test_cohen_kappa_worse_than_chance_is_negative():
    assert cohen_kappa(table_pairs(0, 10, 10, 0)) == pytest.approx(-1)


def test_percent_agreement_two_coders_is_share_of_units():
    assert percent_agreement(units_of(BINARY_A, BINARY_B)) == pytest.approx(60)


def test_percent_agreement_many_coders_counts_pairs():
    # Units of 3, 2 and 1 values: pairs 3 (1 agree) + 1 (1 agree); the lone value pairs with no one.
    assert percent_agreement([["a", "a", "b"], ["c", "c", _], [_, "d", _]]) == pytest.approx(50)


def test_perfect_agreement_across_categories():
    result = agreement(units_of(["a", "b", "a", "c"], ["a", "b", "a", "c"]))
    assert result == Agreement(n=4, percent=100.0, kappa=1.0, alpha=1.0)


def test_one_category_only_is_not_defined():
    # Everyone always says "present": agreement is perfect but chance agreement is too, so kappa
    # and alpha are 0 / 0: not defined, reported as None rather than a division by zero.
    result = agreement([[1, 1], [1, 1], [1, 1]])
    assert result == Agreement(n=3, percent=100.0, kappa=None, alpha=None)


def test_nothing_pairable():
    assert agreement([[1, _], [_, 0]]) == Agreement(n=0, percent=None, kappa=None, alpha=None)
    assert agreement([]) == Agreement(n=0, percent=None, kappa=None, alpha=None)


def test_kappa_only_for_two_coders():
    result = agreement(units_of(*NOMINAL))
    assert result.kappa is None and result.alpha == pytest.approx(0.743, abs=0.0005)


def test_two_coders_kappa_and_alpha_differ_as_they_should():
    # Same data: kappa uses each coder's own marginals, alpha the pooled ones (and n - 1).
    result = agreement(units_of(BINARY_A, BINARY_B))
    assert result.n == 10 and result.percent == pytest.approx(60)
    assert result.kappa == pytest.approx(cohen_kappa(zip(BINARY_A, BINARY_B)))
    assert result.kappa == pytest.approx(1 / 11)   # p_o = 0.6, p_e = 0.8*0.6 + 0.2*0.4 = 0.56
    assert result.alpha == pytest.approx(0.095, abs=0.0005)


# An independent implementation, the `krippendorff` package (PyPI), on random reliability data:
# any number of coders, nominal values, missing data.

reliability_data = st.integers(2, 5).flatmap(lambda coders: st.lists(
    st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=coders, max_size=coders), min_size=1, max_size=25))


@settings(max_examples=200, deadline=None)
@given(reliability_data)
def test_alpha_matches_the_krippendorff_package(units):
    ours = krippendorff_alpha(units)
    if ours is None:  # not defined: no pairable units, or a single category among them
        return
    matrix = np.array([[np.nan if value is None else value for value in unit] for unit in units], dtype=float).T
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"),
                                 abs=1e-9)


def test_alpha_of_the_papers_example_matches_the_package():
    matrix = np.array([[np.nan if v is None else v for v in row] for row in NOMINAL], dtype=float)
    assert krippendorff_alpha(units_of(*NOMINAL)) == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
