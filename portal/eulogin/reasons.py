"""Why an EU Login sign-in was refused: the key the audit trail keeps, the words the pages say."""

from django.utils.translation import gettext_lazy as _

# Why a sign-in was refused, as the refusal page says it; the audit trail keeps the key.
REASONS = {
    "issuer": _("The answer did not come from EU Login."),
    "audience": _("The answer was meant for another service."),
    "expired": _("The answer had expired."),
    "nonce": _("The answer was not for this sign-in."),
    "replayed": _("The answer was already used once."),
    "state": _("The sign-in was not started from this browser, or it took too long."),
    "algorithm": _("The answer was not signed as EU Login signs."),
    "signature": _("The answer's signature is not EU Login's."),
    "malformed": _("The answer could not be read."),
    "exchange": _("EU Login refused to complete the sign-in."),
    "cancelled": _("The sign-in was cancelled."),
    "assurance": _("EU Login confirmed who you are at a lower level of assurance than this portal requires: sign in "
                   "again with EU Login's second factor."),
    "inactive": _("This account is deactivated."),
    "taken": _("This e-mail address belongs to an account already linked to another EU Login account."),
}
