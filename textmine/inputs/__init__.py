"""Stage 1, inputs: files -> Documents (extraction of every source kind), corpus discovery and metadata, the extraction cache, users' tables."""
