"""The assessment as an XLSX workbook: the draft written as sheets and an upload read back (sheets.py), after the
limits an uploaded workbook must keep are checked without parsing it (limits.py)."""
