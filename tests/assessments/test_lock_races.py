"""A write to a draft that meets a lock taken a moment before it answers as a locked draft, never a 500.

The race is the real one: the page reads the draft (editable), then waits for the assessment's row lock while a
second connection, holding it, submits the draft; once that commits, the write finds the draft locked. The second
connection is PostgreSQL's own, so the wait is on the database's lock, not on anything in the test.
"""

import io
import threading
import time

import psycopg2
import pytest
from django.db import connection, connections
from django.urls import reverse

from assessments import services
from assessments.models import NationalAssessment, Supplier, SupplierPresence
from tests import factories
from tests.assessments import helpers
from tests.full_stack import database_url

pytestmark = pytest.mark.django_db(transaction=True)


def locked_meanwhile(assessment, write):
    """Run `write()` (a request) while another connection submits `assessment` under its row lock; its response."""
    other = psycopg2.connect(database_url(connection.settings_dict))
    cursor = other.cursor()
    cursor.execute("SELECT id FROM assessments_nationalassessment WHERE id = %s FOR UPDATE", [assessment.pk])
    cursor.execute("UPDATE assessments_nationalassessment SET status = 'submitted' WHERE id = %s", [assessment.pk])
    answer = {}

    def request():
        try:
            answer["response"] = write()
        finally:
            connections.close_all()  # the thread's own connection, or the test database could not be dropped

    thread = threading.Thread(target=request)
    thread.start()
    try:
        _wait_for_a_lock_wait(cursor, answer)
    finally:
        other.commit()
        other.close()
    thread.join(30)
    return answer["response"]


def _wait_for_a_lock_wait(cursor, answer, timeout=20):
    """Until a backend of this database waits on a lock: the write has read the draft and now waits for its row."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the same snapshot for the whole transaction
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        if cursor.fetchone()[0]:
            return
        time.sleep(0.02)
    response = answer.get("response")
    raise AssertionError(f"the write never waited for the draft's lock: {response and response.status_code} "
                         f"{response and response.content.decode()[:300]}")


def signed_in_client(user):
    from tests.signing_in import PortalClient

    client = PortalClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("write", ["supplier_add", "supplier_remove", "attachment", "workbook"])
def test_a_write_meeting_a_submission_a_moment_earlier_is_refused_as_locked_never_a_500(cycle, write):
    lead = factories.user("lead reporter", "AT", username="lena-at")
    assessment = helpers.start(cycle, lead)
    client = signed_in_client(lead)
    huawei, nokia = Supplier.objects.get(name="Huawei"), Supplier.objects.get(name="Nokia")
    services.supplier_add(assessment=assessment, supplier=nokia, user=lead)
    nokia_row = SupplierPresence.objects.get(assessment=assessment, version=None, supplier=nokia)
    workbook = client.get(reverse("assessments:workbook", args=[assessment.pk])).getvalue()
    requests = {
        "supplier_add": lambda: client.post(reverse("assessments:supplier_add", args=[assessment.pk]),
                                            {"supplier": huawei.pk}),
        "supplier_remove": lambda: client.post(reverse("assessments:supplier_remove",
                                                       args=[assessment.pk, nokia_row.pk])),
        "attachment": lambda: client.post(reverse("assessments:attachments", args=[assessment.pk]),
                                          {"file": _pdf("annex.pdf")}),
        "workbook": lambda: client.post(reverse("assessments:workbook_upload", args=[assessment.pk]),
                                        {"workbook": _named(workbook, "draft.xlsx")}),
    }
    response = locked_meanwhile(assessment, requests[write])
    assert response.status_code == 423, response.content.decode()[:500]
    assert "this draft was locked a moment ago" in response.content.decode()
    assert NationalAssessment.objects.get(pk=assessment.pk).status == "submitted"
    suppliers = set(SupplierPresence.objects.filter(assessment=assessment, version=None)
                    .values_list("supplier__name", flat=True))
    assert suppliers == {"Nokia"}  # nothing of the refused write was kept


def _named(content, name):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _pdf(name):
    return _named(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name)
