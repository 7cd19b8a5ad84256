"""Where exports are kept: by their SHA-256 under EXPORT_ROOT, written whole or not at all.

The same storage as attachments (assessments/storage.py: a temporary name, the checksum verified, fsync, an atomic
rename), in a folder of its own. Nothing here is served directly: every file goes out through a view that checks who
asks (reporting/views/exports.py).
"""

import os

from django.conf import settings

from assessments.storage import ContentAddressedStorage


class ExportStorage(ContentAddressedStorage):
    # EXPORT_ROOT is read when a file is stored or opened, not when the model class is built: a test, like a deploy,
    # may move it.
    @property
    def base_location(self):
        return str(settings.EXPORT_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def export_storage():
    return ExportStorage()


def content_name(sha256):
    """The stored name of a file with this checksum (two levels, so that no folder holds every export)."""
    return f"{sha256[:2]}/{sha256}"
