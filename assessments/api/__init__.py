"""The assessments API (/api/v1/): drafts, sections, submitting, versions (drafts.py), attachments (attachments.py),
clarification points (clarifications.py); addresses in urls.py, answer shapes in schema.py, examples in examples.py."""
