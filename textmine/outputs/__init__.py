"""Stage 5, outputs: row formats of the coded dataset, report.xlsx/report.html and the run record."""
