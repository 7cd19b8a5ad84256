"""The virus scan of an attachment, when ATTACHMENT_SCANNER names a scanner (portal/settings.py).

Two ways to reach one, and nothing to install in the portal for either:

- ``command:<program> {path}`` runs a program on a file holding the upload (clamdscan, a vendor's CLI...): exit 0
  is clean, 1 is infected, anything else (or no answer within ATTACHMENT_SCANNER_TIMEOUT) means it could not check;
- ``clamd:<unix socket path>`` streams the upload to a clamd daemon with its INSTREAM command.

A scanner that fails or does not answer refuses the file, it never lets it through unchecked; and the program runs
in its own process group, so that a timeout kills it with whatever it started.
"""

import logging
import os
import shlex
import signal
import socket
import struct
import subprocess
import tempfile
import time

from django.conf import settings

log = logging.getLogger(__name__)
CHUNK = 64 * 1024


class Infected(Exception):
    pass


class Unavailable(Exception):
    pass


def scan(upload):
    """Return when the configured scanner finds the upload clean (or none is configured); else Infected/Unavailable."""
    spec = settings.ATTACHMENT_SCANNER
    if not spec:
        return
    method, _, target = spec.partition(":")
    timeout = settings.ATTACHMENT_SCANNER_TIMEOUT
    try:
        if method == "command":
            _scan_with_command(target, upload, timeout)
        else:
            _scan_with_clamd(target, upload, timeout)
    finally:
        upload.seek(0)


def _scan_with_command(command, upload, timeout):
    if hasattr(upload, "temporary_file_path"):
        upload.file.flush()
        _run(command, upload.temporary_file_path(), timeout)
        return
    # Small uploads are kept in memory: the program gets a private temporary copy, removed afterwards.
    with tempfile.NamedTemporaryFile(prefix="scan-", suffix=".upload") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        _run(command, copy.name, timeout)


def _run(command, path, timeout):
    args = shlex.split(command)
    args = [arg.replace("{path}", path) for arg in args] if any("{path}" in arg for arg in args) else [*args, path]
    with tempfile.TemporaryFile() as output:
        try:
            process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        except OSError as exc:
            log.error("the attachment scanner %r could not start: %s", args[0], exc)
            raise Unavailable from exc
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            log.error("the attachment scanner %r gave no answer within %s s", args[0], timeout)
            raise Unavailable from None
        output.seek(0)
        said = output.read(2000).decode("utf-8", "replace").strip()
    if code == 1:
        log.warning("the attachment scanner refused an upload: %s", said)
        raise Infected(said)
    if code != 0:
        log.error("the attachment scanner %r failed (exit %s): %s", args[0], code, said)
        raise Unavailable(said)


def _scan_with_clamd(path, upload, timeout):
    deadline = time.monotonic() + timeout

    def remaining():
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("clamd gave no answer in time")
        return left

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(remaining())
            conn.connect(path)
            conn.sendall(b"zINSTREAM\0")
            for chunk in upload.chunks(CHUNK):
                conn.settimeout(remaining())
                conn.sendall(struct.pack(">L", len(chunk)) + chunk)
            conn.sendall(struct.pack(">L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                conn.settimeout(remaining())
                data = conn.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as exc:  # refused, reset, timed out (clamd closes early on a stream beyond its StreamMaxLength)
        log.error("clamd at %s could not scan an attachment: %s", path, exc)
        raise Unavailable from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("FOUND"):
        log.warning("clamd refused an upload: %s", answer)
        raise Infected(answer)
    if answer != "stream: OK":
        log.error("clamd at %s answered %r", path, answer)
        raise Unavailable(answer)
