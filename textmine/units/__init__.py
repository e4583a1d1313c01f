"""Stage 2, units: Documents -> Units (segmentation; rows of users' tables as units)."""
