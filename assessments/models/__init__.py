from assessments.models.answers import (
    AssetSensitivity,
    CriterionAnswer,
    LegislationAnswer,
    MeasureStatus,
    MeasureStatusChoice,
    Method,
    Powers,
    Rating,
    Relevance,
    ScenarioRating,
    ScopeAnswer,
    SupplierPresence,
    SupplierRisk,
    ThreatActorRating,
    ThreatRelevance,
    Trend,
    YesNo,
)
from assessments.models.assessment import (
    EDITABLE_STATUSES,
    AssessmentVersion,
    NationalAssessment,
    Outdated,
    RefusalReason,
    SectionState,
    Status,
    Transition,
    UnsavedInput,
)
from assessments.models.attachment import MAX_ATTACHMENT_BYTES, AssessmentVersionAttachment, Attachment
from assessments.models.carryover import CarriedAnswer, LeftBehind, Prefill, Settled
from assessments.models.catalogue import (
    CatalogueEdition,
    ContinuationKind,
    KeyAssetClass,
    MeasureContinuation,
    MeasureKind,
    RiskCategory,
    RiskScenario,
    ScenarioContinuation,
    Supplier,
    SupplierRiskCriterion,
    Threat,
    ThreatActor,
    ToolboxMeasure,
)
from assessments.models.certification import Certification
from assessments.models.clarification import (
    OPEN_POINT_STATUSES,
    ClarificationMessage,
    ClarificationPoint,
    PointStatus,
)
from assessments.models.history import RevisionKind, SectionRevision
from assessments.models.phase_out import (
    PHASE_OUT_MONTHS,
    PhaseOutEntry,
    PhaseOutStatus,
    phase_out_deadline,
    phase_out_status,
)
from assessments.models.questionnaire import Questionnaire, RiskLevel, Section

__all__ = [
    "EDITABLE_STATUSES", "MAX_ATTACHMENT_BYTES", "OPEN_POINT_STATUSES", "AssessmentVersion",
    "AssessmentVersionAttachment", "AssetSensitivity", "CatalogueEdition", "ContinuationKind",
    "MeasureContinuation", "ScenarioContinuation", "Attachment", "CarriedAnswer", "LeftBehind", "Prefill",
    "Settled", "Certification", "ClarificationMessage", "ClarificationPoint",
    "CriterionAnswer", "KeyAssetClass", "LegislationAnswer", "Powers", "YesNo",
    "MeasureKind", "MeasureStatus", "MeasureStatusChoice", "Method",
    "NationalAssessment", "Outdated", "PHASE_OUT_MONTHS", "PhaseOutEntry", "PhaseOutStatus", "phase_out_deadline",
    "phase_out_status", "PointStatus", "Questionnaire", "Rating", "RefusalReason", "Relevance",
    "RevisionKind",
    "RiskCategory", "RiskLevel", "RiskScenario", "ScenarioRating", "ScopeAnswer", "Section", "SectionRevision",
    "SectionState", "Status", "Supplier",
    "SupplierPresence", "SupplierRisk", "SupplierRiskCriterion", "Threat", "ThreatActor", "ThreatActorRating",
    "ThreatRelevance", "ToolboxMeasure", "Transition", "Trend", "UnsavedInput",
]
