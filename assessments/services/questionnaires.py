"""What a cycle asks (its questionnaire) and whom (its coverage): the admins' side of the assessment."""

from django.db import transaction

from assessments.editions import edition_for, items_of
from assessments.models import (
    KeyAssetClass,
    NationalAssessment,
    Questionnaire,
    RiskScenario,
    SupplierRiskCriterion,
    Threat,
    ThreatActor,
    ToolboxMeasure,
)
from portal import services as portal_services


def questionnaire_for(cycle):
    """The cycle's questionnaire; a new cycle asks about the whole reference catalogue, its measures and scenarios
    those of the newest catalogue edition published by the day it starts (assessments/editions.py)."""
    questionnaire, created = Questionnaire.objects.get_or_create(
        cycle=cycle, defaults={"edition": edition_for(cycle.starts_on)})
    if created:
        questionnaire.threat_actors.set(ThreatActor.objects.all())
        questionnaire.threats.set(Threat.objects.all())
        questionnaire.asset_classes.set(KeyAssetClass.objects.all())
        questionnaire.criteria.set(SupplierRiskCriterion.objects.all())
        questionnaire.scenarios.set(items_of(questionnaire.edition, RiskScenario))
        questionnaire.measures.set(items_of(questionnaire.edition, ToolboxMeasure))
    return questionnaire


def submitted_member_state_ids(cycle):
    return set(NationalAssessment.objects.filter(cycle=cycle, versions__isnull=False)
               .values_list("member_state_id", flat=True))


@transaction.atomic
def coverage_change(*, cycle, added, removed, user, reason=""):
    """Ask `added` from now on and stop asking `removed`; removed member states' versions stay on record."""
    for member_state in added:
        portal_services.coverage_add(cycle=cycle, member_state=member_state, user=user)
    for member_state in removed:
        portal_services.coverage_end(cycle=cycle, member_state=member_state, user=user, reason=reason)
