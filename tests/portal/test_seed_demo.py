"""The demo data set: idempotent, and it reproduces the public record on the portal's own pages."""

import datetime
import re
from collections import Counter

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from assessments import demo as story
from assessments import services as assessment_services
from assessments.models import (
    AssessmentVersion,
    ClarificationPoint,
    LegislationAnswer,
    MeasureStatus,
    NationalAssessment,
    PhaseOutEntry,
    RiskScenario,
    ScenarioRating,
    Section,
    Supplier,
    SupplierPresence,
    Transition,
)
from portal import services as portal_services
from portal.deadlines import BRUSSELS
from portal.demo import DEMO_PASSWORD
from portal.models import CycleCoverage, Extension, MemberState, Milestone, ReportingCycle, Role, User
from reporting import publishing
from reporting import services as review_services
from reporting.models import CoordinatedReview, Publication
from tests import factories
from tests.assessments import helpers
from tests.pages import figure, review_table
from tests.signing_in import PortalClient

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def demo_state():
    """The values of the demo's rows that a run could change without changing a count (the audit trail apart)."""
    cycles = ReportingCycle.objects.filter(is_demo=True)
    return {
        "users": list(User.objects.filter(is_demo=True).order_by("pk").values(
            "pk", "username", "password", "is_active", "authority", "groups", "email")),
        "factors": list(Authenticator.objects.filter(user__is_demo=True).order_by("pk").values("pk", "user", "type")),
        "cycles": list(cycles.order_by("pk").values()),
        "milestones": list(Milestone.objects.filter(cycle__in=cycles).order_by("pk").values()),
        "coverage": list(CycleCoverage.objects.filter(cycle__in=cycles).order_by("pk").values()),
        "extensions": list(Extension.objects.filter(milestone__cycle__in=cycles).order_by("pk").values()),
        "assessments": list(NationalAssessment.objects.filter(cycle__in=cycles).order_by("pk").values("pk", "status")),
        "transitions": list(Transition.objects.filter(assessment__cycle__in=cycles).order_by("pk").values()),
        "reviews": list(CoordinatedReview.objects.filter(cycle__in=cycles).order_by("pk").values(
            "pk", "status", "fingerprint", "requested_at", "started_at", "finished_at")),
        "publications": list(Publication.objects.filter(cycle__in=cycles).order_by("pk").values()),
    }


def text(response):
    """A page's text as a user reads it: no tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def years(dates):
    return {int(year) for date in dates for year in re.findall(r"\b(20\d\d)\b", date)}


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
    first, state, last_entry = row_counts(), demo_state(), LogEntry.objects.latest("pk").pk
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first
    assert demo_state() == state
    assert not LogEntry.objects.filter(pk__gt=last_entry).exists()  # nothing changed, so nothing to answer for


def test_the_story_is_dated_when_it_happened_not_the_day_it_was_seeded(demo):
    client = PortalClient()
    client.force_login(User.objects.get(username="fr-lead"))
    home = text(client.get(reverse("authority_home")))
    assert "2019 national risk assessments of 5G networks – published 9 October 2019" in home  # the EU-CRA's day
    assert "2020 implementation of the EU Toolbox – published 24 July 2020" in home  # the implementation report's
    france = NationalAssessment.objects.get(cycle=demo[2019], member_state__eu_code="FR")
    version = text(client.get(reverse("assessments:version", args=[france.pk, 2])))
    assert "Submitted 5 August 2019, 15:00:00 (Brussels time) by Julien Bernard" in version
    history = version[version.index("History"):version.index("Clarification points")]
    assert re.findall(r"(\d+ \w+ 2019, \d\d:\d\d): [^–]+– ([^(]+)", history) == [
        ("18 Jul 2019, 09:45", "Draft → Submitted "),
        ("25 Jul 2019, 10:00", "Submitted → Returned for clarification "),  # France's, about its sources
        ("5 Aug 2019, 15:00", "Returned for clarification → Submitted "),
        ("12 Aug 2019, 10:00", "Submitted → Accepted ")]

    client.force_login(User.objects.get(username="admin"))
    activity = client.get(reverse("activity"), {"action": "workflow"}).content.decode()
    # Newest first, each instant once (a submission and the marking it was made with share theirs).
    when = list(dict.fromkeys(re.findall(r'<td class="text-nowrap">([^<]*)</td>', activity)))
    # Newest first: the 2026 phase-out reports at their own dates, then the 2023, 2020 and 2019 stories.
    assert when[:4] == ["25 Nov 2026, 09:00:00", "20 Nov 2026, 11:00:00", "12 Nov 2026, 15:00:00",
                        "3 Nov 2026, 10:00:00"]
    assert when[4] == "15 Jun 2023, 10:00:00"  # the 2023 review published on the second progress report's day
    assert years(when[4:]) <= {2019, 2020, 2023}  # (the page's first entries: 2023's; 2019's and 2020's follow)
    client.force_login(User.objects.get(username="reviewer"))
    for cycle, built, published in [(demo[2019], "30 September 2019, 12:00", "9 October 2019, 10:00"),
                                    (demo[2020], "2 June 2020, 10:00", "24 July 2020, 10:00")]:
        reviews = client.get(reverse("reporting:reviews", args=[cycle.pk])).content.decode()
        assert years(re.findall(r"<td>(\d+ \w+ 20\d\d[^<]*)</td>", reviews)) <= {2019, 2020}
        current = Publication.objects.current_of(cycle).review
        assert review_services.review_changes(current) == []  # the current review of its cycle
        page = text(client.get(reverse("reporting:review", args=[current.pk])))
        assert f"Built {built} (Brussels time)" in page and f"Published {published} (Brussels time)" in page


def test_seeding_again_restores_what_people_tried_and_nothing_else(demo):
    before, this_year = demo_state(), demo[timezone.localdate().year]
    # Somebody else's cycle in the same database, with a submission: the demo's reset must not see it.
    ours = helpers.cycle_with_questionnaire(title="A cycle of our own", codes=["AT", "BE"])
    our_lead = factories.user(Role.LEAD_REPORTER, "BE")
    our_version = assessment_services.assessment_submit(
        certify=True, assessment=helpers.fill(helpers.start(ours, our_lead)), user=our_lead)
    # A filer starts this year's update from the 2020 answers, edits it and submits; a reviewer publishes its review.
    filer, reviewer, admin = (User.objects.get(username=name) for name in ("at-lead", "reviewer", "admin"))
    client = PortalClient()
    client.force_login(filer)
    earlier = NationalAssessment.objects.get(cycle=demo[2020], member_state__eu_code="AT").versions.get()
    assert client.post(reverse("assessments:start", args=[this_year.pk]), {"start_from": earlier.pk}).status_code == 302
    draft = NationalAssessment.objects.get(cycle=this_year, member_state__eu_code="AT")
    saved = client.post(reverse("assessments:section", args=[draft.pk, Section.SCOPE.value]),
                        helpers.post_data(draft, Section.SCOPE, **{"scope-summary": "Tried by a visitor."}))
    assert saved.status_code in (200, 302)
    assessment_services.assessment_submit(certify=True, assessment=helpers.fill(draft), user=filer,
                                          confirm_carried=True)
    review, _ = review_services.review_request(cycle=this_year)
    review_services.review_build(review_id=review.pk)
    publishing.review_publish(review=review, user=reviewer)
    # ...withdraws the 2019 publication and accepts what the demo leaves awaiting review; an admin extends a deadline.
    publishing.publication_withdraw(publication=Publication.objects.current_of(demo[2019]), user=reviewer,
                                    reason="Trying the demo.")
    assessment_services.assessment_accept(
        assessment=NationalAssessment.objects.get(cycle=demo[2019], member_state__eu_code="NL"), user=reviewer)
    portal_services.extension_grant(milestone=demo[2019].milestones.get(code="NRA-SUBMIT"),
                                    member_state=MemberState.objects.get(eu_code="RO"),
                                    due_date=datetime.date(2019, 8, 31), due_time=None, reason="Tried.", user=admin)
    # ...and demo accounts are changed.
    filer.set_password("mine now")
    filer.save()
    User.objects.filter(username="de-lead").update(is_active=False)

    call_command("seed_demo", verbosity=0)

    assert demo_state() == before
    filer.refresh_from_db()
    assert filer.check_password(DEMO_PASSWORD) and User.objects.get(username="de-lead").is_active
    client.force_login(filer)
    home = text(client.get(reverse("authority_home")))
    assert "Your assessment: not started" in home and "published 9 October 2019" in home
    current = Publication.objects.current_of(demo[2019])
    assert current.published_at.date() == datetime.date(2019, 10, 9)
    assert review_services.review_changes(current.review) == []  # RO's new deadline went with its extension
    # What was not the demo's is as it was.
    assert NationalAssessment.objects.get(cycle=ours).versions.get() == our_version
    assert CoordinatedReview.objects.filter(cycle=ours).exists()
    assert our_lead.password == User.objects.get(pk=our_lead.pk).password


def test_a_story_an_older_seed_dated_the_day_of_seeding_is_told_again_at_its_dates(demo):
    """As the seed before dated it: the versions at their dates, everything else at the day of seeding."""
    cycle, now = demo[2020], timezone.now()
    Transition.objects.filter(assessment__cycle=cycle).update(at=now)
    CoordinatedReview.objects.filter(cycle=cycle).update(requested_at=now, finished_at=now)
    Publication.objects.filter(cycle=cycle).update(published_at=now)

    call_command("seed_demo", verbosity=0)

    told = [at for at, _what, _code in story.story_2020(cycle)]
    assert sorted(AssessmentVersion.objects.filter(assessment__cycle=cycle).values_list("submitted_at", flat=True)) \
        == sorted(Transition.objects.filter(assessment__cycle=cycle).values_list("at", flat=True)) == told
    assert {review.finished_at for review in CoordinatedReview.objects.filter(cycle=cycle)} <= set(told)
    client = PortalClient()
    client.force_login(User.objects.get(username="fr-lead"))
    home = text(client.get(reverse("authority_home")))
    assert "2020 implementation of the EU Toolbox – published 24 July 2020" in home


def test_a_2019_story_an_older_seed_told_with_the_eu_scenarios_is_told_again_without_them(demo):
    """Seeds before asked the 2019 cycle to rate R1-R9, which the EU set out only in October 2019."""
    cycle = demo[2019]
    questionnaire = cycle.questionnaire
    questionnaire.scenarios.set(RiskScenario.objects.all())
    version = AssessmentVersion.objects.filter(assessment__cycle=cycle).first()
    ScenarioRating.objects.create(assessment=version.assessment, version=version, scenario=RiskScenario.objects.first(),
                                  likelihood=3, impact=3, level="medium")

    call_command("seed_demo", verbosity=0)

    assert not questionnaire.scenarios.exists()
    assert not ScenarioRating.objects.filter(assessment__cycle=cycle).exists()
    assert AssessmentVersion.objects.filter(assessment__cycle=cycle).count() == 29  # 28 and France's second
    point = ClarificationPoint.objects.get(assessment__cycle=cycle)
    assert (point.section, point.item) == ("threats", "state")


def test_it_stops_rather_than_take_over_a_cycle_it_did_not_make(demo):
    this_year = demo[timezone.localdate().year]
    lead = User.objects.get(username="at-lead")
    draft = helpers.start(this_year, lead)
    ReportingCycle.objects.filter(pk=this_year.pk).update(is_demo=False)  # as if it were somebody's real cycle
    with pytest.raises(CommandError, match=f"“{this_year.title}” exists and is not the demo's"):
        call_command("seed_demo", verbosity=0)
    assert NationalAssessment.objects.filter(pk=draft.pk).exists()


def test_a_new_year_brings_its_own_open_cycle(demo):
    last_year = demo[timezone.localdate().year]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366), tick=False):
        call_command("seed_demo", verbosity=0)
        open_cycle = ReportingCycle.objects.open().get(title__startswith="National risk assessments")
        assert open_cycle.title == f"National risk assessments: {timezone.localdate().year} update"
    assert not ReportingCycle.objects.filter(pk=last_year.pk).exists()


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
    # The Toolbox's measures did not exist before 29 January 2020, nor the EU's risk scenarios before 9 October 2019:
    # 2019 asks what the Recommendation asked (threats and actors, assets, suppliers).
    assert cycle_2019.questionnaire.sections == [Section.SCOPE, Section.THREATS, Section.ASSETS, Section.SUPPLIERS,
                                                 Section.ATTACHMENTS]
    assert not ScenarioRating.objects.filter(assessment__cycle=cycle_2019).exists()
    assert cycle_2020.questionnaire.sections == [Section.MEASURES, Section.ATTACHMENTS]
    submit = cycle_2019.milestones.get(code="NRA-SUBMIT")
    assert submit.due_date.isoformat() == "2019-07-15"
    eu_cra = cycle_2019.milestones.get(code="EU-CRA")
    assert (eu_cra.due_date.isoformat(), eu_cra.met_on.isoformat()) == ("2019-10-01", "2019-10-09")
    assert cycle_2020.milestones.get(code="KEY-MEASURES").due_date.isoformat() == "2020-04-30"
    # 2023, the second progress report: the Toolbox's measures and what the report counted, EU27.
    cycle_2023 = demo[2023]
    assert cycle_2023.questionnaire.sections == [Section.MEASURES, Section.LEGISLATION, Section.ATTACHMENTS]
    assert cycle_2023.covered_member_states().count() == 27 and not cycle_2023.is_open
    assert not cycle_2019.questionnaire.asks_legislation and not cycle_2020.questionnaire.asks_legislation
    assert not LegislationAnswer.objects.filter(assessment__cycle__in=[cycle_2019, cycle_2020]).exists()
    fresh = ReportingCycle.objects.open().get(title__startswith="National risk assessments")
    assert fresh.covered_member_states().count() == 27
    assert not NationalAssessment.objects.filter(cycle=fresh).exists()


def test_the_demo_has_every_role_and_filers_in_several_member_states(demo):
    reporters = User.objects.filter(groups__name=Role.REPORTER).values_list("authority__member_state", flat=True)
    leads = User.objects.filter(groups__name=Role.LEAD_REPORTER).values_list("authority__member_state", flat=True)
    assert len(set(reporters) & set(leads)) >= 3
    assert User.objects.filter(groups__name=Role.REVIEWER).exists()
    assert User.objects.filter(groups__name=Role.ADMIN).exists()


def test_the_demo_answers_and_people_vary_as_real_ones_would(demo):
    """Not one answer copied 28 times: suppliers' profiles and shares, the measures' counts, the people's names."""
    versions = {"version__assessment__cycle": demo[2019], "version__isnull": False}
    huawei = SupplierPresence.objects.filter(**versions, supplier__name="Huawei")
    assert huawei.count() >= 28 and set(huawei.values_list("risk_profile", flat=True)) >= {"high", "medium"}
    assert huawei.exclude(share_core=F("share_access")).count() >= 20
    assert len(set(huawei.values_list("share_core", flat=True))) >= 10
    technical = {}
    for code, status in MeasureStatus.objects.filter(
            version__assessment__cycle=demo[2020], version__isnull=False, measure__kind="TM").values_list(
            "measure__code", "status"):
        technical.setdefault(code, Counter())[status] += 1
    assert len(technical) == 11 and len({tuple(sorted(c.items())) for c in technical.values()}) >= 5
    assert all(max(counts, key=counts.get) == "in_preparation" for counts in technical.values())
    leads = User.objects.filter(groups__name=Role.LEAD_REPORTER, is_demo=True)
    names = {(user.first_name, user.last_name) for user in leads}
    assert len(names) == leads.count() == 28 and not any(first in ("Lead", "Reporter") for first, _last in names)


@pytest.mark.parametrize(("username", "home"), [("admin", "manage_home"), ("fr-lead", "authority_home")])
def test_the_demo_signs_in_with_the_demo_second_factor_code_and_only_with_it(demo, settings, username, home):
    settings.DEBUG, settings.MFA_TOTP_INSECURE_BYPASS_CODE = True, "000000"  # what `make run` and `make demo` set
    call_command("seed_demo", verbosity=0)
    client = PortalClient()
    response = client.post(reverse("account_login"), {"login": username, "password": DEMO_PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": "123123"}).status_code == 200  # refused
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 302
    assert client.get(reverse(home)).status_code == 200


def test_the_2026_cycle_tracks_the_phase_out_against_36_month_deadlines(client, demo):
    """Four member states submitted their tracker in November 2026, two keep drafts; the suppliers and their
    designations are illustrative (the proposal is not law), and every planned date is read against its deadline."""
    cycle = ReportingCycle.objects.get(title__startswith="2026 ICT supply-chain rules")
    assert cycle.is_open and cycle.questionnaire.asks_phase_out
    designated = dict(Supplier.objects.filter(designated_high_risk_on__isnull=False).values_list(
        "name", "designated_high_risk_on"))
    assert designated == {"High-risk supplier A (illustrative)": datetime.date(2026, 3, 31),
                          "High-risk supplier B (illustrative)": datetime.date(2026, 9, 30)}
    client.force_login(User.objects.get(username="reviewer"))
    report = client.get(reverse("reporting:phase_out", args=[cycle.pk]), {"as_of": "2026-12-01"}).context["report"]
    counted = {line.member_state.eu_code: line.in_order for line in report.lines}
    # Removed, on track, at risk, overdue; the drafts of Austria and Poland are not counted.
    assert counted == {"DE": [2, 1, 1, 0], "FR": [0, 3, 0, 0], "NL": [0, 1, 1, 0], "FI": [1, 1, 0, 0]}
    assert report.eu.in_order == [3, 6, 2, 0] and report.eu.earliest_deadline.day == datetime.date(2029, 3, 31)
    assert PhaseOutEntry.objects.filter(assessment__cycle=cycle, assessment__member_state__eu_code__in=["AT", "PL"],
                                        version__isnull=True).count() == 4


HEADLINE_2023 = ("Legislation adopted or in preparation: 24 of 27 member states; restrictions imposed: 10; "
                 "implementing the legislation: 3.")


def legislation_figures(page):
    """The published review's "Legislation and restrictions" table: {answer: member states}."""
    _headers, rows = review_table(page, "legislation")
    return {row[0]: row[1] for row in rows}


@pytest.mark.parametrize("username", ["reviewer", "fr-lead", "pl-reporter"])
def test_the_published_2023_review_and_the_dashboards_say_24_10_3(demo, username):
    """The second progress report (15 June 2023): 24 member states with legislation adopted or in preparation giving
    authorities powers to assess suppliers and issue restrictions, 10 of them having imposed restrictions, 3 working
    on implementing it; counted by the portal's own review, as a reviewer and member states' staff read it."""
    cycle = demo[2023]
    publication = Publication.objects.current_of(cycle)
    assert publication.published_at.astimezone(BRUSSELS).date() == datetime.date(2023, 6, 15)
    user = User.objects.get(username=username)
    client = PortalClient()
    client.force_login(user)
    page = client.get(reverse("reporting:review", args=[publication.review_id])).content.decode()
    assert legislation_figures(page) == {
        "Member states answering": "27", "Legislation adopted or in preparation": "24", "of which adopted": "16",
        "of which in preparation": "8", "No such legislation": "3", "Unanswered": "0",
        "of which restrictions imposed": "10", "of which implementing the national legislation": "3"}
    if user.is_reviewer:
        dashboard = text(client.get(reverse("reporting:dashboard", args=[cycle.pk])))
        assert HEADLINE_2023 in dashboard
    else:
        home = text(client.get(reverse("authority_home")))
        assert f"2023 second progress report on the EU Toolbox – published 15 June 2023 {HEADLINE_2023}" in home


def test_no_event_of_the_2023_story_is_dated_after_its_cycle_closed(demo):
    cycle = demo[2023]
    closed, started = cycle.closed_at, datetime.datetime(2023, 1, 16, tzinfo=BRUSSELS)
    events = [*AssessmentVersion.objects.filter(assessment__cycle=cycle).values_list("submitted_at", flat=True),
              *Transition.objects.filter(assessment__cycle=cycle).values_list("at", flat=True),
              *Publication.objects.filter(cycle=cycle).values_list("published_at", flat=True)]
    for review in CoordinatedReview.objects.filter(cycle=cycle):
        events += [review.requested_at, review.started_at, review.finished_at]
    assert len(events) > 27 * 2 and all(started < at <= closed for at in events)
    assert closed == datetime.datetime(2023, 6, 15, 12, 0, tzinfo=BRUSSELS)
    # Most on time for the demo's deadline of 31 March 2023, a few after it; each accepted a week after it came.
    late = [code for at, what, code in story.story_2023(cycle)
            if what == "submit" and at.date() > datetime.date(2023, 3, 31)]
    assert sorted(late) == ["BG", "MT", "PL"]
    assert Transition.objects.filter(assessment__cycle=cycle, to_status="accepted").count() == 27


def test_the_2023_answers_moved_on_from_2020_and_vary(demo):
    """Statuses moved on from 2020 (none went back for most measures); SM03 follows the legislation; notes vary."""
    def statuses(cycle):
        return dict(((code, measure), status) for code, measure, status in MeasureStatus.objects.filter(
            version__assessment__cycle=cycle).values_list("version__assessment__member_state__eu_code",
                                                         "measure__code", "status"))
    before, after = statuses(demo[2020]), statuses(demo[2023])
    order = ["not_started", "planned", "in_preparation", "adopted", "applied"]
    moved = [key for key in after if order.index(after[key]) > order.index(before[key])]
    assert len(moved) >= len(after) // 2
    restricted = set(LegislationAnswer.objects.filter(version__assessment__cycle=demo[2023],
                                                      restrictions_imposed="yes").values_list(
        "version__assessment__member_state__eu_code", flat=True))
    assert len(restricted) == 10 and all(after[(code, "SM03")] == "applied" for code in restricted)
    notes = LegislationAnswer.objects.filter(version__assessment__cycle=demo[2023]).exclude(note="")
    assert len(set(notes.values_list("note", flat=True))) >= 4


def test_a_2023_story_an_older_seed_dated_the_day_of_seeding_is_told_again_at_its_dates(demo):
    cycle, now = demo[2023], timezone.now()
    Transition.objects.filter(assessment__cycle=cycle).update(at=now)
    Publication.objects.filter(cycle=cycle).update(published_at=now)

    call_command("seed_demo", verbosity=0)

    told = sorted(at for at, _what, _code in story.story_2023(cycle))
    assert sorted(Transition.objects.filter(assessment__cycle=cycle).values_list("at", flat=True)) == told
    published = Publication.objects.current_of(cycle).published_at
    assert published.astimezone(BRUSSELS).date() == datetime.date(2023, 6, 15)
    with_powers = LegislationAnswer.objects.filter(version__assessment__cycle=cycle,
                                                   powers__in=["adopted", "in_preparation"])
    assert with_powers.count() == 24
