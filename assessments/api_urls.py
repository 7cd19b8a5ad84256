"""The assessments API's addresses, under /api/v1/ (portal/urls.py)."""

from django.urls import path

from assessments import api

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
    path("assessments/<int:pk>/submit/", api.Submit.as_view(), name="api_submit"),
    path("assessments/<int:pk>/versions/", api.Versions.as_view(), name="api_versions"),
    path("assessments/<int:pk>/versions/<int:number>/", api.Version.as_view(), name="api_version"),
]
