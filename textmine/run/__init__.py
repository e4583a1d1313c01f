"""Stage 6, run: the orchestration of a whole corpus through the stages, in worker processes."""
