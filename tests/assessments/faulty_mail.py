"""A mail backend for tests that run the reminders in a process of their own: Django's file backend (every message
in EMAIL_FILE_PATH), and a fault at the first message, as the environment variable FAULT says:

- `crash-before-first-send`: the process dies (os._exit, as a killed worker) before the first message is written;
- `crash-after-first-send`: it dies right after the first message is written, before the portal can mark it sent;
- `pause-after-first-send`: after the first message it creates FAULT_SIGNALS/sent and waits for FAULT_SIGNALS/go,
  so that the test can act meanwhile (cut the process's database connection).

Production code knows nothing of it: the test sets EMAIL_BACKEND to this module in the child process.
"""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend

KILLED = 137  # what a shell reports for a process killed by SIGKILL
_sent = 0


class EmailBackend(FileBackend):
    def send_messages(self, messages):
        global _sent
        fault = os.environ.get("FAULT", "")
        first = _sent == 0
        if fault == "crash-before-first-send" and first:
            os._exit(KILLED)
        count = super().send_messages(messages)
        _sent += count
        if first:
            if fault == "crash-after-first-send":
                os._exit(KILLED)
            if fault == "pause-after-first-send":
                signals = Path(os.environ["FAULT_SIGNALS"])
                (signals / "sent").touch()
                deadline = time.monotonic() + 60
                while not (signals / "go").exists():
                    if time.monotonic() > deadline:
                        os._exit(3)  # the test never said go: do not hang the suite
                    time.sleep(0.05)
        return count
