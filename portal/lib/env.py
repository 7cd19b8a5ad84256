"""Typed readers for environment variables that fail loudly on bad values."""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name, why):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: {why}")
    return value


def object_storages(url, *, region):
    """STORAGES' "attachments" and "exports" entries for STORAGE_URL: local folders when it is empty, else one bucket
    (attachments under attachments/, exports under exports/)."""
    if not url:
        return {"attachments": {"BACKEND": "portal.lib.storage.LocalContentAddressedStorage"},
                "exports": {"BACKEND": "portal.lib.storage.LocalExportStorage"}}
    parts = urlsplit(url)
    bucket = parts.netloc if parts.scheme == "s3" else parts.path.strip("/")
    if parts.scheme not in ("s3", "http", "https") or not bucket or "/" in bucket:
        raise ImproperlyConfigured(
            f"STORAGE_URL must be s3://BUCKET or http(s)://KEY:SECRET@HOST[:PORT]/BUCKET; got {url!r}.")
    options = {"bucket_name": bucket, "region_name": region}
    if parts.scheme != "s3":
        options.update(endpoint_url=f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else ""),
                       access_key=unquote(parts.username or "") or None,
                       secret_key=unquote(parts.password or "") or None)
    backend = "portal.lib.storage.S3ContentAddressedStorage"
    return {"attachments": {"BACKEND": backend, "OPTIONS": options},
            "exports": {"BACKEND": backend, "OPTIONS": {**options, "location": "exports"}}}
