"""Workflows of the national assessment, by concern. Views, commands, tasks and the API all call these."""

from assessments.services import carryover, drafts
from assessments.services.attachments import AlreadyAttached, attachment_add, attachment_remove
from assessments.services.carryover import (
    carried_confirm,
    carried_confirm_all,
    earlier_versions,
    previous_version,
)
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
    assessment_ensure_rows,
    assessment_start,
    conflict_resolve,
    drafts_ensure_rows,
    section_discard_unsaved,
    section_restore,
    section_save,
    supplier_add,
    supplier_remove,
)
from assessments.services.errors import (
    CARRIED,
    CERTIFY,
    UNSAVED,
    AssessmentLocked,
    CertificationWaiting,
    ConfirmationMissing,
    SubmissionRefused,
)
from assessments.services.markings import draft_marking_change
from assessments.services.phase_out import phase_out_entry_remove, phase_out_entry_save
from assessments.services.questionnaires import coverage_change, questionnaire_for, submitted_member_state_ids
from assessments.services.submission import (
    assessment_accept,
    assessment_missing,
    assessment_submit,
    assessment_summary,
    certification_statement,
    certifications_counted,
    confirmations_needed,
    draft_content,
    unsaved_by_section,
)
from assessments.sharing import MarkingRefused, reviewers

__all__ = [
    "CARRIED", "CERTIFY", "UNSAVED", "AlreadyAttached", "AssessmentLocked", "CertificationWaiting",
    "ConfirmationMissing", "MarkingRefused", "certification_statement", "certifications_counted", "draft_content",
    "draft_marking_change", "reviewers",
    "Outcome", "SaveResult", "SubmissionRefused", "assessment_accept",
    "carried_confirm", "carried_confirm_all", "carryover", "earlier_versions", "previous_version",
    "conflict_resolve", "drafts", "section_restore",
    "assessment_ensure_rows", "drafts_ensure_rows", "assessment_missing", "assessment_return", "assessment_start",
    "assessment_submit",
    "assessment_summary", "attachment_add", "attachment_remove", "clarification_answer", "clarification_draft",
    "clarification_resolve", "clarification_withdraw", "clarifications_send", "coverage_change",
    "phase_out_entry_remove", "phase_out_entry_save",
    "questionnaire_for", "section_discard_unsaved", "section_save", "submitted_member_state_ids", "supplier_add",
    "supplier_remove", "unsaved_by_section", "confirmations_needed",
]
