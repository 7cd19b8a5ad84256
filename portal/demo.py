"""Demo data for `manage.py seed_demo`: authorities, one user per role, the 2019 and 2020 cycles.

Everything is keyed on natural keys and written with update_or_create, so
running the seed again changes nothing.
"""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction

from assessments.demo import DEMO_EXTENSION_2019, submit_history
from assessments.models import Questionnaire
from assessments.services import questionnaire_for
from portal.models import Authority, Extension, MemberState, Milestone, ReportingCycle, Role, User

DEMO_PASSWORD = "5g-demo-portal"
D = datetime.date

# Real bodies where the public record names them; the rest are labelled generically.
NAMED_AUTHORITIES = {
    "AT": ("RTR (Rundfunk und Telekom Regulierungs-GmbH)", Authority.Kind.REGULATOR),
    "DE": ("Federal Office for Information Security (BSI)", Authority.Kind.CYBERSECURITY),
    "FR": ("National Cybersecurity Agency of France (ANSSI)", Authority.Kind.CYBERSECURITY),
    "PL": ("Ministry of Digital Affairs", Authority.Kind.MINISTRY),
}
# Member states (ISO codes) with a demo reporter and lead reporter each.
DEMO_FILERS = ["AT", "DE", "FR", "PL"]

# The milestones a national submission in the portal meets.
SUBMISSION_MILESTONES = {"NRA-SUBMIT", "KEY-MEASURES"}

CYCLES = [
    {
        "title": "2019 national risk assessments of 5G networks",
        "year": 2019,
        # Commission Recommendation (EU) 2019/534 of 26 March 2019: EU28.
        "starts_on": D(2019, 3, 26),
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
        "measures_only": True,
        "milestones": [
            ("KEY-MEASURES", "Key measures of the Toolbox implemented", "member_state", D(2020, 4, 30), None),
            ("IMPL-REPORT", "Joint report on implementation in each member state", "eu", D(2020, 6, 30),
             D(2020, 7, 24)),
            ("EFFECTS", "Effects of the Recommendation assessed", "eu", D(2020, 10, 1), None),
        ],
    },
]


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
    return user


@transaction.atomic
def seed_demo():
    """Create or refresh the demo data set; returns the demo logins as (username, role, member state)."""
    authorities = {}
    for member_state in MemberState.objects.all():
        name, kind = NAMED_AUTHORITIES.get(
            member_state.iso_code, (f"National cybersecurity authority of {member_state.name}", Authority.Kind.CYBERSECURITY)
        )
        authorities[member_state.iso_code], _ = Authority.objects.update_or_create(
            member_state=member_state, name=name, defaults={"kind": kind}
        )

    logins = [
        (_user("admin", role=Role.ADMIN, first_name="Ada", last_name="Admin", is_staff=True).username, "admin", ""),
        (_user("reviewer", role=Role.REVIEWER, first_name="Rita", last_name="Reviewer").username, "reviewer", ""),
    ]
    for iso in DEMO_FILERS:
        authority = authorities[iso]
        prefix = authority.member_state.eu_code.lower()
        _user(f"{prefix}-reporter", role=Role.REPORTER, authority=authority, first_name="Reporter",
              last_name=authority.member_state.name)
        _user(f"{prefix}-lead", role=Role.LEAD_REPORTER, authority=authority, first_name="Lead",
              last_name=authority.member_state.name)
        logins += [(f"{prefix}-reporter", "reporter", authority.member_state.name),
                   (f"{prefix}-lead", "lead reporter", authority.member_state.name)]

    for spec in CYCLES:
        cycle, _ = ReportingCycle.objects.update_or_create(
            title=spec["title"], defaults={"year": spec["year"], "starts_on": spec["starts_on"]}
        )
        cycle.member_states.set(MemberState.objects.members_on(spec["starts_on"]))
        questionnaire = questionnaire_for(cycle)
        if spec.get("measures_only"):
            # The 2020 cycle asks only how far each Toolbox measure has got.
            Questionnaire.objects.filter(pk=questionnaire.pk).update(asks_scope=False, asks_suppliers=False)
            for catalogue in ("threat_actors", "threats", "asset_classes", "criteria", "scenarios"):
                getattr(questionnaire, catalogue).clear()
        for code, title, scope, due, met in spec["milestones"]:
            Milestone.objects.update_or_create(
                cycle=cycle, code=code,
                defaults={"title": title, "scope": scope, "due_date": due, "met_on": met,
                          "tracks_submission": code in SUBMISSION_MILESTONES},
            )
    admin = User.objects.get(username="admin")
    cycle_2019 = ReportingCycle.objects.get(year=2019)
    code, until, reason = DEMO_EXTENSION_2019
    Extension.objects.update_or_create(
        milestone=cycle_2019.milestones.get(code="NRA-SUBMIT"), member_state=MemberState.objects.get(eu_code=code),
        defaults={"due_date": until, "reason": reason, "granted_by": admin},
    )
    submit_history(cycle_2019, lambda ms: _user(f"{ms.eu_code.lower()}-lead", role=Role.LEAD_REPORTER,
                                                authority=authorities[ms.iso_code], first_name="Lead",
                                                last_name=ms.name))
    return logins
