"""Choices and numbers that several stages and the command line share, defined once."""

MODES = ("lexicon", "model", "hybrid")  # how a scheme with a model is coded
# The default of `run` and `tag`, chosen by grouped cross-validation and held-out documents
# (docs: "Which coding mode, and why"; benchmarks/coding_quality.py): no model mode beats the
# revised lexicons by the 0.03 pentagon micro-F1 the mode must earn.
DEFAULT_MODE = "lexicon"
NORMALIZATIONS = ("count", "share", "hits", "per10k", "presence")  # the cells of a group x code matrix
ALL_MEASURES = "all"  # every normalisation, in long form
ANY_LANG = "any"  # the "language" of lexicon terms looked for in units of every language
FIGURE_KINDS = ("heatmap", "radar", "bars")
FILE_TIMEOUT = 120.0  # seconds an input file (and an OCR page) may take, by default (`run --timeout`)
XLSX_UNITS = ("auto", "all", "none")  # whether report.xlsx has the coded_units and hits sheets (run --xlsx-units)
XLSX_UNIT_ROWS = 100_000  # "auto" includes them while both together have at most this many rows
XLSX_MAX_ROWS = 1_048_576  # rows of an Excel sheet
XLSX_MAX_CELL = 32_767  # characters in an Excel cell, counted in UTF-16 units
HIT_CONTEXT = 40  # characters of context on each side of a hit (hits.csv, `tag --hits`)
TABLE_FORMATS = ("csv", "xlsx", "parquet", "dta")  # of tables written by textmine.core.export.write_table
UNIT_FORMATS = ("dta", "parquet")  # coded_units besides the CSV (`run --format`, textmine.outputs.unit_formats)

# Exit status of the command: 0 success; 1 a bug; 2 bad input (TextmineError); 3 a batch finished
# but some files could not be read (failures.csv); 130 interrupted.
EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_SOME_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

OUTPUT_MANIFEST = ".textmine-run.json"  # in `run`'s output folder: the files of its last run; such a folder is never input
