"""The assessments API's addresses, under /api/v1/ (portal/urls.py)."""

from django.urls import path

from assessments import api, api_attachments, api_clarifications

urlpatterns = [
    path("cycles/", api.Cycles.as_view(), name="api_cycles"),
    path("cycles/<int:cycle_pk>/questionnaire/", api.Questionnaire.as_view(), name="api_questionnaire"),
    path("cycles/<int:cycle_pk>/assessment/", api.AssessmentStart.as_view(), name="api_assessment_start"),
    path("cycles/<int:cycle_pk>/submissions/", api.Submissions.as_view(), name="api_submissions"),
    path("assessments/<int:pk>/", api.Assessment.as_view(), name="api_assessment"),
    path("assessments/<int:pk>/sections/<slug:code>/", api.DraftSection.as_view(), name="api_section"),
    path("assessments/<int:pk>/sections/<slug:code>/still-holds/", api.StillHolds.as_view(),
         name="api_still_holds"),
    path("assessments/<int:pk>/attachments/", api.Attachments.as_view(), name="api_attachments"),
    path("assessments/<int:pk>/attachments/<int:attachment_pk>/", api_attachments.Attachment.as_view(),
         name="api_attachment"),
    path("assessments/<int:pk>/attachments/<int:attachment_pk>/file", api_attachments.AttachmentFile.as_view(),
         name="api_attachment_file"),
    path("assessments/<int:pk>/points/", api_clarifications.Points.as_view(), name="api_points"),
    path("assessments/<int:pk>/points/send/", api_clarifications.Send.as_view(), name="api_points_send"),
    path("assessments/<int:pk>/points/<int:point_pk>/", api_clarifications.Point.as_view(), name="api_point"),
    path("assessments/<int:pk>/points/<int:point_pk>/answers/", api_clarifications.Answers.as_view(),
         name="api_point_answers"),
    path("assessments/<int:pk>/points/<int:point_pk>/resolve/", api_clarifications.Resolve.as_view(),
         name="api_point_resolve"),
    path("assessments/<int:pk>/submit/", api.Submit.as_view(), name="api_submit"),
    path("assessments/<int:pk>/versions/", api.Versions.as_view(), name="api_versions"),
    path("assessments/<int:pk>/versions/<int:number>/", api.Version.as_view(), name="api_version"),
]
