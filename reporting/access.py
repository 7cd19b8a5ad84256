"""One fetcher per object of the reporting app; the rules are in portal/access.py."""

from django.shortcuts import get_object_or_404

from portal.models import ReportingCycle
from reporting.models import CoordinatedReview, Export


def get_review_for_user(user, pk):
    """Reviewers and admins see every review; authority staff only published ones of their cycles (404 else).

    The results (the largest column) are read when first used: a done review's page is rendered from the cache.
    `published_at` says when its standing publication was made (None: not published, or withdrawn).
    """
    return get_object_or_404(CoordinatedReview.objects.visible_to(user).with_publication().select_related("cycle")
                             .defer("results"), pk=pk)


def get_cycle_for_user(user, pk):
    return get_object_or_404(ReportingCycle.objects.visible_to(user).select_related("questionnaire"), pk=pk)


def get_export_for_user(user, pk):
    """An export of something the user may read, made for the user's audience; 404 for anything else, whatever pk
    is tried (a staff member never gets a reviewer's file, nor another member state's user a review they cannot see).
    """
    return get_object_or_404(Export.objects.visible_to(user).select_related("review", "cycle"), pk=pk)
