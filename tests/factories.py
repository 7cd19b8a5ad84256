"""Factories (factory-boy) for the domain objects.

Reference data (member states, the catalogue, the role groups) comes from migrations, so factories look it up
rather than invent it. Cycles cover member states through the portal's own service, as the admin pages do.
"""

import datetime

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from portal import services as portal_services
from portal.models import Authority, Extension, MemberState, Milestone, ReportingCycle, Role, User

PASSWORD = "correct-horse-battery-5g"


def member_state(code):
    """By EU code (EL, UK) or ISO code (GR, GB)."""
    return MemberState.objects.filter(eu_code=code).first() or MemberState.objects.get(iso_code=code)


class AuthorityFactory(DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("member_state", "name")

    member_state = factory.LazyFunction(lambda: member_state("AT"))
    name = factory.LazyAttribute(lambda o: f"Authority of {o.member_state.name}")
    kind = Authority.Kind.CYBERSECURITY


class UserFactory(DjangoModelFactory):
    """A user with one role (`role=`); `code=` names the member state of authority staff."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        code = None

    username = factory.Sequence(lambda n: f"user-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.eu")
    authority = factory.LazyAttribute(lambda o: AuthorityFactory(member_state=member_state(o.code)) if o.code else None)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):  # noqa: N805 -- factory-boy's hook takes the object first
        role = extracted or Role.REPORTER
        obj.set_password(PASSWORD)
        obj.is_staff = role == Role.ADMIN
        obj.save()
        obj.groups.add(Group.objects.get(name=role))


def user(role, code=None, username=None):
    slug = f"{role.replace(' ', '-')}-{(code or 'eu').lower()}"
    return UserFactory(role=role, code=code, username=username or factory.Sequence(lambda n: f"{slug}-{n}"))


class CycleFactory(DjangoModelFactory):
    """A cycle asking, from its start, every member of the Union on its start day (or those of `covering=`)."""

    class Meta:
        model = ReportingCycle
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Test cycle {n}")
    year = 2019
    starts_on = datetime.date(2019, 3, 26)

    @factory.post_generation
    def covering(obj, create, extracted, **kwargs):  # noqa: N805
        states = MemberState.objects.members_on(obj.starts_on)
        if extracted is not None:
            states = states.filter(eu_code__in=extracted)
        for state in states:
            portal_services.coverage_add(cycle=obj, member_state=state, user=None, from_start=True)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    code = "NRA-SUBMIT"
    title = factory.LazyAttribute(lambda o: o.code)
    scope = Milestone.Scope.MEMBER_STATE
    due_date = datetime.date(2019, 7, 15)


class ExtensionFactory(DjangoModelFactory):
    """An extension in force from `granted_at` (1 July 2019 unless said)."""

    class Meta:
        model = Extension

    member_state = factory.LazyFunction(lambda: member_state("DE"))
    due_date = datetime.date(2019, 7, 31)
    reason = "Elections"
    granted_by = factory.SubFactory(UserFactory, role=Role.ADMIN)
    granted_at = datetime.datetime(2019, 7, 1, tzinfo=datetime.UTC)
