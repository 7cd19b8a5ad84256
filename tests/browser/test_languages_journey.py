"""The main pages in each complete language, in Chromium: the language chosen in the header, axe-clean, lang right."""

import pytest
from playwright.sync_api import expect

from assessments.models import NationalAssessment
from reporting import services as review_services
from reporting.models import CoordinatedReview
from tests import factories
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("code, name", [("fr", "français"), ("de", "Deutsch")])
def test_the_main_pages_in_french_and_german_are_axe_clean(browser, live_server, axe_check, four, code, name):
    review = CoordinatedReview.objects.filter(cycle=four).latest("pk")
    review_services.review_build(review_id=review.pk)
    austria = NationalAssessment.objects.get(cycle=four, member_state__eu_code="AT")
    lead = austria.created_by
    lead.username = "lead-at"
    lead.save()
    factories.user("reviewer", username="rita-reviewer")
    for username, urls in {
        "lead-at": ["/", f"/assessments/{austria.pk}/", f"/assessments/{austria.pk}/versions/1/",
                    f"/assessments/{austria.pk}/versions/1/receipt/", f"/reporting/cycles/{four.pk}/delivery/",
                    "/account/", "/accessibility/"],
        "rita-reviewer": ["/review/", f"/reporting/cycles/{four.pk}/timeliness/",
                          f"/reporting/cycles/{four.pk}/delivery/", f"/reporting/reviews/{review.pk}/",
                          f"/assessments/cycles/{four.pk}/submissions/",
                          f"/reporting/cycles/{four.pk}/compare/?section=scenarios&member_states="
                          f"{austria.member_state_id}&member_states={factories.member_state('FR').pk}"],
    }.items():
        page = log_in(browser, live_server, username)
        # Chosen as a person would: the header's list names the language in itself.
        page.get_by_label("Language").select_option(label=name)
        page.locator(".portal-language button").click()
        expect(page.locator("html")).to_have_attribute("lang", code)
        for url in urls:
            assert page.goto(url).status == 200, url
            expect(page.locator("html")).to_have_attribute("lang", code)
            assert page.locator("#language-choice option[selected]").get_attribute("lang") == code
            axe_check(page)
