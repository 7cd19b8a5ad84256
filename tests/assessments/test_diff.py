import pytest
from django.urls import reverse

from assessments import services
from assessments.diff import mark_words, version_diff
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


def test_the_diff_lists_each_changed_question_and_nothing_else():
    parts = {p.title: [(c.question, c.field, c.old, c.new) for c in p.changes] for p in version_diff(OLD, NEW)}
    assert parts["Risk scenarios"] == [
        ("R4", "Likelihood", 2, 4), ("R4", "Risk level", "Medium", "High"), ("R4", "Trend", "Stable", "Increasing"),
        ("R4", "Justification", "—", "One supplier holds 60% of the RAN.")]
    assert parts["Toolbox measures"] == [("SM03", "Status", "Planned", "Adopted")]
    assert parts["Suppliers"] == [("Huawei", "", "listed", "—"), ("Nokia", "", "—", "listed")]
    assert "Threat actors" not in parts  # unchanged parts are left out


def test_text_changes_are_marked_word_by_word():
    marked = mark_words("Risks are highest in the core network.", "Risks are highest in the RAN and the core network.")
    assert marked == "Risks are highest in the <ins>RAN and the </ins>core network."
    assert mark_words("<b>x</b> old", "<b>x</b> new") == "&lt;b&gt;x&lt;/b&gt; <del>old</del><ins>new</ins>"


@pytest.mark.django_db
def test_the_diff_page_between_two_submitted_versions(client, draft, lead_at, reviewer, reporter_fr):
    helpers.fill(draft)
    services.assessment_submit(assessment=draft, user=lead_at)
    draft.status = "returned"
    draft.save()
    from assessments.models import MeasureStatus

    MeasureStatus.objects.filter(assessment=draft, version=None, measure__code="SM03").update(
        status="applied", note="Law of 12 May 2020")
    services.assessment_submit(assessment=draft, user=lead_at)
    url = reverse("assessments:diff", args=[draft.pk]) + "?from=1&to=2"
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert "<del>Adopted</del></td><td><ins>Applied</ins>" in page
    assert "<ins>Law of 12 May 2020</ins>" in page
    client.force_login(reporter_fr)
    assert client.get(url).status_code == 404
