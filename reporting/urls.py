from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("cycles/<int:cycle_pk>/timeliness/", views.dashboard, name="dashboard"),
]
