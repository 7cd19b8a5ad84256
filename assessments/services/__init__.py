"""Workflows of the national assessment, by concern. Views, commands, tasks and the API all call these."""

from assessments.services.attachments import attachment_add, attachment_remove
from assessments.services.clarifications import (
    assessment_return,
    clarification_answer,
    clarification_draft,
    clarification_resolve,
    clarification_withdraw,
    clarifications_send,
)
from assessments.services.drafts import (
    Outcome,
    SaveResult,
    as_query_dict,
    assessment_ensure_rows,
    assessment_start,
    section_discard_unsaved,
    section_save,
    supplier_add,
    supplier_remove,
)
from assessments.services.errors import AssessmentLocked, SubmissionRefused
from assessments.services.questionnaires import coverage_change, questionnaire_for, submitted_member_state_ids
from assessments.services.submission import (
    assessment_accept,
    assessment_missing,
    assessment_submit,
    assessment_summary,
)

__all__ = [
    "AssessmentLocked", "Outcome", "SaveResult", "SubmissionRefused", "as_query_dict", "assessment_accept",
    "assessment_ensure_rows", "assessment_missing", "assessment_return", "assessment_start", "assessment_submit",
    "assessment_summary", "attachment_add", "attachment_remove", "clarification_answer", "clarification_draft",
    "clarification_resolve", "clarification_withdraw", "clarifications_send", "coverage_change",
    "questionnaire_for", "section_discard_unsaved", "section_save", "submitted_member_state_ids", "supplier_add",
    "supplier_remove",
]
