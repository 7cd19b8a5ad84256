from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from portal import access
from portal.api import docs
from portal.eulogin import client as eulogin
from portal.views import access_requests, account, activity, cycles, pages, team
from portal.views import home as views

# The admin site signs in through the portal's own sign-in: throttled, with the second factor.
admin.site.login = secure_admin_login(admin.site.login)

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
    path("access-requests/", access_requests.access_requests, name="access_requests"),
    path("access-requests/<int:pk>/decide/", access_requests.access_request_decide, name="access_request_decide"),
    path("accounts/eulogin/request-access/", access_requests.access_request_new, name="access_request_new"),
    path("account/", account.account, name="account"),
    path("account/tokens/", account.api_token_create, name="api_token_create"),
    path("account/tokens/<int:pk>/revoke/", account.api_token_revoke, name="api_token_revoke"),
    path("account/calendar/reset/", account.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", account.calendar_feed, name="calendar_feed"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("language/", pages.language, name="language"),
    path("account/security/", account.second_factor_required, name="second_factor_required"),
    path("account/ping/", account.ping, name="session_ping"),
    path("manage/activity/", activity.activity, name="activity"),
    path("manage/lockouts/", activity.lockouts, name="lockouts"),
    # Parts of django-allauth the portal does not offer: nobody signs up, and an account's email (where password
    # links go) is changed by an admin, not from a session.
    re_path(r"^accounts/(signup|email|confirm-email|login/code|3rdparty|social)/", access.public(
        views.not_offered, why="answers 404, always")),
    # Sign in with EU Login (portal/eulogin/): allauth's OpenID Connect flow with the checks it lacks.
    path("accounts/oidc/<str:provider_id>/login/", access.public(eulogin.login_view, why="starts a sign-in")),
    path("accounts/oidc/<str:provider_id>/login/callback/",
         access.public(eulogin.callback_view, why="the identity provider's answer, checked whole")),
    # django-allauth: sign-in (throttled, with a second factor), password reset and change, factors.
    path("accounts/", include("allauth.urls")),
    path("assessments/", include("assessments.urls")),
    # The API: its description and documentation, then version 1 (docs/api.md).
    path("api/schema/", docs.schema, name="api_schema"),
    path("api/docs/", docs.docs, name="api_docs"),
    path("api/v1/", include("assessments.api.urls")),
    path("api/v1/", include("reporting.api.urls")),
    re_path(r"^api/", docs.not_found),
    path("reporting/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]

# A database that did not answer is "temporarily unavailable" (503), not a server error (portal/unavailable.py).
handler500 = "portal.unavailable.server_error"
