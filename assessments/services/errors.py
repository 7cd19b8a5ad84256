from django.utils.translation import gettext as _


class AssessmentLocked(Exception):
    """The assessment cannot be changed now (submitted, accepted, or its cycle is closed for it)."""


class SubmissionRefused(Exception):
    def __init__(self, missing):
        super().__init__(_("The assessment is not complete."))
        self.missing = missing
