"""Term discovery: tokens, log-likelihood keyness by hand, candidate terms with KWIC from the sample corpus."""

from __future__ import annotations

import math
import re

import pytest

from analysis_support import read_csv, sample_results
from textmine.core.normalize import to_simplified
from textmine.analysis.terms import Tokenizer, lexicon_words, log_likelihood
from textmine.coding.tokenize import chinese_segmenter
from textmine.run.terms import discover_terms


@pytest.fixture(scope="module")
def tokenizer(lexicons):
    return Tokenizer(lexicons)


@pytest.fixture(scope="module")
def coded():
    return sample_results() / "coded_units.csv"


def test_log_likelihood_and_log_ratio_by_hand():
    # equal relative frequencies: G² = 0, Log Ratio = 0
    g2, p, ratio = log_likelihood([10], [10], [1000], [1000])
    assert g2[0] == pytest.approx(0) and p[0] == pytest.approx(1) and ratio[0] == pytest.approx(0)
    # a = 20, b = 0, equal sizes: E1 = E2 = 10; G² = 2 (20 ln(20/10) + 0) = 40 ln 2;
    # Log Ratio with 0.5 for the zero: log2((20/1000) / (0.5/1000)) = log2(40)
    g2, p, ratio = log_likelihood([20], [0], [1000], [1000])
    assert g2[0] == pytest.approx(40 * math.log(2)) and ratio[0] == pytest.approx(math.log2(40))
    assert p[0] < 1e-6


def test_chinese_words_keep_lexicon_terms_whole_and_read_traditional_as_simplified(tokenizer):
    words, size = tokenizer.tokens("推動產學研協同創新，建立產業聯盟", "zh")
    assert "协同创新" in words and "产学研" in words  # lexicon terms (NET) are single words
    assert all(len(w) >= 2 for w in words) and size >= len(words)


def test_other_languages_use_spacy_words_without_stopwords(tokenizer):
    words, size = tokenizer.tokens("The cluster organisations of the region cooperate with 12 universities.", "en")
    assert words == ["cluster", "organisations", "region", "cooperate", "universities"] and size == 9
    french, _ = tokenizer.tokens("L'innovation et l'État soutiennent les pôles.", "fr")
    assert french == ["innovation", "état", "soutiennent", "pôles"]


def test_rjieba_and_jieba_agree_on_the_sample_units(coded, lexicons):
    pytest.importorskip("rjieba")
    units = read_csv(coded)
    texts = units.loc[units["lang"] == "zh", "text"].tolist()
    fast, reference = chinese_segmenter(lexicon_words(lexicons), "rjieba"), chinese_segmenter(lexicon_words(lexicons), "jieba")
    same = sum(fast(t) == reference(t) for t in texts)
    assert len(texts) > 50 and same / len(texts) >= 0.99


@pytest.fixture(scope="module")
def found(coded, lexicons):
    return discover_terms([coded], lexicons, by=["country"], top=30, min_freq=3)


def test_keyness_finds_the_words_of_each_group(found):
    keyness = found.keyness
    french = keyness[keyness["country"] == "FR"]
    assert "pôles" in set(french["term"])
    taiwan = keyness[keyness["country"] == "TW"].iloc[0]
    assert taiwan["term"] == "聚落" and taiwan["log_ratio"] > 3  # Taiwanese usage for cluster
    assert (keyness["p_value"] < 0.05).all() and (keyness["log_ratio"] > 0).all()
    assert list(keyness.columns[:3]) == ["country", "term", "freq"]


def test_candidates_are_over_represented_unknown_words_with_kwic(found, coded, tagger):
    units = read_csv(coded).set_index("unit_id")
    candidates = found.candidates
    net = candidates[candidates["code"] == "NET"]
    assert len(net) > 3 and "合作" not in set(net["term"]) and "cooperation" not in set(net["term"])  # in the NET lexicon
    for _, row in candidates.head(40).iterrows():
        column = f"{row['scheme']}_{row['code'].replace('.', '_')}"
        assert row["units_with_term"] <= row["units_code"]
        example = row["example_1"]
        match = re.search(r"\[(.+?)\]", example).group(1)
        assert " ".join(to_simplified(match).lower().split()) == row["term"]  # the original text, Traditional or not
        unit_id = example.split(": ", 1)[0]
        assert units.loc[unit_id, column] > 0  # the example comes from a unit carrying the code


def test_terms_command_on_documents_and_tables(textmine_cli, sample_dir, coded, tmp_path):
    code, out, err = textmine_cli("terms", coded, "--by", "level", "--min-freq", "3")
    assert code == 0, err
    assert "Key terms per group" in out and "Candidate terms per code" in out
    code, _, err = textmine_cli("terms", sample_dir, "--by", "country", "--out", tmp_path, "--min-freq", "3")
    assert code == 0, err
    for name in ["terms_frequencies.csv", "terms_keyness_by_country.csv", "terms_candidates.csv"]:
        assert (tmp_path / name).stat().st_size > 200, name
    frequencies = read_csv(tmp_path / "terms_frequencies.csv")
    assert frequencies.iloc[0]["country"] == "(all)" and frequencies.iloc[0]["term"] == "集群"
