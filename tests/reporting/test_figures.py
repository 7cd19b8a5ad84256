"""Figures a reviewer can quote: who is counted, which lateness rule, and how, on awkward data.

The data is tests/reporting/awkward.py.

Every expected value is worked out by hand in awkward.py's docstring; the same data on the embedded SQLite must
give the same figures.
"""

import datetime
import json
import random
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import AssessmentVersion, NationalAssessment, ScenarioRating, Supplier, SupplierPresence
from assessments.population import Timeliness, cycle_population, member_timeliness
from portal import services as portal_services
from portal.deadlines import BRUSSELS
from reporting import publishing
from reporting import services as review_services
from reporting.models import CoordinatedReview, ReviewStatus
from reporting.timeliness import dashboard
from tests import factories
from tests.assessments import helpers
from tests.reporting import awkward, embedded

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(db):
    return awkward.build()


def test_every_figure_of_the_awkward_cycle_matches_the_hand_recount(cycle):
    assert awkward.figures(awkward.review(cycle)) == awkward.EXPECTED


@pytest.mark.long
def test_the_embedded_sqlite_gives_the_same_figures(tmp_path):
    assert embedded.figures_on_sqlite("awkward", tmp_path) == json.loads(json.dumps(awkward.EXPECTED))


def test_a_member_state_removed_after_submitting_is_counted_nowhere(client, cycle, reviewer):
    codes = [m.member_state.eu_code for m in cycle_population(cycle)]
    assert codes == ["BE", "DE", "FR", "IT", "AT"]  # in the EU's protocol order, the same in every language
    client.force_login(reviewer)
    for url in (reverse("reporting:dashboard", args=[cycle.pk]), reverse("assessments:submissions", args=[cycle.pk]),
                reverse("reporting:compare", args=[cycle.pk])):
        assert "Netherlands" not in client.get(url).content.decode(), url
    figures = dashboard(cycle, at=timezone.now()).figures
    assert (figures.expected, figures.submitted, figures.missing) == (5, 4, 1)
    # It was removed today: on 1 August 2019 it was still asked, and the figures of that day say so.
    figures = dashboard(cycle, at=datetime.datetime(2019, 8, 1, tzinfo=BRUSSELS)).figures
    assert (figures.expected, figures.submitted, figures.missing) == (6, 5, 1)
    # Its version stays on record, and on its own page.
    netherlands = NationalAssessment.objects.get(cycle=cycle, member_state__eu_code="NL")
    assert netherlands.versions.count() == 1


def test_a_returned_version_counts_until_a_newer_one_is_submitted_and_its_draft_never(cycle):
    belgium = next(m for m in cycle_population(cycle) if m.member_state.eu_code == "BE")
    assert belgium.assessment.is_returned and belgium.latest.number == 1
    assert ScenarioRating.objects.get(version=belgium.latest, scenario__code="R5").likelihood == 3


def test_removing_a_member_state_that_submitted_needs_a_reason_and_a_non_member_cannot_be_added(
    client, admin_user, cycle
):
    client.force_login(admin_user)
    url = reverse("assessments:coverage", args=[cycle.pk])
    kept = [m.pk for m in cycle.covered_member_states() if m.eu_code != "AT"]
    response = client.post(url, {"member_states": kept})
    assert response.status_code == 400
    assert "Austria has submitted: say what becomes of its submission before removing it." in response.content.decode()
    assert "Give the reason" in response.content.decode()
    assert cycle.covered_member_states().filter(eu_code="AT").exists()
    # A member state that had left the Union cannot be asked... (the cycle's reference date is 26 March 2019)
    later = helpers.cycle_with_questionnaire(title="2021", codes=["AT"], starts_on=datetime.date(2021, 1, 1), year=2021)
    uk = factories.member_state("UK")
    response = client.post(reverse("assessments:coverage", args=[later.pk]),
                           {"member_states": [factories.member_state("AT").pk, uk.pk]})
    assert "Not a member of the Union on 1 January 2021, so it cannot be asked: United Kingdom." in (
        response.content.decode())
    # ...and with the reason given, Italy (never submitted) and Austria go; the record stays.
    kept = [m.pk for m in cycle.covered_member_states() if m.eu_code not in ("AT", "IT")]
    client.post(url, {"member_states": kept, "exclude_submissions": "on", "reason": "Filed under another cycle"})
    assert not cycle.covered_member_states().filter(eu_code__in=["AT", "IT"]).exists()
    assert cycle.coverages.get(member_state__eu_code="AT").removal_reason == "Filed under another cycle"


def test_an_extension_granted_after_a_late_submission_changes_every_page_alike_and_makes_the_review_stale(
    client, cycle, admin_user, reviewer
):
    review, _ = review_services.review_request(cycle=cycle)
    review_services.review_build(review_id=review.pk)
    france = NationalAssessment.objects.get(cycle=cycle, member_state__eu_code="FR")
    assert member_timeliness(france).state == Timeliness.LATE
    client.force_login(reviewer)
    pages = {"version": reverse("assessments:version", args=[france.pk, 1]),
             "receipt": reverse("assessments:receipt", args=[france.pk, 1]),
             "submissions": reverse("assessments:submissions", args=[cycle.pk]) + "?timeliness=late",
             "dashboard": reverse("reporting:dashboard", args=[cycle.pk])}
    before = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert "the first version came late, by less than a minute" in before["version"]
    assert "submitted late, by less than a minute" in before["receipt"]
    assert ">France</a>" in before["submissions"]
    assert "Submitted late by less than a minute" in before["dashboard"]

    portal_services.extension_grant(milestone=cycle.submission_milestone, member_state=france.member_state,
                                    due_date=datetime.date(2019, 7, 31), due_time=None, reason="Strike",
                                    user=admin_user)
    after = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert "came late" not in after["version"]
    assert "the first version was submitted on time" in after["receipt"]
    assert ">France</a>" not in after["submissions"]
    assert "Submitted late" not in after["dashboard"] and "extended until 31 Jul 2019" in after["dashboard"]
    assert review_services.review_changes(review) == [
        ("FR", "FR's deadline or lateness changed: now Submitted on time")]
    rebuilt, created = review_services.review_request(cycle=cycle)
    review_services.review_build(review_id=rebuilt.pk)
    rebuilt.refresh_from_db()
    assert created and rebuilt.results["completeness"]["late"] == []
    # As of a day before the extension was granted, France was late: the figures of that day do not change.
    then = {m.member_state.eu_code: m.state for m in dashboard(cycle, at=datetime.datetime(
        2019, 7, 20, tzinfo=BRUSSELS)).members}
    assert then["FR"] == Timeliness.LATE


def test_the_build_fails_clearly_when_a_submitted_answer_row_is_altered(cycle):
    review, _ = review_services.review_request(cycle=cycle)
    ScenarioRating.objects.filter(version__assessment__member_state__eu_code="DE", version__isnull=False,
                                  scenario__code="R1").update(likelihood=5)
    with pytest.raises(ValueError, match="Version 1 of DE: the answers stored as rows differ"):
        review_services.review_build(review_id=review.pk)
    review.refresh_from_db()
    assert review.status == ReviewStatus.FAILED and "differ from those submitted" in review.error


def test_a_version_from_before_the_rows_digest_is_checked_the_long_way_once_then_by_its_digest(cycle):
    """Versions submitted before the digest existed: their rows are compared with their snapshot, then recorded."""
    AssessmentVersion.objects.update(rows_digest="")
    de = AssessmentVersion.objects.get(assessment__member_state__eu_code="DE")
    ScenarioRating.objects.filter(version=de, scenario__code="R1").update(likelihood=5)
    review, _ = review_services.review_request(cycle=cycle)
    with pytest.raises(ValueError, match="Version 1 of DE: the answers stored as rows differ from the snapshot"):
        review_services.review_build(review_id=review.pk)
    # The others passed the long check and have their digest now; DE, which failed it, has none.
    digests = dict(AssessmentVersion.objects.filter(pk__in=review.provenance.values("version")).values_list(
        "assessment__member_state__eu_code", "rows_digest"))
    assert digests.pop("DE") == "" and all(len(digest) == 64 for digest in digests.values())
    submitted = next(row for row in de.snapshot["answers"]["scenarios"] if row["item"] == "R1")
    ScenarioRating.objects.filter(version=de, scenario__code="R1").update(likelihood=submitted["likelihood"])
    CoordinatedReview.objects.filter(pk=review.pk).update(status=ReviewStatus.QUEUED)
    assert review_services.review_build(review_id=review.pk) == review.pk
    assert len(AssessmentVersion.objects.get(pk=de.pk).rows_digest) == 64


def test_a_published_review_hides_figures_over_fewer_member_states_than_the_minimum(
    client, reviewer, reporter_at, submit, settings
):
    settings.REVIEW_MIN_GROUP_SIZE = 3
    two = helpers.cycle_with_questionnaire(title="Two", codes=["AT", "BE", "DE"])
    submit(two, "AT")
    submit(two, "BE")
    review = CoordinatedReview.objects.filter(cycle=two).latest("pk")
    review_services.review_build(review_id=review.pk)
    publishing.review_publish(review=review, user=reviewer)
    client.force_login(reviewer)
    full = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    assert "are behind the figure" not in full
    client.force_login(reporter_at)
    public = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    assert "because fewer than 3 member states are behind the figure" in public
    # helpers.fill rates every measure "adopted": with two member states, BE could read AT's answer from a count.
    toolbox = public[public.index('id="table-toolbox"'):]
    assert "<td>2</td>" not in toolbox[:toolbox.index("</table>")]
    assert "Member states at each status, by Toolbox measure" not in public  # the chart is withheld too


def test_submitting_while_a_colleague_changes_suppliers_freezes_one_consistent_draft(transactional_db, settings):
    """Thirty rounds on PostgreSQL: a lead submits while a colleague removes a supplier.

    The removal lands before the freeze (and is in the version) or is refused; never after it, silently: the
    snapshot, the version's rows and the draft left behind always name the same suppliers.
    """
    jitter = random.Random(5)
    rounds = [race(n, jitter) for n in range(30)]
    disagreements = [outcome for outcome in rounds if outcome is not None]
    assert disagreements == []


def test_a_version_submitted_before_numbers_were_spelled_plainly_still_passes_the_check(submit):
    """Older versions wrote 30 as "3E+1" in their snapshot; their hash (on the receipt) must stay valid."""
    from assessments.snapshots import integrity_problem, version_answers, version_attachments

    version = submit(helpers.cycle_with_questionnaire(codes=["AT"]), "AT")
    snapshot = json.loads(json.dumps(version.snapshot))
    for row in snapshot["answers"]["suppliers"]:
        row["share_core"] = "6E+1" if row["share_core"] == "60" else row["share_core"]
    AssessmentVersion.objects.filter(pk=version.pk).update(snapshot=snapshot,
                                                           sha256=AssessmentVersion.digest(snapshot))
    version.refresh_from_db()
    assert "6E+1" in json.dumps(version.snapshot)
    answers, attachments = version_answers([version]), version_attachments([version])
    assert integrity_problem(version, answers[version.pk], attachments[version.pk]) is None
    # A different number is still caught.
    snapshot["answers"]["suppliers"][0]["share_core"] = "61"
    AssessmentVersion.objects.filter(pk=version.pk).update(snapshot=snapshot,
                                                           sha256=AssessmentVersion.digest(snapshot))
    version.refresh_from_db()
    assert integrity_problem(version, answers[version.pk], attachments[version.pk]) is not None


def race(round_, jitter):
    """One round: a fresh complete draft with two suppliers; submit and remove one at the same moment."""
    cycle = helpers.cycle_with_questionnaire(title=f"Race {round_}", codes=["AT"])
    lead, colleague = factories.user("lead reporter", "AT"), factories.user("reporter", "AT")
    draft = helpers.fill(helpers.start(cycle, lead))
    for name in ("Nokia", "Samsung"):
        SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name=name), share_core=10,
                                        criteria={c.code: "no" for c in cycle.questionnaire.asked_criteria},
                                        risk_profile="low", justification="x")
    row = SupplierPresence.objects.get(assessment=draft, supplier__name="Samsung", version=None)
    start, delay = threading.Barrier(2), jitter.uniform(0, 0.06)

    def remove():
        try:
            start.wait()
            time.sleep(delay)  # somewhere inside the submission's transaction (it takes tens of milliseconds)
            services.supplier_remove(assessment=draft, row=row, user=colleague)
        except services.AssessmentLocked:
            pass  # the submission came first: the draft is frozen, and the colleague is told so
        finally:
            connection.close()

    def submit():
        try:
            start.wait()
            services.assessment_submit(certify=True, assessment=draft, user=lead)
        finally:
            connection.close()

    threads = [threading.Thread(target=remove), threading.Thread(target=submit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    version = AssessmentVersion.objects.get(assessment=draft)
    in_snapshot = sorted(s["item"] for s in version.snapshot["answers"]["suppliers"])
    in_rows = sorted(SupplierPresence.objects.filter(version=version).values_list("supplier__name", flat=True))
    in_draft = sorted(SupplierPresence.objects.filter(assessment=draft, version__isnull=True)
                      .values_list("supplier__name", flat=True))
    return None if in_snapshot == in_rows == in_draft else (round_, in_snapshot, in_rows, in_draft)
