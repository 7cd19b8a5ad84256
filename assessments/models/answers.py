"""The answers of an assessment, one row per question.

A row with `version` NULL belongs to the working draft; submitting copies every
draft row with `version` set, so the submitted answers stay queryable (and
aggregatable in SQL) and can never change. Ranges and choices are database
constraints; a draft may leave answers empty (NULL or blank) until it is submitted.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.assessment import AssessmentVersion, NationalAssessment
from assessments.models.catalogue import KeyAssetClass, RiskScenario, Supplier, Threat, ThreatActor, ToolboxMeasure
from assessments.models.questionnaire import RiskLevel


class Rating(models.IntegerChoices):
    VERY_LOW = 1, _("1 – very low")
    LOW = 2, _("2 – low")
    MEDIUM = 3, _("3 – medium")
    HIGH = 4, _("4 – high")
    VERY_HIGH = 5, _("5 – very high")


class Relevance(models.IntegerChoices):
    NONE = 0, _("Not relevant")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class Trend(models.TextChoices):
    INCREASING = "increasing", _("Increasing")
    STABLE = "stable", _("Stable")
    DECREASING = "decreasing", _("Decreasing")
    UNKNOWN = "unknown", _("Unknown")


class CriterionAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class SupplierRisk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class MeasureStatusChoice(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PLANNED = "planned", _("Planned")
    IN_PREPARATION = "in_preparation", _("In preparation")
    ADOPTED = "adopted", _("Adopted")
    APPLIED = "applied", _("Applied")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Powers(models.TextChoices):
    """Legislation giving the national authorities powers to assess suppliers and issue restrictions (2023)."""

    ADOPTED = "adopted", _("Adopted")
    IN_PREPARATION = "in_preparation", _("In preparation")
    NONE = "none", _("None")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Method(models.TextChoices):
    ISO_27005 = "iso27005", _("ISO/IEC 27005")
    NATIONAL = "national", _("National method")
    OTHER = "other", _("Other")


def _one_row_per(item, label):
    """A draft holds one row per catalogue item; so does each version."""
    return [
        models.UniqueConstraint(
            fields=["assessment", item], condition=Q(version__isnull=True), name=f"{label}_one_draft_row"
        ),
        models.UniqueConstraint(fields=["version", item], name=f"{label}_one_row_per_version"),
    ]


def _in_range(field, low, high, label):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"{label}_{field}_range",
    )


def _choice(field, choices, label):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": [*choices.values, ""]}), name=f"{label}_{field}_valid"
    )


class Answer(models.Model):
    assessment = models.ForeignKey(NationalAssessment, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    # Fields copied into a version snapshot (besides the catalogue item).
    snapshot_fields = ()

    class Meta:
        abstract = True


class ScopeAnswer(Answer):
    contributing_authorities = models.TextField(_("contributing authorities"), blank=True)
    method = models.CharField(_("method used"), max_length=20, choices=Method.choices, blank=True)
    method_detail = models.CharField(_("method details"), max_length=300, blank=True)
    operators_consulted = models.TextField(_("operators consulted"), blank=True)
    summary = models.TextField(_("summary"), blank=True)

    snapshot_fields = ("contributing_authorities", "method", "method_detail", "operators_consulted", "summary")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment"], condition=Q(version__isnull=True), name="scope_one_draft"),
            models.UniqueConstraint(fields=["version"], name="scope_one_per_version"),
            _choice("method", Method, "scope"),
        ]


class ThreatActorRating(Answer):
    actor = models.ForeignKey(ThreatActor, on_delete=models.PROTECT, related_name="+")
    capability = models.PositiveSmallIntegerField(_("capability"), choices=Rating.choices, null=True, blank=True)
    intent = models.PositiveSmallIntegerField(_("intent"), choices=Rating.choices, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    snapshot_fields = ("capability", "intent", "note")

    class Meta:
        ordering = ["actor__position"]
        constraints = [*_one_row_per("actor", "actor_rating"), _in_range("capability", 1, 5, "actor_rating"),
                       _in_range("intent", 1, 5, "actor_rating")]


class ThreatRelevance(Answer):
    threat = models.ForeignKey(Threat, on_delete=models.PROTECT, related_name="+")
    relevance = models.PositiveSmallIntegerField(_("relevance"), choices=Relevance.choices, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    snapshot_fields = ("relevance", "note")

    class Meta:
        ordering = ["threat__position"]
        constraints = [*_one_row_per("threat", "threat_relevance"), _in_range("relevance", 0, 3, "threat_relevance")]


class AssetSensitivity(Answer):
    asset_class = models.ForeignKey(KeyAssetClass, on_delete=models.PROTECT, related_name="+")
    sensitivity = models.PositiveSmallIntegerField(_("sensitivity"), choices=Rating.choices, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    snapshot_fields = ("sensitivity", "note")

    class Meta:
        ordering = ["asset_class__position"]
        constraints = [*_one_row_per("asset_class", "asset_sensitivity"),
                       _in_range("sensitivity", 1, 5, "asset_sensitivity")]


class SupplierPresence(Answer):
    """A supplier in the member state's 5G networks: market shares per segment and risk profile."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    share_core = models.DecimalField(_("core network share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    share_access = models.DecimalField(_("access/RAN share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    share_transport = models.DecimalField(_("transport share (%)"), max_digits=5, decimal_places=2, null=True,
                                          blank=True)
    share_management = models.DecimalField(_("management and orchestration share (%)"), max_digits=5,
                                           decimal_places=2, null=True, blank=True)
    # {criterion code: CriterionAnswer}; the criteria asked come from the cycle's catalogue.
    criteria = models.JSONField(_("risk-profile criteria"), default=dict, blank=True)
    risk_profile = models.CharField(_("overall risk profile"), max_length=10, choices=SupplierRisk.choices, blank=True)
    justification = models.TextField(_("justification"), blank=True)

    SEGMENTS = ("share_core", "share_access", "share_transport", "share_management")
    snapshot_fields = (*SEGMENTS, "criteria", "risk_profile", "justification")

    class Meta:
        ordering = ["supplier__name"]
        constraints = [
            *_one_row_per("supplier", "supplier_presence"),
            *[_in_range(field, 0, 100, "supplier") for field in
              ("share_core", "share_access", "share_transport", "share_management")],
            _choice("risk_profile", SupplierRisk, "supplier"),
        ]


class ScenarioRating(Answer):
    scenario = models.ForeignKey(RiskScenario, on_delete=models.PROTECT, related_name="+")
    # The cycle's scale is 1..N with N at most 10; the form enforces N.
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), null=True, blank=True)
    impact = models.PositiveSmallIntegerField(_("impact"), null=True, blank=True)
    # Derived from the cycle's risk matrix when saved; stored so that versions
    # keep the level they were submitted with even if the matrix changes later.
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    trend = models.CharField(_("trend"), max_length=12, choices=Trend.choices, blank=True)
    justification = models.TextField(_("justification"), blank=True)

    snapshot_fields = ("likelihood", "impact", "level", "trend", "justification")

    class Meta:
        ordering = ["scenario__position"]
        constraints = [
            *_one_row_per("scenario", "scenario_rating"),
            _in_range("likelihood", 1, 10, "scenario_rating"),
            _in_range("impact", 1, 10, "scenario_rating"),
            _choice("level", RiskLevel, "scenario_rating"),
            _choice("trend", Trend, "scenario_rating"),
            models.CheckConstraint(
                condition=~Q(level__in=[RiskLevel.HIGH, RiskLevel.CRITICAL]) | ~Q(justification=""),
                name="scenario_rating_high_levels_justified",
            ),
        ]


class MeasureStatus(Answer):
    measure = models.ForeignKey(ToolboxMeasure, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatusChoice.choices, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    snapshot_fields = ("status", "target_date", "note")

    class Meta:
        ordering = ["measure__position"]
        constraints = [*_one_row_per("measure", "measure_status"),
                       _choice("status", MeasureStatusChoice, "measure_status")]


class LegislationAnswer(Answer):
    """The questions of the second progress report (15 June 2023, DOMAIN.md "After 2020"): legislation giving the
    national authorities powers to assess suppliers and issue restrictions, whether restrictions have been imposed,
    whether the national legislation is being implemented. One row, as the scope; asked by the cycles whose
    questionnaire `asks_legislation`. The review counts them (reporting/aggregate.py, `legislation_counts`)."""

    powers = models.CharField(_("legislation giving authorities powers to assess suppliers and issue restrictions"),
                              max_length=20, choices=Powers.choices, blank=True)
    restrictions_imposed = models.CharField(_("restrictions imposed on suppliers"), max_length=3,
                                            choices=YesNo.choices, blank=True)
    implementing = models.CharField(_("implementation of the national legislation under way"), max_length=3,
                                    choices=YesNo.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    snapshot_fields = ("powers", "restrictions_imposed", "implementing", "note")
    # Answered only where there is legislation, adopted or in preparation: with none, both stay empty.
    UNDER_LEGISLATION = ("restrictions_imposed", "implementing")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment"], condition=Q(version__isnull=True),
                                    name="legislation_one_draft"),
            models.UniqueConstraint(fields=["version"], name="legislation_one_per_version"),
            _choice("powers", Powers, "legislation"),
            _choice("restrictions_imposed", YesNo, "legislation"),
            _choice("implementing", YesNo, "legislation"),
            # No restriction imposed, nor legislation implemented, under powers a member state does not have.
            models.CheckConstraint(condition=~Q(powers=Powers.NONE) | Q(restrictions_imposed="", implementing=""),
                                   name="legislation_none_answers_nothing_under_it"),
        ]
