"""Chi-square tests and adjusted residuals against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from textmine.analysis.stats import adjusted_residuals, chi_square, small_expected, independence_test


def test_adjusted_residual_of_a_two_by_two_table():
    # [[10, 20], [30, 40]]: N = 100, rows 30 / 70, columns 40 / 60, E11 = 30 * 40 / 100 = 12
    # r11 = (10 - 12) / sqrt(12 * (1 - .3) * (1 - .4)) = -2 / sqrt(5.04) = -0.89087
    # and for a 2 x 2 table r² equals the uncorrected chi-square, N (ad - bc)² / (r1 r2 c1 c2) = 0.79365
    observed = np.array([[10, 20], [30, 40]])
    expected = np.array([[12, 18], [28, 42]])
    residuals = adjusted_residuals(observed, expected)
    assert residuals[0, 0] == pytest.approx(-2 / math.sqrt(5.04))
    assert residuals[1, 1] == pytest.approx(-2 / math.sqrt(5.04))  # the same cell pattern, mirrored
    assert residuals[0, 1] == pytest.approx(2 / math.sqrt(5.04))
    result = independence_test(observed)
    assert result.statistic == pytest.approx(100 * (400 - 600) ** 2 / (30 * 70 * 40 * 60), abs=1e-4)
    assert result.dof == 1 and result.method == "chi-square (asymptotic)" and not result.warning


def test_small_expected_counts_switch_to_fisher_for_two_by_two():
    observed = np.array([[3, 1], [1, 3]])  # expected 2 in every cell
    assert small_expected(np.full((2, 2), 2.0)) == (2.0, 1.0, True)
    result = independence_test(observed)
    assert result.method == "Fisher exact" and "unreliable" in result.warning
    # Fisher's exact p by hand: P(table) = C(4,a) C(4,4-a) / C(8,4); tables as or less likely than a=3: a in {0,1,3,4}
    p = sum(math.comb(4, a) * math.comb(4, 4 - a) for a in (0, 1, 3, 4)) / math.comb(8, 4)
    assert result.p_value == pytest.approx(p)


def test_small_expected_counts_in_larger_tables_get_a_reproducible_monte_carlo_p():
    observed = np.array([[4, 0, 1], [0, 3, 1], [1, 1, 4]])
    first, second = independence_test(observed), independence_test(observed)
    assert first.method.startswith("Monte Carlo") and first.p_value == second.p_value
    assert 0 < first.p_value < 1 and abs(first.p_value - first.p_asymptotic) < 0.1


def test_cells_over_and_under_represented_are_marked():
    carrying = pd.DataFrame({"pentagon_NET": [80, 20], "pentagon_INN": [20, 80]}, index=pd.Index(["EU", "CN"], name="country"))
    result = chi_square(carrying, pd.Series([100, 100], index=carrying.index))
    cells = result.cells.set_index(["country", "code"])
    assert cells.loc[("EU", "pentagon_NET"), "direction"] == "over" and cells.loc[("EU", "pentagon_NET"), "stars"] == "***"
    assert cells.loc[("CN", "pentagon_NET"), "direction"] == "under"
    # 2 x 2 with a=80, b=20, c=20, d=80: chi-square = 200 * (6400 - 400)² / 100⁴ = 72, so |r| = sqrt(72)
    assert abs(cells.loc[("EU", "pentagon_NET"), "adjusted_residual"]) == pytest.approx(math.sqrt(72), abs=1e-3)
    assert cells["significant_bonferroni"].all()
    assert result.table.p_value < 1e-10


def test_empty_groups_and_codes_are_left_out_with_a_note():
    carrying = pd.DataFrame({"a": [5, 6, 0], "b": [7, 2, 0], "c": [0, 0, 0]}, index=pd.Index(["X", "Y", "Z"], name="g"))
    result = chi_square(carrying, pd.Series([20, 20, 5], index=carrying.index))
    assert "left out, no coded units: Z" in result.notes and "left out, no unit carries them: c" in result.notes
    assert result.table.dof == 1 and set(result.cells["g"]) == {"X", "Y"}


def test_a_single_group_gets_no_test_but_a_reason():
    carrying = pd.DataFrame({"a": [5], "b": [7]}, index=pd.Index(["X"], name="g"))
    result = chi_square(carrying, pd.Series([20], index=carrying.index))
    assert result.table is None and any("at least two groups" in n for n in result.notes)
    assert result.tests_frame().empty


def test_per_code_tests_count_every_unit_once_and_adjust_for_many_codes():
    carrying = pd.DataFrame({"a": [30, 10], "b": [12, 10], "c": [20, 21]}, index=pd.Index(["X", "Y"], name="g"))
    n_units = pd.Series([100, 100], index=carrying.index)
    result = chi_square(carrying, n_units)
    by_code = {r.test: r for r in result.per_code}
    expected = scipy_stats.chi2_contingency(np.array([[30, 70], [10, 90]]), correction=False)
    assert by_code["a"].n == 200 and by_code["a"].p_value == pytest.approx(expected.pvalue)
    assert all(r.p_adjusted >= r.p_value for r in result.per_code)
    frame = result.tests_frame()
    assert list(frame["test"]) == ["groups x codes", "a", "b", "c"] and "p_fdr" in frame.columns
