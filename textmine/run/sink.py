"""Where the rendered results of documents (``textmine.run.docresult``) go in `run`: the rows of the coded dataset's
CSV files, and the sums of the emphasis matrices and the crosstab, fed in chunks of ``FLUSH_UNITS`` units.

The rows of units and hits come as CSV text made by the workers; what is left here per unit is joining a
document's metadata cells (in the column order of this run) into its lines, so that the process that writes the
files is not the one every worker waits for.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from textmine.analysis.aggregate import CrosstabAccumulator, EmphasisAccumulator
from textmine.core.export import CsvWriter, csv_cells
from textmine.outputs.rows import UnitNumbers

FLUSH_UNITS = 5000


class DocumentSink:
    def __init__(self, writers: dict[str, CsvWriter], meta_columns: Sequence[str], value_columns: Sequence[str], result,
                 emphasis: EmphasisAccumulator, crosstab: CrosstabAccumulator | None):
        self.writers, self.result = writers, result
        self.meta_columns = list(meta_columns)
        self.numbers = UnitNumbers(meta_columns, value_columns)
        self.emphasis, self.crosstab = emphasis, crosstab
        self._codes = list(emphasis.code_columns)  # what the sums need of a unit's values: its codes, which come first
        if list(value_columns[: len(self._codes)]) != self._codes:
            raise ValueError("the code columns must be the first value columns")
        self._documents: list[tuple[str, list, int]] = []  # (doc_id, metadata values, units) of the units kept
        self._langs: list[str] = []
        self._values: list[list] = []
        self._sizes: list[tuple[int, int]] = []

    def failure(self, row: dict) -> None:
        self.writers["failures"].write(row)
        self.result.failures.append(row)

    def document(self, item: dict, input_file) -> None:
        """Write a document's rows (``docresult.render``) and keep its units for the sums."""
        meta = item["meta"]
        self.numbers.see(meta)
        meta_values = [meta.get(column) for column in self.meta_columns]
        cells = csv_cells(meta_values)
        units = item["units"]
        self.writers["coded_units"].write_text("".join(f"{unit[0]},{cells},{unit[1]}\r\n" for unit in units), len(units))
        self.writers["hits"].write_text(item["hits"], item["n_hits"])
        self.writers["documents"].write(item["document"])
        doc_id = item["document"]["doc_id"]
        codes = len(self._codes)
        self._documents.append((doc_id, meta_values, len(units)))
        self._langs.extend(unit[2] for unit in units)
        self._values.extend(unit[3][:codes] for unit in units)
        self._sizes.extend((unit[4], unit[5]) for unit in units)
        self._count(item, input_file, len(units))
        if len(self._values) >= FLUSH_UNITS:
            self.flush()

    def _count(self, item: dict, input_file, units: int) -> None:
        result = self.result
        if item["warning"]:
            self.writers["warnings"].write(item["warning"])
            result.coverage_warnings.append(item["warning"])
        result.documents += 1
        result.hits += item["n_hits"]
        result.units += units
        if item["ocr_language"]:
            result.ocr_languages.add(item["ocr_language"])
        result.input_hashes[input_file.path] = item["document"]["sha256"]

    def flush(self) -> None:
        if not self._values:
            return
        chunk = pd.concat([self._keys_and_metadata(), pd.DataFrame(np.asarray(self._values), columns=self._codes)], axis=1)
        self.emphasis.add(chunk, self._sizes)
        if self.crosstab is not None:
            self.crosstab.add(chunk)
        for kept in (self._documents, self._langs, self._values, self._sizes):
            kept.clear()

    def _keys_and_metadata(self) -> pd.DataFrame:
        """doc_id, lang and the metadata columns of the units kept. A column is typed by pandas from its documents'
        values (as it would be from its units': a document without units is left out), then repeated per unit."""
        documents = [document for document in self._documents if document[2]]
        units = [n for _, _, n in documents]
        columns = {"doc_id": [doc_id for doc_id, _, n in documents for _ in range(n)], "lang": self._langs}
        for j, column in enumerate(self.meta_columns):
            columns[column] = pd.Series([values[j] for _, values, _ in documents]).repeat(units).reset_index(drop=True)
        return pd.DataFrame(columns)
