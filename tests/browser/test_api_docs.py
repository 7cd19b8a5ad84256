"""The API's documentation page runs from the portal's own files, under the same Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_documentation_renders_every_operation_from_vendored_assets(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name="Coordinated 5G risk reporting portal API")).to_be_visible()
    expect(page.get_by_text("/api/v1/assessments/{id}/sections/{code}/").first).to_be_visible()
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    assert requested and all(url.startswith(page.url.split("/api/")[0]) for url in requested), requested
