"""The listed shares of a network segment add up to at most 100%, whichever way the answers come in.

A core network at 60 + 40 + 50 = 150% was once submitted: the review then showed 150% described, 0% other and an
HHI of 7,700 to 7,700. The page, its autosave, the workbook, the API and the submission all refuse it now, each
naming the segment and the total beside the field.
"""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services
from assessments.models import AssessmentVersion, Section, SectionState, Supplier, SupplierPresence
from assessments.questionnaire.sections import SectionForms
from portal.models import Role
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db
CORE_150 = "The core network share (%) of all suppliers adds up to 150%; it cannot exceed 100%."


def listed(draft, shares):
    """The draft lists these suppliers with these core shares ({name: share}), complete otherwise."""
    helpers.fill(draft)
    SupplierPresence.objects.filter(assessment=draft, version__isnull=True).delete()
    for name, core in shares.items():
        SupplierPresence.objects.create(
            assessment=draft, supplier=Supplier.objects.get(name=name), share_core=core,
            criteria={c.code: "no" for c in draft.cycle.questionnaire.asked_criteria}, risk_profile="low",
            justification="x")


def core_shares(draft):
    return dict(SupplierPresence.objects.filter(assessment=draft, version__isnull=True)
                .values_list("supplier__name", "share_core"))


def test_an_autosave_of_one_share_is_checked_against_the_segments_other_rows(client, draft, reporter_at):
    listed(draft, {"Huawei": 60, "Nokia": 40, "Ericsson": 0})
    client.force_login(reporter_at)
    index = SectionForms(Section.SUPPLIERS, draft, draft.cycle.questionnaire).page_index[("suppliers", "Ericsson")]
    name = f"suppliers-{index}-share_core"
    response = client.post(reverse("assessments:section", args=[draft.pk, "suppliers"]), {
        name: "50", f"base:{name}": "0", f"suppliers-{index}-item": "Ericsson",
        "_revision": str(SectionState.objects.get(assessment=draft, section=Section.SUPPLIERS).revision)},
        HTTP_X_AUTOSAVE="1")
    body = json.loads(response.content)
    assert body["status"] == "invalid"
    assert body["errors"][f"id_{name}"] == [CORE_150]  # beside the field the filer typed in
    assert core_shares(draft)["Ericsson"] == 0


def test_a_workbook_adding_up_to_150_percent_is_refused_with_sheet_row_and_column(client, draft, reporter_at):
    listed(draft, {"Huawei": 60, "Nokia": 40})
    client.force_login(reporter_at)
    response = client.get(reverse("assessments:workbook", args=[draft.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    workbook["Suppliers"].append(["Ericsson", "Ericsson", 50])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("assessments:workbook_upload", args=[draft.pk]),
                           {"workbook": SimpleUploadedFile("filled.xlsx", buffer.getvalue())})
    page = response.content.decode()
    assert response.status_code == 200  # Ericsson is listed: valid; its share is refused, named by its cell only
    assert "adds up to 150%" in page and "<td>Suppliers</td><td>4</td><td>C</td>" in page
    assert "<td>Suppliers</td><td>2</td>" not in page  # Huawei's 60 was not what the workbook changed
    assert core_shares(draft) == {"Huawei": 60, "Nokia": 40, "Ericsson": None}


def test_the_api_refuses_a_patch_of_one_share_that_takes_the_segment_over_100(draft, reporter_at):
    listed(draft, {"Huawei": 60, "Nokia": 40, "Ericsson": 0})
    tool = ApiClient(token_for(reporter_at))
    url = f"/api/v1/assessments/{draft.pk}/sections/suppliers/"
    revision = tool.get(url).json()["revision"]
    response = tool.patch(url, {"revision": revision, "values": {"suppliers.Ericsson.share_core": "50"}})
    assert response.status_code == 400
    assert response.json()["errors"]["suppliers.Ericsson.share_core"] == [CORE_150]
    assert core_shares(draft)["Ericsson"] == 0


@pytest.mark.parametrize("way", ["service", "page", "api"])
def test_a_draft_whose_shares_add_up_to_more_than_100_is_not_submitted(client, cycle, way):
    """Rows written before the rule held everywhere (an old draft, a carried-over version) are caught at the end."""
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    draft = helpers.start(cycle, lead)
    listed(draft, {"Huawei": 60, "Nokia": 40, "Ericsson": 50})
    expected = f"Suppliers: {CORE_150}"
    if way == "service":
        with pytest.raises(services.SubmissionRefused) as refused:
            services.assessment_submit(certify=True, assessment=draft, user=lead)
        [problem] = refused.value.missing[Section.SUPPLIERS]
        assert f"{problem.question}: {problem.field_label}" == expected
        assert problem.anchor == "id_suppliers-0-share_core"  # the core share of the first supplier listed
    elif way == "page":
        client.force_login(lead)
        page = client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1"}).content.decode()
        assert "The assessment cannot be submitted yet" in page and expected in page
        assert "#id_suppliers-0-share_core" in page
        overview = client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()
        assert expected in overview
    else:
        response = ApiClient(token_for(lead)).post(f"/api/v1/assessments/{draft.pk}/submit/", {"certify": True})
        assert response.status_code == 400
        assert response.json()["missing"] == {"suppliers": [{"question": "Suppliers", "field": CORE_150}]}
    assert not AssessmentVersion.objects.filter(assessment=draft).exists()


def test_shares_of_exactly_100_are_accepted_and_submitted(cycle):
    lead = factories.user(Role.LEAD_REPORTER, "AT")
    draft = helpers.start(cycle, lead)
    listed(draft, {"Huawei": "33.33", "Nokia": "33.33", "Ericsson": "33.34"})
    assert services.assessment_submit(certify=True, assessment=draft, user=lead).number == 1
