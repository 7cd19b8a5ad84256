"""The portal as `make up` runs it, for tests/test_full_stack.py: a venv built from requirements.txt alone, a Redis of
the test's own, and the Procfile's processes started by honcho from that venv.

Why a venv of its own: the suite's .venv also holds requirements-test.txt, whose packages can stand in for one the
runtime lacks. kombu's Redis transport imports `packaging`, which only celery's `redis` extra brings and pytest
happens to: `make test` passed while a venv made by `make up` left every review queued.
"""

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
VAR = ROOT / "var"
BUILD_TIMEOUT = 900  # seconds for `pip install`: long enough for a cold cache, short of hanging CI on a dead registry
# What a fresh shell passes on: never the suite's VIRTUAL_ENV or PYTHONPATH; pip's own configuration, yes.
PASSED_ON = {"HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "USER", "LOGNAME", "PATH"}


def database_url(db):
    """A database of Django's settings (`connection.settings_dict`) as a URL, for processes of their own."""
    return (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


def fresh_environment(**variables):
    env = {name: value for name, value in os.environ.items() if name in PASSED_ON or name.startswith("PIP_")}
    env.update(variables)
    return env


def _text(output):
    return output.decode(errors="replace") if isinstance(output, bytes) else (output or "")


def _tail(text, size=6000):
    return text if len(text) <= size else "...\n" + text[-size:]


def run(command, *, env, what, timeout=120):
    """Run `command` in the project's directory; fail the test with `what` and its output when it does not succeed."""
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        outcome, output = f"did not finish within {timeout} s", _text(exc.stdout) + _text(exc.stderr)
    else:
        if done.returncode == 0:
            return done.stdout
        outcome, output = f"exited {done.returncode}", done.stdout + done.stderr
    pytest.fail(f"{what}\n`{' '.join(map(str, command))}` {outcome}:\n{_tail(output)}", pytrace=False)


def runtime_venv():
    """A venv holding requirements.txt and nothing else, built once per content of the file and interpreter.

    `make run` and `make up` build theirs the same way (`python -m venv`, `pip install -r requirements.txt`). A
    registry that cannot be reached fails the test: skipping would hide exactly the defect it is here to catch.
    """
    key = hashlib.sha256(REQUIREMENTS.read_bytes() + sys.version.encode() + sys.base_prefix.encode()).hexdigest()
    venv = VAR / f"runtime-venv-{key[:12]}"
    VAR.mkdir(exist_ok=True)
    with open(f"{venv}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two runs at once: one builds, the other waits and reuses it
        if not (venv / ".installed").exists():
            _build(venv)
    _forget_other_venvs(keep=venv)
    return venv


def _build(venv):
    shutil.rmtree(venv, ignore_errors=True)  # what an interrupted build left
    python, env = str(venv / "bin" / "python"), fresh_environment()
    why = ("A venv could not be built from requirements.txt alone. This test proves that `make run` and `make up` "
           "work from it, so it needs the package registry pip is configured with, and fails when it cannot reach it.")
    run([sys.executable, "-m", "venv", str(venv)], env=env, what=why)
    run([python, "-m", "pip", "install", "-r", str(REQUIREMENTS)], env=env, what=why,
        timeout=BUILD_TIMEOUT)
    run([python, "-m", "pip", "check"], env=env, what="requirements.txt pins versions that conflict.")
    (venv / ".installed").write_text(REQUIREMENTS.read_text())


def _forget_other_venvs(keep):
    """Venvs of earlier requirements.txt are a few hundred MB each; remove those no run is using."""
    for venv in VAR.glob("runtime-venv-*"):
        if venv == keep or not venv.is_dir():
            continue
        with open(f"{venv}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            shutil.rmtree(venv, ignore_errors=True)
        Path(f"{venv}.lock").unlink(missing_ok=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers_ping(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _stop(process, timeout=10):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def redis_server(directory):
    """A Redis of the test's own on a free port, keeping nothing on disk; this one, and only it, is stopped after."""
    for _ in range(3):  # the free port can be taken between asking for it and binding it
        port = free_port()
        log_path = directory / f"redis-{port}.log"
        with open(log_path, "w") as log:
            try:
                process = subprocess.Popen(
                    ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", str(directory)], stdout=log, stderr=subprocess.STDOUT)
            except FileNotFoundError:
                pytest.fail("redis-server is not installed (Debian's redis-server package).", pytrace=False)
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline and not _answers_ping(port):
            time.sleep(0.05)
        if process.poll() is None and _answers_ping(port):
            break
        _stop(process)
    else:
        pytest.fail(f"Redis did not start:\n{_tail(log_path.read_text())}", pytrace=False)
    try:
        yield port
    finally:
        _stop(process)


class Stack:
    """The Procfile's processes under honcho from `venv`, as `make up` starts them; stopped with all their children."""

    def __init__(self, venv, env, log_path):
        self.venv, self.env, self.log_path = venv, env, log_path

    def __enter__(self):
        self._log = open(self.log_path, "w")
        # A session of its own, so that nothing it starts can outlive the test (see stop).
        self.process = subprocess.Popen(
            [str(self.venv / "bin" / "honcho"), "start", "--no-colour", "--env", os.devnull,
             "--procfile", str(ROOT / "Procfile"), "--app-root", str(ROOT)],
            cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def running(self):
        return self.process.poll() is None

    def output(self):
        return self.log_path.read_text(errors="replace")

    def tail(self, size=8000):
        return f"--- what the processes printed ({self.log_path}) ---\n{_tail(self.output(), size)}"

    def stop(self):
        """SIGTERM to honcho, which passes it to each process's group and kills what is left after five seconds."""
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                # honcho itself is stuck: every process group it started (each in a session of its own), then its.
                for pid in re.findall(r"started \(pid=(\d+)\)", self.output()):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(int(pid), signal.SIGKILL)
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
