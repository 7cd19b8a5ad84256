from assessments.models.answers import (
    AssetSensitivity,
    CriterionAnswer,
    MeasureStatus,
    MeasureStatusChoice,
    Method,
    Rating,
    Relevance,
    ScenarioRating,
    ScopeAnswer,
    SupplierPresence,
    SupplierRisk,
    ThreatActorRating,
    ThreatRelevance,
    Trend,
)
from assessments.models.assessment import (
    EDITABLE_STATUSES,
    AssessmentVersion,
    Attachment,
    ClarificationMessage,
    ClarificationPoint,
    NationalAssessment,
    PointStatus,
    SectionState,
    Status,
    Transition,
    UnsavedInput,
)
from assessments.models.catalogue import (
    KeyAssetClass,
    MeasureKind,
    RiskCategory,
    RiskScenario,
    Supplier,
    SupplierRiskCriterion,
    Threat,
    ThreatActor,
    ToolboxMeasure,
)
from assessments.models.questionnaire import Questionnaire, RiskLevel, Section

__all__ = [
    "EDITABLE_STATUSES", "AssessmentVersion", "AssetSensitivity", "Attachment", "ClarificationPoint",
    "ClarificationMessage", "CriterionAnswer", "PointStatus", "KeyAssetClass", "MeasureKind", "MeasureStatus", "MeasureStatusChoice", "Method",
    "NationalAssessment", "Questionnaire", "Rating", "Relevance", "RiskCategory", "RiskLevel", "RiskScenario",
    "ScenarioRating", "ScopeAnswer", "Section", "SectionState", "Status", "Supplier", "SupplierPresence",
    "SupplierRisk", "SupplierRiskCriterion", "Threat", "ThreatActor", "ThreatActorRating", "ThreatRelevance",
    "ToolboxMeasure", "Transition", "Trend", "UnsavedInput",
]
