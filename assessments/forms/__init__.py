"""Forms of the national assessment: they validate and convert; services act."""

from assessments.forms.answers import (
    AddSupplierForm,
    AssetForm,
    MeasureForm,
    RowForm,
    ScenarioForm,
    ScopeForm,
    SupplierForm,
    SupplierFormSetBase,
    ThreatActorForm,
    ThreatForm,
    row_formset,
)
from assessments.forms.cycles import CoverageForm, QuestionnaireForm
from assessments.forms.phase_out import PhaseOutEntryForm
from assessments.forms.workflow import (
    ALLOWED_ATTACHMENTS,
    AnswerForm,
    AskForm,
    AttachmentForm,
    ReturnForm,
    StartForm,
    SubmissionFilter,
    VersionPairForm,
    WorkbookForm,
)

__all__ = [
    "ALLOWED_ATTACHMENTS", "AddSupplierForm", "AnswerForm", "AskForm", "AssetForm", "AttachmentForm",
    "CoverageForm", "MeasureForm", "PhaseOutEntryForm", "QuestionnaireForm", "ReturnForm", "RowForm", "ScenarioForm",
    "ScopeForm",
    "StartForm", "SubmissionFilter", "SupplierForm", "SupplierFormSetBase", "ThreatActorForm", "ThreatForm",
    "VersionPairForm", "WorkbookForm", "row_formset",
]
