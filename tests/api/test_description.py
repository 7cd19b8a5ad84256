"""The published description (/api/schema/) carries a worked example for every operation, and each example is what
the schema it illustrates says: a script written from the examples alone sends and reads valid bodies.

Read from the served description itself, not from the code. JSON bodies only: a file (an attachment, an export) and
an upload (multipart) have no JSON to show, and an empty answer (204) has no body.
"""

import jsonschema
import pytest

pytestmark = pytest.mark.django_db
METHODS = ("get", "post", "put", "patch", "delete")
JSON = ("application/json", "application/problem+json")


@pytest.fixture(scope="module")
def description(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def as_json_schema(node, *, strict):
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable` becomes "or null"; with `strict`, an object accepts
    only the properties it names (an example with a misspelt or stale member fails)."""
    if isinstance(node, list):
        return [as_json_schema(item, strict=strict) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value, strict=strict) for key, value in node.items() if key != "nullable"}
    if strict and "properties" in converted and "additionalProperties" not in converted:
        converted["additionalProperties"] = False
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def operations(description):
    for path, item in description["paths"].items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def check(description, where, content, problems, *, required):
    for media_type, body in content.items():
        if media_type not in JSON:
            continue
        examples = body.get("examples") or {}
        if required and not examples:
            problems.append(f"{where} {media_type}: no example")
        strict = media_type == "application/json"  # a refusal may add members of its own (portal/api/errors.py)
        schema = {**as_json_schema(body["schema"], strict=strict),
                  "components": as_json_schema(description["components"], strict=strict)}
        for name, example in examples.items():
            errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(example["value"]), key=str)
            problems += [f"{where} {media_type} example {name!r}: {error.message} at "
                         f"{'/'.join(map(str, error.absolute_path))}" for error in errors]


def test_every_operation_has_valid_examples_of_its_request_and_its_success(description):
    problems, seen = [], 0
    for where, operation in operations(description):
        seen += 1
        if "requestBody" in operation:
            check(description, f"{where} request", operation["requestBody"]["content"], problems, required=True)
        successes = {code: answer for code, answer in operation["responses"].items() if code.startswith("2")}
        assert successes, f"{where}: no success response described"
        with_body = {code: answer for code, answer in successes.items() if answer.get("content")}
        for code, answer in with_body.items():
            check(description, f"{where} {code}", answer["content"], problems, required=True)
        for code, answer in operation["responses"].items():
            if not code.startswith("2") and answer.get("content"):
                check(description, f"{where} {code}", answer["content"], problems, required=False)
    assert seen >= 25  # every endpoint of the table in docs/api.md
    assert problems == [], "\n".join(problems)


def test_a_wrong_example_would_be_caught(description):
    """The check above could pass by checking nothing: a stale member, a missing one and a wrong type all fail."""
    content = description["paths"]["/api/v1/assessments/{id}/points/{point_pk}/"]["get"]["responses"]["200"][
        "content"]
    value = next(iter(content["application/json"]["examples"].values()))["value"]
    for broken in ({**value, "question": "R4"}, {k: v for k, v in value.items() if k != "status"},
                   {**value, "sent_at": 12}):
        problems = []
        check(description, "GET point", {"application/json": {
            "schema": content["application/json"]["schema"], "examples": {"broken": {"value": broken}}}},
            problems, required=True)
        assert problems, broken


def test_every_write_documents_the_refusals_a_script_must_expect(description):
    """A read-only token is refused on every write (403), a missing one everywhere (401): both described."""
    missing = [f"{where}: {code}" for where, operation in operations(description)
               for code in (("401", "403") if not where.startswith("GET") else ("401",))
               if code not in operation["responses"]]
    assert missing == []
