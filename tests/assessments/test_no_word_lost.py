"""Nothing a filer types is altered or lost at the edges: numbers, line endings, failing disks, ordinary mistakes."""

import resource
import signal
import threading
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from assessments.models import (
    Attachment,
    ScopeAnswer,
    Section,
    SectionState,
    Supplier,
    SupplierPresence,
)
from assessments.numbers import Unreadable, parse_decimal
from tests import factories
from tests.assessments import helpers
from tests.signing_in import PortalClient

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + b"x" * 100_000


@pytest.mark.parametrize("typed, read", [("2,5", "2.5"), ("2.5", "2.5"), ("25", "25"), (" 20,50 ", "20.50"),
                                         ("0,05", "0.05"), ("100", "100"), ("12,5 %", "12.5")])
def test_a_decimal_comma_or_point_reads_as_the_same_number(typed, read):
    assert parse_decimal(typed) == Decimal(read)


@pytest.mark.parametrize("typed", ["ca. 5", "1.000,5", "1,000.5", "1 000", "2,5,0", "1e3", "five", "1,000", "1.000",
                                   "-5", ","])
def test_anything_that_would_have_to_be_guessed_is_refused(typed):
    with pytest.raises(Unreadable):
        parse_decimal(typed)


def test_a_share_typed_with_a_comma_is_saved_as_that_number_and_nonsense_is_refused_beside_the_field(
    client, draft, reporter_at
):
    SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name="Nokia"))
    client.force_login(reporter_at)
    url = reverse("assessments:section", args=[draft.pk, "suppliers"])
    data = helpers.post_data(draft, Section.SUPPLIERS, **{"suppliers-0-share_core": "2,5"})
    assert client.post(url, data, headers={"X-Autosave": "1"}).json()["status"] == "saved"
    assert SupplierPresence.objects.get(assessment=draft, version=None).share_core == Decimal("2.5")
    data = helpers.post_data(draft, Section.SUPPLIERS, **{"suppliers-0-share_core": "ca. 5"})
    body = client.post(url, data, headers={"X-Autosave": "1"}).json()
    assert body["status"] == "invalid"
    assert "is not a number" in " ".join(body["errors"]["id_suppliers-0-share_core"])
    assert SupplierPresence.objects.get(assessment=draft, version=None).share_core == Decimal("2.5")
    page = client.get(url).content.decode()
    assert 'inputmode="decimal"' in page and 'type="number"' not in page


def test_a_workbook_share_typed_with_a_comma_reads_the_same(client, draft, reporter_at):
    from tests.assessments.test_workbook import download, upload

    helpers.fill(draft)
    client.force_login(reporter_at)
    workbook = download(client, draft)
    workbook["Suppliers"]["C2"] = "20,5"  # Ericsson's core share, typed as text with a comma
    assert upload(client, draft, workbook).status_code == 302
    assert SupplierPresence.objects.get(assessment=draft, version=None).share_core == Decimal("20.5")


def test_text_is_kept_one_way_so_an_unchanged_workbook_changes_nothing(client, draft, reporter_at):
    from tests.assessments.test_workbook import download, upload

    helpers.fill(draft)
    client.force_login(reporter_at)
    url = reverse("assessments:section", args=[draft.pk, "scope"])
    # A browser sends CRLF line endings, and people leave spaces at line ends.
    client.post(url, helpers.post_data(draft, "scope", **{"scope-summary": "First line.  \r\nSecond line.\r\n"}))
    assert ScopeAnswer.objects.get(assessment=draft, version=None).summary == "First line.\nSecond line."
    def revisions():
        return dict(SectionState.objects.filter(assessment=draft).values_list("section", "revision"))

    before = revisions()
    response = upload(client, draft, download(client, draft))
    assert response.status_code == 302
    assert revisions() == before
    # The same text sent again from the page is no change either: no new revision to conflict with.
    client.post(url, helpers.post_data(draft, "scope", **{"scope-summary": "First line.\r\nSecond line.  "}))
    assert revisions() == before


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def upload_pdf(client, draft, name="method.pdf", content=PDF):
    return client.post(reverse("assessments:attachments", args=[draft.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def test_an_attachment_the_disk_refuses_answers_a_clear_message_and_leaves_nothing(client, draft, reporter_at,
                                                                                  media):
    (media / "attachments").write_text("a file where a folder should be: the storage cannot write")
    client.force_login(reporter_at)
    response = upload_pdf(client, draft)
    assert response.status_code == 503
    assert "could not be stored" in response.content.decode() and "Nothing was attached" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_write_failing_half_way_leaves_no_truncated_file_and_the_next_upload_stores_it_whole(
    client, draft, reporter_at, media
):
    client.force_login(reporter_at)
    old = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), not the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, old[1]))  # the disk "fills" after 50 kB
    try:
        response = upload_pdf(client, draft)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old)
        signal.signal(signal.SIGXFSZ, previous)
    assert response.status_code == 503 and not Attachment.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []  # no truncated file under any name
    assert upload_pdf(client, draft).status_code == 302
    stored = Attachment.objects.get()
    assert stored.file.open("rb").read() == PDF


def test_the_same_file_twice_is_one_attachment_and_after_removal_comes_back(client, draft, reporter_at, media):
    client.force_login(reporter_at)
    upload_pdf(client, draft, "first.pdf")
    again = upload_pdf(client, draft, "second-name.pdf")
    assert again.status_code == 400 and "This file is attached already, as “first.pdf”" in again.content.decode()
    assert Attachment.objects.count() == 1
    client.post(reverse("assessments:attachment_remove", args=[draft.pk, Attachment.objects.get().pk]))
    assert upload_pdf(client, draft, "third.pdf").status_code == 302
    assert Attachment.objects.count() == 1 and Attachment.objects.get().removed_at is None


def test_ordinary_mistakes_get_a_message_or_a_400_never_a_500(client, draft, reporter_at):
    client.force_login(reporter_at)
    add = reverse("assessments:supplier_add", args=[draft.pk])
    nokia = Supplier.objects.get(name="Nokia").pk
    assert client.post(add, {"supplier": nokia}).status_code == 302
    twice = client.post(add, {"supplier": nokia}, follow=True)
    assert twice.status_code == 200 and "Nokia is already listed." in twice.content.decode()
    nonsense = client.post(add, {"supplier": "not-a-supplier"}, follow=True)
    assert nonsense.status_code == 200 and "Choose a supplier to add." in nonsense.content.decode()
    url = reverse("assessments:section", args=[draft.pk, "scope"])
    # Without its revision: nothing overwritten, kept, no error page.
    data = helpers.post_data(draft, "scope", **{"scope-summary": "Typed"})
    del data["_revision"]
    assert client.post(url, data).status_code == 302
    # A tampered formset: the management form is ignored, rows are found by their item key.
    data = helpers.post_data(draft, "scenarios", **{"scenarios-TOTAL_FORMS": "5000", "scenarios-0-likelihood": "2",
                                                    "scenarios-INITIAL_FORMS": "x"})
    scenarios = reverse("assessments:section", args=[draft.pk, "scenarios"])
    assert client.post(scenarios, data).status_code == 302
    assert client.get(scenarios).status_code in (200, 400)
    # Thousands of fields: Django refuses the request itself, with the styled 400 page.
    flood = {f"scenarios-{i}-note": "x" for i in range(1200)}
    response = client.post(scenarios, flood)
    assert response.status_code == 400 and "could not be understood" in response.content.decode()


def test_eight_parallel_submits_make_one_version_and_no_error(transactional_db, settings):
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    lead = factories.user("lead reporter", "AT")
    draft = helpers.fill(helpers.start(cycle, lead))
    statuses, start = [], threading.Barrier(8)

    def submit():
        try:
            client = PortalClient()
            client.force_login(lead)
            start.wait()
            statuses.append(client.post(reverse("assessments:submit", args=[draft.pk]), {"certify": "1"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] * 8 and draft.versions.count() == 1


def test_the_error_pages_have_the_sites_navigation(client, reporter_at):
    client.force_login(reporter_at)
    page = client.get("/assessments/999999/").content.decode()
    assert "Page not found" in page and "Skip to main content" in page and "Log out" in page


def test_a_file_that_is_not_a_workbook_is_answered_on_the_page(client, draft, reporter_at):
    client.force_login(reporter_at)
    response = client.post(reverse("assessments:workbook_upload", args=[draft.pk]),
                           {"workbook": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert response.status_code == 400 and "This is not an XLSX workbook." in response.content.decode()
