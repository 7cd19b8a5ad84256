"""The reporting API's addresses, under /api/v1/ (portal/urls.py)."""

from django.urls import path

from reporting.api import exports, reviews

urlpatterns = [
    path("cycles/<int:cycle_pk>/timeliness/", reviews.Timeliness.as_view(), name="api_timeliness"),
    path("cycles/<int:cycle_pk>/reviews/", reviews.Reviews.as_view(), name="api_reviews"),
    path("reviews/<int:pk>/", reviews.Review.as_view(), name="api_review"),
    path("reviews/<int:pk>/publish/", reviews.Publish.as_view(), name="api_review_publish"),
    path("reviews/<int:pk>/withdraw/", reviews.Withdraw.as_view(), name="api_review_withdraw"),
    path("reviews/<int:pk>/exports/", exports.ReviewExports.as_view(), name="api_review_exports"),
    path("exports/<int:pk>/", exports.Export.as_view(), name="api_export"),
    path("exports/<int:pk>/file", exports.ExportFile.as_view(), name="api_export_file"),
]
