"""Handling markings in a real browser: the lead reporter chooses the version's marking at submission, TLP:RED needs
a reviewer named; the banner is on the pages that show marked content; axe checks each changed page."""

import pytest
from playwright.sync_api import expect

from assessments.models import AssessmentVersion, NationalAssessment
from assessments.population import counted_versions
from portal.markings import Marking
from reporting import services as review_services
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    return {
        "lead": factories.user("lead reporter", "AT", username="lukas-at"),
        "named": factories.user("reviewer", username="nina-named"),
        "other": factories.user("reviewer", username="rita-reviewer"),
    }


def banner(page, where):
    return page.locator(f".tlp-banner-{where} .tlp-label")


def test_the_lead_reporter_marks_a_version_red_for_one_reviewer(browser, live_server, people, axe_check):
    cycle = helpers.cycle_with_questionnaire()
    assessment = helpers.start(cycle, people["lead"])
    helpers.fill(assessment)

    page = log_in(browser, live_server, "lukas-at")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(banner(page, "top")).to_have_text("TLP:AMBER+STRICT")
    expect(banner(page, "bottom")).to_have_text("TLP:AMBER+STRICT")
    axe_check(page)
    # The team changes the draft's marking on its overview page.
    page.get_by_label("TLP:AMBER: For the member state's own staff and the Commission's and ENISA's reviewers, "
                      "and those", exact=False).check()
    page.get_by_role("button", name="Change the marking").click()
    expect(page.locator(".alert-success")).to_contain_text("The draft is now marked TLP:AMBER.")
    expect(banner(page, "top")).to_have_text("TLP:AMBER")

    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_role("heading", name="Summary of what you are about to submit")).to_be_visible()
    expect(page.get_by_role("radio", name="TLP:AMBER:", exact=False).first).to_be_checked()  # the draft's
    axe_check(page)
    # TLP:RED without a reviewer named: refused, the message beside the reviewers' choice.
    page.get_by_role("radio", name="TLP:RED:", exact=False).check()
    page.locator("#certify").check()
    page.get_by_role("button", name="Submit to the Commission and ENISA").click()
    expect(page.locator("#div_id_shared_with")).to_contain_text("name at least one")
    assert not AssessmentVersion.objects.exists()
    axe_check(page)
    page.get_by_role("checkbox", name="nina-named").check()
    page.locator("#certify").check()
    page.get_by_role("button", name="Submit to the Commission and ENISA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Receipt of submission")
    expect(banner(page, "top")).to_have_text("TLP:RED")
    expect(page.locator(".tlp-banner-top")).to_contain_text("reviewers named on the version only")
    axe_check(page)
    version = AssessmentVersion.objects.get()
    assert version.marking == Marking.RED and [u.username for u in version.shared_with.all()] == ["nina-named"]
    assert NationalAssessment.objects.get().marking == Marking.AMBER
    page.context.close()

    # The reviewer named reads it under its banner; the other reviewer gets nothing.
    page = log_in(browser, live_server, "nina-named")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/versions/1/")
    expect(banner(page, "bottom")).to_have_text("TLP:RED")
    axe_check(page)
    page.context.close()
    page = log_in(browser, live_server, "rita-reviewer")
    response = page.goto(f"{live_server.url}/assessments/{assessment.pk}/versions/1/")
    assert response.status == 404
    page.context.close()


def test_the_reviewers_pages_show_their_marking_and_publish_at_green(browser, live_server, people, submit,
                                                                     axe_check):
    cycle = helpers.cycle_with_questionnaire(codes=["AT", "BE", "FR"])
    submit(cycle, "AT", marking=Marking.AMBER)
    submit(cycle, "BE", marking=Marking.GREEN)
    submit(cycle, "FR", marking=Marking.RED, shared_with=[people["named"]])
    assert len(counted_versions(cycle)) == 2
    review, _created = review_services.review_request(cycle=cycle)
    review_services.review_build(review_id=review.pk)

    page = log_in(browser, live_server, "rita-reviewer")
    page.goto(f"{live_server.url}/reporting/reviews/{review.pk}/")
    expect(banner(page, "top")).to_have_text("TLP:AMBER")
    expect(page.locator("#withheld")).to_contain_text("FR")
    axe_check(page)
    page.goto(f"{live_server.url}/reporting/cycles/{cycle.pk}/compare/")
    expect(banner(page, "top")).to_have_text("TLP:AMBER")
    expect(page.locator("#withheld")).to_contain_text("France")
    axe_check(page)
    page.goto(f"{live_server.url}/reporting/reviews/{review.pk}/publish/")
    expect(page.get_by_role("radio", name="TLP:GREEN:", exact=False)).to_be_checked()
    page.get_by_role("radio", name="TLP:AMBER+STRICT:", exact=False).check()
    page.get_by_role("button", name="Publish to", exact=False).click()
    expect(page.locator("#div_id_marking")).to_contain_text("are not within TLP:AMBER+STRICT")
    axe_check(page)
    page.get_by_role("radio", name="TLP:GREEN:", exact=False).check()
    page.get_by_role("button", name="Publish to", exact=False).click()
    expect(page.locator(".alert-success")).to_contain_text("Published")
    page.context.close()
