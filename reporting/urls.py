from django.urls import path

from reporting.views import compare, dashboard, reviews

app_name = "reporting"

urlpatterns = [
    path("cycles/<int:cycle_pk>/timeliness/", dashboard.dashboard, name="dashboard"),
    path("cycles/<int:cycle_pk>/reviews/", reviews.reviews, name="reviews"),
    path("cycles/<int:cycle_pk>/compare/", compare.compare, name="compare"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
    path("reviews/<int:pk>/member-states/", reviews.review_member_states, name="review_member_states"),
    path("reviews/<int:pk>/status/", reviews.review_status, name="review_status"),
    path("reviews/<int:pk>/retry/", reviews.review_retry, name="review_retry"),
    path("reviews/<int:pk>/publish/", reviews.review_publish, name="review_publish"),
    path("reviews/<int:pk>/export.<str:fmt>", reviews.review_export, name="review_export"),
    path("reviews/<int:pk>/tables/<slug:key>.csv", reviews.review_csv, name="review_csv"),
]
