"""The reference catalogue a questionnaire asks about.

Tables, not hard-coded lists, so that a later cycle can ask about another
catalogue. Loaded from the public record by migration 0002 (see DOMAIN.md).
Titles (and a threat actor's description) are translated (django-parler, see
portal/lib/translated.py): each model has a translations table, English the
fallback; codes are the same in every language.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatedFields

from portal.lib.translated import ReadInActiveLanguage


def title_field():
    return models.CharField(_("title"), max_length=300)


class CatalogueItem(ReadInActiveLanguage):
    code = models.CharField(_("code"), max_length=20, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} {self.title}"


class RiskCategory(CatalogueItem):
    translations = TranslatedFields(title=title_field())
    class Meta(CatalogueItem.Meta):
        verbose_name = _("risk scenario category")
        verbose_name_plural = _("risk scenario categories")

    def __str__(self):
        return self.title


class RiskScenario(CatalogueItem):
    translations = TranslatedFields(title=title_field())
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="scenarios")
    # R4 and R5 are the two "strategic" scenarios of the EU Toolbox.
    is_strategic = models.BooleanField(_("strategic"), default=False)

    class Meta(CatalogueItem.Meta):
        verbose_name = _("risk scenario")
        verbose_name_plural = _("risk scenarios")


class Threat(CatalogueItem):
    translations = TranslatedFields(title=title_field())
    class Meta(CatalogueItem.Meta):
        verbose_name = _("main threat")
        verbose_name_plural = _("main threats")

    def __str__(self):
        return self.title


class ThreatActor(CatalogueItem):
    translations = TranslatedFields(title=title_field(), description=models.TextField(_("description"), blank=True))

    class Meta(CatalogueItem.Meta):
        verbose_name = _("threat actor")
        verbose_name_plural = _("threat actors")

    def __str__(self):
        return self.title


class KeyAssetClass(CatalogueItem):
    translations = TranslatedFields(title=title_field())
    # The coordinated assessment found three classes "critical and sensitive";
    # the others are our own (unofficial) classes.
    is_critical = models.BooleanField(_("critical and sensitive"), default=False)
    is_official = models.BooleanField(_("from the public record"), default=True)

    class Meta(CatalogueItem.Meta):
        verbose_name = _("key asset class")
        verbose_name_plural = _("key asset classes")

    def __str__(self):
        return self.title


class SupplierRiskCriterion(CatalogueItem):
    translations = TranslatedFields(title=title_field())
    is_official = models.BooleanField(_("from the public record"), default=True)

    class Meta(CatalogueItem.Meta):
        verbose_name = _("supplier risk criterion")
        verbose_name_plural = _("supplier risk criteria")


class Supplier(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    # Entered by an admin when the Commission designates the supplier high-risk (the proposal of 20 January 2026):
    # its components are then to leave mobile networks' key assets within 36 months (models/phase_out.py).
    designated_high_risk_on = models.DateField(
        _("designated high-risk on"), null=True, blank=True,
        help_text=_("The day the Commission designated this supplier high-risk; empty if it has not."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self):
        return self.name


class MeasureKind(models.TextChoices):
    STRATEGIC = "SM", _("Strategic measure")
    TECHNICAL = "TM", _("Technical measure")
    SUPPORTING = "SA", _("Supporting action")


class ToolboxMeasure(CatalogueItem):
    translations = TranslatedFields(title=title_field())
    Kind = MeasureKind

    kind = models.CharField(_("kind"), max_length=2, choices=MeasureKind.choices)
    # One of the key measures every member state was to take by 30 April 2020.
    is_key_measure = models.BooleanField(_("key measure"), default=False)
    # The Toolbox's Annex 1 maps measures to scenarios; it is not public, so
    # the table starts empty and only what a reviewer enters goes in.
    mitigates = models.ManyToManyField(RiskScenario, blank=True, related_name="measures", verbose_name=_("mitigates"))

    class Meta(CatalogueItem.Meta):
        verbose_name = _("toolbox measure")
        verbose_name_plural = _("toolbox measures")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MeasureKind.values), name="measure_kind_valid"),
            models.CheckConstraint(
                condition=Q(code__startswith=models.F("kind")), name="measure_code_starts_with_kind"
            ),
        ]
