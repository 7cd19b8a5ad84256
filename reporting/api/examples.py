"""Worked examples of the reporting API's answers, for its OpenAPI description (drf-spectacular).

Shaped like the demo's 2019 cycle (`make run`): 28 expected, 24 submitted by 19 July 2019; the review's tables as
the page shows them, with the catalogue's codes. tests/api/test_description.py checks each against its schema.
"""

from drf_spectacular.utils import OpenApiExample

FINGERPRINT = "777ce0a2f18ea0a6eea61014fa100410a02e290d5ccbe91cd0dafe5467453f42"


def request(name, value, **kwargs):
    return OpenApiExample(name, value=value, request_only=True, **kwargs)


def response(name, value, **kwargs):
    return OpenApiExample(name, value=value, response_only=True, **kwargs)


TIMELINESS = response("2019 as of 19 July 2019 (three member states shown)", {
    "cycle": 1, "as_of": "2019-07-19T21:59:59.999999Z",
    "figures": {"expected": 28, "submitted": 24, "on_time": 24, "late": 0, "missing": 4, "not_due": 0},
    "member_states": [
        {"member_state": "AT", "state": "on_time", "deadline": "2019-07-15T21:59:59Z",
         "first_submitted_at": "2019-07-12T14:03:27Z", "latest_version": 1, "assessment": 1},
        {"member_state": "DE", "state": "on_time", "deadline": "2019-07-15T21:59:59Z",
         "first_submitted_at": "2019-07-15T16:48:02Z", "latest_version": 1, "assessment": 9},
        {"member_state": "PL", "state": "overdue", "deadline": "2019-07-15T21:59:59Z",
         "first_submitted_at": None, "latest_version": None, "assessment": 22},
    ]})

SUMMARY = {"id": 3, "cycle": 1, "status": "done", "fingerprint": FINGERPRINT, "requested_at": "2019-10-01T08:00:12Z",
           "finished_at": "2019-10-01T08:00:41Z", "published_at": None, "marking": "TLP:AMBER+STRICT",
           "publication_marking": None}
REVIEW_PAGE = response("The 2019 cycle's reviews", {"next": None, "previous": None, "results": [SUMMARY]})
REVIEW_QUEUED = response("A new review, queued", {**SUMMARY, "id": 4, "status": "queued",
                                                  "requested_at": "2019-10-07T09:30:00Z", "finished_at": None},
                         status_codes=[201])
REVIEW_EXISTS = response("Nothing changed since: the review of these inputs", SUMMARY, status_codes=[200])
PUBLISH = request("Publish marked TLP:GREEN", {"marking": "TLP:GREEN"})
REVIEW_PUBLISHED = response("Published", {**SUMMARY, "published_at": "2019-10-09T10:00:00Z",
                                          "publication_marking": "TLP:GREEN"})
WITHDRAW = request("Withdrawn, with the reason the member states read",
                   {"reason": "Built before France's version 2 was accepted; the review of 9 October replaces it."})
REVIEW_WITHDRAWN = response("Withdrawn: no longer published", SUMMARY)

REVIEW = response("A done review as reviewers read it (two tables, shortened)", {
    **SUMMARY,
    "inputs": [{"member_state": "AT", "assessment": 1, "number": 1,
                "sha256": "48db696cdd9b3f7cd536a86af88bec48324a42aae6e080cdcbfde3603340c79d"},
               {"member_state": "DE", "assessment": 9, "number": 2,
                "sha256": "7855243d96c5857069d9e02008e69d77fbed1bafe539415137b86d928c3fe20e"}],
    "tables": [
        {"key": "scenarios", "title": "Risk scenarios",
         "headers": ["Code", "Scenario", "Member states", "Level: Low", "Level: Medium", "Level: High",
                     "Level: Critical", "High or critical", "Level median (lower middle)"],
         "rows": [["R4", "Dependency on any single supplier within individual networks or lack of diversity on "
                         "nation-wide basis", 24, 2, 5, 12, 5, 17, "High"],
                  ["R5", "State interference through 5G supply chain", 24, 0, 9, 11, 4, 15, "High"]],
         "note": ""},
        {"key": "toolbox", "title": "Toolbox measures",
         "headers": ["Code", "Measure", "Member states", "Not started", "Planned", "In preparation", "Adopted",
                     "Applied", "Not applicable", "Unanswered"],
         "rows": [["SM01", "Strengthening the role of national authorities", 27, 0, 2, 4, 17, 4, 0, 0],
                  ["SM03", "Assessing the risk profile of suppliers and applying restrictions for suppliers "
                           "considered to be high risk, including necessary exclusions to effectively mitigate "
                           "risks, for key assets", 27, 3, 7, 13, 0, 4, 0, 0]],
         "note": ""},
    ]})

EXPORT_ASK = request("The review as XLSX, in French", {"format": "xlsx", "language": "fr"})
EXPORT = {"id": 5, "kind": "review", "review": 3, "cycle": 1, "format": "xlsx", "language": "fr",
          "audience": "reviewer", "status": "queued", "progress": "", "requested_at": "2019-10-09T10:05:00Z",
          "finished_at": None, "size": None, "sha256": "", "file": None, "cap": None, "marking": None}
EXPORT_QUEUED = response("Asked: being made", EXPORT, status_codes=[201])
EXPORT_DONE = response("Made: download it from `file`", status_codes=[200], value={
    **EXPORT, "status": "done", "finished_at": "2019-10-09T10:05:09Z", "size": 48211, "marking": "TLP:AMBER+STRICT",
    "sha256": "c0a5e3b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6", "file": "/api/v1/exports/5/file"})
NOT_DONE = OpenApiExample("The review is still being built", response_only=True, status_codes=[409],
                          media_type="application/problem+json", value={
                              "type": "urn:5g-portal:problem:not_done", "title": "Conflict", "status": 409,
                              "detail": "Only a finished review can be exported."})
