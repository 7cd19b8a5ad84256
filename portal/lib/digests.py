"""The portal's digests, each spelled once: a file's SHA-256, and the SHA-256 of data as canonical JSON.

Stored values depend on these exact spellings: every version's SHA-256 (on its receipt), every attachment's and
export's stored name, every review's fingerprint and every export's key. Changing one changes them all, so they do
not change (tests/portal/test_digests.py pins them). Secrets are hashed apart (API tokens: portal/models/tokens.py).
"""

import hashlib
import json

CHUNK = 1 << 20  # a file is read a MiB at a time, never whole


def sha256_of_chunks(chunks, *, write=None):
    """(hex SHA-256, size in bytes) of the bytes in `chunks`; each chunk also goes to `write` when given (a copy made
    while hashing: the bytes are read once)."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        if write is not None:
            write(chunk)
    return digest.hexdigest(), size


def sha256_of_file(file):
    """(hex SHA-256, size) of a whole file, read in chunks: an upload, a Django File, or a binary file opened at its
    start. The file is left at its start again, ready to be stored."""
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(CHUNK), b"")
    found = sha256_of_chunks(chunks)
    file.seek(0)
    return found


def canonical_json(data):
    """`data` as canonical JSON: keys sorted, no spaces, text as it is (not \\u-escaped), any other value as str."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256_of_json(data):
    """The hex SHA-256 of `data` as canonical JSON (UTF-8)."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()
