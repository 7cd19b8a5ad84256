from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("authority/", views.authority_home, name="authority_home"),
    path("review/", views.review_home, name="review_home"),
    path("manage/", views.manage_home, name="manage_home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("assessments/", include("assessments.urls")),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
