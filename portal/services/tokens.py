"""Personal API tokens: made and revoked by their owner on the account page (portal/views/account.py)."""

import datetime

from django.db import transaction
from django.utils import timezone

from portal.models import ApiToken


@transaction.atomic
def api_token_issue(*, user, name, scope, days):
    """A new token of `user`, valid `days` days: (the row, the token). Only its hash is kept; show it once."""
    return ApiToken.issue(user=user, name=name, scope=scope, expires_at=timezone.now() + datetime.timedelta(days=days))


def api_token_revoke(*, user, pk):
    """Revoke one of the user's own live tokens; False when there is none such (someone else's is never found)."""
    return bool(ApiToken.objects.filter(pk=pk, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now()))
