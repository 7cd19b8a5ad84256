"""A reviewer asks for the review's PDF, hears it is ready on the progress page, and downloads it; axe checks the page.

The export is made by the suite's real Celery worker (tests/conftest.py celery_worker), which stores it where the
live server serves it from (EXPORT_ROOT, the same for both).
"""

import re
import time

import pytest
from playwright.sync_api import expect

from reporting import services
from reporting.models import CoordinatedReview, Export, JobStatus
from tests import factories
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def built(review, timeout=30):
    """The review, built: here, or by the worker that its submissions handed it to first."""
    services.review_build(review_id=review.pk)
    deadline = time.monotonic() + timeout
    while not review.is_done and time.monotonic() < deadline:
        time.sleep(0.2)
        review.refresh_from_db()
    assert review.is_done, review.error
    return review


def test_a_reviewer_asks_for_the_pdf_hears_it_is_ready_and_downloads_it(browser, live_server, axe_check,
                                                                         celery_worker, four):
    factories.user("reviewer", username="rita-reviewer")
    review = built(CoordinatedReview.objects.filter(cycle=four).latest("pk"))

    page = log_in(browser, live_server, "rita-reviewer")
    page.goto(f"/reporting/reviews/{review.pk}/")
    page.get_by_role("button", name="PDF", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PDF export: EU coordinated review")
    axe_check(page)
    # No reload by hand: the page polls the job and its live region says when the file is ready.
    announcement = page.get_by_role("status").filter(has_text="The export")
    expect(announcement).to_have_attribute("aria-live", "polite")
    expect(announcement).to_have_text("The export is ready.", timeout=30000)
    download_link = page.get_by_role("link", name=re.compile(r"^Download the PDF \("))
    expect(download_link).to_be_visible()
    axe_check(page)
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename == f"coordinated-review-2019-{review.pk}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    export = Export.objects.get()
    assert (export.status, export.format, export.attempts) == (JobStatus.DONE, "pdf", 1)
    page.context.close()
