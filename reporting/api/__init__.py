"""The reporting API (/api/v1/): a cycle's timeliness and its coordinated reviews; a review's exports.
Its addresses are in urls.py, worked examples for its description in examples.py."""
