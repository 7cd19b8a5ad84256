"""What the portal does when something happens elsewhere: sign-ins and factor events go to the audit trail; a
completed sign-in's address becomes one of the user's usual ones (portal/throttling.py).

Connected in PortalConfig.ready(), with the models whose changes the trail tracks.
"""

from allauth.account.internal.flows.login import record_authentication  # allauth's own record of a session's steps
from allauth.account.signals import password_changed, password_reset
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from auditlog.signals import post_log
from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from portal import audit, services
from portal.accounts import attempted_username, client_address
from portal.models import User


def _named_user(name):
    if not name:
        return None
    return User.objects.select_related("authority__member_state").filter(username__iexact=name).first()


@receiver(user_logged_in, dispatch_uid="audit-signed-in")
def signed_in(sender, request, user, **kwargs):
    audit.record(audit.Event.SIGNED_IN, subject=user, actor=user, member_state=user.member_state)
    if request is not None:  # the password and, where the role needs one, the second factor: all done
        services.usual_address_record(user=user, address=client_address(request), now=timezone.now())


@receiver(user_logged_out, dispatch_uid="audit-signed-out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(audit.Event.SIGNED_OUT, subject=user, actor=user, member_state=user.member_state)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    """A wrong password, or an unknown or locked name: the attempted name is kept, the password never."""
    name = attempted_username(request, credentials)
    user = _named_user(name)
    audit.record(audit.Event.SIGN_IN_FAILED, subject=user, subject_repr=None if user else name or "?",
                 member_state=user.member_state if user else None)


@receiver(user_locked_out, dispatch_uid="audit-locked-out")
def locked_out(sender, request, username, ip_address, **kwargs):
    user = _named_user(username)
    audit.record(audit.Event.LOCKED_OUT, subject=user, subject_repr=None if user else username or ip_address,
                 member_state=user.member_state if user else None, address=ip_address)


@receiver(mfa_signals.authentication_failed, dispatch_uid="audit-second-factor-failed")
def second_factor_failed(sender, request, user, authenticator, **kwargs):
    """A wrong code counts as a wrong password does: for the pair (django-axes) and the name's episode
    (portal/throttling.py SignInHandler)."""
    audit.record(audit.Event.SECOND_FACTOR_FAILED, subject=user, member_state=user.member_state,
                 what=authenticator.get_type_display())
    if request is not None:
        AxesProxyHandler.user_login_failed(sender=Authenticator, credentials={"username": user.username},
                                           request=request)


@receiver(mfa_signals.authenticator_added, dispatch_uid="second-factor-counts-for-this-session")
def second_factor_added(sender, request, user, authenticator, **kwargs):
    """Adding a factor needs the account's password just before (allauth): that session has now used both."""
    if request is not None and authenticator.type != Authenticator.Type.RECOVERY_CODES:
        record_authentication(request, user, "mfa", type=authenticator.type)


@receiver(password_reset, dispatch_uid="audit-password-reset")
def password_was_reset(sender, request, user, **kwargs):
    audit.record(audit.Event.PASSWORD_RESET, subject=user, actor=user, member_state=user.member_state)


@receiver(password_changed, dispatch_uid="audit-password-changed")
def password_was_changed(sender, request, user, **kwargs):
    audit.record(audit.Event.PASSWORD_CHANGED, subject=user, actor=user, member_state=user.member_state)


@receiver(post_log, sender=Authenticator, dispatch_uid="audit-factor-member-state")
def factor_concerns_its_user(sender, instance, log_entry=None, **kwargs):
    """A factor belongs to a user: its entries say whose, and the user's member state."""
    if log_entry is not None:
        user = User.objects.select_related("authority__member_state").get(pk=instance.user_id)
        log_entry.additional_data = audit.concerning(user.member_state, user=user.username)
        log_entry.save(update_fields=["additional_data"])
