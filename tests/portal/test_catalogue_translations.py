"""The catalogue's own texts in the reader's language: edited by an admin in the Django admin, English as fallback."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import RiskScenario, Section, Supplier, SupplierPresence, ThreatActor
from portal.lib import translated
from portal.models import MemberState, Role
from tests import factories
from tests.assessments import helpers

pytestmark = pytest.mark.django_db


def german_reader(role, code=None, username=None):
    user = factories.user(role, code, username=username)
    user.language = "de"
    user.save(update_fields=["language"])
    return user


def section_page(client, draft, section):
    return client.get(reverse("assessments:section", args=[draft.pk, section.value])).content.decode()


def test_an_admin_edits_a_german_title_and_a_german_filer_reads_it(client, admin_user, cycle):
    filer = german_reader(Role.REPORTER, "AT", "anke-at")
    draft = helpers.start(cycle, filer)
    r4 = RiskScenario.objects.get(code="R4")
    url = reverse("admin:assessments_riskscenario_change", args=[r4.pk]) + "?language=de"
    client.force_login(admin_user)
    form = client.get(url).content.decode()
    assert "Abhängigkeit von einem einzigen Anbieter" in form  # the German tab holds the German title
    response = client.post(url, {"code": "R4", "title": "Abhängigkeit von einem einzigen Lieferanten",
                                 "position": r4.position, "category": r4.category_id, "is_strategic": "on",
                                 "edition": r4.edition_id, "continues-TOTAL_FORMS": "0",
                                 "continues-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(filer)
    page = section_page(client, draft, Section.SCENARIOS)
    assert "Abhängigkeit von einem einzigen Lieferanten" in page
    assert "Abhängigkeit von einem einzigen Anbieter" not in page
    # The English title is untouched: an English reader still reads it.
    with translation.override("en"):
        assert RiskScenario.objects.get(code="R4").title.startswith("Dependency on any single supplier")


def test_an_entry_without_a_german_title_is_shown_in_english(client, admin_user, cycle):
    filer = german_reader(Role.REPORTER, "AT", "anke-at")
    draft = helpers.start(cycle, filer)
    insider = ThreatActor.objects.get(code="insider")
    client.force_login(admin_user)
    url = reverse("admin:assessments_threatactor_delete_translation", args=[insider.pk, "de"])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not insider.translations.filter(language_code="de").exists()
    client.force_login(filer)
    page = section_page(client, draft, Section.THREATS)
    assert "Insiders of operators or their service providers" in page  # English, the fallback
    assert "Organisierte Kriminalität" in page  # the others still in German


def test_a_member_state_is_named_in_the_language_it_is_read_in_whenever_it_was_loaded():
    austria = MemberState.objects.get(eu_code="AT")
    with translation.override("de"):
        assert austria.name == "Österreich"
    with translation.override("fr"):
        assert austria.name == "Autriche"
        assert translated.texts(MemberState, "name", key="eu_code")["EL"] == "Grèce"
    with translation.override("en"):
        assert austria.name == "Austria"


def test_a_german_section_page_runs_as_many_queries_as_the_english_one_and_stays_flat(client, cycle, same_queries):
    """The questionnaire's titles are read a table at a time: no query per scenario, measure or actor."""
    english = factories.user(Role.REPORTER, "AT", username="anna-at")
    german = german_reader(Role.REPORTER, "AT", "anke-at")
    draft = helpers.start(cycle, english)
    for section in (Section.THREATS, Section.SCENARIOS, Section.MEASURES, Section.SUPPLIERS):
        counts = []
        for reader in (english, german):
            client.force_login(reader)
            section_page(client, draft, section)
            with CaptureQueriesContext(connection) as queries:
                section_page(client, draft, section)
            counts.append(len(queries))
        assert counts[0] == counts[1], section
    client.force_login(german)
    url = reverse("assessments:section", args=[draft.pk, Section.SUPPLIERS.value])
    SupplierPresence.objects.create(assessment=draft, supplier=Supplier.objects.get(name="Nokia"))
    same_queries(lambda: client.get(url), lambda: [
        SupplierPresence.objects.create(assessment=draft, supplier=supplier)
        for supplier in Supplier.objects.exclude(name="Nokia")])
