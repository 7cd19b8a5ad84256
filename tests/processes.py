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

    def __init__(self, kind, broker_url, log_dir, *, env=None):
        self.kind, self.broker_url = kind, broker_url
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
        self.proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal", *command], cwd=ROOT,
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
