"""What the benchmarks share: a throwaway database, the portal under gunicorn, signed-in sessions, an HTTP client.

The server runs as in production (DEBUG off, persistent connections, sessions in the cache) behind a pretend TLS
proxy (`X-Forwarded-Proto: https`), so that every security middleware does its work. The client is a small asyncio
HTTP/1.1 client with keep-alive: hundreds of simulated users cost the load generator little of the machine's
two cores, which it shares with the server.
"""

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECRET_KEY = "bench-" + "k" * 60


def fresh_database(url):
    """Drop and create the database of `url` (a throwaway: the benchmarks never touch another)."""
    import psycopg2

    admin_url, name = url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]
    assert name.startswith("portal_bench"), f"refusing to drop {name}: not a benchmark database"
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def server_environment(database_url, **extra):
    """The environment of a production-like portal on this machine (the bench process uses it too)."""
    env = {
        **os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_PROXY_SSL_HEADER": "1", "SECURE_HSTS_PRELOAD": "0",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"), "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("CELERY_BROKER_URL", None)  # tasks in-process: the benchmarks measure the web side
    env.update({key: str(value) for key, value in extra.items()})
    return env


def setup_django(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: pages need the manifest
    cache.clear()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving the portal with the Procfile's settings (gunicorn.conf.py), or `workers`/`threads` given."""

    def __init__(self, env, workers=None, threads=None):
        self.port = free_port()
        self.env = dict(env)
        if workers:
            self.env["WEB_WORKERS"] = str(workers)
        if threads:
            self.env["WEB_THREADS"] = str(threads)
        self.env["WEB_BIND"] = f"127.0.0.1:{self.port}"
        self.log = open(ROOT / "var" / "bench-gunicorn.log", "w")

    def __enter__(self):
        self.process = subprocess.Popen([str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi", "--config",
                                         str(ROOT / "gunicorn.conf.py")], cwd=ROOT, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start: see {self.log.name}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def signed_in_cookies(user):
    """A session for `user` as a sign-in leaves it (with the second factor where the role needs one), and a CSRF
    secret: the cookies a browser would hold. Made directly, so that 270 sign-ins do not hit the sign-in's rate limit.
    """
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    now = time.time()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": now}, {"method": "mfa", "at": now}]
    store["account_authentication_methods_user"] = str(user.pk)
    store["portal_last_seen"] = now
    store.create()
    csrf = secrets.token_hex(16)
    return {settings.SESSION_COOKIE_NAME: store.session_key, settings.CSRF_COOKIE_NAME: csrf}, csrf


class Client:
    """One simulated browser: one keep-alive connection, its cookies, its CSRF token."""

    def __init__(self, port, cookies, csrf):
        self.port, self.csrf = port, csrf
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.reader = self.writer = None

    async def _connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method, path, body=b"", headers=None):
        """(status, body bytes, seconds). Reconnects once if the server closed the connection."""
        for attempt in (1, 2):
            if self.writer is None:
                await self._connect()
            started = time.perf_counter()
            try:
                self.writer.write(self._head(method, path, body, headers) + body)
                await self.writer.drain()
                status, content = await self._response()
                return status, content, time.perf_counter() - started
            except (ConnectionError, asyncio.IncompleteReadError):
                self.writer = None
                if attempt == 2:
                    raise

    def _head(self, method, path, body, headers):
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Cookie: {self.cookie}",
                 "X-Forwarded-Proto: https", f"Origin: https://127.0.0.1:{self.port}",
                 f"X-CSRFToken: {self.csrf}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def _response(self):
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            content = b""
            while (size := int((await self.reader.readline()).strip(), 16)) > 0:
                content += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            content = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection") == "close":
            self.writer.close()
            self.writer = None
        return status, content

    async def close(self):
        if self.writer is not None:
            self.writer.close()


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
