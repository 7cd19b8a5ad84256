from django.urls import path

from assessments.views import activity, attachments, clarifications, cycles, draft, printable, submission, workbook

app_name = "assessments"

urlpatterns = [
    path("cycles/<int:cycle_pk>/start/", draft.assessment_start, name="start"),
    path("cycles/<int:cycle_pk>/submissions/", submission.submissions, name="submissions"),
    path("cycles/<int:cycle_pk>/questionnaire/", cycles.questionnaire, name="questionnaire"),
    path("cycles/<int:cycle_pk>/coverage/", cycles.coverage, name="coverage"),
    path("<int:pk>/", draft.overview, name="overview"),
    path("<int:pk>/marking/", draft.draft_marking, name="draft_marking"),
    path("<int:pk>/sections/<slug:code>/", draft.section, name="section"),
    path("<int:pk>/sections/<slug:code>/resolve/", draft.resolve_conflict, name="resolve_conflict"),
    path("<int:pk>/sections/<slug:code>/history/", draft.history, name="history"),
    path("<int:pk>/sections/<slug:code>/restore/", draft.restore, name="restore"),
    path("<int:pk>/sections/<slug:code>/still-holds/", draft.carried_confirm, name="carried_confirm"),
    path("<int:pk>/suppliers/add/", draft.supplier_add, name="supplier_add"),
    path("<int:pk>/suppliers/<int:row_pk>/remove/", draft.supplier_remove, name="supplier_remove"),
    path("<int:pk>/attachments/", attachments.attachments, name="attachments"),
    path("<int:pk>/attachments/<int:attachment_pk>/", attachments.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", attachments.attachment_remove, name="attachment_remove"),
    path("<int:pk>/workbook.xlsx", workbook.download, name="workbook"),
    path("<int:pk>/workbook/", workbook.upload, name="workbook_upload"),
    path("<int:pk>/document/", printable.draft_document, name="draft_document"),
    path("<int:pk>/document.pdf", printable.draft_document_pdf, name="draft_document_pdf"),
    path("<int:pk>/submit/", submission.submit, name="submit"),
    path("<int:pk>/versions/<int:number>/", submission.version_detail, name="version"),
    path("<int:pk>/diff/", submission.diff, name="diff"),
    path("<int:pk>/versions/<int:number>/receipt/", submission.receipt, name="receipt"),
    path("<int:pk>/versions/<int:number>/receipt.pdf", submission.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/versions/<int:number>/document/", printable.version_document, name="version_document"),
    path("<int:pk>/versions/<int:number>/document.pdf", printable.version_document_pdf, name="version_document_pdf"),
    path("<int:pk>/return/", submission.return_for_clarification, name="return"),
    path("<int:pk>/accept/", submission.accept, name="accept"),
    path("<int:pk>/activity/", activity.activity, name="activity"),
    path("<int:pk>/points/ask/", clarifications.ask, name="ask"),
    path("<int:pk>/points/send/", clarifications.send, name="send_points"),
    path("<int:pk>/points/<int:point_pk>/withdraw/", clarifications.withdraw, name="withdraw_point"),
    path("<int:pk>/points/<int:point_pk>/resolve/", clarifications.resolve, name="resolve_point"),
    path("<int:pk>/points/<int:point_pk>/answer/", clarifications.answer, name="answer_point"),
]
