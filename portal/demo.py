"""Demo data for `manage.py seed_demo`: authorities, users, the 2019, 2020 and 2023 cycles in full, an open cycle,
and the 2026 supply-chain cycle with its phase-out tracker.

A composition point (with portal/views/home.py): the only other module of `portal` that imports the apps built on
it, to fill them. What the data reproduces of the public record, and which dates are illustrative, is said in
assessments/demo.py.

**Running it again restores the demo** (and changes nothing when nobody touched it). It acts only on what it made,
marked `is_demo` (a cycle or an account of the same name that is not marked stops it: `NotTheDemos`):
- the demo accounts: names, authority, role, active, the password `DEMO_PASSWORD`, their second factors as the README
  says (with DEMO_SECOND_FACTOR_CODE, an authenticator whose secret nobody knows, so that the code signs in; without,
  none), and their lockouts lifted;
- the open cycle, this year's update: untouched again (no assessment, review, publication or export; its coverage,
  its one milestone due 60 days from the day of seeding, no extension, no reopening); an earlier year's is removed;
- the 2019, 2020 and 2023 cycles as their story ended: what was recorded in them after they closed (versions,
  transitions, clarification points, reviews, publications, exports, extensions, reopenings) is removed, the
  assessments' statuses and a withdrawn publication of the story stand again, their coverage and milestones are
  as seeded; a story found told otherwise (by an older seed, at the day of seeding) is told again. Not restored:
  draft answers edited after the story, and questionnaires an admin changed.
The audit trail keeps every entry: it is the record of what people tried.
"""

import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments import demo as answers
from assessments.models import Questionnaire
from assessments.services import questionnaire_for
from portal import accounts, services
from portal.deadlines import BRUSSELS
from portal.models import (
    Authority,
    CycleCoverage,
    Extension,
    MemberState,
    Milestone,
    Reopening,
    ReportingCycle,
    Role,
    User,
)
from portal.security import requires_second_factor
from reporting import publishing
from reporting import services as review_services
from reporting.models import CoordinatedReview, Export, Publication, ReviewStatus

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
# The demo's people, by EU code: invented names common in each member state (the lead, then the reporter).
PEOPLE = {
    "AT": ("Stefan Gruber", "Katharina Huber"), "BE": ("Els Peeters", ""), "BG": ("Ivan Georgiev", ""),
    "CY": ("Andreas Georgiou", ""), "CZ": ("Petra Novotná", ""), "DE": ("Thomas Müller", "Anna Schmidt"),
    "DK": ("Mette Jensen", ""), "EE": ("Kristjan Tamm", ""), "EL": ("Eleni Papadopoulou", ""),
    "ES": ("Lucía García", ""), "FI": ("Aino Virtanen", ""), "FR": ("Julien Bernard", "Camille Martin"),
    "HR": ("Ana Horvat", ""), "HU": ("Gábor Nagy", ""), "IE": ("Siobhán Murphy", ""), "IT": ("Giulia Rossi", ""),
    "LT": ("Rūta Kazlauskienė", ""), "LU": ("Claude Schmit", ""), "LV": ("Jānis Bērziņš", ""),
    "MT": ("Maria Borg", ""), "NL": ("Sanne de Vries", ""), "PL": ("Piotr Nowak", "Agnieszka Kowalska"),
    "PT": ("João Silva", ""), "RO": ("Andrei Popescu", ""), "SE": ("Erik Andersson", ""),
    "SI": ("Nina Novak", ""), "SK": ("Martin Horváth", ""), "UK": ("James Smith", ""),
}

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
        "story": answers.story_2019,
        # The review is published the day this milestone was met (the EU coordinated risk assessment).
        "published_with": "EU-CRA",
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
        "story": answers.story_2020,
        "published_with": "IMPL-REPORT",  # the implementation report of 24 July 2020
    },
    {
        # The second progress report on the Toolbox (15 June 2023, DOMAIN.md "After 2020"): what it counted is asked
        # (the legislation section) beside the Toolbox's measures. The record gives the report's day only: the
        # cycle's start, its submission deadline and its close are the demo's.
        "title": "2023 second progress report on the EU Toolbox",
        "year": 2023,
        "starts_on": D(2023, 1, 16),  # the demo's; EU27
        "asks": "progress",
        "closed_at": datetime.datetime(2023, 6, 15, 12, 0, tzinfo=BRUSSELS),  # the demo's: the report's day
        "milestones": [
            ("PROGRESS-SUBMIT", "Progress on the Toolbox reported", "member_state", D(2023, 3, 31), None),  # demo's
            # Its due day is the demo's; the day it was met is the report's.
            ("PROGRESS-REPORT", "Second progress report on the Toolbox's implementation", "eu", D(2023, 6, 30),
             D(2023, 6, 15)),
        ],
        "story": answers.story_2023,
        "published_with": "PROGRESS-REPORT",  # the report of 15 June 2023
    },
]
# The 2026 supply-chain rules: a cycle keeping the phase-out tracker (assessments/demo.py, PHASE_OUT_2026), open for
# the demo filers to try, four member states having submitted. Its reference date is the proposal's (20 January 2026,
# EU27); its milestone's date is illustrative (the proposal sets no reporting date).
SUPPLY_CHAIN_2026 = {
    "title": "2026 ICT supply-chain rules: phase-out of high-risk suppliers",
    "year": 2026,
    "starts_on": D(2026, 1, 20),
    "milestones": [("PHASE-OUT-REPORT", "Phase-out tracker sent", "member_state", D(2026, 11, 30), None)],
}
SUBMISSION_MILESTONES = {"NRA-SUBMIT", "KEY-MEASURES", "PROGRESS-SUBMIT", "PHASE-OUT-REPORT"}
PUBLISHED_AT = datetime.time(10, 0)  # illustrative: the record gives the day
OPEN_TITLE = "National risk assessments: {year} update"
OPEN_DUE_IN = datetime.timedelta(days=60)


class NotTheDemos(Exception):
    """A cycle or an account has a name the demo uses but was not made by it: the seed leaves it alone and stops."""


def _demo(model, **key):
    """The demo's row of that key, or None; NotTheDemos when the row exists and is not the demo's."""
    found = model.objects.filter(**key).first()
    if found is not None and not found.is_demo:
        raise NotTheDemos(f"{model._meta.verbose_name} “{next(iter(key.values()))}” exists and is not the demo's: "
                          f"seed_demo never changes it. Seed the demo into another database.")
    return found


def _restore(instance, **fields):
    """Give `instance` these values, saved (so that the audit trail sees the change) only when one differs."""
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed:
        instance.save(update_fields=changed)
    return instance


# The accounts.

def _user(username, *, role, authority=None, first_name="", last_name="", is_staff=False):
    _demo(User, username=username)
    user, _created = User.objects.update_or_create(
        username=username,
        defaults={"authority": authority, "first_name": first_name, "last_name": last_name, "is_demo": True,
                  "email": f"{username}@example.eu", "is_staff": is_staff, "is_superuser": False, "is_active": True,
                  "deactivated_by": None})
    user.groups.set([Group.objects.get(name=role)])
    return user


def _users(authorities):
    """{username: User}: the admin, the reviewer, a reporter of each of DEMO_FILERS, a lead of every member state."""
    users = [_user("admin", role=Role.ADMIN, first_name="Ada", last_name="Admin", is_staff=True),
             _user("reviewer", role=Role.REVIEWER, first_name="Rita", last_name="Reviewer")]
    for iso in DEMO_FILERS:
        member_state = authorities[iso].member_state
        first_name, last_name = PEOPLE[member_state.eu_code][1].split(" ", 1)
        users.append(_user(f"{member_state.eu_code.lower()}-reporter", role=Role.REPORTER,
                           authority=authorities[iso], first_name=first_name, last_name=last_name))
    for authority in authorities.values():
        member_state = authority.member_state
        first_name, last_name = PEOPLE[member_state.eu_code][0].split(" ", 1)
        users.append(_user(f"{member_state.eu_code.lower()}-lead", role=Role.LEAD_REPORTER, authority=authority,
                           first_name=first_name, last_name=last_name))
    _passwords(users)
    for user in users:
        _second_factors(user)
        accounts.unlock(username=user.username)
    return {user.username: user for user in users}


def _passwords(users):
    """Every demo account's password is DEMO_PASSWORD, under one hash that they share: hashing is slow by design, and
    checking each account's would be as slow. The hash most of them have is kept when it is right (nothing changes
    when nobody changed a password); the others get it."""
    hashes = [user.password for user in users]
    common = max(set(hashes), key=hashes.count)
    valid = common if check_password(DEMO_PASSWORD, common) else make_password(DEMO_PASSWORD)
    User.objects.filter(pk__in=[user.pk for user in users]).exclude(password=valid).update(password=valid)


def _second_factors(user):
    """As the README says. With DEMO_SECOND_FACTOR_CODE (DEBUG only, `make run` and `make demo`), an authenticator
    whose secret nobody knows for the accounts that must use a second factor, so that the code is what signs in;
    without it none, and they enrol one at their first sign-in. Passkeys and recovery codes added since go."""
    factors = Authenticator.objects.filter(user=user)
    if settings.MFA_TOTP_INSECURE_BYPASS_CODE and requires_second_factor(user):
        factors.exclude(type=Authenticator.Type.TOTP).delete()
        factors.get_or_create(user=user, type=Authenticator.Type.TOTP,
                              defaults={"data": {"secret": encrypt(generate_totp_secret())}})
    else:
        factors.delete()


# The cycles.

def _discard(cycle, since=None):
    """Remove what was recorded in a demo cycle after `since` (all of it when None), and whatever cites it; a
    publication of the story withdrawn since stands again."""
    after = answers.recorded_after
    reviews = after(CoordinatedReview.objects.filter(cycle=cycle), since, "requested_at",
                    Q(inputs__in=answers.versions_after(cycle, since))).values("pk")
    publications = after(Publication.objects.filter(cycle=cycle), since, "published_at", Q(review__in=reviews))
    Publication.objects.filter(replaces__in=publications).update(replaces=None)  # none may protect one from going
    publications.delete()
    if since is not None:
        for publication in Publication.objects.filter(cycle=cycle, withdrawn_at__gt=since):
            _restore(publication, withdrawn_at=None, withdrawn_by=None, withdrawal_reason="")
    after(Export.objects.filter(cycle=cycle), since, "requested_at", Q(review__in=reviews)).delete()
    CoordinatedReview.objects.filter(pk__in=reviews).delete()
    answers.discard(cycle, since=since)
    after(Extension.objects.filter(milestone__cycle=cycle), since, "granted_at").delete()
    after(Reopening.objects.filter(cycle=cycle), since, "granted_at").delete()
    if since is not None:
        for ended in [*Extension.objects.filter(milestone__cycle=cycle, ended_at__gt=since),
                      *Reopening.objects.filter(cycle=cycle, ended_at__gt=since)]:
            _restore(ended, ended_at=None, ended_by=None)


def _coverage(cycle, admin):
    """The member states of the Union on the cycle's start, asked from its start and never removed."""
    CycleCoverage.objects.filter(cycle=cycle).exclude(since=cycle.starts_at).delete()
    for coverage in CycleCoverage.objects.filter(cycle=cycle, until__isnull=False):
        current = CycleCoverage.objects.filter(cycle=cycle, member_state=coverage.member_state_id, until__isnull=True)
        if current.exists():
            coverage.delete()
        else:
            _restore(coverage, until=None, removed_by=None, removal_reason="")
    for member_state in MemberState.objects.members_on(cycle.starts_on):
        services.coverage_add(cycle=cycle, member_state=member_state, user=admin, from_start=True)


def _milestones(cycle, milestones):
    for code, title, scope, due, met in milestones:
        Milestone.objects.update_or_create(
            cycle=cycle, code=code, defaults={"title": title, "scope": scope, "due_date": due, "due_time": None,
                                              "met_on": met, "tracks_submission": code in SUBMISSION_MILESTONES})
    cycle.milestones.exclude(code__in=[code for code, *_rest in milestones]).delete()


def _cycle(spec, admin):
    """A cycle of the story, as it closed: created the first time, restored after."""
    cycle = _demo(ReportingCycle, title=spec["title"])
    if cycle is None:
        cycle = services.cycle_create(title=spec["title"], year=spec["year"], starts_on=spec["starts_on"],
                                      member_states=MemberState.objects.members_on(spec["starts_on"]), user=admin)
        ReportingCycle.objects.filter(pk=cycle.pk).update(is_demo=True)
    _discard(cycle, since=spec["closed_at"])
    _asks(cycle, spec)
    if answers.has_history(cycle) and not answers.story_told(cycle, spec["story"](cycle)):
        _discard(cycle)  # told otherwise (by an older seed, at the day of seeding, or changed by hand): told again
    _coverage(cycle, admin)
    _milestones(cycle, spec["milestones"])
    cycle.refresh_from_db()
    return cycle


def _asks(cycle, spec):
    questionnaire = questionnaire_for(cycle)
    if spec["asks"] in ("measures", "progress"):  # progress: the measures and the 2023 report's legislation
        Questionnaire.objects.filter(pk=questionnaire.pk).update(
            asks_scope=False, asks_suppliers=False, asks_legislation=spec["asks"] == "progress")
        for catalogue in ("threat_actors", "threats", "asset_classes", "criteria", "scenarios"):
            getattr(questionnaire, catalogue).set([])  # set(), not clear(): the audit trail records only a change
    elif spec["asks"] == "assessment":  # what the Recommendation asked: the EU's scenarios came in October 2019
        questionnaire.measures.set([])
        questionnaire.scenarios.set([])


def _reopen(cycle):
    """Open for its story to be told (again): submissions need an open cycle. Not a change anyone made: no save, so
    the audit trail does not show it, nor `_close` after."""
    ReportingCycle.objects.filter(pk=cycle.pk).update(status=ReportingCycle.Status.OPEN, closed_at=None)
    cycle.refresh_from_db()


def _close(cycle, spec):
    ReportingCycle.objects.filter(pk=cycle.pk).update(status=ReportingCycle.Status.CLOSED, closed_at=spec["closed_at"])
    cycle.refresh_from_db()
    _restore(cycle, year=spec["year"], starts_on=spec["starts_on"], lock_on_deadline=False, reminder_days="14,7,1")


def _open_cycle(admin):
    """This year's update, open, for filers to try: nobody has started it. An earlier year's goes."""
    today = timezone.localdate()
    title = OPEN_TITLE.format(year=today.year)
    kept = [title, SUPPLY_CHAIN_2026["title"], *(c["title"] for c in CYCLES)]
    for stale in ReportingCycle.objects.filter(is_demo=True).exclude(title__in=kept):
        _discard(stale)
        stale.delete()
    cycle = _demo(ReportingCycle, title=title)
    starts_on = D(today.year, 1, 1)
    if cycle is None:
        cycle = services.cycle_create(title=title, year=today.year, starts_on=starts_on,
                                      member_states=MemberState.objects.members_on(starts_on), user=admin)
        ReportingCycle.objects.filter(pk=cycle.pk).update(is_demo=True)
    _discard(cycle)
    _restore(cycle, year=today.year, starts_on=starts_on, status=ReportingCycle.Status.OPEN, closed_at=None,
             lock_on_deadline=False, reminder_days="14,7,1")
    _coverage(cycle, admin)
    _milestones(cycle, [("NRA-SUBMIT", "Updated national risk assessment sent", "member_state", today + OPEN_DUE_IN,
                         None)])
    questionnaire_for(cycle)
    return cycle


def _supply_chain_cycle(admin, leads):
    """The 2026 cycle with its phase-out tracker: made the first time; its story told again when found otherwise
    (as the 2019 and 2020 cycles'); open, with what the demo filers typed in their drafts kept."""
    spec = SUPPLY_CHAIN_2026
    cycle = _demo(ReportingCycle, title=spec["title"])
    if cycle is None:
        cycle = services.cycle_create(title=spec["title"], year=spec["year"], starts_on=spec["starts_on"],
                                      member_states=MemberState.objects.members_on(spec["starts_on"]), user=admin)
        ReportingCycle.objects.filter(pk=cycle.pk).update(is_demo=True)
    told = answers.has_history(cycle) and answers.story_told(cycle, answers.story_2026(cycle))
    if not told:
        _discard(cycle)
    _restore(cycle, year=spec["year"], starts_on=spec["starts_on"], status=ReportingCycle.Status.OPEN,
             closed_at=None, lock_on_deadline=False, reminder_days="14,7,1")
    _coverage(cycle, admin)
    questionnaire = questionnaire_for(cycle)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(asks_suppliers=False, asks_phase_out=True)
    for catalogue in ("threat_actors", "threats", "asset_classes", "criteria", "scenarios", "measures"):
        getattr(questionnaire, catalogue).set([])  # the tracker and the scope only
    _milestones(cycle, spec["milestones"])
    cycle = ReportingCycle.objects.get(pk=cycle.pk)  # with its questionnaire as just set
    answers.phase_out_suppliers()
    if not told:
        answers.tell_2026(cycle, leads)
        for pk, requested_at in (CoordinatedReview.objects.filter(cycle=cycle, status=ReviewStatus.QUEUED)
                                 .order_by("requested_at", "pk").values_list("pk", "requested_at")):
            review_services.review_build(review_id=pk, now=requested_at)
    return cycle


def _reviews(cycle, spec, reviewer):
    """The story's reviews, each built at the time its submission asked for it, and the last one published the day
    the cycle's EU milestone was met: the current review of the cycle, standing published."""
    review, _created = review_services.review_request(cycle=cycle)  # the one the last submission asked for
    for pk, requested_at in (CoordinatedReview.objects.filter(cycle=cycle, status=ReviewStatus.QUEUED)
                             .order_by("requested_at", "pk").values_list("pk", "requested_at")):
        review_services.review_build(review_id=pk, now=requested_at)
    current = Publication.objects.current_of(cycle)
    if current is None or current.review_id != review.pk:
        met_on = cycle.milestones.get(code=spec["published_with"]).met_on
        publishing.review_publish(review=review, user=reviewer,
                                  now=datetime.datetime.combine(met_on, PUBLISHED_AT, tzinfo=BRUSSELS))


@transaction.atomic
def _seed():
    authorities = {}
    for member_state in MemberState.objects.all():
        generic = (f"National cybersecurity authority of {member_state.name}", Authority.Kind.CYBERSECURITY)
        name, kind = NAMED_AUTHORITIES.get(member_state.iso_code, generic)
        authorities[member_state.iso_code], _ = Authority.objects.update_or_create(
            member_state=member_state, name=name, defaults={"kind": kind})

    users = _users(authorities)
    admin, reviewer = users["admin"], users["reviewer"]
    leads = {authority.member_state.eu_code: users[f"{authority.member_state.eu_code.lower()}-lead"]
             for authority in authorities.values()}
    _open_cycle(admin)  # first: its drafts may have started from the story's versions

    cycles = [_cycle(spec, admin) for spec in CYCLES]
    cycle_2019 = cycles[0]
    code, until, reason, granted_at = answers.EXTENSION_2019
    milestone, member_state = cycle_2019.milestones.get(code="NRA-SUBMIT"), MemberState.objects.get(eu_code=code)
    if not Extension.objects.filter(milestone=milestone, member_state=member_state).exists():
        services.extension_grant(milestone=milestone, member_state=member_state, due_date=until, due_time=None,
                                 reason=reason, user=admin, granted_at=granted_at)
    for spec, cycle in zip(CYCLES, cycles):
        if not answers.has_history(cycle):
            _reopen(cycle)
            answers.tell(cycle, spec["story"](cycle), leads, reviewer)
        _reviews(cycle, spec, reviewer)
        _close(cycle, spec)
    _supply_chain_cycle(admin, leads)
    logins = [("admin", "admin", ""), ("reviewer", "reviewer", "")]
    for iso in DEMO_FILERS:
        member_state = authorities[iso].member_state
        logins += [(f"{member_state.eu_code.lower()}-reporter", "reporter", member_state.name),
                   (f"{member_state.eu_code.lower()}-lead", "lead reporter", member_state.name)]
    return logins


def seed_demo():
    """Create the demo data set, or restore it (see the module's docstring); returns the demo logins as
    (username, role, member state).

    Everything happens here, in one transaction, whatever the broker: the reviews the submissions ask for are built
    in this process, at their historical times, so that a worker handed them after the commit finds them built.
    """
    return _seed()
