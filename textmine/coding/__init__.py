"""Stage 3, coding: lexicons, term matching, classifiers and the coders built from them; gold data, training, reliability."""
