"""In Chromium: the attachments page says beside the file field, before anyone uploads, that EU classified information
may not be uploaded; a DOCX marked RESTREINT UE in its header is refused with the message beside the field, and
nothing is attached."""

import pytest
from playwright.sync_api import expect

from assessments.models import Attachment
from tests.assessments import helpers, marked_files
from tests.browser.signing_in import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_notice_is_beside_the_field_and_a_marked_file_is_refused_there(browser, live_server, axe_check,
                                                                            reporter_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = helpers.start(helpers.cycle_with_questionnaire(), reporter_at)
    page = log_in(browser, live_server, reporter_at.username)
    page.goto(f"/assessments/{draft.pk}/attachments/")
    field = page.get_by_label("Document")
    expect(field).to_have_accessible_description(
        "PDF, XLSX, DOCX or ODT, at most 20 MB, without macros or scripts. Never EU classified information "
        "(RESTREINT UE/EU RESTRICTED or above, or a national equivalent): the portal is not accredited for it, and "
        "refuses a file that carries such a marking.")
    axe_check(page)

    field.set_input_files({"name": "method.docx", "buffer": marked_files.docx(
        "Risks are highest in the core.", header="RESTREINT UE/EU RESTRICTED"), "mimeType": "application/octet-stream"})
    page.get_by_role("button", name="Attach").click()
    error = page.locator("#error_1_id_file")
    expect(error).to_contain_text("“method.docx” carries the classification marking “RESTREINT UE” (a header).")
    expect(error).to_contain_text("your authority's security officer or your national security authority")
    expect(page.get_by_label("Document")).to_have_attribute("aria-invalid", "true")
    axe_check(page)
    assert not Attachment.objects.exists()
