"""The base layer: errors, data types, languages, text normalisation and safe file writing, used by every stage."""
