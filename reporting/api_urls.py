"""The reporting API's addresses, under /api/v1/ (portal/urls.py)."""

from django.urls import path

from reporting import api

urlpatterns = [
    path("cycles/<int:cycle_pk>/timeliness/", api.Timeliness.as_view(), name="api_timeliness"),
]
