"""Forms of the national assessment: they validate and convert; services act.

`answers.py` the sections' answers, `cycles.py` a cycle's questionnaire and coverage, `workflow.py` the filing
workflow around them, `markings.py` a draft's and a version's handling marking.
"""

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
from assessments.forms.markings import DraftMarkingForm, VersionMarkingForm
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
    "DraftMarkingForm", "VersionMarkingForm",
    "ALLOWED_ATTACHMENTS", "AddSupplierForm", "AnswerForm", "AskForm", "AssetForm", "AttachmentForm",
    "CoverageForm", "MeasureForm", "PhaseOutEntryForm", "QuestionnaireForm", "ReturnForm", "RowForm", "ScenarioForm",
    "ScopeForm",
    "StartForm", "SubmissionFilter", "SupplierForm", "SupplierFormSetBase", "ThreatActorForm", "ThreatForm",
    "VersionPairForm", "WorkbookForm", "row_formset",
]
