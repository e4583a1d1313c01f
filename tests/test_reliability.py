"""Agreement statistics against values computed by hand."""

from __future__ import annotations

import pytest

from textmine.coding.reliability import agreement_report, binary_agreement, cohen_kappa, krippendorff_alpha, multilabel_report


def test_symmetric_example():
    # gold 1 1 0 0 1 0 / pred 1 0 0 1 1 0
    # tp = 2 (units 1, 5), fp = 1 (unit 4), fn = 1 (unit 2), tn = 2
    # P = 2/3, R = 2/3, F1 = 2*2 / (2*2 + 1 + 1) = 2/3
    # kappa: p_o = 4/6; both codings assign 3/6, so p_e = .5*.5 + .5*.5 = .5;
    #        (2/3 - 1/2) / (1 - 1/2) = 1/3
    s = binary_agreement([1, 1, 0, 0, 1, 0], [1, 0, 0, 1, 1, 0])
    assert (s.tp, s.fp, s.fn, s.tn) == (2, 1, 1, 2)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 / 3)
    assert s.kappa == pytest.approx(1 / 3)
    assert (s.support, s.predicted, s.n, s.vacuous) == (3, 3, 6, False)


def test_asymmetric_example():
    # gold 1 1 1 0 0 0 0 0 / pred 1 1 0 1 1 0 0 0
    # tp = 2, fn = 1, fp = 2, tn = 3
    # P = 2/4 = .5, R = 2/3, F1 = 4 / (4 + 2 + 1) = 4/7
    # kappa: p_o = 5/8; gold assigns 3/8, pred 4/8:
    #        p_e = 3/8*4/8 + 5/8*4/8 = 32/64 = .5; (5/8 - 1/2) / (1/2) = 1/4
    s = binary_agreement([1, 1, 1, 0, 0, 0, 0, 0], [True, True, False, True, True, False, False, False])
    assert (s.tp, s.fp, s.fn, s.tn) == (2, 2, 1, 3)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(4 / 7)
    assert s.kappa == pytest.approx(0.25)
    assert cohen_kappa([1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 0, 1, 1, 0, 0, 0]) == pytest.approx(0.25)


def test_kappa_below_chance():
    # a 1 1 0 0 / b 0 0 1 1: p_o = 0, p_e = .5*.5 + .5*.5 = .5; (0 - .5) / .5 = -1
    assert cohen_kappa([1, 1, 0, 0], [0, 0, 1, 1]) == pytest.approx(-1.0)


# --- degenerate cases ----------------------------------------------------------------------


def test_code_absent_in_both_codings_is_perfect_agreement():
    # tp = fp = fn = 0: every ratio would be 0/0; the convention is 1.0 and "vacuous"
    s = binary_agreement([0, 0, 0], [False, False, False])
    assert (s.precision, s.recall, s.f1, s.kappa) == (1.0, 1.0, 1.0, 1.0)
    assert s.vacuous and s.support == 0 and s.predicted == 0


def test_code_only_predicted():
    # gold 0 0 0 0 / pred 1 1 0 0: tp = 0, fp = 2, fn = 0
    # P = 0/2 = 0; R = 0/0 -> 0.0 by convention; F1 = 0 / (0 + 2 + 0) = 0
    # kappa: p_o = 2/4; p_e = 1*2/4 + 0 = 2/4; (1/2 - 1/2) / (1 - 1/2) = 0
    s = binary_agreement([0, 0, 0, 0], [1, 1, 0, 0])
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    assert s.kappa == pytest.approx(0.0)
    assert not s.vacuous


def test_code_never_predicted():
    # gold 1 0 0 / pred 0 0 0: tp = 0, fp = 0, fn = 1
    # P = 0/0 -> 0.0 by convention; R = 0/1 = 0; F1 = 0; kappa: p_o = 2/3 = p_e -> 0
    s = binary_agreement([1, 0, 0], [0, 0, 0])
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    assert s.kappa == pytest.approx(0.0)


def test_code_on_every_unit_in_both_codings():
    # tp = 3: P = R = F1 = 1; kappa is 0/0 (p_e = 1) but the codings agree everywhere: 1.0
    s = binary_agreement([1, 1, 1], [1, 1, 1])
    assert (s.precision, s.recall, s.f1, s.kappa) == (1.0, 1.0, 1.0, 1.0)


def test_opposite_constant_codings():
    # a 1 1 / b 0 0: p_o = 0, p_e = 1*0 + 0*1 = 0, kappa = (0 - 0) / 1 = 0
    assert cohen_kappa([1, 1], [0, 0]) == pytest.approx(0.0)


def test_no_units():
    s = binary_agreement([], [])
    assert s.vacuous and s.f1 == 1.0 and s.kappa == 1.0
    assert cohen_kappa([], []) == 1.0


def test_codings_of_different_length_are_refused():
    with pytest.raises(ValueError, match="different numbers of units"):
        binary_agreement([1, 0], [1])
    with pytest.raises(ValueError, match="different numbers of units"):
        multilabel_report([{"A"}], [], ["A"])


# --- several codes ---------------------------------------------------------------------------


def test_multilabel_report():
    # unit:    1      2         3      4
    # gold:   {A}    {A, B}    {}     {B}
    # pred:   {A}    {B}       {A}    {}      (X is not scored)
    # A: gold 1 1 0 0 / pred 1 0 1 0 -> tp 1 fp 1 fn 1 tn 1: P = R = F1 = .5;
    #    kappa: p_o = .5, p_e = .5*.5 + .5*.5 = .5 -> 0
    # B: gold 0 1 0 1 / pred 0 1 0 0 -> tp 1 fp 0 fn 1 tn 2: P = 1, R = .5, F1 = 2/3;
    #    kappa: p_o = 3/4, p_e = .5*.25 + .5*.75 = .5 -> (3/4 - 1/2) / (1/2) = .5
    # C: never assigned -> vacuous, left out of the averages
    # micro: tp 2, fp 1, fn 2 -> P = 2/3, R = 1/2, F1 = 4 / (4 + 1 + 2) = 4/7
    # macro-F1 = (1/2 + 2/3) / 2 = 7/12; mean kappa = (0 + .5) / 2 = .25
    gold = [{"A"}, {"A", "B"}, set(), {"B"}]
    pred = [{"A"}, {"B"}, {"A", "X"}, set()]
    report = multilabel_report(gold, pred, ["A", "B", "C"])
    assert report.per_code["A"].f1 == pytest.approx(0.5)
    assert report.per_code["A"].kappa == pytest.approx(0.0)
    assert report.per_code["B"].precision == pytest.approx(1.0)
    assert report.per_code["B"].recall == pytest.approx(0.5)
    assert report.per_code["B"].kappa == pytest.approx(0.5)
    assert report.per_code["C"].vacuous
    assert report.micro_precision == pytest.approx(2 / 3)
    assert report.micro_recall == pytest.approx(0.5)
    assert report.micro_f1 == pytest.approx(4 / 7)
    assert report.macro_f1 == pytest.approx(7 / 12)
    assert report.mean_kappa == pytest.approx(0.25)
    assert report.averaged_codes == ("A", "B")
    assert report.n_units == 4
    assert set(report.as_dict()["per_code"]) == {"A", "B", "C"}


def test_multilabel_report_when_no_code_is_used():
    # every code vacuous: nothing to disagree on, all summaries 1.0
    report = multilabel_report([set(), set()], [[], []], ["A", "B"])
    assert (report.micro_f1, report.macro_f1, report.mean_kappa) == (1.0, 1.0, 1.0)
    assert report.averaged_codes == ()


def test_multilabel_report_accepts_lists_and_tuples():
    report = multilabel_report([["A"], ("A",)], [("A",), ["A"]], ["A"])
    assert report.micro_f1 == 1.0 and report.per_code["A"].tp == 2


# --- Krippendorff's alpha ----------------------------------------------------------------------


def test_alpha_of_krippendorffs_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders, 12 units,
    # missing values; the nominal alpha he computes by hand is 0.743.
    A = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    C = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    assert krippendorff_alpha([A, B, C, D]) == pytest.approx(0.743, abs=5e-4)


def test_alpha_two_binary_coders():
    # a 1 1 0 0 1 0 / b 1 0 0 1 1 0: o_11 = 4, o_00 = 4, o_01 = o_10 = 2; n_0 = n_1 = 6, n = 12
    # alpha = 1 - (n - 1) * (o_01 + o_10) / (n_0 n_1 + n_1 n_0) = 1 - 11 * 4 / 72 = 7/18
    assert krippendorff_alpha([[1, 1, 0, 0, 1, 0], [1, 0, 0, 1, 1, 0]]) == pytest.approx(7 / 18)


def test_alpha_skips_units_coded_once():
    # unit 3 has one value only: not pairable. Left: a 1 0 / b 1 0 -> perfect agreement, with variation
    assert krippendorff_alpha([[1, 0, 1], [1, 0, None]]) == pytest.approx(1.0)
    # a 1 0 / b 0 1: o_01 = o_10 = 2, n = 4: 1 - 3 * 4 / (2 * 2 * 2) = -0.5
    assert krippendorff_alpha([[1, 0, 1], [0, 1, None]]) == pytest.approx(-0.5)


def test_alpha_degenerate_cases():
    assert krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) == 1.0  # no variation: perfect agreement by convention
    assert krippendorff_alpha([[1, None], [None, 0]]) == 1.0  # nothing pairable
    with pytest.raises(ValueError, match="different numbers of units"):
        krippendorff_alpha([[1, 0], [1]])


def test_agreement_report_overall():
    # units: {A} {A,B} {} {B} vs {A} {B} {A} {}; codes A, B, C
    # A: 1 1 0 0 / 1 0 1 0 -> agree 2/4; B: 0 1 0 1 / 0 1 0 0 -> agree 3/4; C: never -> 4/4
    # pooled percent = (2 + 3 + 4) / 12 = 3/4; exact sets equal only on unit 1 -> 1/4
    report = agreement_report([{"A"}, {"A", "B"}, set(), {"B"}], [{"A"}, {"B"}, {"A"}, set()], ["A", "B", "C"])
    assert report.percent == pytest.approx(0.75) and report.exact == pytest.approx(0.25)
    assert report.per_code["A"].percent == pytest.approx(0.5) and report.per_code["C"].alpha == 1.0
    # mean alpha averages the used codes only (A and B)
    assert report.mean_alpha == pytest.approx((report.per_code["A"].alpha + report.per_code["B"].alpha) / 2)
    assert report.micro_f1 == pytest.approx(4 / 7)
