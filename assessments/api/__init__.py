"""The assessments API (/api/v1/): drafts, sections, submitting and versions; attachments; clarification points.
Its addresses are in urls.py, what its answers hold in schema.py, worked examples for its description in examples.py."""
