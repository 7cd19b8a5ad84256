"""After anything a cycle's population depends on changes and commits, its population state is new
(assessments/population.py population_token): what pages rendered from the old one is no longer used."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from assessments.models import AssessmentVersion, ClarificationPoint, NationalAssessment, Transition
from assessments.population import population_changed
from portal.models import CycleCoverage, Extension, MemberState, Milestone, Reopening, ReportingCycle


def _changed(cycle_ids):
    """Forget now, and again once the change commits: a page rendered in between, from what was there before the
    commit, is not kept either."""
    ids = {cycle_id for cycle_id in cycle_ids if cycle_id is not None}
    if ids:
        population_changed(ids)
        transaction.on_commit(lambda: population_changed(ids))


def _cycle_of(instance):
    if isinstance(instance, ReportingCycle):
        return instance.pk
    if isinstance(instance, NationalAssessment | CycleCoverage | Milestone | Reopening):
        return instance.cycle_id
    if isinstance(instance, Extension):
        return Milestone.objects.filter(pk=instance.milestone_id).values_list("cycle_id", flat=True).first()
    # A version, a transition, a clarification point: through its assessment.
    return NationalAssessment.objects.filter(pk=instance.assessment_id).values_list("cycle_id", flat=True).first()


POPULATION_INPUTS = (AssessmentVersion, Transition, ClarificationPoint, NationalAssessment, CycleCoverage, Extension,
                     Milestone, Reopening, ReportingCycle)


@receiver([post_save, post_delete], dispatch_uid="population-input-changed")
def population_input_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender in POPULATION_INPUTS:
        _changed([_cycle_of(instance)])
    elif sender is MemberState:  # membership periods: every cycle
        _changed(ReportingCycle.objects.values_list("pk", flat=True))
