"""Exports of a review at 27 and 1,000 member states: each export's time and peak memory, and the asking request's.

    .venv/bin/python bench/exports.py [--member-states 27 1000] [--repeats 3]

In a throwaway PostgreSQL database (`portal_bench_exports`, dropped and made again; BENCH_DATABASE_URL to change
it), bench/review_build.py's synthetic cycle of N submitted member states, its review built. For each size, the
reviewers' XLSX and PDF are made by export_jobs.export_build, as a worker makes them, in a process forked for them
(so that one export's peak does not hide the next's), once untimed and then `repeats` times: the median time, the
peak of Python allocations (tracemalloc, in a fork of its own: it slows Python down) and the growth of the process's
peak resident memory (ru_maxrss at the end less at the fork: native memory too, Pango's and HarfBuzz's). openpyxl is
imported and WeasyPrint has drawn a line of text (its fonts found) before the fork, as in a worker that has made an
export before (the first PDF of a process also starts fontconfig and Pango).

The asking request is a reviewer's POST through Django's test client with the broker on (Redis, on a queue of the
bench's own, purged after; nothing consumes it): finding or writing the row and handing the job over, median of
`repeats` asks of an export not asked before, and of an export already made (answered with its file's address).
"""

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Before bench.review_build reads it, and before Django reads the rest.
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_exports")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")
os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", "portal-exports-bench")
os.environ.setdefault("EXPORT_ROOT", tempfile.mkdtemp(prefix="bench-exports-"))

from bench.review_build import fill_cycle, prepare_database, setup_django  # noqa: E402 -- the settings above first

GOALS = {"ask_ms": 200, "pdf_27_s": 3, "peak_mib": 200}


def maxrss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def in_a_fork(function, *args):
    """`function(*args)` in a forked process of its own, on a database connection of its own."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.SimpleQueue()
    child = context.Process(target=_child, args=(results, function, args))
    child.start()
    result = results.get()
    child.join()
    if isinstance(result, BaseException):
        raise result
    return result


def _child(results, function, args):
    try:
        results.put(function(*args))
    except BaseException as exc:  # noqa: BLE001 -- handed to the parent, which raises it
        results.put(exc)


def make(export_id, runs, traced=False):
    """Make the export `runs` times from nothing (queued, no stored file), after one run untimed, as a worker's pool
    process that made one before: (median seconds, Python peak MiB, RSS growth MiB since the fork, bytes)."""
    from portal.lib.storage import export_storage
    from reporting.exports import jobs as export_jobs
    from reporting.models import Export, JobStatus

    def once():
        export = Export.objects.get(pk=export_id)
        if export.file:
            export_storage().delete(export.file.name)
        Export.objects.filter(pk=export_id).update(status=JobStatus.QUEUED, file="", sha256="", size=None,
                                                   attempts=0)
        started = time.perf_counter()
        assert export_jobs.export_build(export_id=export_id) == export_id, Export.objects.get(pk=export_id).error
        return time.perf_counter() - started

    rss = maxrss_mib()
    once()
    if traced:
        tracemalloc.start()
    seconds = statistics.median(once() for _ in range(runs))
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    return seconds, peak, maxrss_mib() - rss, Export.objects.get(pk=export_id).size


def reviewer_client():
    from django.contrib.auth.models import Group

    from portal.models import Role, User
    from tests.signing_in import PortalClient

    user, _created = User.objects.get_or_create(username="bench-reviewer")
    user.groups.add(Group.objects.get(name=Role.REVIEWER))
    client = PortalClient(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def ask(client, review, fmt, repeats):
    """Median seconds of asking for an export not asked before, and the export row the last ask left (queued)."""
    from django.urls import reverse

    from reporting.models import Export

    url, times = reverse("reporting:review_export", args=[review.pk, fmt]), []
    client.post(url)  # once untimed: a web process that has answered before (imports, broker connection)
    for _ in range(repeats):
        Export.objects.filter(review=review, format=fmt).delete()
        started = time.perf_counter()
        response = client.post(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 302 and "/exports/" in response.url, response.status_code
    return statistics.median(times), Export.objects.get(review=review, format=fmt)


def ask_made(client, review, fmt, repeats):
    """Median seconds of asking again for an export already made: the answer is its file's address."""
    from django.urls import reverse

    url, times = reverse("reporting:review_export", args=[review.pk, fmt]), []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.post(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 302 and response.url.endswith("/file"), response.url
    return statistics.median(times)


def measure(n, repeats):
    import openpyxl  # noqa: F401 -- imported before the forks, as in a worker that made an export before

    from portal.lib.pdf import html_to_pdf
    from reporting import services
    from reporting.models import CoordinatedReview

    html_to_pdf("<p>Fonts found and loaded, as in a worker that made a PDF before.</p>", marking="TLP:CLEAR")

    cycle, _rows = fill_cycle(n)
    review, _created = services.review_request(cycle=cycle)
    services.review_build(review_id=review.pk)
    review = CoordinatedReview.objects.get(pk=review.pk)
    assert review.is_done, review.error
    client = reviewer_client()
    rows = []
    for fmt in ("xlsx", "pdf"):
        asked, export = ask(client, review, fmt, repeats)
        seconds, _peak, rss, size = in_a_fork(make, export.pk, repeats)
        _seconds, peak, _rss, _size = in_a_fork(make, export.pk, 1, True)
        asked_again = ask_made(client, review, fmt, repeats)
        rows.append({"n": n, "fmt": fmt.upper(), "seconds": seconds, "peak": peak, "rss": rss, "kib": size / 1024,
                     "ask_ms": asked * 1000, "ask_made_ms": asked_again * 1000})
    return rows


def purge():
    from django.conf import settings

    from portal.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--member-states", type=int, nargs="+", default=[27, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--check-memory", action="store_true",
                        help=f"exit 1 when an export's peak (Python's or the process's) exceeds {GOALS['peak_mib']} MB")
    args = parser.parse_args()
    prepare_database()
    setup_django()
    from django.conf import settings

    print(f"PDF member-state limit: {settings.EXPORT_PDF_MEMBER_STATE_LIMIT}; goals: asking <= {GOALS['ask_ms']} ms, "
          f"27-member-state PDF <= {GOALS['pdf_27_s']} s, any export <= {GOALS['peak_mib']} MB peak")
    print("| member states | export | time (s) | peak Python memory (MiB) | peak RSS growth (MiB) | file (KiB) "
          "| asking (ms) | asking again, made (ms) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    over = []
    try:
        for n in args.member_states:
            for r in measure(n, args.repeats):
                print(f"| {r['n']:,} | {r['fmt']} | {r['seconds']:.2f} | {r['peak']:.1f} | {r['rss']:.1f} "
                      f"| {r['kib']:,.0f} | {r['ask_ms']:.1f} | {r['ask_made_ms']:.1f} |", flush=True)
                if max(r["peak"], r["rss"]) * 2**20 > GOALS["peak_mib"] * 10**6:
                    over.append(f"{r['fmt']} at {r['n']:,} member states: {max(r['peak'], r['rss']):.1f} MiB")
    finally:
        purge()
    if args.check_memory and over:
        sys.exit("over the memory goal: " + "; ".join(over))


if __name__ == "__main__":
    main()
