"""The virus scan hook (ATTACHMENT_SCANNER), against real scanners: a program run on the file, and a socket server
speaking clamd's INSTREAM protocol. Neither is a stand-in for the portal's code: both are what it talks to."""

import os
import shutil
import socket
import struct
import sys
import tempfile
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Attachment

pytestmark = pytest.mark.django_db

# The EICAR test file, which every scanner reports and which harms nothing; in two halves, so that a scanner on the
# machine running the suite does not quarantine this file.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
INFECTED_PDF = PDF + b"%" + EICAR + b"\n"

SCANNER = """
import sys, time
data = open(sys.argv[1], "rb").read()
if b"SLEEP" in data:
    time.sleep(30)
sys.exit(1 if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data else {code})
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scanner(settings, tmp_path):
    """ATTACHMENT_SCANNER running a small program: exit 1 on EICAR, `code` otherwise."""
    def configure(code=0):
        script = tmp_path / f"scan{code}.py"
        script.write_text(SCANNER.format(code=code))
        settings.ATTACHMENT_SCANNER = f"command:{sys.executable} {script} {{path}}"
    return configure


def attach(client, draft, name, content):
    return client.post(reverse("assessments:attachments", args=[draft.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def errors(response):
    return " ".join(response.context["form"].errors.get("file", []))


@pytest.fixture
def signed_in(client, draft, reporter_at):
    client.force_login(reporter_at)
    return client


def test_a_clean_file_passes_the_command_scanner(signed_in, draft, scanner):
    scanner()
    assert attach(signed_in, draft, "method.pdf", PDF).status_code == 302
    assert Attachment.objects.count() == 1


def test_a_file_the_command_scanner_finds_infected_is_refused(signed_in, draft, scanner):
    scanner()
    attach(signed_in, draft, "method.pdf", PDF)
    response = attach(signed_in, draft, "evidence.pdf", INFECTED_PDF)
    assert response.status_code == 400
    assert "This file did not pass the virus scan" in errors(response)
    assert list(Attachment.objects.values_list("name", flat=True)) == ["method.pdf"]


def test_a_large_upload_is_scanned_from_its_temporary_file(signed_in, draft, scanner, settings):
    scanner()
    big = INFECTED_PDF + b"%" + b"0" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1) + b"\n"
    response = attach(signed_in, draft, "big.pdf", big)
    assert "This file did not pass the virus scan" in errors(response)


@pytest.mark.parametrize("code", [2, 127])
def test_a_scanner_that_fails_refuses_the_file_with_a_503_not_a_500(signed_in, draft, scanner, code):
    scanner(code)
    response = attach(signed_in, draft, "method.pdf", PDF)
    assert response.status_code == 503
    assert "The virus scanner could not check this file; try again later" in errors(response)
    assert not Attachment.objects.exists()


def test_a_scanner_that_does_not_answer_in_time_is_stopped(signed_in, draft, scanner, settings):
    scanner()
    settings.ATTACHMENT_SCANNER_TIMEOUT = 1
    started = time.monotonic()
    response = attach(signed_in, draft, "method.pdf", PDF + b"%SLEEP\n")
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert "The virus scanner could not check this file" in errors(response)


def test_a_scanner_that_cannot_start_refuses_the_file(signed_in, draft, settings):
    settings.ATTACHMENT_SCANNER = "command:/nonexistent/scanner {path}"
    response = attach(signed_in, draft, "method.pdf", PDF)
    assert response.status_code == 503
    assert "The virus scanner could not check this file" in errors(response)


def test_without_a_scanner_nothing_is_run(signed_in, draft, settings):
    settings.ATTACHMENT_SCANNER = ""
    assert attach(signed_in, draft, "method.pdf", PDF).status_code == 302


# clamd ------------------------------------------------------------------------------------------------------------

class Clamd:
    """A clamd that speaks INSTREAM over a Unix socket: OK, or "Eicar-Signature FOUND" for the test file.

    `silent` accepts the connection and never answers.
    """

    def __init__(self, silent=False):
        self.folder = tempfile.mkdtemp(prefix="clamd-")  # short: a socket path must fit in 108 bytes
        self.path = os.path.join(self.folder, "clamd.sock")
        self.silent, self.received = silent, []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen(4)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def read_exactly(self, conn, size):
        data = b""
        while len(data) < size:
            more = conn.recv(size - len(data))
            if not more:
                raise ConnectionError("closed")
            data += more
        return data

    def serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                try:
                    assert self.read_exactly(conn, 10) == b"zINSTREAM\0"
                    stream = b""
                    while length := struct.unpack(">L", self.read_exactly(conn, 4))[0]:
                        stream += self.read_exactly(conn, length)
                    self.received.append(stream)
                    if self.silent:
                        time.sleep(5)
                        continue
                    found = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in stream
                    conn.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")
                except (ConnectionError, OSError):
                    continue

    def close(self):
        self.server.close()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def clamd(settings):
    servers = []

    def start(**kwargs):
        server = Clamd(**kwargs)
        servers.append(server)
        settings.ATTACHMENT_SCANNER = f"clamd:{server.path}"
        return server
    yield start
    for server in servers:
        server.close()


def test_clamd_receives_the_whole_file_and_a_clean_one_is_attached(signed_in, draft, clamd):
    server = clamd()
    content = PDF + b"%" + b"x" * 200_000 + b"\n"  # several chunks
    assert attach(signed_in, draft, "method.pdf", content).status_code == 302
    assert server.received == [content]


def test_a_file_clamd_finds_infected_is_refused(signed_in, draft, clamd):
    clamd()
    response = attach(signed_in, draft, "evidence.pdf", INFECTED_PDF)
    assert response.status_code == 400
    assert "This file did not pass the virus scan" in errors(response)
    assert not Attachment.objects.exists()


def test_a_clamd_that_does_not_answer_refuses_the_file_in_time(signed_in, draft, clamd, settings):
    clamd(silent=True)
    settings.ATTACHMENT_SCANNER_TIMEOUT = 1
    started = time.monotonic()
    response = attach(signed_in, draft, "method.pdf", PDF)
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert "The virus scanner could not check this file" in errors(response)


def test_a_clamd_that_is_not_running_refuses_the_file(signed_in, draft, settings, tmp_path):
    settings.ATTACHMENT_SCANNER = f"clamd:{tempfile.gettempdir()}/no-such-clamd.sock"
    response = attach(signed_in, draft, "method.pdf", PDF)
    assert response.status_code == 503
    assert "The virus scanner could not check this file" in errors(response)
