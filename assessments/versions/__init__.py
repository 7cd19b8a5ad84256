"""A submitted version as people read it: the assessment as one document (printable.py), and what changed between two
versions (diff.py). Its snapshot and their check stay in assessments/snapshots.py, which a migration imports."""
