"""Save what is valid, keep what is refused: one invalid row no longer refuses a whole section.

The case that was reported: a reporter typed a note on SM01 and set SM02 to "planned" without its target date in the
same save. The whole Measures section was refused, the SM01 note never reached the draft, and the lead submitted
without it. Now the note is saved and SM02's row is kept as the reporter's refused input, shown beside its field, by
every way in: the page, its autosave, the workbook, the API.
"""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services
from assessments.models import (
    MeasureStatus,
    RefusalReason,
    Section,
    SectionRevision,
    SectionState,
    Supplier,
    SupplierPresence,
    UnsavedInput,
)
from assessments.questionnaire.sections import SectionForms
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db
NOTE = "Powers of the regulator reinforced by the 2020 amendment."
NEEDS_DATE = "Give a target date for a measure that is planned or in preparation."


@pytest.fixture
def bernd(db):
    return factories.user("reporter", "AT", username="bernd-at")


def name(draft, code, field):
    """The html name of a measure's field on the page (measures-1-status)."""
    index = SectionForms(Section.MEASURES, draft, draft.cycle.questionnaire).page_index[("measures", code)]
    return f"measures-{index}-{field}"


def measure(draft, code):
    return MeasureStatus.objects.get(assessment=draft, version=None, measure__code=code)


def revision(draft, section=Section.MEASURES):
    return SectionState.objects.get(assessment=draft, section=section).revision


def measures_url(draft):
    return reverse("assessments:section", args=[draft.pk, Section.MEASURES.value])


def overview(client, draft):
    return client.get(reverse("assessments:overview", args=[draft.pk])).content.decode()


def save_by_page(client, draft):
    data = helpers.post_data(draft, Section.MEASURES, **{name(draft, "SM01", "note"): NOTE,
                                                         name(draft, "SM02", "status"): "planned"})
    response = client.post(measures_url(draft), data)
    assert response.status_code == 302 and response["Location"] == measures_url(draft)
    return response


def save_by_autosave(client, draft):
    note, status = name(draft, "SM01", "note"), name(draft, "SM02", "status")
    shown = helpers.post_data(draft, Section.MEASURES)  # what the page showed: each field's base
    response = client.post(measures_url(draft), {
        note: NOTE, f"base:{note}": shown[note], status: "planned", f"base:{status}": shown[status],
        note.replace("note", "item"): "SM01", status.replace("status", "item"): "SM02",
        "_revision": str(revision(draft))}, HTTP_X_AUTOSAVE="1")
    body = json.loads(response.content)
    assert response.status_code == 200 and body["status"] == "partial"
    assert body["revision"] == revision(draft) == 1  # the page moves on to the revision with its saved part
    assert body["refused"] == ["measures.SM02.status"]
    assert body["errors"] == {f"id_{name(draft, 'SM02', 'target_date')}": [NEEDS_DATE]}
    assert body["message"].startswith("Saved at") and "except the fields marked" in body["message"]
    return response


def save_by_workbook(client, draft):
    workbook = load_workbook(io.BytesIO(client.get(reverse("assessments:workbook", args=[draft.pk])).content))
    sheet = workbook["Toolbox measures"]
    rows = {sheet.cell(row=row, column=1).value: row for row in range(2, sheet.max_row + 1)}
    sheet.cell(row=rows["SM01"], column=5, value=NOTE)  # Code, measure, status, target date, note
    sheet.cell(row=rows["SM02"], column=3, value="Planned")
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("assessments:workbook_upload", args=[draft.pk]),
                           {"workbook": SimpleUploadedFile("filled.xlsx", buffer.getvalue())})
    page = response.content.decode()
    assert response.status_code == 200
    refused = page[page.index('id="workbook-refused"'):]
    assert f"<td>Toolbox measures</td><td>{rows['SM02']}</td><td>D</td><td>{NEEDS_DATE}</td>" in refused
    assert "Workbook applied to: Mitigating measures" in page
    return response


def save_by_api(_client, draft, user):
    response = ApiClient(token_for(user)).patch(
        f"/api/v1/assessments/{draft.pk}/sections/measures/",
        {"revision": revision(draft), "values": {"measures.SM01.note": NOTE, "measures.SM02.status": "planned"}})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["revision"] == 1 and body["values"]["measures.SM01.note"] == NOTE
    assert body["values"]["measures.SM02.status"] != "planned"  # what is saved, not what was refused
    assert body["refused"] == ["measures.SM02.status"]
    assert body["errors"] == {"measures.SM02.target_date": [NEEDS_DATE]}
    assert "Saved, except" in body["detail"]
    return response


WAYS = {"page": save_by_page, "autosave": save_by_autosave, "workbook": save_by_workbook}


@pytest.mark.parametrize("way", ["page", "autosave", "workbook", "api"])
def test_one_invalid_row_keeps_a_colleagues_valid_note_in_the_same_save(client, draft, bernd, lead_at, way):
    helpers.fill(draft)  # every measure adopted: the lead could submit
    client.force_login(bernd)
    if way == "api":
        save_by_api(client, draft, bernd)
    else:
        WAYS[way](client, draft)
    assert measure(draft, "SM01").note == NOTE  # saved: part of the draft
    assert measure(draft, "SM02").status == "adopted"  # refused: not part of it...
    kept = UnsavedInput.objects.get(user=bernd)  # ...but kept as Bernd's, with why
    assert kept.reason == RefusalReason.INVALID and kept.data == {"measures.SM02.status": "planned"}
    latest = SectionRevision.objects.filter(section_state__assessment=draft,
                                            section_state__section="measures").latest("number")
    assert latest.changes == {"measures.SM01.note": ["", NOTE]} and latest.user == bernd
    # The lead sees the note in the draft, and the submit page still lists what was refused.
    client.force_login(lead_at)
    page = client.get(reverse("assessments:submit", args=[draft.pk])).content.decode()
    assert "Mitigating measures: by bernd-at" in page


def test_the_refused_row_is_shown_beside_its_field_with_its_message_after_reload(client, draft, bernd):
    client.force_login(bernd)
    first = client.get(save_by_page(client, draft)["Location"]).content.decode()
    assert "Saved, except the fields marked below" in first
    page = client.get(measures_url(draft)).content.decode()  # and again, later: the input is still there
    target = f"id_{name(draft, 'SM02', 'target_date')}"
    assert f'id="error_1_{target}"' in page and NEEDS_DATE in page
    status = page[page.index(f'name="{name(draft, "SM02", "status")}"'):]
    assert '<option value="planned" selected>' in status[:status.index("</select>")]
    assert NOTE in page  # SM01 shows its saved note
    summary = page[page.index('id="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert f'href="#{target}"' in summary and "this section was not saved" not in summary
    assert summary.count("<li>") == 1  # the refused row's error, nothing about SM01
    assert 'data-unsaved="1"' in page  # leaving without saving still warns


def test_the_next_autosave_sends_the_refused_row_from_its_base_and_never_conflicts_with_the_saved_part(
    client, draft, bernd
):
    client.force_login(bernd)
    answer = json.loads(save_by_autosave(client, draft).content)
    status, date = name(draft, "SM02", "status"), name(draft, "SM02", "target_date")
    # What autosave.js sends next: the refused field again, from its old base, with the new revision; the saved
    # note equals its new base and is not sent.
    response = client.post(measures_url(draft), {
        status: "planned", f"base:{status}": "", date: "2021-06-30", f"base:{date}": "",
        status.replace("status", "item"): "SM02", "_revision": str(answer["revision"])}, HTTP_X_AUTOSAVE="1")
    body = json.loads(response.content)
    assert response.status_code == 200 and body["status"] == "saved" and body["current"] == {}
    assert (measure(draft, "SM02").status, str(measure(draft, "SM02").target_date)) == ("planned", "2021-06-30")
    assert measure(draft, "SM01").note == NOTE and not UnsavedInput.objects.exists()


def test_a_share_over_100_refuses_only_the_share_typed_and_marks_no_colleagues_share(client, draft, bernd):
    helpers.fill(draft)  # Ericsson: 60 of the core network
    SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name="Nokia"), share_core=30)
    client.force_login(bernd)
    forms = SectionForms(Section.SUPPLIERS, draft, draft.cycle.questionnaire)
    nokia, ericsson = forms.page_index[("suppliers", "Nokia")], forms.page_index[("suppliers", "Ericsson")]
    data = helpers.post_data(draft, Section.SUPPLIERS, **{f"suppliers-{nokia}-share_core": "50",
                                                          f"suppliers-{nokia}-justification": "Two operators."})
    client.post(reverse("assessments:section", args=[draft.pk, "suppliers"]), data)
    nokia_row = SupplierPresence.objects.get(assessment=draft, version=None, supplier__name="Nokia")
    assert (nokia_row.share_core, nokia_row.justification) == (30, "Two operators.")  # the same row, saved
    assert UnsavedInput.objects.get(user=bernd).data == {"suppliers.Nokia.share_core": "50"}
    page = client.get(reverse("assessments:section", args=[draft.pk, "suppliers"])).content.decode()
    assert f'id="error_1_id_suppliers-{nokia}-share_core"' in page and "adds up to 110%" in page
    assert f'id="error_1_id_suppliers-{ericsson}-share_core"' not in page  # 60, saved before: not Bernd's to fix


def test_an_autosaved_share_over_100_is_answered_with_its_own_error_only(client, draft, bernd):
    helpers.fill(draft)
    SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name="Nokia"), share_core=30)
    client.force_login(bernd)
    index = SectionForms(Section.SUPPLIERS, draft, draft.cycle.questionnaire).page_index[("suppliers", "Nokia")]
    share, note = f"suppliers-{index}-share_core", f"suppliers-{index}-justification"
    body = client.post(reverse("assessments:section", args=[draft.pk, "suppliers"]), {
        share: "50", f"base:{share}": "30", note: "Two operators.", f"base:{note}": "",
        f"suppliers-{index}-item": "Nokia", "_revision": str(revision(draft, Section.SUPPLIERS))},
        HTTP_X_AUTOSAVE="1").json()
    assert body["status"] == "partial" and body["refused"] == ["suppliers.Nokia.share_core"]
    assert list(body["errors"]) == [f"id_{share}"]  # not Ericsson's 60 beside it


def test_refused_input_in_fields_a_later_save_does_not_send_stays_its_authors(draft, bernd):
    tool = ApiClient(token_for(bernd))
    url = f"/api/v1/assessments/{draft.pk}/sections/measures/"
    tool.patch(url, {"revision": 0, "values": {"measures.SM01.note": NOTE, "measures.SM02.status": "planned"}})
    again = tool.patch(url, {"revision": 1, "values": {"measures.SM05.note": "Multi-vendor rule drafted."}})
    assert again.status_code == 200 and "refused" not in again.json()
    assert UnsavedInput.objects.get(user=bernd).data == {"measures.SM02.status": "planned"}
    # Sent again, as saved (given up): settled.
    tool.patch(url, {"revision": 2, "values": {"measures.SM02.status": ""}})
    assert not UnsavedInput.objects.exists()


def test_a_colleague_saving_the_very_value_refused_settles_it(client, draft, bernd, lead_at):
    client.force_login(bernd)
    save_by_page(client, draft)
    services.section_save(assessment=draft, section=Section.MEASURES, user=lead_at, base_revision=revision(draft),
                          mine={"measures.SM02.status": "planned", "measures.SM02.target_date": "2021-06-30"})
    assert not UnsavedInput.objects.exists()  # nothing of Bernd's is left unsaved: the draft holds it


# The conflict banner ---------------------------------------------------------------------------------------------

def banner(client, draft):
    page = client.get(measures_url(draft)).content.decode()
    section = page[page.index('id="conflict"'):]
    return section[section.index("<p>"):section.index("</p>")]


def test_the_conflict_banner_names_the_colleague_whose_change_conflicts_not_the_user(
    client, draft, reporter_at, lead_at
):
    opened = revision(draft)
    services.section_save(assessment=draft, section=Section.MEASURES, user=lead_at, base_revision=opened,
                          mine={"measures.SM03.note": "Lead's words."})
    # Anna's autosave of another field merges: she is now the last to have saved the section.
    services.section_save(assessment=draft, section=Section.MEASURES, user=reporter_at, base_revision=opened,
                          mine={"measures.SM05.note": "Anna's other note."}, whole=False)
    result = services.section_save(assessment=draft, section=Section.MEASURES, user=reporter_at,
                                   base_revision=opened, mine={"measures.SM03.note": "Anna's words."})
    assert result.outcome is services.Outcome.CONFLICT
    client.force_login(reporter_at)
    text = banner(client, draft)
    assert text.startswith("<p>lukas-at saved this section at ") and "anna-at" not in text


def test_the_conflict_banner_names_every_colleague_whose_change_conflicts(client, draft, reporter_at, lead_at,
                                                                          bernd):
    opened = revision(draft)
    for user, code in ((bernd, "SM03"), (lead_at, "SM04")):
        services.section_save(assessment=draft, section=Section.MEASURES, user=user, base_revision=revision(draft),
                              mine={f"measures.{code}.note": f"{user.username}'s words."})
    services.section_save(assessment=draft, section=Section.MEASURES, user=reporter_at, base_revision=opened,
                          mine={"measures.SM03.note": "Anna's.", "measures.SM04.note": "Anna's too."})
    client.force_login(reporter_at)
    text = banner(client, draft)
    assert text.startswith("<p>bernd-at and lukas-at saved this section, the last of them at ")
    assert "2 fields you changed were changed by them too" in text


# Refusal notices that leave -------------------------------------------------------------------------------------

def notices(client, draft, user):
    client.force_login(user)
    page = overview(client, draft)
    return page.count("Unsaved input by bernd-at"), "Has unsaved or refused input" in page


def test_a_notice_leaves_the_others_overview_once_the_row_is_saved_over_and_stays_its_authors(
    client, draft, bernd, lead_at
):
    client.force_login(bernd)
    save_by_page(client, draft)
    assert notices(client, draft, lead_at) == (1, True)
    services.section_save(assessment=draft, section=Section.MEASURES, user=lead_at, base_revision=revision(draft),
                          mine={"measures.SM02.status": "adopted"})  # the lead decides SM02 otherwise
    assert notices(client, draft, lead_at) == (0, False)
    # Bernd's "planned" still differs from what is saved: his, until he settles it; the lead's change is a conflict.
    assert notices(client, draft, bernd) == (1, True)
    client.force_login(bernd)
    assert banner(client, draft).startswith("<p>lukas-at saved this section at ")


def test_submitting_drops_kept_input_that_the_draft_holds_in_full(client, draft, bernd, lead_at, admin_user):
    from portal import services as portal_services

    helpers.fill(draft)
    portal_services.cycle_close(cycle=draft.cycle)
    client.force_login(bernd)
    client.post(measures_url(draft), helpers.post_data(draft, Section.MEASURES))  # Save, unchanged, after the lock
    assert UnsavedInput.objects.get(user=bernd).reason == RefusalReason.LOCKED  # the page's every field, kept
    portal_services.reopening_grant(cycle=draft.cycle, member_state=draft.member_state, until=None, reason="x",
                                    user=admin_user)
    client.force_login(lead_at)
    client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1", "confirm_unsaved": "1"})
    assert draft.versions.count() == 1 and not UnsavedInput.objects.exists()  # nothing in it was news


def test_a_version_2_shows_no_notice_of_version_1_to_the_others(client, draft, bernd, lead_at, reviewer):
    helpers.fill(draft)
    client.force_login(bernd)
    save_by_page(client, draft)
    client.force_login(lead_at)
    assert "Mitigating measures: by bernd-at" in client.get(reverse("assessments:submit", args=[draft.pk])).content \
        .decode()
    client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1", "confirm_unsaved": "1"})
    assert draft.versions.count() == 1
    assert notices(client, draft, lead_at) == (0, False)  # submitted without it: no longer the others' news
    services.assessment_return(assessment=draft, user=reviewer, points=[("measures", "SM03", "Which law?")])
    client.force_login(lead_at)
    submit_page = client.get(reverse("assessments:submit", args=[draft.pk])).content.decode()
    assert "Input not part of the draft" not in submit_page
    assert notices(client, draft, lead_at) == (0, False)
    # Bernd's input is still his, on his own pages, until he saves or discards it.
    assert notices(client, draft, bernd) == (1, True)
    page = client.get(measures_url(draft)).content.decode()
    assert NEEDS_DATE in page
    # Refused again in version 2, it is news again for everyone.
    save_by_page(client, draft)
    assert notices(client, draft, lead_at) == (1, True)
