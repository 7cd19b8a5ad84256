from django.contrib import admin
from parler.admin import TranslatableAdmin

from assessments.models import (
    KeyAssetClass,
    RiskCategory,
    RiskScenario,
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


@admin.register(RiskScenario)
class RiskScenarioAdmin(CatalogueAdmin):
    list_display = ["code", "title", "category", "is_strategic"]
    list_select_related = ["category"]


@admin.register(ToolboxMeasure)
class ToolboxMeasureAdmin(CatalogueAdmin):
    list_display = ["code", "title", "kind", "is_key_measure"]
    list_filter = ["kind", "is_key_measure"]
    filter_horizontal = ["mitigates"]


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "designated_high_risk_on"]
