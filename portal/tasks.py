from celery import shared_task

from portal.models import MemberState


@shared_task(name="portal.worker_probe")
def worker_probe():
    """What a worker sees of the database: proves a worker runs and shares the portal's data."""
    return {"member_states": MemberState.objects.count()}
