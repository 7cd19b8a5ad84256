"""Real processes for the fault tests: a Redis of the test's own, Celery workers and beat on it, gunicorn, a relay
that can fall silent, and kills.

Each test that stops a broker or kills a worker starts its own Redis on a free port, so that it never stops the
shared one (nor another engineer's worker), and stops exactly the processes it started.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from portal.celery import app

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    """redis-server on a port of its own, without persistence: stopped, it comes back empty, as from a crash."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return self
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@contextlib.contextmanager
def broker_at(url):
    """This process's Celery app publishes (and pings) through `url`, then through its own broker again."""
    # Publishing uses broker_write_url first (broker_url itself prefers the CELERY_BROKER_URL variable).
    saved = app.conf.broker_write_url, app.conf.broker_read_url

    def reset():
        # Forget the cached pools, so that the next publish connects to the URL now set.
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_write_url = app.conf.broker_read_url = url
    reset()
    try:
        yield
    finally:
        app.conf.broker_write_url, app.conf.broker_read_url = saved
        reset()


def database_url():
    """The URL of the database this test runs on, for a worker to read and write the same rows."""
    db = connection.settings_dict
    return (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")



class Celery:
    """A `celery -A portal worker` or `beat` process on `broker_url`, in a process group of its own."""

    def __init__(self, kind, broker_url, log_dir, *, env=None, cwd=ROOT):
        self.kind, self.broker_url, self.cwd = kind, broker_url, cwd
        self.name = f"fault-{uuid.uuid4().hex[:8]}@{os.uname().nodename}"
        self.log_path = Path(log_dir) / f"{kind}-{self.name.split('@')[0]}.log"
        self.env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": broker_url,
                    "LOG_LEVEL": "INFO", **(env or {})}
        self.proc = None

    def start(self):
        if self.kind == "worker":
            command = ["worker", "--pool", "prefork", "--concurrency", "1", "--queues",
                       settings.CELERY_TASK_DEFAULT_QUEUE, "--hostname", self.name, "--without-gossip",
                       "--without-mingle", "--loglevel", "INFO"]
        else:
            command = ["beat", "--schedule", str(self.log_path.with_suffix(".schedule")), "--loglevel", "INFO"]
        self.log = open(self.log_path, "w")
        # A session of its own: a kill of the group is a kill of the whole worker, pool processes included.
        self.proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal", *command], cwd=self.cwd,
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self, timeout=30):
        """Until the worker answers a ping through its broker; the moment it did (time.monotonic())."""
        deadline = time.monotonic() + timeout
        with broker_at(self.broker_url):
            while not app.control.ping(destination=[self.name], timeout=0.5):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the {self.kind} did not start:\n{self.tail()}")
        return time.monotonic()

    def pool_processes(self):
        """The pids of the worker's pool processes (its children)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill(self):
        """SIGKILL the whole process group: nothing of it gets to clean up, as after the OOM killer or a lost VM."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc:
            self.log.close()

    def tail(self, lines=40):
        return "\n".join(self.log_path.read_text().splitlines()[-lines:]) if self.log_path.exists() else ""


class Relay:
    """A TCP relay on a free port to a server on 127.0.0.1 (the shared PostgreSQL, say), that can fall silent.

    silence(): every connection, open or new, is accepted and read but nothing goes through in either direction, as
    from a server frozen or a network that drops everything while the connections look open. The server behind is
    never touched.
    """

    def __init__(self, target_port):
        self.target_port, self.silent, self.sockets = target_port, False, []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]

    def start(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def silence(self):
        self.silent = True

    def _accept(self):
        while True:
            try:
                client = self.server.accept()[0]
            except OSError:
                return
            self.sockets.append(client)
            if self.silent:
                threading.Thread(target=self._pump, args=(client, None), daemon=True).start()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if sink is not None and not self.silent:
                    sink.sendall(data)

    def stop(self):
        self.server.close()
        for sock in self.sockets:
            # shutdown first: a close alone leaves the connection open while a pump thread still waits in recv on it
            # (PostgreSQL would keep those sessions, and the test database could not be dropped).
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


class Gunicorn:
    """The web process as the Procfile starts it (gunicorn.conf.py), on a free port, in a process group of its own."""

    def __init__(self, log_dir, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"gunicorn-{self.port}.log"
        self.env = {**os.environ, "WEB_BIND": f"127.0.0.1:{self.port}", "PYTHONUNBUFFERED": "1", **env}
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "portal.wsgi", "--config", "gunicorn.conf.py"],
                                     cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        return self

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"gunicorn stopped:\n{self.tail()}"
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/healthz", timeout=3) as answer:
                if answer.status == 200:
                    return self
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer 200 on /healthz within {timeout} s:\n{self.tail()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc:
            self.log.close()

    def tail(self, lines=60):
        return "\n".join(self.log_path.read_text().splitlines()[-lines:]) if self.log_path.exists() else ""


def free_ports(count):
    """The first of `count` consecutive free ports."""
    for _ in range(50):
        first = free_port()
        if first + count > 65535:
            continue
        try:
            with contextlib.ExitStack() as probes:
                for port in range(first, first + count):
                    probes.enter_context(socket.socket()).bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise RuntimeError(f"no {count} consecutive free ports")


class SeaweedFS:
    """The S3 server `make up` runs (bin/storage-server: SeaweedFS) on free ports of its own, with its data in
    `data_dir`; kill() is a SIGKILL of its whole process group (a crash), start() again comes back on the same ports
    with the same data. It accepts one key, never an anonymous request."""

    KEY, SECRET, BUCKET = "portal-test", "portal-test-secret", "portal"

    def __init__(self, data_dir):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.s3_port = free_ports(8)
        self.endpoint = f"http://127.0.0.1:{self.s3_port}"
        self.proc = None

    def url(self, bucket=BUCKET):
        """The STORAGE_URL of `bucket` on this server."""
        return f"http://{self.KEY}:{self.SECRET}@127.0.0.1:{self.s3_port}/{bucket}"

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.KEY,
                            aws_secret_access_key=self.SECRET, region_name="us-east-1",
                            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                                          connect_timeout=2, retries={"max_attempts": 1}))

    def start(self, timeout=60):
        self.log = open(self.dir / "storage-server.log", "a")
        env = {**os.environ, "STORAGE_URL": self.url(), "STORAGE_DIR": str(self.dir)}
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "bin" / "storage-server")], cwd=ROOT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:  # ready once its bucket is listed (the filer and a volume are up behind the gateway)
            try:
                if any(b["Name"] == self.BUCKET for b in self.client().list_buckets().get("Buckets", [])):
                    return self
            except Exception:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"SeaweedFS did not start:\n{self.tail()}")
            time.sleep(0.2)

    def bucket(self, name=None):
        """A new bucket's name, made ready (SeaweedFS makes the volumes of a new bucket on its first write)."""
        name = name or f"portal-{uuid.uuid4().hex[:12]}"
        client = self.client()
        client.create_bucket(Bucket=name)
        client.put_object(Bucket=name, Key="ready", Body=b"")
        client.delete_object(Bucket=name, Key="ready")
        return name

    def keys(self, bucket):
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, bucket, key, timeout=30):
        """The object's bytes; just after a restart its volume may still be loading (an internal error, then)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()
            except Exception as exc:
                if "InternalError" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._close_log()

    def stop(self, grace=2):
        """SIGTERM, then SIGKILL after `grace` seconds. Its filer's graceful stop waits for the streams of the S3
        gateway in the same process and never ends: every stop waited out a 15 s timeout. Every write it answered is
        on disk by then (kill() and start() again find it)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()

    def _close_log(self):
        if getattr(self, "log", None) and not self.log.closed:
            self.log.close()

    def tail(self, lines=40):
        path = self.dir / "storage-server.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""
