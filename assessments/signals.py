"""Domain events of the national assessment, for the apps that build on it (reporting listens).

Sent inside the transaction that made the change: a receiver that writes rows writes them atomically with it,
and hands work to Celery only on commit.
"""

from django.dispatch import Signal

# A lead reporter submitted a version. Arguments: assessment, version.
assessment_submitted = Signal()
