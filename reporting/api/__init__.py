"""The reporting API (/api/v1/): a cycle's timeliness and its coordinated reviews (reviews.py), a review's exports
(exports.py); addresses in urls.py, worked examples for its OpenAPI description in examples.py."""
