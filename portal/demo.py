"""Demo data for `manage.py seed_demo`: authorities, users, the 2019 and 2020 cycles in full, and an open cycle.

A composition point (with portal/views/home.py): the only other module of `portal` that imports the apps built on
it, to fill them. Everything is keyed on natural keys, so running the seed again changes nothing. What the data
reproduces of the public record is said in assessments/demo.py.
"""

import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from assessments import demo as answers
from assessments.models import Questionnaire
from assessments.services import questionnaire_for
from portal import services
from portal.deadlines import BRUSSELS
from portal.models import Authority, Extension, MemberState, Milestone, ReportingCycle, Role, User
from portal.security import requires_second_factor
from reporting import publishing
from reporting import services as review_services
from reporting.models import CoordinatedReview

DEMO_PASSWORD = "5g-demo-portal"
D = datetime.date

# Real bodies where the public record names them; the rest are labelled generically.
NAMED_AUTHORITIES = {
    "AT": ("RTR (Rundfunk und Telekom Regulierungs-GmbH)", Authority.Kind.REGULATOR),
    "DE": ("Federal Office for Information Security (BSI)", Authority.Kind.CYBERSECURITY),
    "FR": ("National Cybersecurity Agency of France (ANSSI)", Authority.Kind.CYBERSECURITY),
    "PL": ("Ministry of Digital Affairs", Authority.Kind.MINISTRY),
}
# Member states (ISO codes) whose reporter and lead reporter the README lists.
DEMO_FILERS = ["AT", "DE", "FR", "PL"]

CYCLES = [
    {
        "title": "2019 national risk assessments of 5G networks",
        "year": 2019,
        # Commission Recommendation (EU) 2019/534 of 26 March 2019: EU28.
        "starts_on": D(2019, 3, 26),
        # The Toolbox's measures did not exist before 29 January 2020: this cycle does not ask about them.
        "asks": "assessment",
        "closed_at": datetime.datetime(2019, 10, 31, 18, 0, tzinfo=BRUSSELS),
        "milestones": [
            ("NRA-COMPLETE", "National risk assessment completed", "member_state", D(2019, 6, 30), None),
            ("NRA-SUBMIT", "National risk assessment sent to the Commission and ENISA", "member_state",
             D(2019, 7, 15), None),
            ("EU-CRA", "EU coordinated risk assessment", "eu", D(2019, 10, 1), D(2019, 10, 9)),
            ("TOOLBOX", "Toolbox of risk mitigating measures agreed", "eu", D(2019, 12, 31), D(2020, 1, 29)),
        ],
    },
    {
        "title": "2020 implementation of the EU Toolbox",
        "year": 2020,
        # After the UK left on 1 Feb 2020: EU27.
        "starts_on": D(2020, 2, 1),
        "asks": "measures",
        "closed_at": datetime.datetime(2020, 7, 24, 12, 0, tzinfo=BRUSSELS),
        "milestones": [
            ("KEY-MEASURES", "Key measures of the Toolbox implemented", "member_state", D(2020, 4, 30), None),
            ("IMPL-REPORT", "Joint report on implementation in each member state", "eu", D(2020, 6, 30),
             D(2020, 7, 24)),
            ("EFFECTS", "Effects of the Recommendation assessed", "eu", D(2020, 10, 1), None),
        ],
    },
]
SUBMISSION_MILESTONES = {"NRA-SUBMIT", "KEY-MEASURES"}


def _user(username, *, role, authority=None, first_name="", last_name="", **extra):
    user, created = User.objects.update_or_create(
        username=username,
        defaults={"authority": authority, "first_name": first_name, "last_name": last_name,
                  "email": f"{username}@example.eu", **extra},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role))
    if settings.MFA_TOTP_INSECURE_BYPASS_CODE and requires_second_factor(user):
        # `make run` only (DEBUG, DEMO_SECOND_FACTOR_CODE): an authenticator whose secret nobody knows, so that the
        # demo code is what signs in. Without it, these accounts enrol a real factor at their first sign-in.
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                            defaults={"data": {"secret": encrypt(generate_totp_secret())}})
    return user


def _cycle(spec, admin):
    cycle = ReportingCycle.objects.filter(title=spec["title"]).first()
    if cycle is None:
        cycle = services.cycle_create(title=spec["title"], year=spec["year"], starts_on=spec["starts_on"],
                                      member_states=MemberState.objects.members_on(spec["starts_on"]), user=admin)
    questionnaire = questionnaire_for(cycle)
    if spec["asks"] == "measures":
        Questionnaire.objects.filter(pk=questionnaire.pk).update(asks_scope=False, asks_suppliers=False)
        for catalogue in ("threat_actors", "threats", "asset_classes", "criteria", "scenarios"):
            getattr(questionnaire, catalogue).set([])  # set(), not clear(): the audit trail records only a change
    elif spec["asks"] == "assessment":
        questionnaire.measures.set([])
    questionnaire.refresh_from_db()
    for code, title, scope, due, met in spec["milestones"]:
        Milestone.objects.update_or_create(
            cycle=cycle, code=code, defaults={"title": title, "scope": scope, "due_date": due, "met_on": met,
                                              "tracks_submission": code in SUBMISSION_MILESTONES})
    return cycle


def _open_cycle(admin):
    """This year's update, open, for filers to try: nobody has started it."""
    today = timezone.localdate()
    title = f"National risk assessments: {today.year} update"
    cycle = ReportingCycle.objects.filter(title=title).first()
    if cycle is None:
        starts_on = D(today.year, 1, 1)
        cycle = services.cycle_create(title=title, year=today.year, starts_on=starts_on,
                                      member_states=MemberState.objects.members_on(starts_on), user=admin)
        Milestone.objects.create(cycle=cycle, code="NRA-SUBMIT", title="Updated national risk assessment sent",
                                 scope="member_state", due_date=today + datetime.timedelta(days=60),
                                 tracks_submission=True)
    questionnaire_for(cycle)
    return cycle


@transaction.atomic
def _seed():
    authorities = {}
    for member_state in MemberState.objects.all():
        generic = (f"National cybersecurity authority of {member_state.name}", Authority.Kind.CYBERSECURITY)
        name, kind = NAMED_AUTHORITIES.get(member_state.iso_code, generic)
        authorities[member_state.iso_code], _ = Authority.objects.update_or_create(
            member_state=member_state, name=name, defaults={"kind": kind})

    admin = _user("admin", role=Role.ADMIN, first_name="Ada", last_name="Admin", is_staff=True)
    reviewer = _user("reviewer", role=Role.REVIEWER, first_name="Rita", last_name="Reviewer")
    logins = [(admin.username, "admin", ""), (reviewer.username, "reviewer", "")]
    for iso in DEMO_FILERS:
        authority = authorities[iso]
        prefix = authority.member_state.eu_code.lower()
        _user(f"{prefix}-reporter", role=Role.REPORTER, authority=authority, first_name="Reporter",
              last_name=authority.member_state.name)
        logins += [(f"{prefix}-reporter", "reporter", authority.member_state.name),
                   (f"{prefix}-lead", "lead reporter", authority.member_state.name)]

    def lead_for(member_state):
        return _user(f"{member_state.eu_code.lower()}-lead", role=Role.LEAD_REPORTER,
                     authority=authorities[member_state.iso_code], first_name="Lead", last_name=member_state.name)

    cycle_2019, cycle_2020 = (_cycle(spec, admin) for spec in CYCLES)
    code, until, reason, granted_at = answers.EXTENSION_2019
    milestone, member_state = cycle_2019.milestones.get(code="NRA-SUBMIT"), MemberState.objects.get(eu_code=code)
    if not Extension.objects.filter(milestone=milestone, member_state=member_state).exists():
        services.extension_grant(milestone=milestone, member_state=member_state, due_date=until, due_time=None,
                                 reason=reason, user=admin, granted_at=granted_at)
    answers.submit_history_2019(cycle_2019, lead_for, reviewer)
    answers.submit_history_2020(cycle_2020, lead_for)
    for spec, cycle in zip(CYCLES, (cycle_2019, cycle_2020)):
        ReportingCycle.objects.filter(pk=cycle.pk).update(status=ReportingCycle.Status.CLOSED,
                                                          closed_at=spec["closed_at"])
    lead_for(MemberState.objects.get(iso_code="AT"))  # the lead reporters of the README exist in any case
    for iso in DEMO_FILERS:
        lead_for(authorities[iso].member_state)
    _open_cycle(admin)
    return logins, [cycle_2019, cycle_2020], reviewer


def seed_demo():
    """Create or refresh the demo data set; returns the demo logins as (username, role, member state).

    Submissions ask for reviews as in the portal; built in-process (no broker configured), the last review of each
    historical cycle is published, so that filers see the EU picture. With a broker, the worker builds them.
    """
    logins, cycles, reviewer = _seed()  # reviews requested by the submissions are built once this commits
    if settings.CELERY_TASK_ALWAYS_EAGER:
        for cycle in cycles:
            review, _created = review_services.review_request(cycle=cycle)
            review_services.review_build(review_id=review.pk)
            if not CoordinatedReview.objects.get(pk=review.pk).is_published:
                publishing.review_publish(review=review, user=reviewer)
    return logins
