"""Stage 4, analysis: coded units -> emphasis tables, statistics, figures, term discovery and concordances."""
