"""Zip archives (Office and OpenDocument files, workbooks) opened within limits, never extracted.

A zip can claim anything: a few kilobytes may unpack to gigabytes (a zip bomb) or list hundreds of thousands of
parts, and Python's zipfile reads the whole central directory into memory when it opens one. So the end record is
read first, by hand, and the part count and directory size are checked before zipfile sees the file; then the
declared sizes of the parts are added up, still without unpacking anything. zipfile itself never returns more bytes
of a part than its declared size (it stops there and checks the CRC), so the declared sizes bound what a later read
can cost.
"""

import struct
import zipfile
import zlib
from dataclasses import dataclass

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_MAX_COMMENT = 0xFFFF
# A central directory entry is 46 bytes and a name; anything much longer per part is not an office file.
_DIRECTORY_BYTES_PER_PART = 512


class ArchiveRefused(Exception):
    """The file is not a zip, or is one beyond the limits; `reason` says which, `member` names the part if any."""

    def __init__(self, reason, *, member=None, size=None, limit=None):
        super().__init__(reason)
        self.reason, self.member, self.size, self.limit = reason, member, size, limit


@dataclass(frozen=True)
class Limits:
    members: int
    total: int  # bytes, all parts unpacked
    member: int  # bytes, any one part unpacked


def _declared_part_count(file):
    """(parts, directory size) from the end record, without letting zipfile parse anything yet."""
    file.seek(0, 2)
    size = file.tell()
    tail_start = max(0, size - _END.size - _MAX_COMMENT)
    file.seek(tail_start)
    tail = file.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        raise ArchiveRefused("not a zip")
    _sig, _disk, _cd_disk, _here, parts, directory, offset, _comment = _END.unpack_from(tail, at)
    if parts == 0xFFFF or directory == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        # Zip64: the true figures are in a second record the locator just before points to.
        locator = tail_start + at - _END64_LOCATOR.size
        if locator < 0:
            raise ArchiveRefused("not a zip")
        file.seek(locator)
        sig, _disk, record, _disks = _END64_LOCATOR.unpack(file.read(_END64_LOCATOR.size))
        if sig != b"PK\x06\x07" or record > size - _END64.size:
            raise ArchiveRefused("not a zip")
        file.seek(record)
        sig, *_rest, parts, directory, offset = _END64.unpack(file.read(_END64.size))
        if sig != b"PK\x06\x06":
            raise ArchiveRefused("not a zip")
    return parts, directory


def open_counted(file, max_members):
    """A ZipFile over `file` of at most `max_members` parts, or ArchiveRefused. Nothing is unpacked.

    Parts under one name twice (readers disagree on which one counts) and encrypted parts are refused too. The caller
    closes the ZipFile (it does not close `file`), and checks the sizes (`check_sizes`).
    """
    parts, directory = _declared_part_count(file)
    if parts > max_members or directory > max_members * _DIRECTORY_BYTES_PER_PART:
        raise ArchiveRefused("too many parts", size=parts, limit=max_members)
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ArchiveRefused("not a zip") from None
    try:
        infos = archive.infolist()
        if len(infos) > max_members:  # the end record said less than the directory holds
            raise ArchiveRefused("too many parts", size=len(infos), limit=max_members)
        names = set()
        for info in infos:
            if info.filename.lower() in names:  # Office ignores case in part names
                raise ArchiveRefused("duplicate part", member=info.filename)
            names.add(info.filename.lower())
            if info.flag_bits & 0x1:
                raise ArchiveRefused("encrypted part", member=info.filename)
    except BaseException:
        archive.close()
        raise
    return archive


def check_sizes(archive, limits):
    """ArchiveRefused when a part, or all of them, would unpack beyond `limits` (by their declared sizes)."""
    total = 0
    for info in archive.infolist():
        if info.file_size > limits.member:
            raise ArchiveRefused("part too large", member=info.filename, size=info.file_size, limit=limits.member)
        total += info.file_size
    if total > limits.total:
        raise ArchiveRefused("too large", size=total, limit=limits.total)


def open_within(file, limits):
    """A ZipFile over `file` whose parts are within `limits`, or ArchiveRefused. Nothing is unpacked."""
    archive = open_counted(file, limits.members)
    try:
        check_sizes(archive, limits)
    except BaseException:
        archive.close()
        raise
    return archive


def chunks(archive, name, size=64 * 1024):
    """The unpacked bytes of one part, a chunk at a time (never more in all than its declared size)."""
    try:
        with archive.open(name) as part:
            while chunk := part.read(size):
                yield chunk
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError,
            NotImplementedError) as exc:
        raise ArchiveRefused("damaged part", member=name) from exc
