"""Small builders for test data. Reference data (member states, catalogue, roles) comes from migrations."""

import datetime
import itertools

from django.contrib.auth.models import Group

from portal.models import Authority, MemberState, Milestone, ReportingCycle, Role, User

PASSWORD = "correct-horse-battery-5g"
_seq = itertools.count(1)


def member_state(code):
    """By EU code (EL, UK) or ISO code (GR, GB)."""
    return MemberState.objects.filter(eu_code=code).first() or MemberState.objects.get(iso_code=code)


def authority(code, name=None):
    ms = member_state(code)
    obj, _ = Authority.objects.get_or_create(
        member_state=ms, name=name or f"Authority of {ms.name}", defaults={"kind": Authority.Kind.CYBERSECURITY}
    )
    return obj


def user(role, code=None, username=None):
    username = username or f"{role.replace(' ', '-')}-{code or 'eu'}-{next(_seq)}".lower()
    obj = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.eu",
        authority=authority(code) if code else None, is_staff=(role == Role.ADMIN),
    )
    obj.groups.add(Group.objects.get(name=role))
    return obj


def cycle(title="Test cycle", year=2019, starts_on=datetime.date(2019, 3, 26), codes=None, **fields):
    obj = ReportingCycle.objects.create(title=title, year=year, starts_on=starts_on, **fields)
    states = MemberState.objects.members_on(starts_on)
    if codes is not None:
        states = states.filter(eu_code__in=codes)
    obj.member_states.set(states)
    return obj


def milestone(cycle, code="NRA-SUBMIT", due=datetime.date(2019, 7, 15), scope=Milestone.Scope.MEMBER_STATE, **fields):
    return Milestone.objects.create(cycle=cycle, code=code, title=fields.pop("title", code), scope=scope, due_date=due,
                                    **fields)
