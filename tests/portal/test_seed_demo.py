"""The demo data set: idempotent, and it reproduces the public record on the portal's own pages."""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from assessments.models import NationalAssessment, Section
from portal.demo import DEMO_PASSWORD
from portal.models import ReportingCycle, Role, User
from reporting import services as review_services
from reporting.models import CoordinatedReview
from tests.pages import figure
from tests.signing_in import PortalClient

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def counts_by_status(page, measure):
    """A row of the review's "Toolbox measures" table: {status label: number of member states}."""
    table = page[page.index('id="table-toolbox"'):]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table[:table.index("</thead>")])
    row = re.search(rf'<tr><th scope="row" class="fw-normal">{measure}</th>(.*?)</tr>', table).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", f"<td>{measure}</td>{row}")
    return {header: int(cell) for header, cell in zip(headers[2:], cells[2:]) if header != "Member states"}


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module in a transaction rolled back at its end. Each test runs in a savepoint of
    it (pytest-django's `db`): what one test changes, the next never sees."""
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])  # as tests'
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_seeded, db):
    return {cycle.year: cycle for cycle in ReportingCycle.objects.all()}


def test_running_the_seed_again_changes_nothing(demo):
    first = row_counts()
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first


def test_the_2019_dashboard_says_24_of_28_had_submitted_by_19_july_2019(client, demo):
    client.force_login(User.objects.get(username="reviewer"))
    page = client.get(reverse("reporting:dashboard", args=[demo[2019].pk]), {"as_of": "2019-07-19"}).content.decode()
    assert "As of 19 July 2019, 23:59" in page
    assert (figure(page, "Expected"), figure(page, "Submitted")) == (28, 24)
    # ...and all 28 by October.
    page = client.get(reverse("reporting:dashboard", args=[demo[2019].pk]), {"as_of": "2019-10-31"}).content.decode()
    assert figure(page, "Submitted") == 28


def test_the_2020_review_reads_like_the_july_2020_progress_report(client, demo):
    review, _ = review_services.review_request(cycle=demo[2020])
    review_services.review_build(review_id=review.pk)
    assert CoordinatedReview.objects.get(pk=review.pk).is_done
    client.force_login(User.objects.get(username="reviewer"))
    page = client.get(reverse("reporting:review", args=[review.pk])).content.decode()
    sm01, sm03 = counts_by_status(page, "SM01"), counts_by_status(page, "SM03")
    assert sum(sm01.values()) == sum(sm03.values()) == 27
    # "A large majority had reinforced, or were reinforcing, the powers of national authorities" (SM01).
    assert sm01["Adopted"] + sm01["Applied"] >= 2 / 3 * 27
    # "Restrictions ... in place in a few member states and at an advanced stage of preparation in many" (SM03).
    assert sm03["Applied"] <= 5 and sm03["In preparation"] >= 12


def test_the_cycles_ask_what_existed_then_and_one_cycle_is_open_for_filers(demo):
    cycle_2019, cycle_2020 = demo[2019], demo[2020]
    assert cycle_2019.covered_member_states().count() == 28 and cycle_2020.covered_member_states().count() == 27
    assert not cycle_2019.is_open and not cycle_2020.is_open
    # The Toolbox's measures did not exist before 29 January 2020.
    assert Section.MEASURES not in cycle_2019.questionnaire.sections
    assert cycle_2020.questionnaire.sections == [Section.MEASURES, Section.ATTACHMENTS]
    submit = cycle_2019.milestones.get(code="NRA-SUBMIT")
    assert submit.due_date.isoformat() == "2019-07-15"
    eu_cra = cycle_2019.milestones.get(code="EU-CRA")
    assert (eu_cra.due_date.isoformat(), eu_cra.met_on.isoformat()) == ("2019-10-01", "2019-10-09")
    assert cycle_2020.milestones.get(code="KEY-MEASURES").due_date.isoformat() == "2020-04-30"
    fresh = ReportingCycle.objects.open().get()
    assert fresh.covered_member_states().count() == 27
    assert not NationalAssessment.objects.filter(cycle=fresh).exists()


def test_the_demo_has_every_role_and_filers_in_several_member_states(demo):
    reporters = User.objects.filter(groups__name=Role.REPORTER).values_list("authority__member_state", flat=True)
    leads = User.objects.filter(groups__name=Role.LEAD_REPORTER).values_list("authority__member_state", flat=True)
    assert len(set(reporters) & set(leads)) >= 3
    assert User.objects.filter(groups__name=Role.REVIEWER).exists()
    assert User.objects.filter(groups__name=Role.ADMIN).exists()


def test_the_demo_admin_signs_in_with_the_demo_second_factor_code_and_only_with_it(demo, settings):
    settings.DEBUG, settings.MFA_TOTP_INSECURE_BYPASS_CODE = True, "000000"  # what `make run` sets
    call_command("seed_demo", verbosity=0)
    client = PortalClient()
    response = client.post(reverse("account_login"), {"login": "admin", "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": "123123"}).status_code == 200  # refused
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 302
    assert client.get(reverse("manage_home")).status_code == 200
