"""The reporting API's addresses, under /api/v1/ (portal/urls.py)."""

from django.urls import path

from reporting import api

urlpatterns = [
    path("cycles/<int:cycle_pk>/timeliness/", api.Timeliness.as_view(), name="api_timeliness"),
    path("cycles/<int:cycle_pk>/reviews/", api.Reviews.as_view(), name="api_reviews"),
    path("reviews/<int:pk>/", api.Review.as_view(), name="api_review"),
]
