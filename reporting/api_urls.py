"""The reporting API's addresses, under /api/v1/ (portal/urls.py)."""

from django.urls import path

from reporting import api, api_exports

urlpatterns = [
    path("cycles/<int:cycle_pk>/timeliness/", api.Timeliness.as_view(), name="api_timeliness"),
    path("cycles/<int:cycle_pk>/reviews/", api.Reviews.as_view(), name="api_reviews"),
    path("reviews/<int:pk>/", api.Review.as_view(), name="api_review"),
    path("reviews/<int:pk>/publish/", api.Publish.as_view(), name="api_review_publish"),
    path("reviews/<int:pk>/withdraw/", api.Withdraw.as_view(), name="api_review_withdraw"),
    path("reviews/<int:pk>/exports/", api_exports.ReviewExports.as_view(), name="api_review_exports"),
    path("exports/<int:pk>/", api_exports.Export.as_view(), name="api_export"),
    path("exports/<int:pk>/file", api_exports.ExportFile.as_view(), name="api_export_file"),
]
