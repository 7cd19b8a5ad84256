"""The files' half of a backup (the database's is pg_dump's), and the checks a restored copy must pass.

Attachments and exports are copied out of the storage the settings name (the bucket, or the local folders) into a
folder, each under its stored name and checked against the SHA-256 it is named after; a restore stores them again
through the same storage, which writes each key once and, in a bucket, has the server verify its ChecksumSHA256.
verify() reads everything back: every version's snapshot against its SHA-256, every attachment's and export's file
against theirs, and every export's key against the inputs it is derived from. docs/operations.md says how to run it.
"""

from pathlib import Path

from django.core.files import File

from assessments.models import AssessmentVersion, Attachment
from portal.lib.digests import sha256_of_chunks
from portal.lib.storage import attachment_storage, export_storage
from reporting.exports.jobs import export_key
from reporting.models import Export, ExportKind, JobStatus

KINDS = {"attachments": attachment_storage, "exports": export_storage}


class BackupError(Exception):
    pass


def _stored(kind):
    """(name, sha256) of every file of `kind` the database refers to."""
    if kind == "attachments":
        return Attachment.objects.order_by("pk").values_list("file", "sha256")
    return Export.objects.filter(status=JobStatus.DONE).exclude(file="").order_by("pk").values_list("file", "sha256")


def _digest(storage, name):
    with storage.open(name, "rb") as handle:
        return sha256_of_chunks(handle.chunks())[0]


def files_backup(*, to):
    """Copy every stored file into the folder `to` (attachments/..., exports/...); the number copied."""
    copied = 0
    for kind, storage in KINDS.items():
        for name, sha256 in _stored(kind):
            target = Path(to) / kind / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage().open(name, "rb") as handle, open(target, "wb") as out:
                found, _size = sha256_of_chunks(handle.chunks(), write=out.write)
            if found != sha256:
                raise BackupError(f"{kind[:-1]} {name} does not match its SHA-256: not backed up")
            copied += 1
    return copied


def files_restore(*, source):
    """Store every file of the folder `source` (as files_backup wrote it) through the configured storage."""
    restored = 0
    for kind, storage in KINDS.items():
        folder = Path(source) / kind
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            with open(path, "rb") as handle:
                storage().save(path.relative_to(folder).as_posix(), File(handle))
            restored += 1
    return restored


def _export_problem(export):
    subject = f"review:{export.review_id}" if export.kind == ExportKind.REVIEW else f"cycle:{export.cycle_id}"
    key = export_key(kind=export.kind, subject=subject, parameters=export.parameters, fmt=export.format,
                     language=export.language, audience=export.audience)
    return None if key == export.key else f"export {export.pk}: its key does not match its inputs"


def verify():
    """({"versions": n, "attachments": n, "exports": n} checked, [problems]); no problem means an intact copy."""
    problems, counts = [], {"versions": 0, "attachments": 0, "exports": 0}
    for version in AssessmentVersion.objects.only("pk", "snapshot", "sha256").iterator(chunk_size=200):
        counts["versions"] += 1
        if not version.snapshot_intact:
            problems.append(f"version {version.pk}: its snapshot does not match its SHA-256")
    for kind, storage in KINDS.items():
        for name, sha256 in _stored(kind):
            counts[kind] += 1
            try:
                if _digest(storage(), name) != sha256:
                    problems.append(f"{kind[:-1]} {name}: its file does not match its SHA-256")
            except FileNotFoundError:
                problems.append(f"{kind[:-1]} {name}: its file is missing")
    for export in Export.objects.filter(status=JobStatus.DONE).order_by("pk"):
        problems.append(_export_problem(export))
    return counts, [problem for problem in problems if problem]
