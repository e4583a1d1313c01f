"""Coding a users' table of units: ``code_table`` keeps the input columns and rows in order and adds one
``<scheme>_<CODE>`` column per code holding the number of hits."""

from __future__ import annotations

import pandas as pd

from textmine.coding.coders import Coder
from textmine.core.constants import HIT_CONTEXT
from textmine.core.errors import InputError
from textmine.outputs.rows import HIT_COLUMNS, coded_unit_row, hit_row
from textmine.units.table_units import table_units


def code_table(frame: pd.DataFrame, coder: Coder, text_column: str, id_column: str | None = None, lang_column: str | None = None):
    """(coded frame, hits frame): the input with the coder's columns appended, and one row per hit.

    Code columns hold the number of hits per row; rows keep their order.
    """
    columns = [*coder.code_columns, *coder.score_columns]
    existing = [c for c in columns if c in frame.columns]
    if existing:
        raise InputError(f"the table already has code columns ({', '.join(existing[:3])} …); rename them first")
    units = table_units(frame, text_column, id_column, lang_column)
    values = {column: [] for column in columns}
    hits = []
    for unit, codes, scores in coder.code(units):
        row = coded_unit_row(unit, codes, {}, columns, scores)
        for column in columns:
            values[column].append(row[column])
        hits.extend(hit_row(unit, code, HIT_CONTEXT) for code in codes)
    coded = frame.copy()
    for column in columns:
        coded[column] = values[column]
    hits_frame = pd.DataFrame(hits, columns=list(HIT_COLUMNS)).drop(columns=["doc_id"])
    return coded, hits_frame
