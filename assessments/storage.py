"""Where attachments are stored: by their SHA-256, written whole or not at all.

A file is written under a temporary name in the same folder, its checksum verified, flushed to disk and only then
moved over its final name (an atomic rename): a write that fails part-way leaves no truncated file behind, and a
truncated file left by anything else is replaced by the next upload of the same content.
"""

import os
import tempfile

from django.core.files.storage import FileSystemStorage

from portal.lib.digests import sha256_of_chunks


class ContentAddressedStorage(FileSystemStorage):
    def get_available_name(self, name, max_length=None):
        return name  # the name is the content's checksum: the same content is the same file

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as out:
                written, _size = sha256_of_chunks(content.chunks(), write=out.write)
                out.flush()
                os.fsync(out.fileno())
            expected = os.path.basename(name)
            if written != expected:
                raise OSError(f"the file written does not match its checksum ({written} != {expected})")
            os.replace(temporary, full_path)
        except BaseException:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
            raise
        return name


def attachment_storage():
    return ContentAddressedStorage()
