"""The digests stored values depend on are spelled once (portal/lib/digests.py) and never change.

The expected values below were computed by the code that stored them before the helpers existed (the version's
digest, the review's fingerprint, the export's key, the attachment's checksum loop): a version submitted then still
verifies, a review keeps its fingerprint, an export its key, a file its stored name.
"""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import AssessmentVersion
from portal.lib.digests import sha256_of_file
from portal.lib.storage import LocalContentAddressedStorage
from reporting.exports.jobs import export_key
from reporting.services import fingerprint

SNAPSHOT = {
    "member_state": "AT", "cycle": "Évaluation 2019", "version": 1, "submitted_at": "2019-07-15T21:59:59.999999+00:00",
    "submitted_by": "lukas-at",
    "answers": {
        "scope": {"summary": "Kernnetz: höchstes Risiko — «core»", "method": "iso27005"},
        "suppliers": [{"item": "Huawei", "share_core": "60", "share_access": "40.5",
                       "criteria": {"RP2": "no", "RP1": "yes"}}],
        "measures": [{"item": "SM03", "status": "applied", "target_date": "2020-04-30", "note": ""}],
    },
    "attachments": [{"name": "bewertung.pdf", "sha256": "0" * 64, "size": 12, "content_type": "application/pdf"}],
}
POPULATION = [
    {"ms": "AT", "name": "Österreich", "version": 2, "sha256": "a" * 64, "version_id": 7, "state": "late",
     "deadline": "2019-07-16T00:00:00+02:00"},
    {"ms": "EL", "name": "Ελλάδα", "version": None, "sha256": None, "version_id": None, "state": None,
     "deadline": None},
]
CONTENT = b"%PDF-1.4 Kernnetz\n" * 100000  # 1.8 MB: more than one chunk


def test_a_version_hashed_before_the_helper_still_verifies():
    hashed_then = "155d645d7d5ea1090add70d081258e1f10d11382d76b13dfe7d689a8f91f299a"
    assert AssessmentVersion.digest(SNAPSHOT) == hashed_then
    stored = AssessmentVersion(snapshot=SNAPSHOT, sha256=hashed_then)
    assert stored.snapshot_intact
    assert not AssessmentVersion(snapshot={**SNAPSHOT, "version": 2}, sha256=stored.sha256).snapshot_intact


def test_a_reviews_fingerprint_and_an_exports_key_are_the_ones_stored_before():
    assert fingerprint(POPULATION) == "e3a1e8402f41484c8a723860206adcf4aa99624719c6c06def9713e4d1a2bb0d"
    assert export_key(kind="comparison", subject="cycle:3", fmt="xlsx", language="de", audience="reviewers",
                      parameters={"member_states": ["AT", "EL"], "section": "scenarios", "previous": True,
                                  "population": ["ab" * 16, None]}) == (
        "8cb8459914811d2bc6fcc395c8ff6cf4b85d3f34649dd7e3fb6da50518fe8a3a")


def test_a_file_is_hashed_in_chunks_alike_from_an_upload_or_from_disk_and_left_at_its_start(tmp_path):
    expected = "0b0d496a4f7f4615ec4ccdc23cd76ddc70ad14685f611d843c3b906c7d892e23"
    upload = SimpleUploadedFile("bewertung.pdf", CONTENT)
    upload.read(10)
    assert sha256_of_file(upload) == (expected, len(CONTENT))
    assert upload.read(8) == b"%PDF-1.4"
    path = tmp_path / "export.pdf"
    path.write_bytes(CONTENT)
    with open(path, "rb") as handle:
        assert sha256_of_file(handle) == (expected, len(CONTENT))
        assert handle.tell() == 0


def test_storage_writes_a_file_only_under_its_own_checksum(tmp_path):
    storage = LocalContentAddressedStorage(location=tmp_path)
    right = hashlib.sha256(CONTENT).hexdigest()
    assert storage.save(right, SimpleUploadedFile("a.pdf", CONTENT)) == right
    assert (tmp_path / right).read_bytes() == CONTENT
    with pytest.raises(OSError, match="does not match its checksum"):
        storage.save("0" * 64, SimpleUploadedFile("a.pdf", CONTENT))
    assert sorted(p.name for p in tmp_path.iterdir()) == [right]  # nothing half-written left behind
