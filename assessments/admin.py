from django.contrib import admin
from parler.admin import TranslatableAdmin

from assessments.models import (
    CatalogueEdition,
    KeyAssetClass,
    MeasureContinuation,
    RiskCategory,
    RiskScenario,
    ScenarioContinuation,
    Supplier,
    SupplierRiskCriterion,
    Threat,
    ThreatActor,
    ToolboxMeasure,
)


class CatalogueAdmin(TranslatableAdmin):
    """An entry's title (and a threat actor's description) has a tab per language; English is the fallback."""

    list_display = ["code", "title", "position"]
    search_fields = ["code", "translations__title"]


for model in [RiskCategory, Threat, ThreatActor, KeyAssetClass, SupplierRiskCriterion]:
    admin.site.register(model, CatalogueAdmin)


@admin.register(CatalogueEdition)
class CatalogueEditionAdmin(admin.ModelAdmin):
    """The editions of the catalogue; an edition's measures and scenarios are entered on their own pages."""

    list_display = ["code", "title", "published_on"]


class ContinuationInline(admin.TabularInline):
    """The earlier items this one continues: what prefill, comparison and trends match its answers with."""

    fk_name = "later"
    extra = 0
    autocomplete_fields = ["earlier"]


class MeasureContinuationInline(ContinuationInline):
    model = MeasureContinuation


class ScenarioContinuationInline(ContinuationInline):
    model = ScenarioContinuation


@admin.register(RiskScenario)
class RiskScenarioAdmin(CatalogueAdmin):
    list_display = ["code", "title", "category", "edition", "is_strategic"]
    list_select_related = ["category", "edition"]
    list_filter = ["edition"]
    inlines = [ScenarioContinuationInline]


@admin.register(ToolboxMeasure)
class ToolboxMeasureAdmin(CatalogueAdmin):
    list_display = ["code", "title", "kind", "edition", "is_key_measure"]
    list_select_related = ["edition"]
    list_filter = ["edition", "kind", "is_key_measure"]
    filter_horizontal = ["mitigates"]
    inlines = [MeasureContinuationInline]


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "designated_high_risk_on"]
