"""Signing in through the real pages in Chromium: password, then the authenticator code where the role needs one."""

from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from portal.models import User
from portal.security import requires_second_factor
from tests import factories
from tests.signing_in import second_factor, totp_code


def log_in(browser, live_server, username, locale="en-GB", language="en"):
    """A new browser context signed in as `username`; a role that needs a second factor types its current code.

    `locale` is the browser's (its number and date conventions); `language` the portal's, chosen as a person would
    in the header (a cookie), so that a German browser can still read the English pages these journeys name. None
    leaves the portal to the browser's language."""
    user = User.objects.get(username=username)
    if requires_second_factor(user):
        second_factor(user)
    # A code is accepted once (allauth marks it used, in the cache the live server shares with this process):
    # the same person signing in twice within 30 seconds would otherwise be refused.
    cache.clear()
    context = browser.new_context(base_url=live_server.url, accept_downloads=True, locale=locale,
                                  timezone_id="Europe/Brussels")
    context.set_default_timeout(15000)
    if language:
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if requires_second_factor(user):
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page
