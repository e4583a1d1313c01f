"""Coded units -> policy-emphasis matrices and instrument x pentagon cross-tables.

Works on chunks of a coded-units table (as written to ``coded_units.csv``), so
that a corpus of any size aggregates in bounded memory. Code columns hold hit
counts; a unit *carries* a code when its count is above zero.

Measures (one row per group and measure in emphasis tables):

* ``units``  — number of units carrying the code;
* ``share``  — units carrying the code / all units of the group;
* ``hits``   — number of lexicon (or model) hits;
* ``per10k`` — hits per 10,000 of size: the Han (and kana) characters plus the
  words of the other scripts, counted in each unit, so that a bilingual unit,
  document or group has a size and a per10k value (``size_unit`` says
  ``characters``, ``words`` or ``characters+words``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from textmine.core.constants import ALL_MEASURES, NORMALIZATIONS

MEASURES = ("units", "share", "hits", "per10k")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
BOTH = "characters+words"
MISSING = "(missing)"  # the group of units without a value in a grouping column
COMPACT_EVERY = 16  # chunks summed before their partial sums are combined


def unit_sizes(text: pd.Series, lang: pd.Series | None = None) -> pd.DataFrame:
    """Per unit: Han/kana characters (``chars``) and the words of the text in other scripts (``words``).

    The unit's language does not matter: each script is counted where it is written.
    """
    sizes = [text_size(value) for value in text.fillna("").astype(str)]
    return pd.DataFrame(sizes or None, columns=["chars", "words"], index=text.index, dtype=np.int64)


def text_size(text: str) -> tuple[int, int]:
    """(Han/kana characters, words of the other scripts) of one text (``unit_sizes``)."""
    rest, chars = _CJK.subn(" ", text)  # one pass counts the characters and leaves the words of other scripts
    return chars, len(_WORD.findall(rest))


@dataclass
class EmphasisAccumulator:
    """Sums what matrices need, chunk by chunk, per key (a document, or a document and a unit-level column).

    Per key: units, sizes, hits and units carrying each code (``<col>#hits``,
    ``<col>#units``), units carrying any of a set of codes (``any_of``: name ->
    columns; ``<name>#any``) and units carrying both codes of each pair
    (``pairs``: row columns x column columns; ``<row>&<col>``). ``carry``
    columns keep their first non-empty value (document metadata).
    """

    code_columns: Sequence[str]
    carry: Sequence[str] = ()
    keys: Sequence[str] = ("doc_id",)
    any_of: Mapping[str, Sequence[str]] = field(default_factory=dict)
    pairs: tuple[Sequence[str], Sequence[str]] = ((), ())
    _parts: list = field(default_factory=list)

    def add(self, chunk: pd.DataFrame, sizes=None) -> None:
        """Add the units of ``chunk``; ``sizes``: their (chars, words), when known (``text_size``), else counted here."""
        if chunk.empty:
            return
        keys = list(self.keys)
        keyed = chunk[keys].astype(object).fillna(MISSING).astype(str)
        frame = pd.concat([keyed.reset_index(drop=True), self._unit_frame(chunk, sizes)], axis=1)
        part = frame.groupby(keys, sort=False).sum()
        carry = self._carried()
        if carry:
            values = pd.concat([keyed, chunk[carry]], axis=1).groupby(keys, sort=False)[carry].first()
            part = part.join(values)
        self._parts.append(part)
        if len(self._parts) >= COMPACT_EVERY:
            self._compact()

    def _carried(self) -> list[str]:
        return [c for c in self.carry if c not in self.keys]

    def _unit_frame(self, chunk: pd.DataFrame, known=None) -> pd.DataFrame:
        if known is None:
            sizes = unit_sizes(chunk["text"], chunk["lang"] if "lang" in chunk else None).reset_index(drop=True)
        else:
            sizes = pd.DataFrame(known, columns=["chars", "words"], dtype=np.int64)
        counts = chunk[list(self.code_columns)].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(np.int64)
        present = counts > 0
        index = {column: i for i, column in enumerate(self.code_columns)}
        data = {"n_units": np.ones(len(chunk), dtype=np.int64), "chars": sizes["chars"].to_numpy(), "words": sizes["words"].to_numpy()}
        for column, i in index.items():
            data[f"{column}#hits"] = counts[:, i]
            data[f"{column}#units"] = present[:, i].astype(np.int64)
        for name, members in self.any_of.items():
            data[f"{name}#any"] = present[:, [index[m] for m in members]].any(axis=1).astype(np.int64)
        rows, cols = self.pairs
        for row in rows:
            both = present[:, [index[row]]] & present[:, [index[c] for c in cols]]
            for j, col in enumerate(cols):
                data[f"{row}&{col}"] = both[:, j].astype(np.int64)
        return pd.DataFrame(data)

    def _compact(self) -> None:
        if len(self._parts) < 2:
            return
        combined = pd.concat(self._parts)
        carry = self._carried()
        levels = list(range(len(self.keys)))
        summed = combined.drop(columns=carry).groupby(level=levels, sort=False).sum()
        if carry:
            summed = summed.join(combined[carry].groupby(level=levels, sort=False).first())
        self._parts = [summed]

    def documents(self) -> pd.DataFrame:
        """One row per key: keys, carried columns, n_units, size, size_unit, and the sums."""
        carry = self._carried()
        if not self._parts:
            return pd.DataFrame(columns=[*self.keys, *carry, "n_units", "size", "size_unit"])
        self._compact()
        frame = self._parts[0].reset_index()
        sizes = pd.DataFrame({"size": (frame["chars"] + frame["words"]).astype(np.int64),
                              "size_unit": size_unit(frame["chars"], frame["words"])})
        head = frame[[*self.keys, *carry, "n_units"]]
        rest = frame.drop(columns=[*self.keys, *carry, "n_units"])
        return pd.concat([head, sizes, rest], axis=1)


def size_unit(chars, words) -> np.ndarray:
    """What a size counts: "characters" (Han/kana only), "words" (other scripts only) or "characters+words"."""
    chars, words = np.asarray(chars) > 0, np.asarray(words) > 0
    return np.where(chars & words, BOTH, np.where(chars, "characters", "words"))


def _combined_unit(units) -> str:
    """The size unit of several documents: theirs when they agree, else characters+words."""
    units = set(units)
    return units.pop() if len(units) == 1 else BOTH


def _combined_units(units) -> pd.Series:
    """``_combined_unit`` of each group of a grouped column."""
    return units.first().where(units.nunique(dropna=False) == 1, BOTH)


def emphasis_table(documents: pd.DataFrame, code_columns: Sequence[str], by: Sequence[str] = ("doc_id",)) -> pd.DataFrame:
    """Groups x codes in long-by-measure form: group columns, n_documents, n_units, size, size_unit, measure, codes."""
    by, codes = list(by), list(code_columns)
    columns = [*by, "n_documents", "n_units", "size", "size_unit", "measure", *codes]
    if documents.empty:
        return pd.DataFrame(columns=columns, dtype=object)
    groups = documents.groupby(by, sort=False, dropna=False)
    sums = groups[["n_units", "size", *(f"{c}#units" for c in codes), *(f"{c}#hits" for c in codes)]].sum()
    keys = [k if isinstance(k, tuple) else (k,) for k in sums.index]
    n_documents = groups.size().tolist()
    size_units = _combined_units(groups["size_unit"]).tolist()
    units, sizes = sums["n_units"].tolist(), sums["size"].to_numpy()
    carrying = sums[[f"{c}#units" for c in codes]].to_numpy().tolist()
    hits = sums[[f"{c}#hits" for c in codes]].to_numpy().tolist()
    rows = []
    for i, key in enumerate(keys):
        base = [*key, n_documents[i], int(units[i]), sizes[i], size_units[i]]
        rows.append([*base, "units", *map(int, carrying[i])])
        rows.append([*base, "share", *_ratios(carrying[i], units[i])])
        rows.append([*base, "hits", *map(int, hits[i])])
        rows.append([*base, "per10k", *_ratios([h * 10_000 for h in hits[i]], sizes[i])])
    # object columns, so that counts stay integers beside shares in the same column
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _ratios(numerators, denominator) -> list[float]:
    if not denominator or (isinstance(denominator, float) and np.isnan(denominator)):
        return [np.nan] * len(numerators)
    denominator = float(denominator)
    return [round(float(numerator) / denominator, 6) for numerator in numerators]


@dataclass
class CrosstabAccumulator:
    """Counts units carrying both a row code and a column code (e.g. instrument x pentagon).

    Row codes with a dot (SUP.TAL) also count toward their type (SUP): a unit
    carrying SUP.TAL and SUP.FUND counts once for SUP.
    """

    row_columns: dict[str, str]  # code -> column
    col_columns: dict[str, str]
    _both: np.ndarray | None = None
    _rows_total: np.ndarray | None = None

    def __post_init__(self):
        self.row_labels = _with_types(list(self.row_columns))
        self._both = np.zeros((len(self.row_labels), len(self.col_columns) + 1), dtype=np.int64)

    def add(self, chunk: pd.DataFrame) -> None:
        rows = self._row_presence(chunk)
        cols = (chunk[list(self.col_columns.values())].fillna(0).to_numpy() > 0).astype(np.int64)
        cols = np.hstack([cols, np.ones((len(chunk), 1), dtype=np.int64)])  # last column: all units
        self._both += rows.T @ cols

    def _row_presence(self, chunk: pd.DataFrame) -> np.ndarray:
        presence = {code: chunk[column].fillna(0).to_numpy() > 0 for code, column in self.row_columns.items()}
        matrix = []
        for label, kind in self.row_labels:
            if kind == "type":
                members = [presence[c] for c in self.row_columns if c.split(".", 1)[0] == label]
                matrix.append(np.logical_or.reduce(members))
            else:
                matrix.append(presence[label])
        return np.array(matrix, dtype=np.int64).T

    def table(self, row_name: str = "instrument", total_name: str = "units") -> pd.DataFrame:
        frame = pd.DataFrame(self._both, columns=[*self.col_columns.values(), total_name])
        frame.insert(0, f"{row_name}_type", [label.split(".", 1)[0] for label, _ in self.row_labels])
        frame.insert(1, row_name, [label if kind == "code" else f"{label} (all)" for label, kind in self.row_labels])
        return frame


def _with_types(codes: list[str]) -> list[tuple[str, str]]:
    """Codes in order, each group's type row (SUP) before its sub-codes (SUP.TAL …)."""
    labels, seen = [], set()
    for code in codes:
        if "." in code:
            group = code.split(".", 1)[0]
            if group not in seen:
                seen.add(group)
                labels.append((group, "type"))
        labels.append((code, "code"))
    return labels


# Group matrices ---------------------------------------------------------------------------------
#
# Normalisations of a group x code matrix (cells of one group row):
#   count    units carrying the code
#   share    units carrying the code / all units of the group
#   hits     lexicon (or model) hits of the code
#   per10k   hits per 10,000 of size (Han/kana characters plus words of other scripts); empty for size 0
#   presence 1 when at least one unit of the group carries the code, else 0

TOTAL = "(all)"  # the label of the totals row in every grouping column
GROUP_COLUMNS = ("n_documents", "n_units", "n_coded_units", "size", "size_unit")


def group_sums(documents: pd.DataFrame, by: Sequence[str], with_total: bool = True) -> pd.DataFrame:
    """Per group (sorted by group value), then a totals row: n_documents, n_units, size, size_unit, and every sum column.

    ``documents`` is ``EmphasisAccumulator.documents()``. A group's size is the sum
    of its documents' (Han/kana characters plus words of other scripts).
    """
    by = list(by)
    sums = [c for c in documents.columns if "#" in c or "&" in c or c == "n_units"]
    frame = documents.copy()
    frame[by] = frame[by].astype(object).fillna(MISSING).astype(str)
    grouped = frame.groupby(by, sort=True)
    table = grouped[sums].sum()
    table.insert(0, "n_documents", grouped["doc_id"].nunique())
    table = table.join(_sizes(grouped))
    if with_total:
        total = frame[sums].sum().to_frame().T
        total.insert(0, "n_documents", frame["doc_id"].nunique())
        total["size_unit"] = _combined_unit(frame["size_unit"])
        total["size"] = frame["size"].sum()
        total.index = pd.MultiIndex.from_tuples([(TOTAL,) * len(by)], names=by) if len(by) > 1 else pd.Index([TOTAL], name=by[0])
        table = pd.concat([table, total[table.columns]])
    return table


def _sizes(grouped) -> pd.DataFrame:
    units = _combined_units(grouped["size_unit"])
    return pd.DataFrame({"size": grouped["size"].sum().astype(float), "size_unit": units})


def group_matrix(sums: pd.DataFrame, codes: Sequence[str], normalize: str = "count", coded_any: str | None = None) -> pd.DataFrame:
    """Groups x codes: group columns, n_documents, n_units, n_coded_units, size, size_unit, codes, total, note.

    ``normalize`` is one of NORMALIZATIONS, or "all" for every one in long form
    (a ``measure`` column). ``total`` is the sum of the row's code cells.
    ``coded_any`` names the ``<name>#any`` sum of units carrying any of ``codes``.
    """
    if normalize == ALL_MEASURES:
        # object columns, so that counts stay integers beside shares in the same column
        parts = [
            group_matrix(sums, codes, measure, coded_any).astype({c: object for c in [*codes, "total"]}).assign(measure=measure)
            for measure in NORMALIZATIONS
        ]
        order = [*parts[0].columns[: len(sums.index.names) + len(GROUP_COLUMNS)], "measure", *codes, "total", "note"]
        long = pd.concat(parts, ignore_index=True)
        long["_group"] = np.tile(np.arange(len(sums)), len(NORMALIZATIONS))
        return long.sort_values("_group", kind="stable")[order].reset_index(drop=True)
    if normalize not in NORMALIZATIONS:
        raise ValueError(f"normalize must be one of {', '.join(NORMALIZATIONS)} or {ALL_MEASURES}")
    values = _measure(sums, codes, normalize)
    total = values.sum(axis=1, min_count=1)
    if normalize in ("share", "per10k"):
        values, total = values.round(6), total.round(6)
    head = sums[["n_documents", "n_units"]].astype(np.int64)
    head["n_coded_units"] = sums[f"{coded_any}#any"].astype(np.int64) if coded_any else pd.NA
    head["size"] = sums["size"]
    head["size_unit"] = sums["size_unit"]
    table = pd.concat([head, values], axis=1)
    table["total"] = total
    coded = sums[f"{coded_any}#any"] if coded_any else pd.Series(np.nan, index=sums.index)
    documents = list(sums.index.names) == ["doc_id"]
    table["note"] = [group_note(row, normalize, n, documents) for (_, row), n in zip(sums.iterrows(), coded)]
    return table.reset_index()


def combined_matrix(sums: pd.DataFrame, schemes: Mapping[str, Sequence[str]], normalize: str = "count") -> pd.DataFrame:
    """``group_matrix`` of several schemes side by side; with more than one scheme, n_coded_units and total become
    n_coded_<scheme> and total_<scheme>."""
    parts = [group_matrix(sums, columns, normalize, coded_any=scheme) for scheme, columns in schemes.items()]
    if len(parts) == 1:
        return parts[0]
    front = [*sums.index.names, *(["measure"] if normalize == ALL_MEASURES else [])]
    base = parts[0][[*front[: len(sums.index.names)], "n_documents", "n_units", "size", "size_unit", *front[len(sums.index.names) :]]]
    pieces = [base]
    for scheme, part in zip(schemes, parts):
        renamed = part.rename(columns={"n_coded_units": f"n_coded_{scheme}", "total": f"total_{scheme}"})
        pieces.append(renamed[[f"n_coded_{scheme}", *schemes[scheme], f"total_{scheme}"]])
    return pd.concat([*pieces, parts[0][["note"]]], axis=1)


def _measure(sums: pd.DataFrame, codes: Sequence[str], normalize: str) -> pd.DataFrame:
    units = sums[[f"{c}#units" for c in codes]].set_axis(list(codes), axis=1).astype(np.int64)
    hits = sums[[f"{c}#hits" for c in codes]].set_axis(list(codes), axis=1).astype(np.int64)
    if normalize == "count":
        return units
    if normalize == "hits":
        return hits
    if normalize == "presence":
        return (units > 0).astype(np.int64)
    if normalize == "share":
        return units.div(sums["n_units"].where(sums["n_units"] > 0), axis=0)
    size = pd.to_numeric(sums["size"], errors="coerce")
    return (hits * 10_000).div(size.where(size > 0), axis=0)


def group_note(row: pd.Series, normalize: str = ALL_MEASURES, coded_units=None, documents: bool = False) -> str:
    """What a reader must know about a group row: empty, one document (unless rows are ``documents``), no coded units, no per10k."""
    notes = []
    if row["n_units"] == 0:
        notes.append("no units")
    elif row["n_documents"] == 1 and not documents:
        notes.append("one document")
    if row["n_units"] and coded_units == 0:
        notes.append("no coded units")
    if normalize in ("per10k", ALL_MEASURES) and row["n_units"] and not row["size"]:
        notes.append("size 0: no per10k")
    return "; ".join(notes)


def group_warnings(sums: pd.DataFrame, by: Sequence[str]) -> list[str]:
    """One line per kind of problem group (empty, one document), naming the groups."""
    rows = sums[[TOTAL not in _key(key) for key in sums.index]]
    label = " × ".join(by)
    found = []
    for mask, what in (
        (rows["n_units"] == 0, "group(s) without units (not divided by zero: their shares are empty)"),
        ((rows["n_units"] > 0) & (rows["n_documents"] == 1) & (list(by) != ["doc_id"]),
         "group(s) of one document (a document, not a group, is compared)"),
    ):
        if mask.any():
            names = ", ".join("/".join(_key(key)) for key in rows.index[mask])
            found.append(f"{label}: {int(mask.sum())} {what}: {names}")
    return found


def _key(key) -> tuple:
    return tuple(map(str, key)) if isinstance(key, tuple) else (str(key),)


def type_key(scheme: str, group: str) -> str:
    """The ``any_of`` name of the units carrying any code of one type (``instrument:SUP``)."""
    return f"{scheme}:{group}"


def accumulator_for(codes, keys: Sequence[str] = ("doc_id",), carry: Sequence[str] = (), pairs=None) -> EmphasisAccumulator:
    """An accumulator for the CodeInfos ``codes``: any-code sums per scheme and per type, and ``pairs`` (row, column) schemes."""
    any_of: dict[str, list[str]] = {}
    for info in codes:
        any_of.setdefault(info.scheme, []).append(info.column)
        if "." in info.code:
            any_of.setdefault(type_key(info.scheme, info.group), []).append(info.column)
    pair_columns: tuple[Sequence[str], Sequence[str]] = ((), ())
    if pairs:
        rows, cols = ([i.column for i in codes if i.scheme == scheme] for scheme in pairs)
        pair_columns = (rows, cols) if rows and cols else ((), ())
    return EmphasisAccumulator([i.column for i in codes], carry=carry, keys=keys, any_of=any_of, pairs=pair_columns)


# The two-dimensional framework ------------------------------------------------------------------
#
# Rows are the codes of one scheme (instrument sub-instruments under their type), columns the codes
# of another (pentagon). A unit carrying SUP.TAL, SUP.FUND and NET adds 1 to (SUP.TAL, NET) and 1 to
# (SUP.FUND, NET): cells count unit-code pairs, so that type rows are the sums of their sub-rows and
# every total adds up. ``units`` counts units carrying the row code (a unit once per row).

FRAMEWORK_MEASURES = ("count", "row_pct", "col_pct")


def framework_table(sums: pd.Series, rows, cols) -> pd.DataFrame:
    """The framework table of one group (a row of ``group_sums``) in long-by-measure form.

    Columns: measure (count, row_pct, col_pct), row_kind (code, type, total), <row scheme>_type,
    <row scheme>, name_zh, name_en, one column per column code, total, units.
    row_pct divides a cell by its row total, col_pct by its column total (over the
    code rows); the total column of col_pct is each row's share of all pairs.
    """
    return framework_by_group(sums.to_frame().T, rows, cols, group_columns=False)


def framework_by_group(sums: pd.DataFrame, rows, cols, group_columns: bool = True) -> pd.DataFrame:
    """``framework_table`` for every row of ``group_sums`` at once, the group columns in front."""
    labels, members, unit_keys = _framework_rows(rows)
    pairs = sums.reindex(columns=[f"{r.column}&{c.column}" for r in rows for c in cols], fill_value=0)
    counts = pairs.to_numpy(dtype=float).reshape(len(sums), len(rows), len(cols))
    table = np.einsum("or,grc->goc", members, counts)  # groups x output rows x column codes
    table = np.concatenate([table, table.sum(axis=2, keepdims=True)], axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        row_pct = np.where(table[..., -1:] > 0, table / table[..., -1:] * 100, np.nan)
        col_pct = np.where(table[:, -1:, :] > 0, table / table[:, -1:, :] * 100, np.nan)
    blocks = np.stack([table, row_pct.round(2), col_pct.round(2)], axis=1)  # groups x measures x rows x columns
    values = blocks.reshape(-1, blocks.shape[-1]).astype(object)
    n_out, n_measures = len(labels), len(FRAMEWORK_MEASURES)
    is_count = np.tile(np.repeat(np.arange(n_measures) == 0, n_out), len(sums))
    values[is_count] = np.vectorize(int, otypes=[object])(values[is_count])
    frame = pd.DataFrame(values, columns=[*(c.column for c in cols), "total"])
    units = sums.reindex(columns=unit_keys).to_numpy(dtype=float)  # groups x output rows
    frame["units"] = pd.Series([int(u) if count and np.isfinite(u) else None
                                for u, count in zip(np.repeat(units, n_measures, axis=0).ravel(), is_count)], dtype=object)
    front = pd.concat([labels] * (n_measures * len(sums)), ignore_index=True)
    front.insert(0, "measure", np.tile(np.repeat(FRAMEWORK_MEASURES, n_out), len(sums)))
    if group_columns:
        keys = [k if isinstance(k, tuple) else (k,) for k in sums.index]
        for i, name in enumerate(sums.index.names):
            front.insert(i, name, np.repeat([k[i] for k in keys], n_measures * n_out))
    scheme = rows[0].scheme if rows else "row"
    front = front.rename(columns={"type": f"{scheme}_type", "code": scheme})
    return pd.concat([front, frame], axis=1)


def _framework_rows(rows):
    """Row labels (a type's subtotal row before its codes, a totals row last), the rows x codes
    membership matrix that sums codes into them, and the sum column of each row's units."""
    labels, members, unit_keys = [], [], []
    for group in dict.fromkeys(r.group for r in rows):
        indexes = [i for i, r in enumerate(rows) if r.group == group]
        first = rows[indexes[0]]
        if len(indexes) > 1 or first.code != group:
            labels.append(("type", group, f"{group} (subtotal)", first.group_names.get("zh", ""), first.group_names.get("en", "")))
            members.append(indexes)
            unit_keys.append(f"{type_key(first.scheme, group)}#any")
        for i in indexes:
            labels.append(("code", group, rows[i].code, rows[i].name("zh"), rows[i].name("en")))
            members.append([i])
            unit_keys.append(f"{rows[i].column}#units")
    labels.append(("total", "", "Total", "合计", "total"))
    members.append(list(range(len(rows))))
    unit_keys.append("n_units")
    matrix = np.zeros((len(members), len(rows)))
    for out, indexes in enumerate(members):
        matrix[out, indexes] = 1
    return pd.DataFrame(labels, columns=["row_kind", "type", "code", "name_zh", "name_en"]), matrix, unit_keys
