"""The reference catalogue a questionnaire asks about.

Tables, not hard-coded lists, so that a later cycle can ask about another
catalogue. Loaded from the public record by migration 0002 (see DOMAIN.md).

Measures and risk scenarios come in **editions** (`CatalogueEdition`: the 5G Toolbox of 2020, the report of
21 February 2024, the ICT Supply Chain Security Toolbox of 13 February 2026): each item names the edition that
brought it, and may continue items of earlier editions (renamed, split from, merged from: `MeasureContinuation`,
`ScenarioContinuation`), so that answers are matched across editions (assessments/editions.py).
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


class CatalogueEdition(models.Model):
    """A catalogue of measures and risk scenarios as a public text published it; its items are those of every
    edition published up to it that no item of those editions continues (assessments/editions.py)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    published_on = models.DateField(_("published on"))
    source = models.CharField(_("public source"), max_length=500, blank=True,
                              help_text=_("The public text the edition comes from."))

    class Meta:
        ordering = ["published_on", "code"]
        verbose_name = _("catalogue edition")
        verbose_name_plural = _("catalogue editions")
        constraints = [models.UniqueConstraint(fields=["published_on"], name="catalogue_edition_one_per_day")]

    def __str__(self):
        return f"{self.title} ({self.published_on.isoformat()})"


def edition_field(related_name):
    return models.ForeignKey(CatalogueEdition, on_delete=models.PROTECT, related_name=related_name,
                             verbose_name=_("edition"))


class ContinuationKind(models.TextChoices):
    """How an item of a later edition continues an item of an earlier one; an answer to the earlier item is read
    as an answer to the later one (prefill, comparison, trends)."""

    RENAMED = "renamed", _("renamed from")
    SPLIT = "split", _("split from")
    MERGED = "merged", _("merged from")


def continuation_constraints(name):
    return [
        models.UniqueConstraint(fields=["later", "earlier"], name=f"{name}_once"),
        models.CheckConstraint(condition=~Q(later=models.F("earlier")), name=f"{name}_not_itself"),
        models.CheckConstraint(condition=Q(kind__in=ContinuationKind.values), name=f"{name}_kind_valid"),
        # A rename is one to one: the later item has no other predecessor by rename, the earlier no other successor.
        models.UniqueConstraint(fields=["later"], condition=Q(kind=ContinuationKind.RENAMED),
                                name=f"{name}_renamed_from_one"),
        models.UniqueConstraint(fields=["earlier"], condition=Q(kind=ContinuationKind.RENAMED),
                                name=f"{name}_renamed_to_one"),
    ]


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
    edition = edition_field("scenarios")

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
    # The EU ICT Supply Chain Security Toolbox (13 February 2026): its own codes, "SC-…", never like SM/TM/SA.
    SUPPLY_CHAIN = "SC", _("ICT supply-chain measure")


class ToolboxMeasure(CatalogueItem):
    translations = TranslatedFields(title=title_field())
    Kind = MeasureKind

    kind = models.CharField(_("kind"), max_length=2, choices=MeasureKind.choices)
    # One of the key measures every member state was to take by 30 April 2020.
    is_key_measure = models.BooleanField(_("key measure"), default=False)
    # The Toolbox's Annex 1 maps measures to scenarios; it is not public, so
    # the table starts empty and only what a reviewer enters goes in.
    mitigates = models.ManyToManyField(RiskScenario, blank=True, related_name="measures", verbose_name=_("mitigates"))
    edition = edition_field("measures")

    class Meta(CatalogueItem.Meta):
        verbose_name = _("toolbox measure")
        verbose_name_plural = _("toolbox measures")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MeasureKind.values), name="measure_kind_valid"),
            models.CheckConstraint(
                condition=Q(code__startswith=models.F("kind")), name="measure_code_starts_with_kind"
            ),
            # The second toolbox's codes carry their own prefix, so that none reads like a 5G Toolbox code.
            models.CheckConstraint(condition=~Q(kind=MeasureKind.SUPPLY_CHAIN) | Q(code__startswith="SC-"),
                                   name="supply_chain_measure_code_prefixed"),
        ]


class Continuation(models.Model):
    kind = models.CharField(_("how"), max_length=10, choices=ContinuationKind.choices)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.later.code} {self.get_kind_display()} {self.earlier.code}"


class MeasureContinuation(Continuation):
    later = models.ForeignKey(ToolboxMeasure, on_delete=models.CASCADE, related_name="continues",
                              verbose_name=_("measure"))
    earlier = models.ForeignKey(ToolboxMeasure, on_delete=models.PROTECT, related_name="continued_by",
                                verbose_name=_("earlier measure"))

    class Meta:
        ordering = ["later__position", "earlier__position"]
        verbose_name = _("measure continuation")
        verbose_name_plural = _("measure continuations")
        constraints = continuation_constraints("measure_continuation")


class ScenarioContinuation(Continuation):
    later = models.ForeignKey(RiskScenario, on_delete=models.CASCADE, related_name="continues",
                              verbose_name=_("risk scenario"))
    earlier = models.ForeignKey(RiskScenario, on_delete=models.PROTECT, related_name="continued_by",
                                verbose_name=_("earlier risk scenario"))

    class Meta:
        ordering = ["later__position", "earlier__position"]
        verbose_name = _("risk scenario continuation")
        verbose_name_plural = _("risk scenario continuations")
        constraints = continuation_constraints("scenario_continuation")
