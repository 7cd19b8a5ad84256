"""Workflows of the portal's core: cycles, coverage, deadlines, reopenings, teams, access requests
(`access_requests.py`), the notification ledger, sign-ins.

Views, commands and other apps call these; they touch only the portal's own models.
"""

from portal.services.access_requests import (
    AlreadyDecided,
    AlreadyPending,
    EmailTaken,
    access_request_decide,
    access_request_make,
)
from portal.services.cycles import (
    coverage_add,
    coverage_end,
    cycle_close,
    cycle_create,
    cycle_open,
    extension_grant,
    extension_revoke,
    reopening_end,
    reopening_grant,
)
from portal.services.notifications import (
    claimant,
    notification_claim,
    notification_dismiss,
    notification_mark_sent,
    notification_release,
    notification_resend,
    notification_send,
)
from portal.services.sign_ins import sign_in_episode_end, sign_in_failed, usual_address_record
from portal.services.team import account_set_active, password_link, reporter_add, username_for
from portal.services.tokens import api_token_issue, api_token_revoke

__all__ = [
    "AlreadyDecided", "AlreadyPending", "EmailTaken", "access_request_decide", "access_request_make",
    "api_token_issue", "api_token_revoke",
    "account_set_active", "claimant", "coverage_add", "coverage_end", "cycle_close", "cycle_create", "cycle_open",
    "extension_grant", "extension_revoke", "notification_claim", "notification_dismiss", "notification_mark_sent",
    "notification_release", "notification_resend", "notification_send", "password_link", "reopening_end",
    "reopening_grant", "reporter_add", "sign_in_episode_end", "sign_in_failed", "username_for",
    "usual_address_record",
]
