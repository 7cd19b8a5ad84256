from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.utils.text import capfirst
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


class RowsCountedOnDelete:
    """The delete page of a catalogue entry names the rows that hold it by kind and number, never by what they say:
    they are member states' answers, some in versions marked TLP:RED, which an admin who is not named on them does
    not read (docs/markings.md, "Admins and TLP:RED")."""

    def get_deleted_objects(self, objs, request):
        _deleted, model_count, perms_needed, _protected = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        held = {}
        for row in collector.protected:
            name = capfirst(row._meta.verbose_name_plural)
            held[name] = held.get(name, 0) + 1
        return [str(obj) for obj in objs], model_count, perms_needed, [f"{name}: {n}" for name, n in held.items()]


class CatalogueAdmin(RowsCountedOnDelete, TranslatableAdmin):
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
class SupplierAdmin(RowsCountedOnDelete, admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name", "designated_high_risk_on"]
