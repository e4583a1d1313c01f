"""Unit classifiers learned from hand-coded units: features, fit/predict, grouped cross-validation, safe files.

Features (measured on ../shared/gold/dev-units.jsonl, see the README): the
unit text as the lexicons see it (Simplified, half-width, lower case), as
TF-IDF of character n-grams (1-3, ``char_wb``, sublinear tf) plus TF-IDF of
words (jieba's segmentation for Chinese — rjieba, its Rust port, when
installed: same segmentation, 20x faster —, spaCy's rule tokenizer for other
languages); terms seen in fewer than ``min_df`` units are dropped. One
logistic regression per code (one-vs-rest, liblinear, balanced class weights),
BLAS limited to one thread.

Thresholds per code, so that rare codes are predicted at all: inner grouped
cross-validation on the training units gives out-of-fold probabilities; the
model's threshold is the one that maximises that code's F1 on them. The same
probabilities set the *hybrid* rule: the lexicon's codes, plus a code the
lexicon missed when the model's probability reaches the code's
``hybrid_threshold`` — the threshold that maximises F1 of that combination,
or never (``inf``) when no threshold improves on the lexicon alone.

Model files are skops zip files holding only a ``UnitClassifier`` made of
strings, numbers and numpy arrays (no scikit-learn objects: prediction is a
few lines of sparse algebra here), written byte-for-byte reproducibly (ids,
array names and zip timestamps normalised). Loading accepts only the types
this module writes and refuses anything else with a one-line reason.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
from scipy import sparse
from scipy.special import expit

from textmine.core.constants import MODES
from textmine.core.errors import InputError
from textmine.core.export import atomic_path
from textmine.core.normalize import matching_view
from textmine.coding.tokenize import word_tokens
from textmine.coding.reliability import MultiLabelReport, matrix_report
from textmine.core.untrusted import MAX_MODEL_FILE_BYTES, MAX_SCHEMA_DEPTH, json_depth, model_problem

FORMAT_VERSION = 1
GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))  # candidate thresholds 0.05 … 0.95
NGRAMS = (1, 3)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PREDICT_CHUNK = 500  # units vectorised at once: bounds memory, as fast as larger chunks
# Model files name the class by the module it was first written in; kept so that existing model files stay valid.
FILE_MODULE = "textmine.classify"
MODEL_TYPE = f"{FILE_MODULE}.UnitClassifier"
# Every type a textmine model file may name; skops writes builtins and numpy arrays for our attributes.
ALLOWED_TYPES = frozenset(
    {MODEL_TYPE, "numpy.ndarray", "builtins.dict", "builtins.list", "builtins.tuple", "builtins.str",
     "builtins.int", "builtins.float", "builtins.bool", "builtins.NoneType"}
)


# --- features ----------------------------------------------------------------------------------


@dataclass
class Prepared:
    """Term counts of units over every term they contain, computed once and shared by every fold.

    A fold selects its rows, then its vocabulary (terms in at least ``min_df``
    of its units) and idf, exactly as TfidfVectorizer fitted on those rows would.
    """

    char_counts: sparse.csr_matrix
    char_terms: np.ndarray
    word_counts: sparse.csr_matrix
    word_terms: np.ndarray

    def take(self, index) -> "Prepared":
        return Prepared(self.char_counts[index], self.char_terms, self.word_counts[index], self.word_terms)


def normalise(texts: Sequence[str]) -> list[str]:
    return [matching_view(text).text for text in texts]


def words_of(chars: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    return [word_tokens(text, lang) for text, lang in zip(chars, langs)]


def prepare(texts: Sequence[str], langs: Sequence[str], word_features: bool = True) -> Prepared:
    from sklearn.feature_extraction.text import CountVectorizer

    chars = normalise(texts)
    char_counter = CountVectorizer(analyzer="char_wb", ngram_range=NGRAMS, lowercase=False)
    char_counts = char_counter.fit_transform(chars).tocsr()
    char_terms = _terms(char_counter)
    if not word_features:
        return Prepared(char_counts, char_terms, sparse.csr_matrix((len(chars), 0)), np.array([], dtype=str))
    word_counter = CountVectorizer(analyzer=_identity, lowercase=False)
    try:
        word_counts = word_counter.fit_transform(words_of(chars, langs)).tocsr()
        word_terms = _terms(word_counter)
    except ValueError:  # no words at all
        word_counts, word_terms = sparse.csr_matrix((len(chars), 0)), np.array([], dtype=str)
    return Prepared(char_counts, char_terms, word_counts, word_terms)


def _terms(counter) -> np.ndarray:
    return np.array(sorted(counter.vocabulary_, key=counter.vocabulary_.get), dtype=str)


def _compact(terms: np.ndarray) -> np.ndarray:
    """The terms in the narrowest string dtype (smaller files)."""
    return np.array(terms.tolist(), dtype=str) if len(terms) else np.array([], dtype=str)


def _identity(tokens):
    return tokens


def _select(counts: sparse.csr_matrix, min_df: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns of terms in at least ``min_df`` rows (all terms if none is), and their smoothed idf."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    columns = np.flatnonzero(df >= min(min_df, max(n, 1)))
    if not len(columns):
        columns = np.flatnonzero(df >= 1)
    return columns, np.log((1.0 + n) / (1.0 + df[columns])) + 1.0


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf x idf, rows L2-normalised: what TfidfVectorizer(sublinear_tf=True) computes."""
    counts = counts.astype(np.float64)
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ counts)


def _ngram_keys(codes: np.ndarray, n: int) -> np.ndarray:
    """One int64 per window of ``n`` code points (21 bits each), -1 where the window holds a 0 (separator)."""
    count = len(codes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    keys = np.zeros(count, dtype=np.int64)
    valid = np.ones(count, dtype=bool)
    for k in range(n):
        window = codes[k : k + count]
        keys = (keys << 21) | window
        valid &= window != 0
    return np.where(valid, keys, -1)


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


class _CharCounter:
    """Counts the char_wb n-grams of a vocabulary in many texts at once, vectorised.

    Same counts as CountVectorizer(analyzer="char_wb") (a test checks it), 5x faster: every word is
    padded with one space on each side, texts are joined with a 0 separator, and each window of
    1-3 code points becomes one int64 looked up in the sorted keys of the vocabulary.
    """

    def __init__(self, vocabulary: np.ndarray):
        keys = np.array([_ngram_keys(_codes(term), len(term))[0] for term in vocabulary.tolist()], dtype=np.int64)
        self.order = np.argsort(keys)
        self.keys = keys[self.order]
        self.size = len(vocabulary)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        padded = [" " + "  ".join(text.split()) + " " if text.strip() else "" for text in texts]
        codes = _codes("\0".join(padded))
        starts = np.cumsum([0] + [len(text) + 1 for text in padded[:-1]])
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        for n in range(NGRAMS[0], NGRAMS[1] + 1):
            keys = _ngram_keys(codes, n)
            at = np.minimum(np.searchsorted(self.keys, keys), max(self.size - 1, 0))
            hit = np.flatnonzero((keys >= 0) & (self.keys[at] == keys)) if self.size else np.empty(0, dtype=np.int64)
            rows.append(np.searchsorted(starts, hit, side="right") - 1)
            cols.append(self.order[at[hit]])
        row_index, col_index = np.concatenate(rows), np.concatenate(cols)
        counts = sparse.csr_matrix((np.ones(len(row_index), dtype=np.int64), (row_index, col_index)), shape=(len(texts), self.size))
        counts.sum_duplicates()
        return counts


class _Vectors:
    """Turns new texts into the feature matrix of a model's vocabulary."""

    def __init__(self, char_vocab, char_idf, word_vocab, word_idf):
        from sklearn.feature_extraction.text import CountVectorizer

        self.char = _CharCounter(char_vocab)
        self.word = None
        if len(word_vocab):
            self.word = CountVectorizer(analyzer=_identity, lowercase=False, vocabulary={t: i for i, t in enumerate(word_vocab.tolist())})
        self.char_idf, self.word_idf = char_idf, word_idf

    def transform(self, texts: Sequence[str], langs: Sequence[str]) -> sparse.csr_matrix:
        chars = normalise(texts)
        blocks = [_tfidf(self.char.transform(chars), self.char_idf)]
        if self.word is not None:
            blocks.append(_tfidf(self.word.transform(words_of(chars, langs)), self.word_idf))
        return sparse.hstack(blocks, format="csr")


# --- the classifier --------------------------------------------------------------------------


class UnitClassifier:
    """Multi-label classifier of units for the codes of one scheme (scikit-learn conventions:
    ``__init__`` stores parameters, ``fit`` returns self, learned state ends in ``_``)."""

    # learned state (set by fitting or by loading a model file)
    char_vocab_: dict
    char_idf_: np.ndarray
    word_vocab_: dict
    word_idf_: np.ndarray
    coef_: np.ndarray
    intercept_: np.ndarray
    _vectors: _Vectors | None

    def __init__(self, scheme: str = "", codes: Sequence[str] = (), C: float = 10.0, min_df: int = 2,
                 word_features: bool = True, inner_folds: int = 4, seed: int = 0):
        self.scheme = scheme
        self.codes = tuple(codes)
        self.C = C
        self.min_df = min_df
        self.word_features = word_features
        self.inner_folds = inner_folds
        self.seed = seed

    # persistence: the vectorizers are rebuilt from the vocabularies, not saved
    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state):
        self.__dict__.update(state)

    def fit(self, texts, langs, Y, groups=None, lexicon_Y=None) -> "UnitClassifier":
        """Learn from units (``Y``: units x codes, 0/1); ``groups`` keep documents together in the
        inner folds; ``lexicon_Y`` (the lexicon's 0/1 coding of the same units) sets the hybrid rule."""
        return self.fit_prepared(prepare(texts, langs, self.word_features), langs, Y, groups, lexicon_Y)

    def fit_prepared(self, docs: Prepared, langs, Y, groups=None, lexicon_Y=None) -> "UnitClassifier":
        from threadpoolctl import threadpool_limits

        Y = np.asarray(Y, dtype=np.int8)
        groups = list(groups) if groups is not None else [str(i) for i in range(docs.char_counts.shape[0])]
        with threadpool_limits(1):
            self._set_weights(self._fit_weights(docs, Y))
            oof = self._out_of_fold(docs, Y, groups)
        self.thresholds_ = np.array([best_threshold(Y[:, j], oof[:, j]) if oof is not None else 0.5 for j in range(Y.shape[1])])
        if lexicon_Y is None or oof is None:
            self.hybrid_thresholds_ = self.thresholds_.copy()
        else:
            lex = np.asarray(lexicon_Y, dtype=bool)
            self.hybrid_thresholds_ = np.array([best_addition(Y[:, j], lex[:, j], oof[:, j]) for j in range(Y.shape[1])])
        self.languages_ = tuple(sorted(set(langs)))
        self.n_units_ = int(len(Y))
        self.format_version_ = FORMAT_VERSION
        return self

    def _fit_weights(self, docs: Prepared, Y: np.ndarray) -> dict:
        from sklearn.linear_model import LogisticRegression

        char_columns, char_idf = _select(docs.char_counts, self.min_df)
        word_columns, word_idf = _select(docs.word_counts, self.min_df)
        weights = {"char_vocab_": _compact(docs.char_terms[char_columns]), "char_idf_": char_idf,
                   "word_vocab_": _compact(docs.word_terms[word_columns]), "word_idf_": word_idf,
                   "_columns": (char_columns, word_columns)}
        X = _prepared_features(docs, weights)
        coef, intercept = np.zeros((Y.shape[1], X.shape[1])), np.zeros(Y.shape[1])
        for j in range(Y.shape[1]):
            if Y[:, j].min() == Y[:, j].max():  # a code absent (or everywhere) in these units
                intercept[j] = 30.0 if Y[0, j] else -30.0
                continue
            lr = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear", random_state=self.seed)
            lr.fit(X, Y[:, j])
            coef[j], intercept[j] = lr.coef_[0], lr.intercept_[0]
        return weights | {"coef_": coef, "intercept_": intercept}

    def _set_weights(self, weights: dict) -> None:
        self.__dict__.update(weights)
        self._vectors = None

    def _out_of_fold(self, docs: Prepared, Y: np.ndarray, groups) -> np.ndarray | None:
        """Probabilities of each unit from a model that did not see its document (None with < 2 documents)."""
        k = min(self.inner_folds, len(set(groups)))
        if k < 2:
            return None
        folds = grouped_folds(groups, Y, k, self.seed + 1)
        oof = np.zeros(Y.shape)
        inner = UnitClassifier(self.scheme, self.codes, self.C, self.min_df, self.word_features, 0, self.seed)
        for fold in range(k):
            train, test = np.flatnonzero(folds != fold), np.flatnonzero(folds == fold)
            inner._set_weights(inner._fit_weights(docs.take(train), Y[train]))
            oof[test] = inner.proba_prepared(docs.take(test))
        return oof

    def proba_prepared(self, docs: Prepared) -> np.ndarray:
        """Probabilities of units of the prepared set this model (or a fold of it) was fitted on."""
        X = _prepared_features(docs, self.__dict__)
        return expit(X @ self.coef_.T + self.intercept_)

    def predict_proba(self, texts, langs) -> np.ndarray:
        """Probability of each code (units x codes)."""
        from threadpoolctl import threadpool_limits

        vectors = getattr(self, "_vectors", None)
        if vectors is None:
            vectors = self._vectors = _Vectors(self.char_vocab_, self.char_idf_, self.word_vocab_, self.word_idf_)
        texts, langs = list(texts), list(langs)
        with threadpool_limits(1):
            chunks = [vectors.transform(texts[i : i + PREDICT_CHUNK], langs[i : i + PREDICT_CHUNK])
                      for i in range(0, len(texts), PREDICT_CHUNK)]
            X = sparse.vstack(chunks, format="csr") if chunks else sparse.csr_matrix((0, self.coef_.shape[1]))
            return expit(X @ self.coef_.T + self.intercept_)

    def predict(self, texts, langs) -> np.ndarray:
        """0/1 codes (units x codes): probability at or above each code's threshold."""
        return (self.predict_proba(texts, langs) >= self.thresholds_).astype(np.int8)

    def decide(self, P: np.ndarray, lexicon_Y: np.ndarray, mode: str) -> np.ndarray:
        """The final 0/1 coding under ``mode`` from probabilities and the lexicon's coding."""
        lexicon_Y = np.asarray(lexicon_Y, dtype=bool)
        if mode == "lexicon":
            return lexicon_Y.astype(np.int8)
        if mode == "model":
            return (P >= self.thresholds_).astype(np.int8)
        return (lexicon_Y | (P >= self.hybrid_thresholds_)).astype(np.int8)

    @property
    def column_names(self) -> list[str]:
        from textmine.coding.lexicon import code_column

        return [code_column(self.scheme, code) for code in self.codes]


def _prepared_features(docs: Prepared, weights: dict) -> sparse.csr_matrix:
    char_columns, word_columns = weights["_columns"]
    blocks = [_tfidf(docs.char_counts[:, char_columns], weights["char_idf_"])]
    if len(word_columns):
        blocks.append(_tfidf(docs.word_counts[:, word_columns], weights["word_idf_"]))
    return sparse.hstack(blocks, format="csr")


def _f1(y: np.ndarray, decided: np.ndarray) -> float:
    tp = int((y & decided).sum())
    wrong = int((y ^ decided).sum())
    return 2 * tp / (2 * tp + wrong) if tp + wrong else 1.0


def best_threshold(y, p) -> float:
    """The grid threshold with the best F1 of ``p >= t`` (ties: the one nearest 0.5); 0.5 without positives."""
    y = np.asarray(y, dtype=bool)
    if not y.any():
        return 0.5
    scored = [(_f1(y, p >= t), -abs(t - 0.5), t) for t in GRID]
    return max(scored)[2]


def best_addition(y, lexicon, p) -> float:
    """Threshold above which the model adds the code to the lexicon's: the best F1 of ``lexicon | p >= t``,
    or ``inf`` (never add) unless some threshold is strictly better than the lexicon alone."""
    y, lexicon = np.asarray(y, dtype=bool), np.asarray(lexicon, dtype=bool)
    best, chosen = _f1(y, lexicon), np.inf
    for t in sorted(GRID, reverse=True):  # ties go to the stricter threshold
        score = _f1(y, lexicon | (p >= t))
        if score > best + 1e-12:
            best, chosen = score, t
    return float(chosen)


# --- grouped, stratified folds -------------------------------------------------------------------


def grouped_folds(groups: Sequence[str], Y: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Fold (0..k-1) of each unit: whole groups (documents) per fold, balancing units and each column of ``Y``.

    Greedy multi-label stratification: groups holding the rarest columns
    first, then the largest (ties in a seeded random order), go to the fold
    where they reduce the squared distance of the fold's counts from the ideal
    1/k share the most.
    """
    names = sorted(set(groups))
    if k > len(names):
        raise InputError(f"cannot make {k} folds from {len(names)} documents; use fewer folds")
    index = {name: i for i, name in enumerate(names)}
    member = np.array([index[g] for g in groups])
    counts = np.zeros((len(names), Y.shape[1] + 1))
    np.add.at(counts, member, np.column_stack([np.asarray(Y, dtype=float), np.ones(len(member))]))
    target = counts.sum(axis=0) / k
    weight = np.maximum(target, 1.0)
    order: list = list(np.random.RandomState(seed).permutation(len(names)))
    totals = counts.sum(axis=0)
    rarity = [min((totals[c] for c in np.flatnonzero(counts[g, :-1])), default=np.inf) for g in range(len(names))]
    order = sorted(order, key=lambda g: (rarity[g], -counts[g, -1]))
    filled = np.zeros((k, counts.shape[1]))
    assigned = np.zeros(len(names), dtype=int)
    for g in order:
        cost = ((filled + counts[g] - target) ** 2 - (filled - target) ** 2) / weight
        fold = int(np.argmin(cost.sum(axis=1)))
        assigned[g] = fold
        filled[fold] += counts[g]
    return assigned[member]


# --- cross-validation ------------------------------------------------------------------------------


@dataclass
class CrossValidation:
    """Out-of-fold codings of every unit under each mode, and their scores per language."""

    codes: list[str]
    folds: np.ndarray
    langs: list[str]
    gold: np.ndarray
    decided: dict[str, np.ndarray]  # mode -> units x codes (0/1)
    probabilities: np.ndarray
    reports: dict[str, dict[str, MultiLabelReport]] = field(default_factory=dict)  # mode -> lang ("all" too) -> report
    fold_micro_f1: dict[str, dict[str, list[float | None]]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "folds": int(self.folds.max()) + 1,
            "units_per_fold": np.bincount(self.folds).tolist(),
            "results": {
                mode: {
                    lang: {**report.as_dict(), "micro_f1_by_fold": _rounded(self.fold_micro_f1[mode][lang])}
                    for lang, report in by_lang.items()
                }
                for mode, by_lang in self.reports.items()
            },
        }


def _rounded(values) -> list[float | None]:
    return [None if v is None else round(v, 4) for v in values]


def cross_validate(model: UnitClassifier, texts, langs, Y, groups, lexicon_Y, folds: int = 5, seed: int = 0,
                   docs: Prepared | None = None) -> CrossValidation:
    """Grouped, stratified k-fold cross-validation: no document is in both the training and the test part.

    Folds balance the codes and the languages; every fold trains a fresh
    classifier (with its own inner folds for thresholds) and codes the held-out
    documents under each mode.
    """
    Y, lexicon_Y, langs = np.asarray(Y, dtype=np.int8), np.asarray(lexicon_Y, dtype=np.int8), list(langs)
    docs = docs or prepare(texts, langs, model.word_features)
    lang_columns = np.array([[lang == name for name in sorted(set(langs))] for lang in langs], dtype=float)
    fold_of = grouped_folds(groups, np.column_stack([Y, lang_columns]), folds, seed)
    P = np.zeros(Y.shape)
    decided = {mode: np.zeros(Y.shape, dtype=np.int8) for mode in MODES}
    for fold in range(folds):
        train, test = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
        fitted = UnitClassifier(model.scheme, model.codes, model.C, model.min_df, model.word_features, model.inner_folds, model.seed)
        fitted.fit_prepared(docs.take(train), [langs[i] for i in train], Y[train], [groups[i] for i in train], lexicon_Y[train])
        P[test] = fitted.proba_prepared(docs.take(test))
        for mode in MODES:
            decided[mode][test] = fitted.decide(P[test], lexicon_Y[test], mode)
    result = CrossValidation(list(model.codes), fold_of, langs, Y, decided, P)
    _score(result)
    return result


def _score(result: CrossValidation) -> None:
    langs = np.array(result.langs)
    subsets = {lang: langs == lang for lang in sorted(set(result.langs))} | {"all": np.ones(len(langs), dtype=bool)}
    for mode, decided in result.decided.items():
        result.reports[mode], result.fold_micro_f1[mode] = {}, {}
        for lang, mask in subsets.items():
            result.reports[mode][lang] = matrix_report(result.gold[mask], decided[mask], result.codes)
            result.fold_micro_f1[mode][lang] = [
                matrix_report(result.gold[mask & (result.folds == f)], decided[mask & (result.folds == f)], result.codes).micro_f1
                if (mask & (result.folds == f)).any() else None
                for f in range(int(result.folds.max()) + 1)
            ]


# --- model files -------------------------------------------------------------------------------------


def save_model(model: UnitClassifier, path) -> bytes:
    """Write ``model`` as a skops file, byte-for-byte the same for the same model; return the bytes."""
    import skops.io

    data = normalised_zip(skops.io.dumps(model))
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return data


def normalised_zip(data: bytes) -> bytes:
    """A skops file rewritten so that equal models give equal bytes.

    skops names objects and array files after ``id()`` (memory addresses) and
    stamps zip entries with the current time; ids are renumbered in order of
    appearance, arrays renamed after them, entries sorted and dated 1980-01-01.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        schema = json.loads(source.read("schema.json"))
        ids, files = {}, {}
        schema = _renumber(schema, ids, files)
        entries = {files.get(name, name): source.read(name) for name in source.namelist() if name != "schema.json"}
    entries["schema.json"] = json.dumps(schema, indent=1, sort_keys=True).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name], compresslevel=9)
    return out.getvalue()


def _renumber(node, ids: dict, files: dict):
    if isinstance(node, list):
        return [_renumber(item, ids, files) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "__id__":
            value = ids.setdefault(value, len(ids) + 1)
        elif key == "__module__" and value == __name__:
            value = FILE_MODULE
        elif key == "file" and isinstance(value, str) and node.get("type") == "numpy":
            value = files.setdefault(value, f"array{len(files) + 1:04d}.npy")
        result[key] = _renumber(value, ids, files)
    return result


def load_model(path, scheme: str | None = None) -> UnitClassifier:
    """Read a textmine model file; refuse (InputError, one line) anything that is not exactly one.

    Only the types in ``ALLOWED_TYPES`` may appear in the file; the model must
    have been made for ``scheme`` when one is given.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"model file not found: {path}")
    if path.stat().st_size > MAX_MODEL_FILE_BYTES:
        raise InputError(f"{path}: refused: larger than {MAX_MODEL_FILE_BYTES:,} bytes, not a textmine model")
    data = path.read_bytes()
    schema = _read_schema(path, data)
    found = sorted(_types_in(schema))
    refused = [name for name in found if name not in ALLOWED_TYPES]
    if refused:
        raise InputError(f"{path}: refused: not a textmine model; it holds types textmine never writes ({', '.join(refused[:4])})")
    if f"{schema.get('__module__')}.{schema.get('__class__')}" != MODEL_TYPE:
        raise InputError(f"{path}: not a textmine model (it holds a {schema.get('__class__', 'value')}, not a UnitClassifier)")
    model = _load_trusted(path, data, found)
    _check_model(path, model)
    if scheme is not None and model.scheme != scheme:
        raise InputError(f"{path}: this model codes scheme '{model.scheme}', not '{scheme}'")
    return model


def _read_schema(path: Path, data: bytes) -> dict:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            refused = model_problem(archive)
            if refused:
                raise InputError(f"{path}: refused: not a textmine model ({refused})")
            raw = archive.read("schema.json")
        if json_depth(raw) > MAX_SCHEMA_DEPTH:
            raise InputError(f"{path}: refused: not a textmine model (schema.json nested more than {MAX_SCHEMA_DEPTH} deep)")
        schema = json.loads(raw)
    except zipfile.BadZipFile:
        raise InputError(f"{path}: not a textmine model (not a skops/zip file, or truncated)") from None
    except KeyError:
        raise InputError(f"{path}: not a textmine model (no schema.json inside)") from None
    except (ValueError, OSError, zipfile.LargeZipFile) as error:
        raise InputError(f"{path}: corrupt model file ({error})") from None
    if not isinstance(schema, dict):
        raise InputError(f"{path}: corrupt model file (schema.json is not an object)")
    return schema


def _types_in(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        if "__class__" in node or "__module__" in node:
            found.add(f"{node.get('__module__')}.{node.get('__class__')}")
        for value in node.values():
            found |= _types_in(value)
    elif isinstance(node, list):
        for item in node:
            found |= _types_in(item)
    return found


def _load_trusted(path: Path, data: bytes, types: list[str]) -> UnitClassifier:
    import skops.io

    trusted = [t.replace(MODEL_TYPE, f"{__name__}.UnitClassifier") for t in types if t in ALLOWED_TYPES]
    try:
        return skops.io.loads(_module_renamed(data, FILE_MODULE, __name__), trusted=trusted)
    except Exception as error:  # skops raises many kinds on damaged files; all mean the same to a user
        raise InputError(f"{path}: corrupt model file ({type(error).__name__}: {str(error)[:120]})") from None


def _module_renamed(data: bytes, old: str, new: str) -> bytes:
    """The skops file with classes of module ``old`` found in module ``new``."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    schema = json.loads(entries["schema.json"])
    entries["schema.json"] = json.dumps(_renamed(schema, old, new)).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in entries.items():
            target.writestr(name, content)
    return out.getvalue()


def _renamed(node, old: str, new: str):
    if isinstance(node, list):
        return [_renamed(item, old, new) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: new if key == "__module__" and value == old else _renamed(value, old, new) for key, value in node.items()}


def _check_model(path: Path, model) -> None:
    needed = ("scheme", "codes", "char_vocab_", "char_idf_", "word_vocab_", "word_idf_", "coef_", "intercept_",
              "thresholds_", "hybrid_thresholds_", "languages_", "format_version_")
    missing = [name for name in needed if not hasattr(model, name)]
    if missing:
        raise InputError(f"{path}: corrupt model file (no {', '.join(missing)})")
    if model.format_version_ != FORMAT_VERSION:
        raise InputError(f"{path}: model format {model.format_version_} is not the one this textmine reads ({FORMAT_VERSION}); retrain it")
    n_codes, n_features = len(model.codes), len(model.char_vocab_) + len(model.word_vocab_)
    shapes_ok = (
        model.coef_.shape == (n_codes, n_features)
        and model.intercept_.shape == model.thresholds_.shape == model.hybrid_thresholds_.shape == (n_codes,)
        and len(model.char_idf_) == len(model.char_vocab_) and len(model.word_idf_) == len(model.word_vocab_)
    )
    if not shapes_ok:
        raise InputError(f"{path}: corrupt model file (its arrays do not fit together)")


def card_path(model_path) -> Path:
    """The model card beside a model file: ``NAME.skops`` -> ``NAME.card.json``."""
    return Path(model_path).with_suffix(".card.json")


def shipped_models() -> dict[str, Path]:
    """The models that come with textmine, by scheme (file name ``<scheme>.skops``)."""
    from importlib import resources

    folder = Path(str(resources.files("textmine") / "models"))
    return {path.stem: path for path in sorted(folder.glob("*.skops"))} if folder.is_dir() else {}


def resolve_model(name) -> Path:
    """A model file path, or the name of a shipped model (``pentagon``, ``instrument``)."""
    path = Path(name)
    if path.exists() or path.suffix or "/" in str(name):
        return path
    shipped = shipped_models()
    if str(name) in shipped:
        return shipped[str(name)]
    raise InputError(f"model not found: {name} (no such file; shipped models: {', '.join(shipped) or 'none'})")


def model_card(model: UnitClassifier, model_bytes: bytes, training: dict, lexicon, cv: CrossValidation, created: str) -> dict:
    """The card written beside a model: what it codes, what it learned from, how it scored in grouped CV."""
    import hashlib

    import numpy
    import sklearn
    import skops

    from textmine import __version__

    def per_code(values):
        return {code: (None if not np.isfinite(v) else float(v)) for code, v in zip(model.codes, values)}

    return {
        "format": f"textmine-classifier/{FORMAT_VERSION}",
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "scheme": model.scheme,
        "codes": list(model.codes),
        "languages": list(model.languages_),
        "created": created,
        "textmine_version": __version__,
        "libraries": {"scikit-learn": sklearn.__version__, "numpy": numpy.__version__, "skops": skops.__version__},
        "training_data": training,
        "lexicon": {"scheme": lexicon.scheme, "version": lexicon.version, "sha256": lexicon.sha256, "file": Path(lexicon.path).name},
        "features": {"char_ngrams": f"char_wb {NGRAMS[0]}-{NGRAMS[1]}", "words": model.word_features, "min_df": model.min_df,
                     "char_terms": int(len(model.char_vocab_)), "word_terms": int(len(model.word_vocab_))},
        "classifier": {"kind": "one-vs-rest logistic regression (liblinear, balanced class weights)", "C": model.C,
                       "seed": model.seed, "inner_folds": model.inner_folds},
        "thresholds": per_code(model.thresholds_),
        "hybrid_thresholds": per_code(model.hybrid_thresholds_),
        "cross_validation": cv.as_dict(),
    }
