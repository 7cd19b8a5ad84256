"""The rows digest is computed from canonical values, not from how the database prints a row
(assessments/snapshots.py): a migration that changes a column's type or scale, but no value, changes no digest."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from assessments import services
from assessments.models import AssessmentVersion, MeasureStatus, ScopeAnswer, SupplierPresence
from assessments.snapshots import integrity_problems, rows_digests
from portal.models import BRUSSELS, Role
from reporting import services as review_services
from reporting.models import CoordinatedReview
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db

canonical_values = importlib.import_module("assessments.migrations.0017_rows_digest_from_canonical_values")
SUBMITTED = datetime.datetime(2019, 7, 10, 12, 0, tzinfo=BRUSSELS)


def built(cycle):
    """The review of the cycle's submissions as they stand, built in this process (or failed: it says why)."""
    review, _created = review_services.review_request(cycle=cycle)
    try:
        review_services.review_build(review_id=review.pk)
    except ValueError:
        pass  # recorded on the review
    return CoordinatedReview.objects.get(pk=review.pk)


@pytest.fixture
def submitted(cycle, submit):
    """Austria's and France's versions, with shares that have decimals to lose (12.50, 0.05) and a day."""
    for code in ("AT", "FR"):
        lead = factories.user(Role.LEAD_REPORTER, code)
        draft = helpers.fill(services.assessment_start(cycle=cycle, member_state=lead.member_state, user=lead))
        SupplierPresence.objects.filter(assessment=draft, version=None).update(share_core="12.50",
                                                                               share_access="0.05")
        MeasureStatus.objects.filter(assessment=draft, version=None, measure__code="SM03").update(
            status="planned", target_date=datetime.date(2020, 4, 30))
        submit(cycle, code, SUBMITTED, fill=False, lead=lead)
    return list(AssessmentVersion.objects.filter(assessment__cycle=cycle).order_by("pk"))


def test_postgresql_and_python_spell_every_row_alike(submitted):
    """The digest the database computes is the one Python computes (SQLite's), whatever the text holds."""
    version = submitted[0]
    ScopeAnswer.objects.filter(version=version).update(
        summary='Kernnetz "core" \\ höchstes Risiko — «RAN»\n\tzweite Zeile ✓ 𝔈', method_detail="")
    SupplierPresence.objects.filter(version=version, supplier__name="Ericsson").update(
        criteria={"RP2": "no", "RP10": "yes", "RP1": "partly"}, share_transport=None, share_management="100.00")
    ids = [v.pk for v in submitted]
    assert connection.vendor == "postgresql"
    assert rows_digests(ids) == rows_digests(ids, in_python=True)
    assert rows_digests(ids)[version.pk] != version.rows_digest  # and the changes above did change it


def test_the_rows_digest_is_unchanged_by_a_migration_that_alters_a_decimal_columns_scale(cycle, submitted):
    recorded = {v.pk: v.rows_digest for v in submitted}
    printed = canonical_values.old_digests(connection, canonical_values.tables_then(apps), list(recorded))
    with connection.cursor() as cursor:  # a migration widening the shares: 12.50 is now stored as 12.500
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a migration's ALTER runs with no check left pending
        cursor.execute("ALTER TABLE assessments_supplierpresence ALTER COLUMN share_core TYPE numeric(6, 3), "
                       "ALTER COLUMN share_access TYPE numeric(6, 3)")
        cursor.execute("SELECT share_core::text FROM assessments_supplierpresence WHERE share_core = 12.5 LIMIT 1")
        assert cursor.fetchone() == ("12.500",)
    # The database prints the rows differently now (the retired digest of ROW()::text changed); the values did not.
    assert canonical_values.old_digests(connection, canonical_values.tables_then(apps), list(recorded)) != printed
    assert rows_digests(list(recorded)) == recorded
    review = built(cycle)
    assert review.is_done, review.error


def test_a_value_changed_after_submission_still_fails_the_build(cycle, submitted):
    SupplierPresence.objects.filter(version=submitted[0], supplier__name="Ericsson").update(share_core="12.51")
    review = built(cycle)
    assert review.is_failed and "the answers stored as rows differ from those submitted" in review.error


def test_the_migration_gives_the_new_digest_only_to_versions_whose_rows_are_those_submitted(cycle, submitted):
    austria, france = submitted
    tables = canonical_values.tables_then(apps)
    old = canonical_values.old_digests(connection, tables, [austria.pk, france.pk])
    AssessmentVersion.objects.filter(pk=austria.pk).update(rows_digest=old[austria.pk])
    AssessmentVersion.objects.filter(pk=france.pk).update(rows_digest=old[france.pk])
    # France's rows were changed after its submission, behind the portal's back.
    SupplierPresence.objects.filter(version=france, supplier__name="Ericsson").update(share_core="99.99")

    canonical_values.recompute(apps, SimpleNamespace(connection=connection))

    assert AssessmentVersion.objects.get(pk=austria.pk).rows_digest == rows_digests([austria.pk])[austria.pk]
    assert AssessmentVersion.objects.get(pk=france.pk).rows_digest == ""  # to be checked the long way
    assert integrity_problems({austria.pk: austria.sha256, france.pk: france.sha256}) == {
        france.pk: "the answers stored as rows differ from the snapshot that was hashed"}
    review = built(cycle)
    assert review.is_failed and "Version 1 of FR" in review.error
