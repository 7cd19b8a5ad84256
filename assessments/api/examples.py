"""Worked examples of the assessments API's requests and answers, for its OpenAPI description (drf-spectacular).

Shaped like what the portal answers for Austria's 2019 national assessment in the demo (`make run`): the catalogue's
real codes (R1-R9, SM/TM/SA, RP1-RP5), stable answer keys, times in UTC. tests/api/test_description.py checks that
every operation has one and that each is valid against the schema it illustrates.
"""

from drf_spectacular.utils import OpenApiExample

SHA = "48db696cdd9b3f7cd536a86af88bec48324a42aae6e080cdcbfde3603340c79d"
SUBMITTED_AT = "2019-07-12T14:03:27Z"


def request(name, value, **kwargs):
    return OpenApiExample(name, value=value, request_only=True, **kwargs)


def response(name, value, **kwargs):
    return OpenApiExample(name, value=value, response_only=True, **kwargs)


def refusal(name, status, value, **kwargs):
    return OpenApiExample(name, value=value, response_only=True, status_codes=[status],
                          media_type="application/problem+json", **kwargs)


def page(*rows, next_cursor=None):
    return {"next": next_cursor and f"https://portal.example.eu/api/v1/{next_cursor}", "previous": None,
            "results": list(rows)}


# Cycles and questionnaires

CYCLE_PAGE = response("The cycles Austria files in", page(
    {"id": 1, "title": "2019 national risk assessments", "year": 2019, "status": "open", "assessment": 1}))

QUESTIONNAIRE = response("The 2019 questionnaire (two of its sections, shortened)", {
    "cycle": 1,
    "sections": [
        {"code": "scenarios", "title": "Risk scenarios", "parts": [{
            "prefix": "scenarios", "title": "Risk scenarios", "key": "scenarios.{item}.{field}",
            "items": [{"key": "R4", "name": "R4 Dependency on any single supplier within individual networks or "
                                           "lack of diversity on nation-wide basis"},
                      {"key": "R5", "name": "R5 State interference through 5G supply chain"}],
            "fields": [
                {"name": "likelihood", "label": "Likelihood", "kind": "choice", "required_to_submit": True,
                 "help": "1 (lowest) to 5 (highest)",
                 "choices": [{"value": str(n), "label": str(n)} for n in range(1, 6)]},
                {"name": "impact", "label": "Impact", "kind": "choice", "required_to_submit": True,
                 "help": "1 (lowest) to 5 (highest)",
                 "choices": [{"value": str(n), "label": str(n)} for n in range(1, 6)]},
                {"name": "justification", "label": "Justification", "kind": "text", "required_to_submit": False,
                 "help": "Required when the risk level is high or critical."}]}]},
        {"code": "measures", "title": "Mitigating measures", "parts": [{
            "prefix": "measures", "title": "Toolbox measures", "key": "measures.{item}.{field}",
            "items": [{"key": "SM03", "name": "SM03 Assessing the risk profile of suppliers and applying "
                                             "restrictions for suppliers considered to be high risk, including "
                                             "necessary exclusions to effectively mitigate risks, for key assets"},
                      {"key": "SM05", "name": "SM05 Ensuring the diversity of suppliers for individual MNOs "
                                             "through appropriate multi-vendor strategies"}],
            "fields": [
                {"name": "status", "label": "Status", "kind": "choice", "required_to_submit": True, "help": "",
                 "choices": [{"value": "in_preparation", "label": "In preparation"},
                             {"value": "adopted", "label": "Adopted"}, {"value": "applied", "label": "Applied"}]},
                {"name": "target_date", "label": "Target date", "kind": "date", "required_to_submit": False,
                 "help": ""}]}]},
    ],
    "risk_matrix": {"likelihood_levels": 5, "impact_levels": 5, "medium_from": 5, "high_from": 10,
                    "critical_from": 17, "levels": {"2x2": "low", "3x4": "high", "4x5": "critical"}},
    "rules": ["A scenario's level is likelihood × impact on the risk matrix; high and critical need a "
              "justification.",
              "A measure that is planned or in preparation needs a target date."],
})

# The draft

START_EMPTY = request("Start empty", {})
START_FROM = request("Start from our 2019 version", {"start_from": 1})

SECTIONS = [
    ("scope", "Scope and method", 2, 0), ("threats", "Threat actors and threats", 1, 0),
    ("assets", "Key assets", 1, 0), ("suppliers", "Suppliers", 3, 0), ("scenarios", "Risk scenarios", 4, 2),
    ("measures", "Mitigating measures", 0, 29),
]
ASSESSMENT_VALUE = {
    "id": 1, "cycle": 1, "member_state": "AT", "status": "draft", "editable": True, "may_submit": True,
    "marking": "TLP:AMBER+STRICT",
    "sections": [{"code": code, "title": title, "revision": revision, "missing": missing}
                 for code, title, revision, missing in SECTIONS],
    "versions": [],
}
ASSESSMENT = response("Austria's draft, two sections to go", ASSESSMENT_VALUE)
STARTED = response("Started from an earlier version", status_codes=[201], value={
    **ASSESSMENT_VALUE, "sections": [{"code": code, "title": title, "revision": 1, "missing": 0}
                                     for code, title, _revision, _missing in SECTIONS]})
ALREADY_STARTED = response("Started already: the draft", ASSESSMENT_VALUE, status_codes=[200])

SECTION = response("The scenarios section", {
    "code": "scenarios", "revision": 4,
    "values": {"scenarios.R4.likelihood": "4", "scenarios.R4.impact": "5", "scenarios.R4.trend": "increasing",
               "scenarios.R4.justification": "Single supplier in the core of two of three operators.",
               "scenarios.R5.likelihood": "3", "scenarios.R5.impact": "5", "scenarios.R5.trend": "stable",
               "scenarios.R5.justification": "Supplier's home legislation obliges cooperation with its state."},
    "missing": [{"question": "R8 Massive failure of networks due to interruption of electricity supply or other "
                             "support systems", "field": "Likelihood"}],
    "carried_over": [], "marking": "TLP:AMBER+STRICT",
})

RATE_R4 = request("Rate R4", {"revision": 3, "values": {
    "scenarios.R4.likelihood": "4", "scenarios.R4.impact": "5",
    "scenarios.R4.justification": "Single supplier in the core of two operators."}})

CONFLICT = refusal("A colleague changed R4's justification since revision 3", 409, {
    "type": "urn:5g-portal:problem:conflict", "title": "Conflict", "status": 409,
    "detail": "A colleague changed some of the same fields since your revision.", "revision": 4,
    "conflicts": {"scenarios.R4.justification": {
        "base": "", "theirs": "Two operators rely on one core supplier.",
        "mine": "Single supplier in the core of two operators."}}})

INVALID = refusal("R4 rated critical without a justification", 400, {
    "type": "urn:5g-portal:problem:invalid", "title": "Invalid input", "status": 400,
    "detail": "Correct the fields named in “errors”.",
    "errors": {"scenarios.R4.justification": [
        "Explain why this scenario is rated critical: a justification is required for high and critical risks."]}})

PLAN_SM01_SM02 = request("A note on SM01, and SM02 planned without its target date", {"revision": 6, "values": {
    "measures.SM01.note": "Powers of the regulator reinforced by the 2020 amendment.",
    "measures.SM02.status": "planned"}})

SAVED_EXCEPT_SM02 = response("Saved, except SM02: planned needs a target date", {
    "code": "measures", "revision": 7,
    "values": {"measures.SM01.status": "adopted", "measures.SM01.target_date": "",
               "measures.SM01.note": "Powers of the regulator reinforced by the 2020 amendment.",
               "measures.SM02.status": "not_started", "measures.SM02.target_date": "", "measures.SM02.note": ""},
    "missing": [], "carried_over": [], "marking": "TLP:AMBER+STRICT",
    "detail": "Saved, except the fields named in “refused”: correct those named in “errors” and send them again. "
              "They are kept as your unsaved input.",
    "refused": ["measures.SM02.status"],
    "errors": {"measures.SM02.target_date": ["Give a target date for a measure that is planned or in preparation."]}})

STILL_HOLDS = request("SM03's carried-over answers still hold", {"question": "SM03"})

MEASURES_CONFIRMED = response("The measures section, SM03 confirmed", {
    "code": "measures", "revision": 7,
    "values": {"measures.SM03.status": "in_preparation", "measures.SM03.target_date": "2020-12-31",
               "measures.SM03.note": "Draft law on high-risk suppliers before parliament.",
               "measures.SM05.status": "planned", "measures.SM05.target_date": "2021-06-30",
               "measures.SM05.note": ""},
    "missing": [], "carried_over": ["measures.SM05.note", "measures.SM05.status", "measures.SM05.target_date"],
    "marking": "TLP:AMBER+STRICT"})

ATTACHMENT_VALUE = {"id": 7, "name": "national-method.pdf", "content_type": "application/pdf", "size": 482133,
                    "sha256": "9f2c4e0b6a1d8e3f5c7b9a0d2e4f6a8b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f",
                    "uploaded_at": "2019-07-10T09:12:44Z", "uploaded_by": "at-reporter", "marking": "TLP:AMBER+STRICT"}
ATTACHMENT = response("The national method, attached", ATTACHMENT_VALUE)
ATTACHMENT_PAGE = response("The draft's attachments", page(ATTACHMENT_VALUE))

# Submitting and versions

SUBMIT = request("Submit, certified, carried-over answers confirmed",
                 {"certify": True, "confirm_unsaved": False, "confirm_carried": True})
DRAFT_MARKING = request("Mark the draft TLP:AMBER", {"marking": "TLP:AMBER"})
SUBMIT_RED = request("Submit marked TLP:RED, for two named reviewers", {
    "certify": True, "confirm_unsaved": False, "confirm_carried": False, "marking": "TLP:RED",
    "shared_with": ["enisa-reviewer", "ec-reviewer"]})

CERTIFIED_BY = {
    "name": "Anna Gruber", "role": "lead reporter", "authority": "Federal Chancellery",
    "at": "2019-07-12T14:03:27+00:00",
    "content_sha256": "5d0c3f0e4b1a8c2f9e7d6b5a4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b", "language": "en",
    "statement": "I certify that this national assessment is complete and accurate to the best of my authority's "
                 "knowledge."}
SNAPSHOT = {
    "cycle": "2019 national risk assessments", "member_state": "AT", "version": 1,
    "submitted_at": "2019-07-12T14:03:27+00:00", "submitted_by": "at-lead",
    "answers": {
        "scope": {"method": "iso27005", "method_detail": "", "summary": "Risks are highest in the core network.",
                  "operators_consulted": "A1 Telekom, Magenta, Drei",
                  "contributing_authorities": "RTR\nFederal Chancellery"},
        "scenarios": [{"item": "R4", "likelihood": 4, "impact": 5, "level": "critical", "trend": "increasing",
                       "justification": "Single supplier in the core of two of three operators."}],
        "suppliers": [{"item": "Ericsson", "share_core": "60", "share_access": "40", "share_transport": None,
                       "share_management": None, "risk_profile": "low", "justification": "EU supplier.",
                       "criteria": {"RP1": "no", "RP2": "no", "RP3": "no", "RP4": "no", "RP5": "no"}}],
    },
    "attachments": [{"name": "national-method.pdf", "sha256": ATTACHMENT_VALUE["sha256"], "size": 482133,
                     "content_type": "application/pdf"}],
    "content_sha256": "5d0c3f0e4b1a8c2f9e7d6b5a4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b",
    "certified_by": [CERTIFIED_BY],
}
VERSION_SUMMARY = {"number": 1, "submitted_at": SUBMITTED_AT, "submitted_by": "at-lead", "sha256": SHA,
                   "marking": "TLP:AMBER+STRICT", "certified_by": [CERTIFIED_BY]}
VERSION_VALUE = {**VERSION_SUMMARY, "assessment": 1, "member_state": "AT", "cycle": 1, "snapshot": SNAPSHOT}
VERSION = response("Austria's version 1 (answers shortened)", VERSION_VALUE)
CERTIFICATION_WAITING = response("The first of two certifications: nothing submitted yet", {
    "detail": "Certified; a second lead reporter must certify the same content.",
    "content_sha256": CERTIFIED_BY["content_sha256"]}, status_codes=[202])
VERSION_SUMMARY_PAGE = response("Austria's versions", page(VERSION_SUMMARY))
SUBMISSIONS_PAGE = response("The 2019 submissions (one shown)", page(VERSION_VALUE, next_cursor="cycles/1/"
                                                                                                  "submissions/"
                                                                                                  "?cursor=cD0x"))
INCOMPLETE = refusal("Answers missing", 400, {
    "type": "urn:5g-portal:problem:incomplete", "title": "Invalid input", "status": 400,
    "detail": "The assessment is not complete.",
    "missing": {"measures": [{"question": "SM03 Assessing the risk profile of suppliers…", "field": "Status"}]}})

# Clarification points

POINT_DRAFT_VALUE = {
    "id": 12, "assessment": 1, "version": 1, "section": "scenarios", "item": "R4", "field": "likelihood",
    "message": "Likelihood 4 for R4 while the suppliers section lists three core suppliers: which networks?",
    "status": "draft", "raised_by": "reviewer", "raised_at": "2019-07-22T08:40:05Z", "sent_at": None,
    "resolved_at": None, "marking": "TLP:AMBER+STRICT", "messages": []}
ANSWER_VALUE = {"author": "at-lead", "at": "2019-07-24T13:02:51Z",
                "text": "Two of the three operators use a single core supplier; the third is multi-vendor."}
POINT_ANSWERED_VALUE = {**POINT_DRAFT_VALUE, "status": "answered", "sent_at": "2019-07-22T09:15:00Z",
                        "messages": [ANSWER_VALUE]}

RAISE = request("Ask about R4's likelihood", {"section": "scenarios", "item": "R4", "field": "likelihood",
                                              "message": POINT_DRAFT_VALUE["message"]})
POINT_RAISED = response("The question, not sent yet", POINT_DRAFT_VALUE)
POINT_PAGE = response("An assessment's points", page(POINT_ANSWERED_VALUE, {
    **POINT_DRAFT_VALUE, "id": 13, "section": "measures", "item": "SM03", "field": "status",
    "message": "SM03 is “in preparation”: is the draft law public?", "status": "open",
    "sent_at": "2019-07-22T09:15:00Z"}))
SEND = request("Send the questions with a word", {"comment": "Two questions on supplier dependency."})
SENT = response("Two questions sent: the assessment is returned", {"sent": 2, "status": "returned"})
ANSWER = request("Answer the question on R4", {"text": ANSWER_VALUE["text"]})
POINT_ANSWERED = response("The question and its answer", POINT_ANSWERED_VALUE)
POINT_RESOLVED = response("Resolved", {**POINT_ANSWERED_VALUE, "status": "resolved",
                                       "resolved_at": "2019-07-29T10:30:00Z"})
