"""The front door, through the real sign-in pages: lockout and unlock, second factor per role, no enumeration,
password reset, idle sessions, headers and body limits."""

import datetime
import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from portal.models import Role
from tests import factories
from tests.signing_in import PortalClient, second_factor, totp_code

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=factories.PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": username, "password": password}, **extra)


def signed_in_user(client):
    return client.get(reverse("account")).wsgi_request.user


# Throttling and lockout: per (user name, address) pair; slowed down, never locked out -----------------------------

OFFICE = "192.0.2.10"  # where the holder usually signs in: her authority's proxy
START = datetime.datetime(2026, 7, 15, 7, 0, tzinfo=datetime.UTC)  # deadline day


def signs_in(user, address, client=None):
    """The right password, then (where the role needs one) the right code, from `address`: signed in?"""
    client = client or PortalClient()
    response = sign_in(client, user.username, REMOTE_ADDR=address)
    if response.status_code == 302 and response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code()}, REMOTE_ADDR=address)
    return response.status_code == 302 and signed_in_user(client) == user


def wait_of(response):
    """A refusal's wait, as the page tells it to a browser (Retry-After) and to the reader."""
    assert response.status_code == 429, response.status_code
    return int(response["Retry-After"])


def test_five_wrong_passwords_lock_the_name_at_that_address_until_an_admin_unlocks(reporter_at, admin_user):
    client = PortalClient()
    for attempt in range(4):
        assert sign_in(client, reporter_at.username, "wrong password").status_code == 200, attempt
    locked = sign_in(client, reporter_at.username, "wrong password")
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode() and locked["Retry-After"] == "900"
    right = sign_in(client, reporter_at.username)  # the right password, straight after
    assert right.status_code == 429 and not signed_in_user(client).is_authenticated
    # The same user name in other letters is the same lock.
    assert not sign_in(client, reporter_at.username.upper()).wsgi_request.user.is_authenticated

    admin = PortalClient()
    admin.force_login(admin_user)
    page = admin.get(reverse("lockouts")).content.decode()
    assert reporter_at.username in page and "locked" in page
    admin.post(reverse("lockouts"), {"username": reporter_at.username})
    assert sign_in(client, reporter_at.username).status_code == 302
    assert signed_in_user(client) == reporter_at


def test_fifty_wrong_passwords_from_fifty_addresses_slow_the_attacker_and_never_keep_the_holder_out(lead_at):
    """Deadline day: someone tries the lead reporter's predictable name from a botnet."""
    second_factor(lead_at)
    with time_machine.travel(START, tick=False) as clock:
        assert signs_in(lead_at, OFFICE)  # her usual address from now on
        waits = []
        for n in range(50):
            attacker, address = PortalClient(), f"203.0.113.{n + 1}"
            answer = sign_in(attacker, lead_at.username, "wrong password", REMOTE_ADDR=address)
            if answer.status_code == 429:  # not even checked: wait, then try once
                waits.append(wait_of(answer))
                clock.shift(waits[-1])
                answer = sign_in(attacker, lead_at.username, "wrong password", REMOTE_ADDR=address)
            assert answer.status_code == 200 and "password" in answer.content.decode(), n  # checked, and wrong

        # Slowed: from the fifth failure on, a wait before each attempt, doubling up to the longest.
        assert waits[:5] == [2, 4, 8, 16, 32] and waits == sorted(waits) and waits[-1] == 600
        elsewhere = PortalClient()
        refused = sign_in(elsewhere, lead_at.username, REMOTE_ADDR="198.51.100.99")  # the right password...
        assert wait_of(refused) == 600 and "Try again in 10 minutes" in refused.content.decode()
        assert not signed_in_user(elsewhere).is_authenticated  # ...is not even checked
        # Her own sign-in, from where she usually signs in: at once.
        assert signs_in(lead_at, OFFICE)
    assert [message.to for message in mail.outbox] == [[lead_at.email]]  # told once, not fifty times
    assert "Failed sign-ins to your account" in mail.outbox[0].subject


def test_the_holder_is_told_once_an_episode_in_their_language_and_an_admin_lifts_the_slowdown(
        reporter_at, admin_user):
    reporter_at.language = "de"
    reporter_at.save()
    with time_machine.travel(START, tick=False) as clock:
        for n in range(12):
            clock.shift(700)  # however long the wait
            sign_in(PortalClient(), reporter_at.username, "wrong password", REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert len(mail.outbox) == 1 and "Anmeldung" in mail.outbox[0].subject
        assert "5G" in mail.outbox[0].body and reporter_at.username in mail.outbox[0].body
        assert wait_of(sign_in(PortalClient(), reporter_at.username, REMOTE_ADDR="198.51.100.7")) > 0

        admin = PortalClient()
        admin.force_login(admin_user)
        page = admin.get(reverse("lockouts")).content.decode()
        assert reporter_at.username in page and "Slowed down" in page
        admin.post(reverse("lockouts"), {"username": reporter_at.username})
        assert signs_in(reporter_at, "198.51.100.7")

        # An hour without a failure ends the episode: the next one is told again.
        clock.shift(3601)
        for n in range(5):
            sign_in(PortalClient(), reporter_at.username, "wrong password", REMOTE_ADDR=f"203.0.113.{n + 100}")
        assert len(mail.outbox) == 2


def test_a_mail_server_that_never_answers_does_not_break_the_sign_in_and_the_next_failure_tells_the_holder(
        reporter_at, settings, silent_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", silent_server, 1
    with time_machine.travel(START, tick=False) as clock:
        for n in range(5):
            answer = sign_in(PortalClient(), reporter_at.username, "wrong password", REMOTE_ADDR=f"203.0.113.{n}")
            assert answer.status_code == 200, n  # the fifth too: the send timed out, the page did not break
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
        clock.shift(2)
        sign_in(PortalClient(), reporter_at.username, "wrong password", REMOTE_ADDR="203.0.113.9")
    assert [message.to for message in mail.outbox] == [[reporter_at.email]]


def test_the_lockouts_page_asks_the_same_queries_however_many_names_are_slowed(admin_user, same_queries):
    admin = PortalClient()
    admin.force_login(admin_user)

    def fail(name, addresses):
        for address in addresses:
            sign_in(PortalClient(), name, "wrong password", REMOTE_ADDR=address)

    def grow():
        for n in range(10):  # a spray from one address, and names failing from many
            fail(f"at-guess.{n}", ["203.0.113.2"])
            fail(f"at-many.{n}", [f"198.51.100.{m}" for m in range(6)])

    fail("at-one", [f"192.0.2.{m}" for m in range(6)])
    same_queries(lambda: admin.get(reverse("lockouts")), grow)
    page = admin.get(reverse("lockouts")).content.decode()
    assert "at-many.9" in page and "203.0.113.2" in page and "10 user names" in page


def test_a_shared_address_failing_for_one_name_does_not_lock_out_a_colleague_behind_it(reporter_at):
    proxy, colleague = "192.0.2.77", factories.user(Role.REPORTER, "AT")
    client = PortalClient()
    for _ in range(5):
        sign_in(client, reporter_at.username, "wrong password", REMOTE_ADDR=proxy)
    assert wait_of(sign_in(client, reporter_at.username, REMOTE_ADDR=proxy)) == 900  # her name, from there
    assert signs_in(colleague, proxy)


def test_one_address_trying_thirty_names_is_slowed_down_on_its_own(reporter_at):
    sprayer = "203.0.113.66"
    with time_machine.travel(START, tick=False) as clock:
        waits = []
        for n in range(30):
            answer = sign_in(PortalClient(), f"at-guess.{n}", "wrong password", REMOTE_ADDR=sprayer)
            if answer.status_code == 429:
                waits.append(wait_of(answer))
                if n == 20:  # a real name, with its right password, from there: not even checked
                    page = sign_in(PortalClient(), reporter_at.username, REMOTE_ADDR=sprayer)
                    assert wait_of(page) == waits[-1]
                    assert "too many user names from this address" in page.content.decode()
                clock.shift(waits[-1])
                answer = sign_in(PortalClient(), f"at-guess.{n}", "wrong password", REMOTE_ADDR=sprayer)
            assert answer.status_code == 200, n
        # Ten names freely, then a wait before each, doubling.
        assert len(waits) == 20 and waits[:4] == [2, 4, 8, 16] and waits == sorted(waits) and waits[-1] == 600
        # Elsewhere nobody is slowed down, the names it tried included.
        assert signs_in(reporter_at, "198.51.100.7")
        assert sign_in(PortalClient(), "at-guess.0", "wrong password", REMOTE_ADDR="198.51.100.8").status_code == 200


def test_the_admin_login_is_the_portals_throttled_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_wrong_second_factor_codes_lock_the_name_at_that_address_and_the_right_code_is_not_checked(reviewer):
    second_factor(reviewer)
    client = PortalClient()
    assert sign_in(client, reviewer.username).status_code == 302
    for attempt in range(4):
        assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200, attempt
    assert wait_of(client.post(reverse("mfa_authenticate"), {"code": "000000"})) == 900
    assert wait_of(client.post(reverse("mfa_authenticate"), {"code": totp_code()})) == 900  # the right one: unchecked
    assert not signed_in_user(client).is_authenticated
    # Even the password and the right code now fail from here: the name is locked at this address.
    assert wait_of(sign_in(PortalClient(), reviewer.username)) == 900


def test_wrong_second_factor_codes_from_a_shared_address_do_not_lock_out_a_colleague_behind_it(reviewer):
    proxy, colleague = "192.0.2.88", factories.user(Role.REVIEWER)
    second_factor(reviewer)
    client = PortalClient()
    assert sign_in(client, reviewer.username, REMOTE_ADDR=proxy).status_code == 302
    for _ in range(5):
        answer = client.post(reverse("mfa_authenticate"), {"code": "000000"}, REMOTE_ADDR=proxy)
    assert answer.status_code == 429
    assert signs_in(colleague, proxy)


# The second factor ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["reviewer", "admin_user", "lead_at"])
def test_roles_that_need_a_second_factor_cannot_go_anywhere_without_one(request, persona):
    user = request.getfixturevalue(persona)
    client = PortalClient()
    assert sign_in(client, user.username).status_code == 302
    for page in (reverse("home"), reverse("account"), "/admin/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("second_factor_required"), page
    assert "Add a second factor to go on" in client.get(reverse("second_factor_required")).content.decode()


@pytest.mark.django_db(transaction=True)  # allauth announces a new factor after commit, within the request
def test_enrolling_an_authenticator_app_with_a_code_computed_here_lets_a_reviewer_in(reviewer):
    client = PortalClient()
    sign_in(client, reviewer.username)
    # Adding a factor asks for the password once more (allauth's reauthentication), then shows the QR code.
    confirm = client.get(reverse("mfa_activate_totp"))
    assert confirm.status_code == 302 and confirm["Location"].startswith(reverse("account_reauthenticate"))
    client.post(confirm["Location"], {"password": factories.PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context_data["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert "authenticator" in mail.outbox[-1].subject.lower()  # the account's owner is told
    assert Authenticator.objects.filter(user=reviewer, type=Authenticator.Type.TOTP).exists()
    # Enrolling used the factor: this session goes on without signing in again.
    assert client.get(reverse("review_home")).status_code == 200

    # Next time: the password, then the code.
    client = PortalClient()
    assert sign_in(client, reviewer.username)["Location"] == reverse("mfa_authenticate")
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456" if totp_code(secret) != "123456" else "654321"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    assert not signed_in_user(client).is_authenticated
    time.sleep(0.01)
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}).status_code == 302
    assert client.get(reverse("review_home")).status_code == 200


def test_a_code_typed_as_the_authenticator_turns_over_is_taken_once_and_an_older_one_never(reviewer):
    """The step before the current one counts (a code typed in its last second arrives in the next); two before not."""
    second_factor(reviewer)
    if 30 - time.time() % 30 < 2:
        time.sleep(2.1)  # not across a step's end while the test runs: "the step before" would move with it
    client = PortalClient()
    assert sign_in(client, reviewer.username)["Location"] == reverse("mfa_authenticate")
    stale = client.post(reverse("mfa_authenticate"), {"code": totp_code(at=time.time() - 60)})
    assert stale.status_code == 200 and "Incorrect code" in stale.content.decode()
    previous = totp_code(at=time.time() - 30)
    assert client.post(reverse("mfa_authenticate"), {"code": previous}).status_code == 302
    assert signed_in_user(client).is_authenticated
    # Used once: the same code does not open a second session.
    other = PortalClient()
    sign_in(other, reviewer.username)
    again = other.post(reverse("mfa_authenticate"), {"code": previous})
    assert again.status_code == 200 and "Incorrect code" in again.content.decode()


def test_a_reporter_needs_no_second_factor_unless_the_setting_says_all(reporter_at, settings):
    client = PortalClient()
    sign_in(client, reporter_at.username)
    assert client.get(reverse("authority_home")).status_code == 200
    settings.MFA_REQUIRED_FOR_ALL = True
    response = client.get(reverse("authority_home"))
    assert response.status_code == 302 and response["Location"] == reverse("second_factor_required")


def test_a_session_that_did_not_use_the_factor_is_signed_out(reviewer):
    """A factor added elsewhere, or a session from before the role needed one: sign in again, with it."""
    second_factor(reviewer)
    client = PortalClient()
    client.force_login(reviewer)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time()}]
    session.save()
    response = client.get(reverse("review_home"))
    assert response.status_code == 302 and "factor=1" in response["Location"]
    assert not signed_in_user(client).is_authenticated


# No user enumeration ----------------------------------------------------------------------------------------------

def normalised(response):
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", response.content.decode()).replace(
        "someone-who-does-not-exist", "NAME").replace("anna-at", "NAME")


def test_sign_in_answers_the_same_for_a_known_and_an_unknown_name(reporter_at):
    known = sign_in(PortalClient(), reporter_at.username, "wrong password")
    unknown = sign_in(PortalClient(), "someone-who-does-not-exist", "wrong password")
    assert known.status_code == unknown.status_code == 200
    assert normalised(known) == normalised(unknown)


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_address(reporter_at):
    known = PortalClient().post(reverse("account_reset_password"), {"email": reporter_at.email})
    unknown = PortalClient().post(reverse("account_reset_password"), {"email": "nobody@example.eu"})
    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]
    assert [message.to for message in mail.outbox] == [[reporter_at.email]]


def test_forgot_password_sets_a_new_one_and_its_requests_are_throttled(reporter_at, settings):
    client = PortalClient()
    assert "Forgot password?" in client.get(reverse("account_login")).content.decode()
    client.post(reverse("account_reset_password"), {"email": reporter_at.email})
    link = re.search(r"http\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(settings.SITE_URL)  # never the Host a request claimed
    page = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    client.post(page.redirect_chain[-1][0], {"password1": "a-brand-new-passphrase", "password2":
                                             "a-brand-new-passphrase"})
    assert sign_in(PortalClient(), reporter_at.username, "a-brand-new-passphrase").status_code == 302
    # Flooding someone's mailbox: after three requests in 15 minutes, no more mail.
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": reporter_at.email})
    assert len(mail.outbox) <= 4


# Sessions, headers, body sizes ------------------------------------------------------------------------------------

def test_a_session_ends_with_the_browser_and_after_idle_time(reporter_at, settings):
    client = PortalClient()
    response = sign_in(client, reporter_at.username)
    assert response.cookies["sessionid"]["expires"] == "" and response.cookies["sessionid"]["max-age"] == ""
    assert client.get(reverse("authority_home")).status_code == 200
    session = client.session
    session["portal_last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("authority_home"))
    assert response.status_code == 302 and "idle=1" in response["Location"]
    assert not signed_in_user(client).is_authenticated
    page = client.get(response["Location"]).content.decode()
    assert "signed out after a while without activity" in page


def test_the_page_says_when_the_idle_sign_out_comes_and_how_to_stay(client, reporter_at, settings):
    client.force_login(reporter_at)
    page = client.get(reverse("authority_home")).content.decode()
    assert f'data-idle-timeout="{settings.SESSION_IDLE_TIMEOUT}"' in page and "Stay signed in" in page
    assert client.post(reverse("session_ping")).status_code == 204


def test_signed_in_pages_are_never_cached_and_carry_a_strict_policy(client, reporter_at):
    client.force_login(reporter_at)
    response = client.get(reverse("authority_home"))
    assert response["Cache-Control"] == "no-store"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "camera=()" in response["Permissions-Policy"]


@override_settings(REQUEST_BODY_LIMITS={"attachments": 1024, "workbook": 1024, "default": 1024})
def test_a_body_larger_than_the_page_accepts_is_refused_before_it_is_read(client, reporter_at):
    client.force_login(reporter_at)
    response = client.post(reverse("calendar_reset"), data=b"x" * 10, content_type="application/octet-stream",
                           CONTENT_LENGTH="50000000")
    assert response.status_code == 413 and "at most" in response.content.decode()


def test_there_is_no_sign_up(client):
    assert client.get("/accounts/signup/").status_code == 404
    assert client.get("/accounts/email/").status_code == 404


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN, Role.LEAD_REPORTER])
def test_factories_personas_of_every_role_still_reach_their_home(client, role):
    """The test client's force_login is a session that used a second factor (tests/signing_in.py)."""
    user = factories.user(role, "AT" if role == Role.LEAD_REPORTER else None)
    client.force_login(user)
    assert client.get(reverse("home"), follow=True).status_code == 200
    assert client.get(reverse("home"), follow=True).redirect_chain[-1][0] != reverse("second_factor_required")


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw_not_what_the_client_wrote(reporter_at, settings):
    settings.PROXY_COUNT = 1
    client = PortalClient()
    for n in range(5):  # a client forging X-Forwarded-For to spread its attempts over made-up addresses
        client.post(reverse("account_login"), {"login": reporter_at.username, "password": "x"}, REMOTE_ADDR="10.0.0.2",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.77")
    refused = sign_in(PortalClient(), reporter_at.username, REMOTE_ADDR="10.0.0.2",
                      HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.77")
    assert refused.status_code == 429  # the pair it counted is the name and the address the proxy saw
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.77"}
    assert set(LogEntry.objects.filter(additional_data__event="sign-in-failed").values_list("remote_addr", flat=True)) \
        == {"203.0.113.77"}
