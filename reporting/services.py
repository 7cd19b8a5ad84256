"""Requesting and building coordinated reviews (publishing them: reporting/publishing.py). Handing builds to
Celery is reporting/tasks.py's job."""

import time
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import AssessmentVersion, Questionnaire
from assessments.population import Timeliness, population_values
from assessments.snapshots import integrity_problems
from portal import markings
from portal.lib import translated
from portal.lib.digests import sha256_of_json
from portal.models import MemberState
from reporting import aggregate, claims
from reporting.models import CoordinatedReview, ReviewInput, ReviewStatus


class NothingToReview(Exception):
    """No member state of the cycle's population has submitted yet."""


def recorded_population(cycle):
    """The cycle's population now, as the review records it: one entry per member state, by EU code."""
    names = translated.texts(MemberState, "name", key="eu_code")
    # Lateness matters only for what was submitted: a missing member state stays "missing" as days pass.
    return [{"ms": counted.eu_code, "name": names.get(counted.eu_code, counted.eu_code), "version": counted.number,
             "sha256": counted.sha256, "version_id": counted.version_id,
             "state": str(counted.lateness.state) if counted.version_id else None,
             "deadline": counted.lateness.deadline.ends_at.isoformat()
             if counted.version_id and counted.lateness.deadline else None,
             "withheld": counted.withheld}
            for counted in population_values(cycle)]


def fingerprint(population):
    """SHA-256 of what decides a review's inputs: each member state's version, hash, lateness and deadline, and
    whether it is withheld (named only when it is: the fingerprints of reviews from before markings stand)."""
    return sha256_of_json([[e["ms"], e["version"], e["sha256"], e["state"], e["deadline"],
                            *(["withheld"] if e.get("withheld") else [])] for e in population])


def review_request(*, cycle, user=None, now=None):
    """The review of the cycle's current population: the existing one for it, or a new one, queued.

    The row is written in the caller's transaction; handing the build to the broker is the caller's, after commit
    (reporting.tasks.enqueue_on_commit). Returns (review, created). `now` is when it is asked for: a submission asks
    at its own time (the demo's submissions are historical).
    """
    population = recorded_population(cycle)
    if not any(entry["version"] for entry in population):
        raise NothingToReview
    with transaction.atomic():
        review, created = CoordinatedReview.objects.get_or_create(
            cycle=cycle, fingerprint=fingerprint(population),
            defaults={"requested_by": user, "population": population, "requested_at": now or timezone.now()})
        if created:
            ReviewInput.objects.record(review, [entry["version_id"] for entry in population
                                                if entry["version"] and not entry["withheld"]])
    return review, created


def review_sweep(*, now=None):
    """Ids of the reviews to hand over again: never sent (the broker was down), sent long ago and still queued, or
    left running by a worker that died (their heartbeat stopped: queued again first, reporting/claims.py)."""
    now = now or timezone.now()
    claims.release_abandoned(now=now)
    return CoordinatedReview.objects.to_hand_over(now=now)


def review_mark_enqueued(review_id):
    CoordinatedReview.objects.mark_enqueued(review_id)


def completeness(population):
    """Expected, included, withheld (submitted TLP:RED: assessments/population.py), missing and late, from the
    recorded population: they always add up."""
    expected = [e["ms"] for e in population]
    withheld = [e["ms"] for e in population if e["version"] and e.get("withheld")]
    included = [e["ms"] for e in population if e["version"] and not e.get("withheld")]
    return {"expected": expected, "included": included, "withheld": withheld,
            "missing": [code for code in expected if code not in included and code not in withheld],
            "late": [e["ms"] for e in population if e["state"] == Timeliness.LATE]}


def review_build(*, review_id, claim=None, now=None):
    """Build the review's figures from its recorded inputs: the review id when this call built it, else None.

    Safe to run twice and to be killed at any line: only the build that claimed the review writes to it, and only
    while it holds the claim (reporting/claims.py). `claim` names the build: the Celery task id, so that the same
    message handed out again after its pool process died takes its own claim up again; a direct call gets its own.
    `now` dates a build of the demo's history (its start, finish and figures); the claim and its heartbeat keep the
    real clock, which is what the sweep compares them with.
    """
    claim = claim or uuid.uuid4().hex
    if not claims.take(review_id, claim=claim):
        return None  # gone, already built, or being built by a live build
    mine = CoordinatedReview.objects.filter(pk=review_id).held_by(claim)
    with claims.heartbeat(review_id, claim):
        if settings.REVIEW_BUILD_PAUSE_SECONDS:  # fault drills only (see the setting)
            time.sleep(settings.REVIEW_BUILD_PAUSE_SECONDS)
        review = CoordinatedReview.objects.select_related("cycle").get(pk=review_id)
        try:
            recorded = {item.version_id: item for item in review.provenance.all()}
            # The versions must still be what the review was requested for, and their rows what was hashed.
            problems = integrity_problems({pk: item.sha256 for pk, item in recorded.items()})
            if problems:
                pk, problem = min(problems.items(), key=lambda found: recorded[found[0]].member_state_code)
                raise ValueError(_("Version %(n)s of %(ms)s: %(problem)s. Its stored content was changed after "
                                   "submission.") % {"n": recorded[pk].number, "ms": recorded[pk].member_state_code,
                                                     "problem": problem})
            results = aggregate.compute(list(recorded), completeness(review.population),
                                        Questionnaire.objects.filter(cycle=review.cycle).first())
        except Exception as exc:
            mine.update(status=ReviewStatus.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now())
            raise
        finished = now or timezone.now()
        results["generated_at"] = finished.isoformat()
        dated = {"started_at": now} if now else {}
        built = mine.update(status=ReviewStatus.DONE, results=results, finished_at=finished,
                            marking=review_marking(recorded), **dated)
    return review_id if built else None


def review_marking(version_ids):
    """A review for reviewers carries at least the strictest marking of the versions it counts (one query)."""
    counted = AssessmentVersion.objects.filter(pk__in=list(version_ids)).values_list("marking", flat=True)
    return markings.strictest(markings.DEFAULT if not version_ids else None, *counted)


def review_retry(*, review):
    """A failed build is queued again (the caller hands it to the broker after commit)."""
    return CoordinatedReview.objects.filter(pk=review.pk, status=ReviewStatus.FAILED).update(
        status=ReviewStatus.QUEUED, enqueued_at=None)


def review_changes(review):
    """What changed in the cycle's population since the review: [(member state code, text)]; empty when current."""
    return population_changes(review.population, recorded_population(review.cycle))


def population_changes(used, current):
    """[(member state code, text)] of what differs between the population a review used and `current`."""
    current = {e["ms"]: e for e in current}
    used = {e["ms"]: e for e in used}
    changes = []
    for code in sorted(set(current) | set(used)):
        now, then = current.get(code), used.get(code)
        if then is None:
            changes.append((code, _("%(ms)s is now asked by the cycle") % {"ms": code}))
        elif now is None:
            changes.append((code, _("%(ms)s is no longer asked by the cycle") % {"ms": code}))
        elif now["version"] != then["version"]:
            if then["version"] is None:
                changes.append((code, _("%(ms)s submitted for the first time (version %(n)s)")
                                % {"ms": code, "n": now["version"]}))
            else:
                changes.append((code, _("%(ms)s submitted version %(n)s (the review used version %(used)s)")
                                % {"ms": code, "n": now["version"], "used": then["version"]}))
        elif now["state"] != then["state"] or now["deadline"] != then["deadline"]:
            changes.append((code, _("%(ms)s's deadline or lateness changed: now %(state)s")
                            % {"ms": code, "state": Timeliness(now["state"]).label}))
    return changes
