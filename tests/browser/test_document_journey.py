"""A lead reporter previews the draft as a document and downloads its PDF for sign-off; a reviewer reads a version
as a document. Both pages pass the accessibility check."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments import services
from tests import factories
from tests.assessments import helpers
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_draft_and_a_version_read_as_documents(browser, live_server, axe_check):
    cycle = helpers.cycle_with_questionnaire()
    factories.user("reviewer", username="rita-reviewer")
    lead = factories.user("lead reporter", "AT", username="lukas-at")
    austria = helpers.fill(helpers.start(cycle, lead))

    page = log_in(browser, live_server, "lukas-at")
    page.goto(f"/assessments/{austria.pk}/")
    page.get_by_role("link", name="Preview as a document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("National 5G risk assessment of Austria")
    expect(page.get_by_role("note").filter(has_text="DRAFT")).to_have_text("DRAFT: not submitted")
    page.get_by_role("navigation", name="Contents").get_by_role("link", name="2. Threat actors and threats").click()
    expect(page.get_by_role("region", name="Threat actors", exact=True)).to_contain_text("Organised crime")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download draft PDF").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert all("DRAFT: not submitted" in p.extract_text() for p in pdf.pages)
    page.context.close()

    services.assessment_submit(certify=True, assessment=austria, user=lead)
    page = log_in(browser, live_server, "rita-reviewer")
    page.goto(f"/assessments/{austria.pk}/versions/1/")
    actors = page.get_by_role("region", name="Threat actors", exact=True)
    expect(actors).to_contain_text("Non-EU states or state-backed actors")
    page.get_by_role("link", name="Read as a document").click()
    expect(page.get_by_role("note").filter(has_text="DRAFT")).to_have_count(0)
    threats = page.get_by_role("region", name="Main threats", exact=True)
    expect(threats).to_contain_text("Local or global outage of 5G networks")
    axe_check(page)
    page.context.close()
