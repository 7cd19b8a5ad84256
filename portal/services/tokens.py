"""Personal API tokens: made and revoked by their owner on the account page (portal/views/account.py)."""

import datetime

from django.db import transaction
from django.utils import timezone

from portal import audit
from portal.models import ApiToken


@transaction.atomic
def api_token_issue(*, user, name, scope, days):
    """A new token of `user`, valid `days` days: (the row, the token). Only its hash is kept; show it once."""
    row, token = ApiToken.issue(user=user, name=name, scope=scope,
                                expires_at=timezone.now() + datetime.timedelta(days=days))
    audit.record(audit.Event.API_TOKEN_MADE, subject=row, actor=user, member_state=user.member_state, scope=scope,
                 prefix=row.prefix)
    return row, token


@transaction.atomic
def api_token_revoke(*, user, pk, by=None):
    """Revoke one of `user`'s live tokens; False when there is none such (someone else's is never found).

    `by`: an admin revoking it (the Django admin), else the owner."""
    row = ApiToken.objects.select_for_update().filter(pk=pk, user=user, revoked_at__isnull=True).first()
    if row is None:
        return False
    ApiToken.objects.filter(pk=row.pk).update(revoked_at=timezone.now())
    audit.record(audit.Event.API_TOKEN_REVOKED, subject=row, actor=by or user, member_state=user.member_state,
                 prefix=row.prefix)
    return True
