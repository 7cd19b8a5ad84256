from django.urls import path

from reporting.views import compare, dashboard, delivery, exports, phase_out, reviews, trends

app_name = "reporting"

urlpatterns = [
    path("cycles/<int:cycle_pk>/timeliness/", dashboard.dashboard, name="dashboard"),
    path("cycles/<int:cycle_pk>/delivery/", delivery.delivery, name="delivery"),
    path("cycles/<int:cycle_pk>/phase-out/", phase_out.overview, name="phase_out"),
    path("cycles/<int:cycle_pk>/phase-out.csv", phase_out.overview_csv, name="phase_out_csv"),
    path("cycles/<int:cycle_pk>/reviews/", reviews.reviews, name="reviews"),
    path("cycles/<int:cycle_pk>/compare/", compare.compare, name="compare"),
    path("cycles/<int:cycle_pk>/compare/export/", exports.comparison_export, name="comparison_export"),
    path("trends/", trends.trends, name="trends"),
    path("trends.csv", trends.trends_csv, name="trends_csv"),
    path("trends/export/", trends.trends_export, name="trends_export"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
    path("reviews/<int:pk>/member-states/", reviews.review_member_states, name="review_member_states"),
    path("reviews/<int:pk>/status/", reviews.review_status, name="review_status"),
    path("reviews/<int:pk>/retry/", reviews.review_retry, name="review_retry"),
    path("reviews/<int:pk>/publish/", reviews.review_publish, name="review_publish"),
    path("reviews/<int:pk>/withdraw/", reviews.review_withdraw, name="review_withdraw"),
    path("reviews/<int:pk>/exports/<str:fmt>/", exports.review_export, name="review_export"),
    path("reviews/<int:pk>/tables/<slug:key>.csv", reviews.review_csv, name="review_csv"),
    path("exports/<int:pk>/", exports.export_detail, name="export"),
    path("exports/<int:pk>/status/", exports.export_status, name="export_status"),
    path("exports/<int:pk>/file", exports.export_file, name="export_file"),
    path("exports/<int:pk>/retry/", exports.export_retry, name="export_retry"),
]
