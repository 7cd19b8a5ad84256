"""The header in every language the portal speaks and for every role, in Chromium: at 1366 and at 320 CSS pixels the
page is no wider than the window, and "Log out" and the language choice are on screen or one menu button away.

What the pages below the header hold is measured in every language by tests/browser/test_keyboard_and_zoom.py."""

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from portal.models import User
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 320)
# Long names, as people have them: the header says who is signed in.
NAMES = {"anna-at": ("Anna-Theresia", "Schwarzenberger-Oberhollenzer"), "lukas-at": ("Lukas", "Hinterberger"),
         "rita-reviewer": ("Marie-Françoise", "Delacroix-Beaumarchais"), "ada-admin": ("Ada", "Ó Súilleabháin")}


def words(code):
    """The header's words in `code`, from the catalogue."""
    with translation.override(code):
        return {"log out": translation.gettext("Log out"), "language": translation.gettext("Language"),
                "menu": translation.gettext("Toggle navigation")}


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def reachable(page, said, *, signed_in=True):
    """"Log out" and the language choice are on screen, or the menu button shows them."""
    choice = page.get_by_label(said["language"], exact=True)
    log_out = page.get_by_role("button", name=said["log out"], exact=True)
    if signed_in and not log_out.is_visible():
        page.get_by_role("button", name=said["menu"]).click()
    expect(choice).to_be_visible()
    if signed_in:
        expect(log_out).to_be_visible()


def test_every_roles_header_fits_in_every_language_at_1366_and_320_pixels(
    browser, live_server, axe_check, reporter_at, lead_at, reviewer, admin_user
):
    problems = {}
    # Signed out: the portal's name and the language choice, in the browser's language.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    for code, _name in settings.LANGUAGES:
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": live_server.url}])
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto("/accounts/login/")
            expect(page.locator("html")).to_have_attribute("lang", code)
            if page_width(page) > width:
                problems[("signed out", code, width)] = page_width(page)
            reachable(page, words(code), signed_in=False)
    context.close()

    for user in (reporter_at, lead_at, reviewer, admin_user):
        user.first_name, user.last_name = NAMES[user.username]
        user.save()
        page = log_in(browser, live_server, user.username)
        for code, _name in settings.LANGUAGES:
            User.objects.filter(pk=user.pk).update(language=code)  # the account's language wins (portal/languages.py)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.goto("/")
                expect(page.locator("html")).to_have_attribute("lang", code)
                reachable(page, words(code))
                if page_width(page) > width:  # the menu open, where there is one
                    problems[(user.username, code, width)] = page_width(page)
                if user == admin_user and code != "en":  # the most links, in the longer words
                    axe_check(page, context="header")
        page.context.close()
    assert problems == {}, problems
