import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.versions.diff import mark_words, version_diff
from tests.assessments import helpers

OLD = {
    "scope": {"summary": "Risks are highest in the core network.", "method": "iso27005"},
    "scenarios": [{"item": "R4", "likelihood": 2, "impact": 3, "level": "medium", "trend": "stable",
                   "justification": ""},
                  {"item": "R5", "likelihood": 4, "impact": 4, "level": "high", "trend": "stable",
                   "justification": "State actors."}],
    "measures": [{"item": "SM03", "status": "planned", "target_date": "2020-06-30", "note": ""}],
    "suppliers": [{"item": "Huawei", "share_core": "40", "risk_profile": "high"}],
}
NEW = {
    "scope": {"summary": "Risks are highest in the RAN and the core network.", "method": "iso27005"},
    "scenarios": [{"item": "R4", "likelihood": 4, "impact": 3, "level": "high", "trend": "increasing",
                   "justification": "One supplier holds 60% of the RAN."},
                  {"item": "R5", "likelihood": 4, "impact": 4, "level": "high", "trend": "stable",
                   "justification": "State actors."}],
    "measures": [{"item": "SM03", "status": "adopted", "target_date": "2020-06-30", "note": ""}],
    "suppliers": [{"item": "Nokia", "share_core": "60", "risk_profile": "low"}],
}


R4 = "R4 Dependency on any single supplier within individual networks or lack of diversity on nation-wide basis"
SM03 = ("SM03 Assessing the risk profile of suppliers and applying restrictions for suppliers considered to be high "
        "risk, including necessary exclusions to effectively mitigate risks, for key assets")


@pytest.mark.django_db
def test_the_diff_lists_each_changed_question_by_its_title_and_nothing_else():
    parts = {p.title: [(c.question, c.field, c.old, c.new) for c in p.changes] for p in version_diff(OLD, NEW)}
    assert parts["Risk scenarios"] == [
        (R4, "Likelihood", 2, 4), (R4, "Risk level", "Medium", "High"), (R4, "Trend", "Stable", "Increasing"),
        (R4, "Justification", "—", "One supplier holds 60% of the RAN.")]
    assert parts["Toolbox measures"] == [(SM03, "Status", "Planned", "Adopted")]
    assert parts["Suppliers"] == [("Huawei", "", "listed", "—"), ("Nokia", "", "—", "listed")]
    assert "Threat actors" not in parts  # unchanged parts are left out


def test_text_changes_are_marked_word_by_word():
    marked = mark_words("Risks are highest in the core network.", "Risks are highest in the RAN and the core network.")
    assert marked == "Risks are highest in the <ins>RAN and the </ins>core network."
    assert mark_words("<b>x</b> old", "<b>x</b> new") == "&lt;b&gt;x&lt;/b&gt; <del>old</del><ins>new</ins>"


@pytest.mark.django_db
def test_the_diff_page_between_two_submitted_versions(client, draft, lead_at, reviewer, reporter_fr):
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    draft.status = "returned"
    draft.save()
    from assessments.models import MeasureStatus

    MeasureStatus.objects.filter(assessment=draft, version=None, measure__code="SM03").update(
        status="applied", note="Law of 12 May 2020")
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    url = reverse("assessments:diff", args=[draft.pk]) + "?from=1&to=2"
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert "<del>Adopted</del></td><td><ins>Applied</ins>" in page
    assert "<ins>Law of 12 May 2020</ins>" in page
    client.force_login(reporter_fr)
    assert client.get(url).status_code == 404


def _two_versions(draft, lead, **changes):
    """Version 1 of the filled draft, then version 2 with `changes` ((model, filters, values)) applied."""
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead)
    draft.status = "returned"
    draft.save()
    for model, filters, values in changes.values():
        model.objects.filter(assessment=draft, version=None, **filters).update(**values)
    services.assessment_submit(certify=True, assessment=draft, user=lead)


@pytest.mark.django_db
def test_the_diff_page_names_questions_and_fields_by_their_labels_never_by_codes(client, draft, lead_at, reviewer):
    from assessments.models import MeasureStatus, ThreatActorRating

    _two_versions(draft, lead_at,
                  actor=(ThreatActorRating, {"actor__code": "hacktivist"}, {"capability": 2}),
                  measure=(MeasureStatus, {"measure__code": "SM03"}, {"target_date": datetime.date(2020, 6, 30)}))
    client.force_login(reviewer)
    page = client.get(reverse("assessments:diff", args=[draft.pk]) + "?from=1&to=2").content.decode()
    assert '<th scope="row">Hacktivists</th><td>Capability</td>' in page
    assert "<del>4 – high</del></td><td><ins>2 – low</ins>" in page
    assert f'<th scope="row">{SM03}</th><td>Target date</td>' in page.replace("&#x27;", "'")
    assert "<ins>30 June 2020</ins>" in page
    assert not re.search(r"\bhacktivist\b|>SM03<|capability<|target_date|2020-06-30", page)
    with translation.override("de"):
        client.force_login(reviewer)
        german = client.get(reverse("assessments:diff", args=[draft.pk]) + "?from=1&to=2",
                            HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<th scope="row">Hacktivisten</th>' in german


@pytest.mark.django_db
def test_the_diff_page_without_versions_named_offers_to_choose_them(client, draft, lead_at, reviewer, reporter_fr):
    url = reverse("assessments:diff", args=[draft.pk])
    helpers.fill(draft)
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    client.force_login(reviewer)
    alone = client.get(url)
    assert alone.status_code == 200
    assert "Only version 1 has been submitted: there is no other version to compare it with yet." in (
        alone.content.decode())
    draft.status = "returned"
    draft.save()
    services.assessment_submit(certify=True, assessment=draft, user=lead_at)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<select name="from"[^>]*>.*<option value="1" selected>Version 1, submitted', html, re.S)
    assert re.search(r'<select name="to"[^>]*>.*<option value="2" selected>Version 2, submitted', html, re.S)
    same = client.get(url, {"from": "2", "to": "2"})
    assert same.status_code == 400
    assert "Choose a version other than the one to compare it with." in same.content.decode()
    unknown = client.get(url, {"from": "9", "to": "x"})
    assert unknown.status_code == 400
    assert "Select a valid choice. 9 is not one of the available choices." in unknown.content.decode()
    assert client.get(url, {"from": "2", "to": "1"}).status_code == 200  # either order
    client.force_login(reporter_fr)
    assert client.get(url).status_code == 404
