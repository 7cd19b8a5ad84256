from django.utils.translation import gettext as _


class AssessmentLocked(Exception):
    """The assessment cannot be changed now (submitted, accepted, or its cycle is closed for it)."""


class SubmissionRefused(Exception):
    """The draft cannot become a version: answers are `missing` ({section: [Missing]})."""

    def __init__(self, missing):
        super().__init__(_("The assessment is not complete."))
        self.missing = missing


# What a lead reporter confirms before submitting, when there is something to confirm.
UNSAVED = "unsaved"  # input typed but kept out of the draft will not be part of the version
CARRIED = "carried"  # the answers carried over from an earlier cycle, and not confirmed since, still hold
CERTIFY = "certify"  # the statement that the assessment is complete and accurate (every submission)


class ConfirmationMissing(SubmissionRefused):
    """Complete, but the lead reporter has not confirmed what the submit page asks: `needed`, a set of CERTIFY,
    UNSAVED and CARRIED."""

    def __init__(self, needed):
        Exception.__init__(self, ", ".join(sorted(needed)))
        self.missing, self.needed = {}, frozenset(needed)


class CertificationWaiting(Exception):
    """Not submitted yet: the cycle asks two certifiers, and `certification` (committed) is the first of them."""

    def __init__(self, certification):
        super().__init__(_("Certified; a second lead reporter must certify the same content."))
        self.certification = certification
