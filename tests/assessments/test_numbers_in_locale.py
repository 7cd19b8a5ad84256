"""A number is shown back in a field as the reader's language writes it, and read back the same."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Section, Supplier, SupplierPresence
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, typed, shown, total", [
    ("de", "2,5", 'value="2,5"', "2,5"), ("fr", "12,35", 'value="12,35"', "12,35"), ("en", "2,5", 'value="2.5"', "2.5"),
    ("de", "20", 'value="20"', "20")])
def test_a_share_comes_back_in_the_readers_language_after_a_reload(client, draft, reporter_at, language, typed, shown,
                                                                   total):
    reporter_at.language = language
    reporter_at.save(update_fields=["language"])
    SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name="Nokia"))
    client.force_login(reporter_at)
    url = reverse("assessments:section", args=[draft.pk, "suppliers"])
    data = helpers.post_data(draft, Section.SUPPLIERS, **{"suppliers-0-share_core": typed})
    assert client.post(url, data, headers={"X-Autosave": "1"}).json()["status"] == "saved"
    page = client.get(url).content.decode()
    field = page[page.index('name="suppliers-0-share_core"') - 300:page.index('name="suppliers-0-share_core"') + 300]
    assert shown in field, field
    assert f'<td class="listed">{total}</td>' in page  # the segment's total beside it, in the same spelling
    # Saved again unchanged, as the page now shows it: the same number, no change recorded.
    stored = SupplierPresence.objects.get(assessment=draft, version=None).share_core
    with translation.override(language):  # the page's own form, as the reader's browser posts it
        again = helpers.post_data(draft, Section.SUPPLIERS)
    assert again["suppliers-0-share_core"] == shown.split('"')[1]
    assert client.post(url, again).status_code == 302
    assert SupplierPresence.objects.get(assessment=draft, version=None).share_core == stored == Decimal(
        typed.replace(",", "."))
