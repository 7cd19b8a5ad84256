"""More than one machine: two gunicorn nodes behind HAProxy and two Celery workers, sharing only PostgreSQL, Redis
and the S3 server, as docs/operations.md lays out a deployment.

Each node and worker runs in a working directory and a temporary folder of its own, with MEDIA_ROOT and EXPORT_ROOT
of its own that must stay empty: a file received by one node or made by one worker reaches the others only through
the bucket. Redis is the test's own, on a free port, and so is its bucket (on the test process's SeaweedFS); the test
stops exactly what it started.
"""

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from assessments.models import Attachment, MeasureStatus, Section, SectionState
from assessments.questionnaire.sections import SectionForms
from reporting import services as review_services
from reporting.models import CoordinatedReview, Export, JobStatus
from tests.processes import Celery, Redis, broker_at, database_url, free_port

pytestmark = [pytest.mark.long, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
SERVED_BY_B_WITHIN = 60  # seconds after node A is killed
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n% uploaded through node A\n"


def own_folders(directory):
    """A host's disk: its working directory, temporary folder and local file roots, nothing shared."""
    for sub in ("tmp", "media", "exports"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    return {"TMPDIR": str(directory / "tmp"), "MEDIA_ROOT": str(directory / "media"),
            "EXPORT_ROOT": str(directory / "exports"), "PYTHONPATH": str(ROOT)}


def local_files(directory):
    return [path for sub in ("media", "exports") for path in (directory / sub).rglob("*") if path.is_file()]


class Node:
    """`gunicorn portal.wsgi` as a web node runs it, in a directory of its own."""

    def __init__(self, name, directory, env):
        self.name, self.dir, self.port = name, directory, free_port()
        self.env = {**env, **own_folders(directory)}

    def start(self):
        self.log = open(self.dir / "gunicorn.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "--config", str(ROOT / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4"],
            cwd=self.dir, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while not healthy(f"http://127.0.0.1:{self.port}"):
            assert self.proc.poll() is None and time.monotonic() < deadline, f"node {self.name}:\n{self.tail()}"
            time.sleep(0.3)

    def kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    def tail(self, lines=30):
        return "\n".join((self.dir / "gunicorn.log").read_text(errors="replace").splitlines()[-lines:])


HAPROXY = """
global
    maxconn 256
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # A request that never reached a node (refused connection) goes to the other; one that did is never sent twice.
    retries 2
    retry-on conn-failure
    option redispatch
    # /healthz answers within two seconds whatever its dependencies do; a busy node is not a dead one.
    timeout check 3s
frontend portal
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    http-response set-header X-Node %s
    server a 127.0.0.1:{a} check inter 2s fall 2 rise 2
    server b 127.0.0.1:{b} check inter 2s fall 2 rise 2
"""


@contextlib.contextmanager
def haproxy(directory, a, b):
    port = free_port()
    config = directory / "haproxy.cfg"
    config.write_text(HAPROXY.format(port=port, a=a.port, b=b.port))
    log = open(directory / "haproxy.log", "w")
    proc = subprocess.Popen(["haproxy", "-f", str(config), "-db"], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not healthy(f"http://127.0.0.1:{port}"):
            assert proc.poll() is None and time.monotonic() < deadline, (directory / "haproxy.log").read_text()
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def healthy(base):
    with contextlib.suppress(OSError):
        with urllib.request.urlopen(f"{base}/healthz", timeout=3) as response:
            return response.status == 200
    return False


class Visitor:
    """A signed-in browser over plain HTTP: the session cookie of the test client, and the CSRF cookie it gets."""

    def __init__(self, client):
        name = settings.SESSION_COOKIE_NAME
        self.cookies = {name: client.cookies[name].value}

    def request(self, url, data=None, headers=None, files=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = None
        if files is not None:
            boundary = uuid.uuid4().hex
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            body = multipart(boundary, data or {}, files)
        elif data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        request = urllib.request.Request(url, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, value = cookie.split(";", 1)[0].split("=", 1)
                self.cookies[name] = value
            return response.status, response.headers, response.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def multipart(boundary, fields, files):
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    for name, upload in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{upload.name}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + upload.read() + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


@pytest.fixture
def cluster(tmp_path, seaweed):
    """One PostgreSQL (the test database), one Redis, one SeaweedFS (the test process's, a bucket of the test's own);
    two nodes behind HAProxy; two workers."""
    redis, bucket = Redis().start(), seaweed.bucket()
    env = {**os.environ, "DEBUG": "1", "SECRET_KEY": settings.SECRET_KEY, "DATABASE_URL": database_url(),
           "CELERY_BROKER_URL": redis.url, "CACHE_URL": redis.url[:-1] + "1", "STORAGE_URL": seaweed.url(bucket),
           "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE, "DB_CONN_MAX_AGE": "0",
           "WEB_ACCESS_LOG": "-"}
    nodes = {name: Node(name, tmp_path / f"node-{name}", env).start() for name in ("a", "b")}
    workers = {}
    for name in ("a", "b"):
        directory = tmp_path / f"worker-{name}"
        workers[name] = Celery("worker", redis.url, tmp_path, env={**env, **own_folders(directory)},
                               cwd=directory).start()
    try:
        for node in nodes.values():
            node.wait_ready()
        for worker in workers.values():
            worker.wait_ready()
        with haproxy(tmp_path, nodes["a"], nodes["b"]) as balancer, broker_at(redis.url):
            yield SimpleNamespace(nodes=nodes, workers=workers, balancer=balancer, seaweed=seaweed, bucket=bucket)
    finally:
        for process in [*nodes.values(), *workers.values()]:
            process.stop()
        redis.stop()
    for name in ("a", "b"):  # no disk shared, and none used: everything went through the bucket
        assert local_files(tmp_path / f"node-{name}") == [] and local_files(tmp_path / f"worker-{name}") == []


def node_url(cluster, name):
    return f"http://127.0.0.1:{cluster.nodes[name].port}"


def test_a_file_received_by_one_node_downloads_through_the_other_and_an_export_made_by_one_worker_through_any(
        cluster, client, draft, reporter_at, four, reviewer):
    client.force_login(reporter_at)
    filer = Visitor(client)
    page = reverse("assessments:attachments", args=[draft.pk])
    status, _headers, _body = filer.request(node_url(cluster, "a") + page)
    assert status == 200
    status, _headers, _body = filer.request(node_url(cluster, "a") + page, data={},
                                            files={"file": SimpleUploadedFile("through-a.pdf", PDF)})
    assert status == 302, _body[:2000]
    attachment = Attachment.objects.get(assessment=draft)
    download = reverse("assessments:attachment", args=[draft.pk, attachment.pk])
    status, headers, body = filer.request(node_url(cluster, "b") + download)
    assert (status, body) == (200, PDF)

    # An export: made by whichever worker takes it (each claim names its task), downloaded through either node.
    review = CoordinatedReview.objects.filter(cycle=four).latest("pk")
    review_services.review_build(review_id=review.pk)
    client.force_login(reviewer)
    rita = Visitor(client)
    assert rita.request(node_url(cluster, "b") + reverse("reporting:review", args=[review.pk]))[0] == 200
    status, headers, _body = rita.request(node_url(cluster, "b") + reverse("reporting:review_export",
                                                                           args=[review.pk, "xlsx"]), data={})
    assert status == 302
    deadline = time.monotonic() + 60
    while (export := Export.objects.get()).status != JobStatus.DONE:
        assert export.status != JobStatus.FAILED and time.monotonic() < deadline, (
            export.error or "\n".join(w.tail() for w in cluster.workers.values()))
        time.sleep(0.3)
    made_by = [name for name, worker in cluster.workers.items() if export.claimed_by in worker.log_path.read_text()]
    assert len(made_by) == 1
    other = "a" if made_by == ["b"] else "b"
    for name in (other, made_by[0]):
        status, headers, body = rita.request(node_url(cluster, name) + reverse("reporting:export_file",
                                                                                args=[export.pk]))
        assert status == 200 and len(body) == export.size, (name, status)
    assert cluster.seaweed.keys(cluster.bucket) == sorted([f"attachments/{draft.pk}/{attachment.sha256}",
                                                     f"exports/{export.sha256[:2]}/{export.sha256}"])


def measure_fields(draft):
    forms = SectionForms(Section.MEASURES, draft, draft.cycle.questionnaire)
    return {code: index for (kind, code), index in forms.page_index.items() if kind == "measures"}


def test_killing_a_node_in_a_deadline_rush_loses_no_acknowledged_save_and_the_other_serves_everything(
        cluster, client, draft, reporter_at, capsys):
    client.force_login(reporter_at)
    visitor = Visitor(client)
    section = reverse("assessments:section", args=[draft.pk, "measures"])
    assert visitor.request(cluster.balancer + section)[0] == 200  # the CSRF cookie
    codes = sorted(measure_fields(draft).items())[:6]
    acknowledged, attempts, failures, served = {}, [], [], []
    stop = threading.Event()

    def rush(code, index):
        try:
            autosave_until_stopped(code, index)
        finally:
            connection.close()  # this thread's own connection, or the test database could not be dropped

    def autosave_until_stopped(code, index):
        name, marker = f"measures-{index}-note", f"measures-{index}-item"
        base, number = "", 0
        while not stop.is_set():
            number += 1
            value = f"{code} save {number}"
            revision = SectionState.objects.get(assessment=draft, section=Section.MEASURES).revision
            started = time.monotonic()
            try:
                status, headers, body = visitor.request(
                    cluster.balancer + section, headers={"X-Autosave": "1"},
                    data={name: value, f"base:{name}": base, marker: code, "_revision": str(revision)})
                answer = json.loads(body)["status"] if status == 200 else body[:80]
                saved = answer == "saved"
            except (OSError, ValueError) as exc:
                status, headers, saved, answer = None, {}, False, type(exc).__name__
            attempts.append((code, value))
            time.sleep(0.1)  # a typist's pause: autosaves follow keystrokes, they do not loop
            if saved:
                acknowledged[code], base = value, value
                served.append((started, headers.get("X-Node")))  # when asked, as failures are: comparable
            else:  # unknown whether it landed: the next save starts from what is stored
                failures.append((started, status, answer))
                base = MeasureStatus.objects.get(assessment=draft, version=None, measure__code=code).note

    threads = [threading.Thread(target=rush, args=item) for item in codes]
    for thread in threads:
        thread.start()
    time.sleep(5)
    killed_at = time.monotonic()
    cluster.nodes["a"].kill()
    time.sleep(20)
    stop.set()
    for thread in threads:
        thread.join(60)
    ended_at = time.monotonic()

    assert len(acknowledged) == len(codes)
    for code, value in acknowledged.items():
        stored = MeasureStatus.objects.get(assessment=draft, version=None, measure__code=code).note
        later = [v for c, v in attempts if c == code]
        # The last acknowledged save, or one sent after it whose answer was lost with the node: never an older one.
        assert stored in later[later.index(value):], (code, stored, value)
    assert {node for _at, node in served if _at < killed_at} == {"a", "b"}
    last_failure = max((at for at, *_answer in failures), default=killed_at)
    assert last_failure - killed_at < SERVED_BY_B_WITHIN
    assert {node for at, node in served if at > last_failure} == {"b"}
    with capsys.disabled():
        answers = collections.Counter(status for _at, status, _answer in failures)
        print(f"\n[two nodes] {len(attempts)} autosaves in {ended_at - killed_at + 5:.0f} s, {len(failures)} "
              f"unanswered (by status: {dict(answers)}), the last {last_failure - killed_at:.1f} s after node A "
              f"was killed; acknowledged saves lost: 0")
