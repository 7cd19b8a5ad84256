"""Exports stay within their memory at 1,000 member states: bench/exports.py, asserting its own memory goal.

The benchmark fills a database of its own (`portal_bench_exports_check`, dropped and made again) with 1,000 submitted
member states, builds the review, and makes the reviewers' XLSX and PDF as a worker makes them, each in a forked
process: Python's peak (tracemalloc) and the process's peak resident memory must both stay under 200 MB (before
exports were jobs, the PDF at 1,000 member states took 1.24 GiB). Times are printed, never asserted here.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.bench, pytest.mark.long]


def test_each_export_of_a_1000_member_state_review_stays_under_200_mb():
    database = settings.DATABASES["default"]
    url = (f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
           "/portal_bench_exports_check")
    env = {**os.environ, "BENCH_DATABASE_URL": url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
           "CELERY_TASK_DEFAULT_QUEUE": "portal-exports-check"}
    env.pop("EXPORT_ROOT", None)  # the benchmark makes a temporary one
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "exports.py"), "--member-states", "1000",
                          "--repeats", "1", "--check-memory"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "| 1,000 | XLSX |" in run.stdout and "| 1,000 | PDF |" in run.stdout, run.stdout
