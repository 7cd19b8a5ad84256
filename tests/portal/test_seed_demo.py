import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_running_the_seed_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first


def test_the_demo_has_both_cycles_with_their_real_milestones():
    from portal.models import ReportingCycle

    call_command("seed_demo", verbosity=0)
    cycle_2019 = ReportingCycle.objects.get(year=2019)
    cycle_2020 = ReportingCycle.objects.get(year=2020)
    assert cycle_2019.member_states.count() == 28
    assert cycle_2020.member_states.count() == 27
    submit = cycle_2019.milestones.get(code="NRA-SUBMIT")
    assert submit.due_date.isoformat() == "2019-07-15"
    eu_cra = cycle_2019.milestones.get(code="EU-CRA")
    assert (eu_cra.due_date.isoformat(), eu_cra.met_on.isoformat()) == ("2019-10-01", "2019-10-09")
    assert cycle_2020.milestones.get(code="KEY-MEASURES").due_date.isoformat() == "2020-04-30"


def test_the_demo_has_a_reporter_and_a_lead_reporter_in_several_member_states():
    from portal.models import Role, User

    call_command("seed_demo", verbosity=0)
    reporters = User.objects.filter(groups__name=Role.REPORTER).values_list("authority__member_state", flat=True)
    leads = User.objects.filter(groups__name=Role.LEAD_REPORTER).values_list("authority__member_state", flat=True)
    assert len(set(reporters) & set(leads)) >= 3
    assert User.objects.filter(groups__name=Role.REVIEWER).exists()
    assert User.objects.filter(groups__name=Role.ADMIN).exists()
