"""Every URL that takes a POST (the portal's, django-allauth's, the admin's, the API's), posted by the people who may
post there, with their own objects in the URL, and with fields missing or malformed: never a server error.

The fields each form has are read from the page itself (every input, select and textarea a GET of the URL shows),
then sent empty, far too long, of the wrong type, out of range, with a NUL byte, or as markup; the API is sent JSON
bodies of the wrong shape. Built on the authorization matrix's URL walk (tests/test_authorization_matrix.py), so a
new URL is fuzzed without anyone adding it here.
"""

import json
import re

import pytest

from tests.api.helpers import token_for
from tests.signing_in import PortalClient
from tests.test_authorization_matrix import routes, url_of, world  # noqa: F401 -- `world` is a fixture

pytestmark = [pytest.mark.long, pytest.mark.django_db]

FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
JUNK = ["", "x" * 60_000, "-1", "99999999999999999999999999", "2019-02-30", "\x00", "<b>1</b>", "１２,５", "NaN",
        "../../etc/passwd", "[]"]
# Sign-out and the session's own end would end the walk's sign-in; they are posted, then the walk signs in again.
API_BODIES = [{}, [], {"values": "not an object"}, {"values": {"scope.summary": ["a", "list"]}}, {"reason": 5},
              {"format": "tiff", "language": "xx"}, {"start_from": "nine"}, {"member_states": "AT"}]


def fields_of(client, url):
    """The names of the fields the page at `url` shows (none for a page that answers no GET)."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    return sorted(set(FIELD.findall(response.content.decode("utf-8", "replace"))) - {"csrfmiddlewaretoken"})


BODIES = 4  # besides the empty one: each field gets four kinds of junk, and neighbours get different ones


def bodies(names):
    """Empty, then every field junk in every body, each field a different kind of junk in each."""
    yield {}
    for offset in range(BODIES):
        yield {name: JUNK[(index * 3 + offset) % len(JUNK)] for index, name in enumerate(names)}


# The walk in parts, so that pytest-xdist hands them to both test processes (the admin's whole walk took over a
# minute): each route belongs to the first part whose pattern it matches, the last part takes every other route.
PARTS = {"admin-assessments": r"^admin/assessments/", "admin-portal": r"^admin/portal/", "admin": r"^admin/",
         "api": r"^\^?api/", "accounts": r"^\^?accounts/", "assessments": r"^assessments/", "pages": r""}
# A file to download (a PDF, a workbook, a CSV, an export's file) answers a POST with 405, and has no fields to
# read from its GET: its GET would only make the file for nothing.
DOWNLOAD = re.compile(r"\.(pdf|xlsx|csv|ics)$|^reporting/exports/<int:pk>/file$")


def part_of(route):
    return next(name for name, pattern in PARTS.items() if re.search(pattern, route))


def routes_of(part):
    return [route for route, _view in routes() if part_of(route) == part
            and not route.startswith(("admin/jsi18n", "static/"))]


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("persona, own", [("admin", "FR"), ("lead_at", "AT"), ("reviewer", "AT")])
def test_every_post_with_missing_and_malformed_fields_never_answers_a_server_error(persona, own, part,
                                                                                 world):  # noqa: F811
    user = world["people"][persona]
    client = PortalClient()
    api = PortalClient(HTTP_AUTHORIZATION=f"Bearer {token_for(user, name='fuzzing')}")
    failures, posted, walked, with_fields = [], 0, routes_of(part), 0
    for route in walked:
        url = url_of(route, world, own)
        if "_auth_user_id" not in client.session:
            client.force_login(user)
        if route.startswith("api/"):
            for body in API_BODIES:
                for method in (api.post, api.patch):
                    response = method(url, json.dumps(body), content_type="application/json")
                    posted += 1
                    if response.status_code >= 500:
                        failures.append(f"{method.__name__.upper()} {url} {body!r}: {response.status_code}")
            continue
        names = [] if DOWNLOAD.search(route) else fields_of(client, url)
        with_fields += bool(names)
        for body in bodies(names):
            if "_auth_user_id" not in client.session:
                client.force_login(user)
            response = client.post(url, body)
            posted += 1
            if response.status_code >= 500:
                failures.append(f"POST {url} ({route}) {sorted(body)[:6]}: {response.status_code}")
                break
    assert failures == [], "\n".join(failures)
    # The walk reached every route of its part, and the portal's forms, not a handful of refusals: each route was
    # posted to, and the persona's own forms (the admin's in the admin, everyone's elsewhere) had fields to fill.
    assert len(walked) >= 5 and posted >= 5 * len(walked), (len(walked), posted)
    if part != "api" and (persona == "admin" or not part.startswith("admin")):
        assert with_fields > 0, f"{persona} found no form with fields in {part}"
