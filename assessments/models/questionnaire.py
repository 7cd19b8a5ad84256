"""What a cycle asks: its catalogue and its risk scale."""

from functools import cached_property

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from assessments.models.catalogue import (
    CatalogueEdition,
    KeyAssetClass,
    RiskScenario,
    SupplierRiskCriterion,
    Threat,
    ThreatActor,
    ToolboxMeasure,
)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Section(models.TextChoices):
    """The pages of the questionnaire, in the order a filer meets them."""

    SCOPE = "scope", _("Scope and method")
    THREATS = "threats", _("Threat actors and threats")
    ASSETS = "assets", _("Key assets")
    SUPPLIERS = "suppliers", _("Suppliers")
    SCENARIOS = "scenarios", _("Risk scenarios")
    MEASURES = "measures", _("Mitigating measures")
    LEGISLATION = "legislation", _("Legislation and restrictions")
    ATTACHMENTS = "attachments", _("Attachments")


class Questionnaire(models.Model):
    """The catalogue a reporting cycle asks about, and its risk matrix.

    The risk level of a scenario comes from likelihood x impact: below
    `medium_from` it is low, from `critical_from` critical (ISO/IEC 27005 style;
    the default 5 x 5 scale gives low 1-4, medium 5-9, high 10-16, critical 17-25).
    """

    cycle = models.OneToOneField("portal.ReportingCycle", on_delete=models.CASCADE, related_name="questionnaire",
                                 verbose_name=_("reporting cycle"))
    # The edition of the catalogue it asks: its measures and scenarios are that edition's (assessments/editions.py).
    edition = models.ForeignKey(CatalogueEdition, on_delete=models.PROTECT, related_name="questionnaires",
                                verbose_name=_("catalogue edition"))
    likelihood_levels = models.PositiveSmallIntegerField(_("likelihood scale (1 to N)"), default=5)
    impact_levels = models.PositiveSmallIntegerField(_("impact scale (1 to N)"), default=5)
    medium_from = models.PositiveSmallIntegerField(_("medium from score"), default=5)
    high_from = models.PositiveSmallIntegerField(_("high from score"), default=10)
    critical_from = models.PositiveSmallIntegerField(_("critical from score"), default=17)
    asks_scope = models.BooleanField(_("asks scope and method"), default=True)
    asks_suppliers = models.BooleanField(_("asks about suppliers"), default=True)
    asks_attachments = models.BooleanField(_("accepts attachments"), default=True)
    # The 2026 supply-chain rules: the filers keep the phase-out tracker (models/phase_out.py) with their draft.
    asks_phase_out = models.BooleanField(_("keeps the phase-out tracker"), default=False)
    # The second progress report's questions (2023): legislation, restrictions, implementation (LegislationAnswer).
    asks_legislation = models.BooleanField(_("asks about national legislation and restrictions"), default=False)
    # Verbose names: the questionnaire's form and the Activity page (portal/audit_words.py) name them so.
    threat_actors = models.ManyToManyField(ThreatActor, blank=True, related_name="+", verbose_name=_("threat actors"))
    threats = models.ManyToManyField(Threat, blank=True, related_name="+", verbose_name=_("main threats"))
    asset_classes = models.ManyToManyField(KeyAssetClass, blank=True, related_name="+",
                                           verbose_name=_("key asset classes"))
    criteria = models.ManyToManyField(SupplierRiskCriterion, blank=True, related_name="+",
                                      verbose_name=_("supplier risk criteria"))
    scenarios = models.ManyToManyField(RiskScenario, blank=True, related_name="+", verbose_name=_("risk scenarios"))
    measures = models.ManyToManyField(ToolboxMeasure, blank=True, related_name="+",
                                      verbose_name=_("Toolbox measures"))

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood_levels__gte=2, likelihood_levels__lte=10, impact_levels__gte=2,
                            impact_levels__lte=10),
                name="questionnaire_scales_2_to_10",
            ),
            models.CheckConstraint(
                condition=Q(medium_from__gt=1, high_from__gt=F("medium_from"), critical_from__gt=F("high_from"),
                            critical_from__lte=F("likelihood_levels") * F("impact_levels")),
                name="questionnaire_matrix_ordered",
            ),
        ]

    def __str__(self):
        return str(self.cycle)

    def risk_level(self, likelihood, impact):
        if likelihood is None or impact is None:
            return None
        score = likelihood * impact
        if score >= self.critical_from:
            return RiskLevel.CRITICAL
        if score >= self.high_from:
            return RiskLevel.HIGH
        if score >= self.medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.LOW

    def matrix(self):
        """{(likelihood, impact): level} for every cell, for the page that shows it as the user types."""
        return {
            f"{likelihood}x{impact}": self.risk_level(likelihood, impact)
            for likelihood in range(1, self.likelihood_levels + 1)
            for impact in range(1, self.impact_levels + 1)
        }

    @cached_property
    def asked_criteria(self):
        """The supplier risk criteria, read once per request however many suppliers are listed."""
        return list(self.criteria.all())

    @cached_property
    def sections(self):
        """The sections this cycle asks, in order (one query, on every page of the draft)."""
        asks = {f"has_{name}": Exists(getattr(Questionnaire, name).through.objects.filter(
            questionnaire_id=OuterRef("pk"))) for name in ("threat_actors", "threats", "asset_classes", "scenarios",
                                                           "measures")}
        found = Questionnaire.objects.filter(pk=self.pk).values(**asks).get()
        has = {name.removeprefix("has_"): value for name, value in found.items()}
        asked = {
            Section.SCOPE: self.asks_scope,
            Section.THREATS: has["threat_actors"] or has["threats"],
            Section.ASSETS: has["asset_classes"],
            Section.SUPPLIERS: self.asks_suppliers,
            Section.SCENARIOS: has["scenarios"],
            Section.MEASURES: has["measures"],
            Section.LEGISLATION: self.asks_legislation,
            Section.ATTACHMENTS: self.asks_attachments,
        }
        return [section for section in Section if asked[section]]
