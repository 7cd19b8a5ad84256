"""An autosave sends only the fields typed in (static/js/autosave.js): saved field by field, checked row by row,
answered with what colleagues changed since the page's revision."""

import json

import pytest
from django.urls import reverse

from assessments.models import MeasureStatus, Section, SectionRevision, SectionState
from assessments.questionnaire.sections import SectionForms

pytestmark = pytest.mark.django_db


def page_name(draft, code, field):
    """The html name of a measure's field on the page (measures-4-note), and its row's item marker."""
    forms = SectionForms(Section.MEASURES, draft, draft.cycle.questionnaire)
    index = forms.page_index[("measures", code)]
    return f"measures-{index}-{field}", f"measures-{index}-item"


def autosave(client, draft, code, field, value, base="", revision=None):
    name, marker = page_name(draft, code, field)
    if revision is None:
        revision = SectionState.objects.get(assessment=draft, section=Section.MEASURES).revision
    response = client.post(reverse("assessments:section", args=[draft.pk, "measures"]),
                           {name: value, f"base:{name}": base, marker: code, "_revision": str(revision)},
                           HTTP_X_AUTOSAVE="1")
    return response, json.loads(response.content)


def note(draft, code):
    return MeasureStatus.objects.get(assessment=draft, version=None, measure__code=code).note


def test_one_field_sent_is_saved_and_the_rest_of_the_section_is_left_as_it_was(client, draft, reporter_at):
    client.force_login(reporter_at)
    MeasureStatus.objects.filter(assessment=draft, version=None, measure__code="SM01").update(status="adopted")
    response, body = autosave(client, draft, "SM05", "note", "Drafting the law.")
    assert response.status_code == 200 and body["status"] == "saved"
    assert note(draft, "SM05") == "Drafting the law."
    assert MeasureStatus.objects.get(assessment=draft, version=None, measure__code="SM01").status == "adopted"
    latest = SectionRevision.objects.filter(section_state__assessment=draft, section_state__section="measures") \
        .latest("number")
    assert latest.changes == {"measures.SM05.note": ["", "Drafting the law."]}
    assert len(latest.values) == 3 * MeasureStatus.objects.filter(assessment=draft, version=None).count()


def test_a_refused_field_is_named_as_the_page_names_it(client, draft, reporter_at):
    client.force_login(reporter_at)
    response, body = autosave(client, draft, "SM05", "target_date", "next spring")
    name, _marker = page_name(draft, "SM05", "target_date")
    assert body["status"] == "invalid" and list(body["errors"]) == [f"id_{name}"]
    assert name != "measures-0-target_date"  # the fifth row of the page, not the first of those checked


def test_colleagues_changes_since_the_pages_revision_come_back_with_the_save(client, draft, reporter_at, lead_at):
    client.force_login(lead_at)
    opened_at = SectionState.objects.get(assessment=draft, section=Section.MEASURES).revision
    autosave(client, draft, "SM01", "note", "Powers reinforced in 2020.")
    client.force_login(reporter_at)
    _response, body = autosave(client, draft, "SM02", "note", "Audits planned.", revision=opened_at)
    assert body["status"] == "saved"
    assert body["current"] == {"measures.SM01.note": "Powers reinforced in 2020."}
    assert note(draft, "SM01") == "Powers reinforced in 2020." and note(draft, "SM02") == "Audits planned."


def test_the_same_field_changed_by_two_is_a_conflict_not_an_overwrite(client, draft, reporter_at, lead_at):
    client.force_login(lead_at)
    opened_at = SectionState.objects.get(assessment=draft, section=Section.MEASURES).revision
    autosave(client, draft, "SM03", "note", "Lead's words.", revision=opened_at)
    client.force_login(reporter_at)
    response, body = autosave(client, draft, "SM03", "note", "Reporter's words.", revision=opened_at)
    assert response.status_code == 409 and body["status"] == "conflict"
    assert note(draft, "SM03") == "Lead's words."
