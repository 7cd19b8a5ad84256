"""Personal API tokens: made on the account page and shown once, stored hashed, refused once expired or revoked,
read-only never writes, throttled per token."""

import datetime
import hashlib

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError
from django.utils import timezone

from portal.models import ApiToken, Role, TokenScope
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers
from tests.signing_in import PortalClient, second_factor

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = PortalClient()
    client.force_login(user)
    return client


def test_a_user_makes_a_token_sees_it_once_and_only_its_hash_is_kept():
    user = factories.user(Role.REPORTER, "AT")
    client = signed_in(user)
    page = client.post("/account/tokens/", {"name": "risk register", "scope": "write", "days": "30"})
    assert page.status_code == 200
    token = page.context["new_token"]["token"]
    assert token in page.content.decode()
    row = ApiToken.objects.get(user=user)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest() and token not in str(vars(row))
    again = client.get("/account/")
    assert token not in again.content.decode() and "risk register" in again.content.decode()
    assert ApiClient(token).get("/api/v1/cycles/").status_code == 200
    assert ApiToken.objects.get(pk=row.pk).last_used_at is not None
    made = LogEntry.objects.get(additional_data__event="api-token-made")
    assert made.actor == user and made.additional_data["prefix"] == row.prefix and token not in str(made.__dict__)


def test_a_token_form_refuses_a_duplicate_name_and_too_long_a_life(settings):
    user = factories.user(Role.REPORTER, "AT")
    token_for(user, name="tool")
    page = signed_in(user).post("/account/tokens/", {"name": "tool", "scope": "read",
                                                    "days": str(settings.API_TOKEN_MAX_DAYS + 1)})
    assert page.status_code == 400 and set(page.context["token_form"].errors) == {"name", "days"}


def test_a_revoked_token_is_refused_and_only_its_owner_revokes_it():
    user = factories.user(Role.REPORTER, "AT")
    token = token_for(user)
    row = ApiToken.objects.get(user=user)
    assert signed_in(factories.user(Role.REPORTER, "AT")).post(f"/account/tokens/{row.pk}/revoke/").status_code == 404
    assert ApiClient(token).get("/api/v1/cycles/").status_code == 200
    assert signed_in(user).post(f"/account/tokens/{row.pk}/revoke/").status_code == 302
    assert LogEntry.objects.filter(additional_data__event="api-token-revoked", actor=user).count() == 1
    response = ApiClient(token).get("/api/v1/cycles/")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_a_wrong_or_a_deactivated_users_token_is_refused():
    user = factories.user(Role.REPORTER, "AT")
    expired = token_for(user, name="old")
    ApiToken.objects.filter(name="old").update(created_at=timezone.now() - datetime.timedelta(days=40),
                                               expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert ApiClient(expired).get("/api/v1/cycles/").status_code == 401
    good = token_for(user, name="new")
    assert ApiClient(good[:-2] + "xx").get("/api/v1/cycles/").status_code == 401
    assert ApiClient("5gp_nothing").get("/api/v1/cycles/").status_code == 401
    user.is_active = False
    user.save()
    assert ApiClient(good).get("/api/v1/cycles/").status_code == 401


def test_no_token_is_401_not_a_sign_in_page():
    response = PortalClient().get("/api/v1/cycles/")
    assert response.status_code == 401 and response.json()["type"].endswith(":not_authenticated")


def test_a_read_only_token_can_never_write():
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    assessment = helpers.start(cycle, lead)
    helpers.fill(assessment)
    reader = ApiClient(token_for(lead, scope=TokenScope.READ))
    assert reader.get(f"/api/v1/assessments/{assessment.pk}/sections/scope/").status_code == 200
    for response in (
        reader.patch(f"/api/v1/assessments/{assessment.pk}/sections/scope/",
                     {"revision": 1, "values": {"scope.summary": "x"}}),
        reader.post(f"/api/v1/assessments/{assessment.pk}/submit/", {"certify": True}),
        reader.post(f"/api/v1/cycles/{cycle.pk}/assessment/"),
    ):
        assert response.status_code == 403 and response.json()["type"].endswith(":read_only_token")
    assert not assessment.versions.exists()


def test_tokens_are_throttled_one_by_one(settings):
    settings.API_RATE_PER_MINUTE = 3
    user = factories.user(Role.REPORTER, "AT")
    busy, other = ApiClient(token_for(user, name="busy")), ApiClient(token_for(user, name="other"))
    assert [busy.get("/api/v1/cycles/").status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = busy.get("/api/v1/cycles/")
    assert refused.json()["status"] == 429 and int(refused["Retry-After"]) > 0
    assert other.get("/api/v1/cycles/").status_code == 200


def test_the_database_keeps_only_a_sha256_and_sane_dates():
    user = factories.user(Role.REPORTER, "AT")
    with pytest.raises(IntegrityError):
        ApiToken.objects.create(user=user, name="x", prefix="abc", digest="not-a-hash",
                                expires_at=timezone.now() + datetime.timedelta(days=1))


def test_an_admin_revokes_a_users_token_in_the_admin_without_ever_seeing_it():
    user = factories.user(Role.REPORTER, "AT")
    token = token_for(user)
    row = ApiToken.objects.get(user=user)
    admin = factories.user(Role.ADMIN)
    second_factor(admin)
    client = signed_in(admin)
    page = client.get(f"/admin/portal/apitoken/{row.pk}/change/")
    assert page.status_code == 200 and row.prefix in page.content.decode() and row.digest not in page.content.decode()
    response = client.post("/admin/portal/apitoken/", {"action": "revoke", "_selected_action": [row.pk]})
    assert response.status_code == 302
    assert ApiClient(token).get("/api/v1/cycles/").status_code == 401
    entry = LogEntry.objects.get(additional_data__event="api-token-revoked")
    assert entry.actor == admin and entry.additional_data["member_state"] == "AT"
