from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import access
from portal.views import account, cycles, team
from portal.views import home as views

urlpatterns = [
    path("", views.home, name="home"),
    path("authority/", views.authority_home, name="authority_home"),
    path("review/", views.review_home, name="review_home"),
    path("manage/", views.manage_home, name="manage_home"),
    path("manage/cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("manage/cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("manage/cycles/<int:pk>/edit/", cycles.cycle_edit, name="cycle_edit"),
    path("manage/cycles/<int:pk>/close/", cycles.cycle_close, name="cycle_close"),
    path("manage/cycles/<int:pk>/open/", cycles.cycle_open, name="cycle_open"),
    path("manage/cycles/<int:pk>/reopen/", cycles.reopening_grant, name="reopening_grant"),
    path("manage/reopenings/<int:pk>/end/", cycles.reopening_end, name="reopening_end"),
    path("manage/cycles/<int:cycle_pk>/milestones/new/", cycles.milestone_edit, name="milestone_create"),
    path("manage/cycles/<int:cycle_pk>/milestones/<int:pk>/", cycles.milestone_edit, name="milestone_edit"),
    path("manage/milestones/<int:milestone_pk>/extensions/new/", cycles.extension_grant, name="extension_grant"),
    path("manage/extensions/<int:pk>/revoke/", cycles.extension_revoke, name="extension_revoke"),
    path("authority/team/", team.team, name="team"),
    path("authority/team/<int:pk>/active/", team.reporter_active, name="reporter_active"),
    path("account/", account.account, name="account"),
    path("account/calendar/reset/", account.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", account.calendar_feed, name="calendar_feed"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", access.public(auth_views.LoginView.as_view(redirect_authenticated_user=True),
                                          why="signing in"), name="login"),
    path("accounts/logout/", access.public(auth_views.LogoutView.as_view(), why="signing out"), name="logout"),
    path("accounts/password/", access.signed_in(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path("accounts/password/done/", access.signed_in(auth_views.PasswordChangeDoneView.as_view()),
         name="password_change_done"),
    path("assessments/", include("assessments.urls")),
    path("reporting/", include("reporting.urls")),
    path("accounts/reset/<uidb64>/<token>/", access.public(auth_views.PasswordResetConfirmView.as_view(),
                                                           why="the emailed token is the key"),
         name="password_reset_confirm"),
    path("accounts/reset/done/", access.public(auth_views.PasswordResetCompleteView.as_view(),
                                               why="a confirmation page"), name="password_reset_complete"),
    path("admin/", admin.site.urls),
]
