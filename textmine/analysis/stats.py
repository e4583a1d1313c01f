"""Is a difference between groups real? Chi-square tests on group x code tables of unit counts.

* The table test: groups x codes, cells = units carrying the code (a unit with
  two codes counts in two cells, so the test treats code assignments as the
  observations). Adjusted standardized residuals (Haberman) mark the cells
  that are over- or under-represented; |r| > 1.96 is p < .05 for that cell
  alone.
* Per-code tests: for each code, groups x (units carrying it, units not
  carrying it): every unit counts once, so these are proper tests of "does the
  share of units carrying X differ between groups"; p-values are also given
  adjusted for the number of codes (Benjamini-Hochberg).

When expected counts are small (any below 1, or more than 20% below 5) the
asymptotic p-value is unreliable: 2 x 2 tables then get Fisher's exact test,
larger ones a Monte Carlo p-value from random tables with the same margins
(4,999 for the table test, 1,999 for each per-code test)
(scipy.stats.random_table). All distributions come from scipy, which the tests import when they run (or
``warm_up`` before): a process that only draws an analysis's figures does without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

ALPHA = 0.05
MONTE_CARLO_TABLES = 4_999  # the groups x codes test
PER_CODE_TABLES = 1_999  # each per-code test (p = .05 is then known to about ±.005)
MONTE_CARLO_BUDGET = 3_000_000  # cells x tables: about half a second
MIN_MONTE_CARLO_TABLES = 999
SEED = 20240501  # fixed, so that a report is reproducible


def warm_up() -> None:
    """Import SciPy's distributions: about half a second, which `run` spends while its documents are coded instead of
    after them, when the figure processes start and compete for the cores."""
    from scipy import stats  # noqa: F401


@dataclass(frozen=True)
class TestOutcome:
    test: str
    n: int
    statistic: float
    dof: int
    p_value: float  # the one to report: asymptotic, or exact / Monte Carlo when expected counts are small
    method: str
    p_asymptotic: float
    cramers_v: float
    min_expected: float
    small_expected_share: float  # share of cells with an expected count below 5
    warning: str = ""
    p_adjusted: float = np.nan


@dataclass
class ChiSquare:
    """The table test, its cell residuals (long form), per-code tests, and notes on what was left out."""

    table: TestOutcome | None
    cells: pd.DataFrame
    per_code: list[TestOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def tests_frame(self) -> pd.DataFrame:
        rows = [vars(r) for r in ([self.table] if self.table else []) + self.per_code]
        frame = pd.DataFrame(rows, columns=list(TestOutcome.__dataclass_fields__))
        return frame.rename(columns={"p_adjusted": "p_fdr"})


def small_expected(expected: np.ndarray) -> tuple[float, float, bool]:
    """(minimum expected count, share of cells below 5, whether the asymptotic test is unreliable: Cochran's rule)."""
    share = float((expected < 5).mean())
    minimum = float(expected.min())
    return minimum, share, minimum < 1 or share > 0.2


def independence_test(observed: np.ndarray, name: str = "groups x codes", seed: int = SEED,
                      tables: int = MONTE_CARLO_TABLES, no_monte_carlo: str = "") -> TestOutcome:
    """Chi-square test of independence of a table without empty rows or columns (``tables``: Monte Carlo draws if needed;
    ``no_monte_carlo``: when there must be none, the warning's words on why)."""
    from scipy import stats

    observed = np.asarray(observed, dtype=np.int64)
    result = stats.chi2_contingency(observed, correction=False)
    minimum, share, unreliable = small_expected(result.expected_freq)
    p_value, method, warning = result.pvalue, "chi-square (asymptotic)", ""
    if unreliable:
        p_value, method, warning = _small_sample_p(observed, minimum, share, seed, tables, no_monte_carlo)
    cramers_v = float(stats.contingency.association(observed, method="cramer")) if min(observed.shape) > 1 else np.nan
    return TestOutcome(
        name, int(observed.sum()), round(float(result.statistic), 4), int(result.dof), float(p_value), method,
        float(result.pvalue), round(cramers_v, 4), round(minimum, 3), round(share, 3), warning,
    )


def _small_sample_p(observed: np.ndarray, minimum: float, share: float, seed: int, tables: int,
                    no_monte_carlo: str = "") -> tuple[float, str, str]:
    from scipy import stats

    problem = f"expected counts are small (minimum {minimum:.2f}; {share:.0%} of cells below 5): the asymptotic p-value is unreliable"
    if observed.shape == (2, 2):
        return float(stats.fisher_exact(observed).pvalue), "Fisher exact", f"{problem}; p_value is Fisher's exact test"
    if no_monte_carlo:
        return np.nan, "none", f"{problem}; {no_monte_carlo}"
    tables = min(tables, MONTE_CARLO_BUDGET // observed.size)
    if tables < MIN_MONTE_CARLO_TABLES:
        return np.nan, "none", f"{problem}, and the table is too large for a Monte Carlo test; merge groups or codes"
    method = stats.MonteCarloMethod(n_resamples=tables, rng=np.random.default_rng(seed))
    p_value = stats.chi2_contingency(observed, correction=False, method=method).pvalue
    return float(p_value), f"Monte Carlo ({tables:,} random tables)", f"{problem}; p_value is a Monte Carlo estimate"


def adjusted_residuals(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """(O - E) / sqrt(E (1 - row/N) (1 - column/N)): approximately standard normal under independence."""
    observed = np.asarray(observed, dtype=float)
    total = observed.sum()
    rows = observed.sum(axis=1, keepdims=True) / total
    cols = observed.sum(axis=0, keepdims=True) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        return (observed - expected) / np.sqrt(expected * (1 - rows) * (1 - cols))


def stars(p_value: float) -> str:
    if not np.isfinite(p_value):
        return ""
    return "***" if p_value < 0.001 else "**" if p_value < 0.01 else "*" if p_value < ALPHA else ""


def chi_square(carrying: pd.DataFrame, n_units: pd.Series, seed: int = SEED, no_monte_carlo: str = "") -> ChiSquare:
    """Tests on a groups x codes table of units carrying each code (``n_units``: all units per group).

    Groups without coded units and codes no unit carries are left out, with a note. ``no_monte_carlo``: why small
    tables get no Monte Carlo p-value (their p_value is then empty), when they must get none (see independence_test).
    """
    from scipy import stats

    carrying = carrying.astype(np.int64)
    notes = []
    empty_groups = carrying.index[carrying.sum(axis=1) == 0]
    empty_codes = carrying.columns[carrying.sum(axis=0) == 0]
    if len(empty_groups):
        notes.append(f"left out, no coded units: {', '.join(map(str, empty_groups))}")
    if len(empty_codes):
        notes.append(f"left out, no unit carries them: {', '.join(map(str, empty_codes))}")
    table = carrying.drop(index=empty_groups, columns=empty_codes)
    if table.shape[0] < 2 or table.shape[1] < 2:
        notes.append("no test: it needs at least two groups with coded units and two codes that occur")
        return ChiSquare(None, _cells(table, None, None), [], notes)
    result = independence_test(table.to_numpy(), seed=seed, no_monte_carlo=no_monte_carlo)
    expected = stats.contingency.expected_freq(table.to_numpy())
    residuals = adjusted_residuals(table.to_numpy(), expected)
    per_code = per_code_tests(carrying.drop(columns=empty_codes), n_units, seed, no_monte_carlo)
    return ChiSquare(result, _cells(table, expected, residuals), per_code, notes)


def _cells(table: pd.DataFrame, expected, residuals) -> pd.DataFrame:
    """One row per group and code: observed, expected, adjusted residual, its p-value, direction, stars, Bonferroni flag."""
    from scipy import stats

    names = list(table.index.names)
    long = table.stack().rename("observed").reset_index()
    long.columns = [*names, "code", "observed"]
    if expected is None:
        for column in ("expected", "adjusted_residual", "p_value"):
            long[column] = np.nan
        long["direction"] = long["stars"] = ""
        long["significant_bonferroni"] = False
        return long
    long["expected"] = np.round(expected.ravel(), 3)
    long["adjusted_residual"] = np.round(residuals.ravel(), 3)
    long["p_value"] = 2 * stats.norm.sf(np.abs(residuals.ravel()))
    significant = long["p_value"] < ALPHA
    long["direction"] = np.where(significant, np.where(long["adjusted_residual"] > 0, "over", "under"), "")
    long["stars"] = [stars(p) for p in long["p_value"]]
    critical = stats.norm.isf(ALPHA / (2 * table.size))
    long["significant_bonferroni"] = np.abs(residuals.ravel()) > critical
    long["small_expected"] = long["expected"] < 5
    return long


def per_code_tests(carrying: pd.DataFrame, n_units: pd.Series, seed: int = SEED, no_monte_carlo: str = "") -> list[TestOutcome]:
    """For each code: groups x (carrying, not carrying); p-values also adjusted over codes (Benjamini-Hochberg)."""
    from scipy import stats

    n_units = n_units.reindex(carrying.index).astype(np.int64)
    results = []
    for code in carrying.columns:
        table = np.column_stack([carrying[code].to_numpy(), (n_units - carrying[code]).to_numpy()])
        table = table[table.sum(axis=1) > 0]
        if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
            continue
        results.append(independence_test(table, name=str(code), seed=seed, tables=PER_CODE_TABLES, no_monte_carlo=no_monte_carlo))
    if results:
        p_values = np.array([r.p_value for r in results])
        finite = np.isfinite(p_values)
        adjusted = np.full(len(results), np.nan)
        adjusted[finite] = stats.false_discovery_control(p_values[finite], method="bh")
        results = [_with_adjusted(r, p) for r, p in zip(results, adjusted)]
    return results


def _with_adjusted(result: TestOutcome, p_adjusted: float) -> TestOutcome:
    return TestOutcome(**{**vars(result), "p_adjusted": float(p_adjusted)})
