"""The same figures on the embedded SQLite: a test data module built, reviewed and read in a subprocess.

A subprocess, because a Django process has one `default` database: this one's is the test's PostgreSQL. The child
migrates a fresh SQLite file and prints the module's `figures(review(build()))` as JSON.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.reporting import {module} as data
print("FIGURES=" + json.dumps(data.figures(data.review(data.build()))))
"""


def figures_on_sqlite(module, tmp_path):
    """`module`'s figures (tests/reporting/<module>.py) computed on SQLite, as JSON gives them back."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'figures.sqlite3'}",
           "CELERY_BROKER_URL": "", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(module=module)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("FIGURES="))
    return json.loads(line.removeprefix("FIGURES="))
