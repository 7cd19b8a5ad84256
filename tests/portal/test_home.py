import pytest
from django.urls import reverse

from portal.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_the_login_page(client):
    for url in ["/", "/authority/", "/review/", "/manage/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "persona, home",
    [("reporter_at", "authority_home"), ("lead_at", "authority_home"), ("reviewer", "review_home"),
     ("admin_user", "manage_home")],
)
def test_each_role_lands_on_its_own_home_page(client, request, persona, home):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_a_reporter_sees_its_member_state_and_the_open_cycles(client, reporter_at):
    cycle = factories.CycleFactory(title="2019 national risk assessments")
    factories.MilestoneFactory(cycle=cycle, code="NRA-SUBMIT")
    factories.CycleFactory(title="A cycle without Austria", covering=["FR"])
    client.force_login(reporter_at)
    page = client.get(reverse("authority_home")).content.decode()
    assert "Austria" in page
    assert "2019 national risk assessments" in page
    assert "A cycle without Austria" not in page


def test_a_reviewer_sees_the_cycles(client, reviewer):
    factories.CycleFactory(title="2019 national risk assessments")
    client.force_login(reviewer)
    assert "2019 national risk assessments" in client.get(reverse("review_home")).content.decode()


@pytest.mark.parametrize(
    "persona, forbidden",
    [
        ("reporter_at", ["review_home", "manage_home"]),
        ("lead_at", ["review_home", "manage_home"]),
        ("reviewer", ["authority_home", "manage_home"]),
        ("admin_user", ["authority_home"]),
    ],
)
def test_pages_of_other_roles_answer_404(client, request, persona, forbidden):
    client.force_login(request.getfixturevalue(persona))
    for name in forbidden:
        assert client.get(reverse(name)).status_code == 404, name


def test_a_user_without_a_role_is_told_so(client):
    from portal.models import User

    client.force_login(User.objects.create_user("nobody", password=factories.PASSWORD))
    response = client.get("/")
    assert response.status_code == 403
    assert "no role yet" in response.content.decode()


def test_only_admins_reach_the_django_admin(client, reviewer, admin_user):
    client.force_login(reviewer)
    assert client.get("/admin/").status_code == 302  # to the admin login
    client.force_login(admin_user)
    response = client.get("/admin/portal/reportingcycle/")
    assert response.status_code == 200


def test_the_home_page_queries_do_not_grow_with_cycles(client, reporter_at, same_queries):
    client.force_login(reporter_at)

    def add_cycle(year):
        cycle = factories.CycleFactory(title=f"Cycle {year}", year=year)
        factories.MilestoneFactory(cycle=cycle, code="A")
        factories.MilestoneFactory(cycle=cycle, code="B", tracks_submission=True)

    add_cycle(2019)
    same_queries(lambda: client.get(reverse("authority_home")),
                 lambda: [add_cycle(year) for year in range(2020, 2025)])


def test_a_lead_reporter_is_a_reporter_of_one_authority(lead_at):
    assert lead_at.is_authority_staff and lead_at.is_lead_reporter
    assert lead_at.member_state.eu_code == "AT"
    assert Role.LEAD_REPORTER in lead_at.roles
