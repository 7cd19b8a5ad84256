"""The assessments API's addresses, under /api/v1/ (portal/urls.py)."""

from django.urls import path

from assessments.api import attachments, clarifications, drafts

urlpatterns = [
    path("cycles/", drafts.Cycles.as_view(), name="api_cycles"),
    path("cycles/<int:cycle_pk>/questionnaire/", drafts.Questionnaire.as_view(), name="api_questionnaire"),
    path("cycles/<int:cycle_pk>/assessment/", drafts.AssessmentStart.as_view(), name="api_assessment_start"),
    path("cycles/<int:cycle_pk>/submissions/", drafts.Submissions.as_view(), name="api_submissions"),
    path("assessments/<int:pk>/", drafts.Assessment.as_view(), name="api_assessment"),
    path("assessments/<int:pk>/sections/<slug:code>/", drafts.DraftSection.as_view(), name="api_section"),
    path("assessments/<int:pk>/sections/<slug:code>/still-holds/", drafts.StillHolds.as_view(),
         name="api_still_holds"),
    path("assessments/<int:pk>/attachments/", drafts.Attachments.as_view(), name="api_attachments"),
    path("assessments/<int:pk>/attachments/<int:attachment_pk>/", attachments.Attachment.as_view(),
         name="api_attachment"),
    path("assessments/<int:pk>/attachments/<int:attachment_pk>/file", attachments.AttachmentFile.as_view(),
         name="api_attachment_file"),
    path("assessments/<int:pk>/points/", clarifications.Points.as_view(), name="api_points"),
    path("assessments/<int:pk>/points/send/", clarifications.Send.as_view(), name="api_points_send"),
    path("assessments/<int:pk>/points/<int:point_pk>/", clarifications.Point.as_view(), name="api_point"),
    path("assessments/<int:pk>/points/<int:point_pk>/answers/", clarifications.Answers.as_view(),
         name="api_point_answers"),
    path("assessments/<int:pk>/points/<int:point_pk>/resolve/", clarifications.Resolve.as_view(),
         name="api_point_resolve"),
    path("assessments/<int:pk>/submit/", drafts.Submit.as_view(), name="api_submit"),
    path("assessments/<int:pk>/versions/", drafts.Versions.as_view(), name="api_versions"),
    path("assessments/<int:pk>/versions/<int:number>/", drafts.Version.as_view(), name="api_version"),
]
