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

pytestmark = pytest.mark.django_db

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


@pytest.mark.parametrize("persona, own", [("lead_at", "AT"), ("reviewer", "AT"), ("admin", "FR")])
def test_every_post_with_missing_and_malformed_fields_never_answers_a_server_error(persona, own, world):  # noqa: F811
    user = world["people"][persona]
    client = PortalClient()
    api = PortalClient(HTTP_AUTHORIZATION=f"Bearer {token_for(user, name='fuzzing')}")
    failures, posted = [], 0
    for route, _view in routes():
        if route.startswith(("admin/jsi18n", "static/")):
            continue
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
        names = fields_of(client, url)
        for body in bodies(names):
            if "_auth_user_id" not in client.session:
                client.force_login(user)
            response = client.post(url, body)
            posted += 1
            if response.status_code >= 500:
                failures.append(f"POST {url} ({route}) {sorted(body)[:6]}: {response.status_code}")
                break
    assert failures == [], "\n".join(failures)
    assert posted > 300, posted  # the walk reached the portal's forms, not a handful of refusals
