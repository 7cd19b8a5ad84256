from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("cycles/<int:cycle_pk>/timeliness/", views.dashboard, name="dashboard"),
    path("cycles/<int:cycle_pk>/reviews/", views.reviews, name="reviews"),
    path("cycles/<int:cycle_pk>/compare/", views.compare, name="compare"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/retry/", views.review_retry, name="review_retry"),
    path("reviews/<int:pk>/publish/", views.review_publish, name="review_publish"),
    path("reviews/<int:pk>/export.<str:fmt>", views.review_export, name="review_export"),
    path("reviews/<int:pk>/tables/<slug:key>.csv", views.review_csv, name="review_csv"),
]
