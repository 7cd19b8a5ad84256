from assessments.models.catalogue import (
    KeyAssetClass,
    RiskCategory,
    RiskScenario,
    Supplier,
    SupplierRiskCriterion,
    Threat,
    ThreatActor,
    ToolboxMeasure,
)

__all__ = [
    "KeyAssetClass",
    "RiskCategory",
    "RiskScenario",
    "Supplier",
    "SupplierRiskCriterion",
    "Threat",
    "ThreatActor",
    "ToolboxMeasure",
]
