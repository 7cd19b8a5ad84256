"""Reporting listens to the national assessment: every submission asks for a review of the new inputs."""

from django.dispatch import receiver

from assessments.signals import assessment_submitted
from reporting import services, tasks


@receiver(assessment_submitted, dispatch_uid="reporting.review_after_submission")
def review_after_submission(sender, assessment, version, **kwargs):
    """Runs inside the submission's transaction: the review row commits with it, the build is sent after. Asked at
    the submission's time: the present, or the demo's historical date."""
    try:
        review, created = services.review_request(cycle=assessment.cycle, now=version.submitted_at)
    except services.NothingToReview:  # the member state is not (or no longer) in the cycle's population
        return
    if created:
        tasks.enqueue_on_commit(review.pk)
