"""Where attachments and exports are kept: by their SHA-256, written whole or not at all, never public.

Two backends, chosen in one place (STORAGES["attachments"] and STORAGES["exports"] in portal/settings.py, from
STORAGE_URL):

- local files, the embedded default: a file is written under a temporary name in its folder, its checksum verified,
  flushed to disk and only then moved over its final name (an atomic rename). A write that fails part-way leaves no
  truncated file behind, and a truncated file left by anything else is replaced by the next upload of the content.
- an S3-compatible bucket (django-storages, boto3), for more than one host: a key that exists already is not written
  again (the same name is the same content); a new object is sent with its SHA-256 (ChecksumSHA256), which the
  server verifies before the object exists, so an upload cut short leaves nothing. Nothing is public (no ACL, no
  public URL): every file goes out through a view that checks who asks (portal/downloads.py), streamed.

Either way a failure is an OSError (StorageUnavailable for the bucket), which the upload views turn into a 503.
"""

import base64
import os
import posixpath
import tempfile

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from portal.lib.digests import sha256_of_chunks, sha256_of_file

# Short timeouts and one retry: a storage server that is down gives the uploader a clear 503 within seconds, long
# before gunicorn's 30-second worker timeout (boto3's own defaults wait a minute per attempt, five times).
S3_CLIENT_CONFIG = {"connect_timeout": 3, "read_timeout": 8, "retries": {"max_attempts": 2, "mode": "standard"}}


class StorageUnavailable(OSError):
    """The object storage did not answer, or refused the operation."""


class LocalContentAddressedStorage(FileSystemStorage):
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


    def check(self, *, timeout):
        """Local files: the host's own disk, which the database's host would share in a failure anyway."""


class LocalExportStorage(LocalContentAddressedStorage):
    # EXPORT_ROOT is read when a file is stored or opened, not when the storage is built: a test, like a deploy,
    # may move it.
    @property
    def base_location(self):
        return str(settings.EXPORT_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def _unavailable(exc, what, name):
    return StorageUnavailable(f"the object storage could not {what} {name}: {exc}")


def _missing(exc):
    return isinstance(exc, ClientError) and exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404


class S3ContentAddressedStorage(S3Storage):
    """A bucket (under `location`) holding files by their SHA-256; every failure an OSError."""

    default_acl = None  # the bucket's own policy, which is private; never "public-read"
    querystring_auth = True

    def __init__(self, **options):
        options.setdefault("client_config", Config(
            s3={"addressing_style": options.pop("addressing_style", "path")}, signature_version="s3v4",
            **S3_CLIENT_CONFIG))
        super().__init__(**options)

    def get_available_name(self, name, max_length=None):
        return name

    def key(self, name):
        return self._normalize_name(clean_name(name))

    def _save(self, name, content):
        expected = posixpath.basename(name)
        try:
            if self.exists(name):  # the same key is the same content: nothing to write
                return clean_name(name)
            written, _size = sha256_of_file(content)
            if written != expected:
                raise OSError(f"the file to store does not match its checksum ({written} != {expected})")
            self.connection.meta.client.put_object(
                Bucket=self.bucket_name, Key=self.key(name), Body=content, ContentType="application/octet-stream",
                ChecksumSHA256=base64.b64encode(bytes.fromhex(written)).decode())
        except (BotoCoreError, ClientError) as exc:
            raise _unavailable(exc, "store", name) from exc
        return clean_name(name)

    def _open(self, name, mode="rb"):
        """The object's body as a stream: read a chunk at a time while the response goes out, never held whole."""
        try:
            body = self.connection.meta.client.get_object(Bucket=self.bucket_name, Key=self.key(name))["Body"]
        except (BotoCoreError, ClientError) as exc:
            if _missing(exc) or (isinstance(exc, ClientError) and exc.response["Error"].get("Code") == "NoSuchKey"):
                raise FileNotFoundError(name) from exc
            raise _unavailable(exc, "read", name) from exc
        return File(body, name=name)

    def exists(self, name):
        try:
            return super().exists(name)
        except (BotoCoreError, ClientError) as exc:
            raise _unavailable(exc, "look for", name) from exc

    def delete(self, name):
        try:
            super().delete(name)
        except (BotoCoreError, ClientError) as exc:
            raise _unavailable(exc, "delete", name) from exc

    def check(self, *, timeout):
        """Raises unless the bucket answers within `timeout` seconds (a client of its own: one attempt, no retry)."""
        config = self.client_config.merge(Config(connect_timeout=timeout, read_timeout=timeout,
                                                 retries={"max_attempts": 1, "mode": "standard"}))
        client = self._create_session().client("s3", region_name=self.region_name, endpoint_url=self.endpoint_url,
                                               config=config, verify=self.verify, use_ssl=self.use_ssl)
        client.head_bucket(Bucket=self.bucket_name)

    def checksum(self, name):
        """The SHA-256 the server holds for the object (hex), as it verified it on the write."""
        try:
            head = self.connection.meta.client.head_object(Bucket=self.bucket_name, Key=self.key(name),
                                                           ChecksumMode="ENABLED")
        except (BotoCoreError, ClientError) as exc:
            if _missing(exc):
                raise FileNotFoundError(name) from exc
            raise _unavailable(exc, "read", name) from exc
        value = head.get("ChecksumSHA256")
        return base64.b64decode(value).hex() if value else None


class ConfiguredStorage(Storage):
    """The storage named `alias` in settings.STORAGES, looked up at each use.

    The model fields hold one of these (attachment_storage(), export_storage()), built when the models are imported;
    the backend behind it is whatever the settings say when a file is stored or read, so a test may switch it.
    """

    def __init__(self, alias):
        self.alias = alias

    @property
    def backend(self):
        return storages[self.alias]

    def _open(self, name, mode="rb"):
        return self.backend._open(name, mode)

    def _save(self, name, content):
        return self.backend._save(name, content)

    def get_available_name(self, name, max_length=None):
        return name

    def exists(self, name):
        return self.backend.exists(name)

    def delete(self, name):
        return self.backend.delete(name)

    def size(self, name):
        return self.backend.size(name)

    def path(self, name):
        return self.backend.path(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def url(self, name):
        raise NotImplementedError("stored files have no public URL: they are served through a view")


def storage_is_local():
    """True when attachments and exports are files on this host's disk (no STORAGE_URL)."""
    return isinstance(storages["attachments"], FileSystemStorage)


def attachment_storage():
    return ConfiguredStorage("attachments")


def export_storage():
    return ConfiguredStorage("exports")


def content_name(sha256):
    """The stored name of an export with this checksum (two levels, so that no folder holds every export)."""
    return f"{sha256[:2]}/{sha256}"
