"""Where a reviewer page's time goes, in-process: CPU, Python calls and queries per request, and cProfile's top.

    .venv/bin/python bench/profile_pages.py [--reuse] [--warm] [--pages review,dashboard] [--profile 40]

The world of bench/pages.py (27 submitted member states, a built review, signed-in reviewers) in its own throwaway
database (`portal_bench_profile`; BENCH_DATABASE_URL to change it), the portal as in production (DEBUG off), requests
through Django's test client: no server and no load generator, so that a machine others load still shows each
request's own work. `--reuse` keeps the database of an earlier run (its fill takes a minute). CPU is the best of five
batches; calls and queries do not depend on the load. Fresh by default (RENDERED_CACHE_SECONDS=0); `--warm` keeps
what cannot change, as a server would.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import fresh_database, server_environment, setup_django, signed_in_cookies  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_profile")


def pages_of(review):
    cycle = review.cycle
    codes = "&".join(f"member_states={pk}" for pk in cycle.coverages.values_list("member_state_id", flat=True))
    return {"no-op": ("post", "/account/ping/"), "frame": ("get", "/accessibility/"),
            "review": ("get", f"/reporting/reviews/{review.pk}/"),
            "dashboard": ("get", f"/reporting/cycles/{cycle.pk}/timeliness/"),
            "compare": ("get", f"/reporting/cycles/{cycle.pk}/compare/?{codes}&section=scenarios"),
            "submissions": ("get", f"/assessments/cycles/{cycle.pk}/submissions/")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    parser.add_argument("--warm", action="store_true", help="keep what cannot change (RENDERED_CACHE_SECONDS on)")
    parser.add_argument("--pages", help="comma-separated: no-op, frame, review, dashboard, compare, submissions")
    parser.add_argument("--requests", type=int, default=10, help="per batch (five batches)")
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N by cumulative time")
    args = parser.parse_args()

    env = server_environment(DATABASE, ALLOWED_HOSTS="testserver",
                             RENDERED_CACHE_SECONDS="3600" if args.warm else "0")
    if not args.reuse:
        fresh_database(DATABASE)
    setup_django(env)  # migrates, collects the static files, empties the cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import build_world
    from portal.models import User
    from reporting.models import CoordinatedReview

    if not args.reuse:
        build_world()
    cookies, csrf = signed_in_cookies(User.objects.get(username="reviewer-0"))
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_X_CSRFTOKEN=csrf)
    client.cookies.load(cookies)
    wanted = args.pages.split(",") if args.pages else None
    print("| page | CPU ms | Python calls | queries |\n|---|---:|---:|---:|")
    for name, (method, path) in pages_of(CoordinatedReview.objects.latest("pk")).items():
        if wanted and name not in wanted:
            continue
        request = getattr(client, method)
        assert request(path).status_code in (200, 204), name  # the session's first request writes it
        with CaptureQueriesContext(connection) as queries:
            request(path)
        count = len(queries)  # read now: the next request empties the connection's log
        cpu = []
        for _batch in range(5):
            started = time.process_time()
            for _ in range(args.requests):
                request(path)
            cpu.append((time.process_time() - started) / args.requests * 1000)
        profile = cProfile.Profile(time.process_time)
        for _ in range(args.requests):
            profile.runcall(request, path)
        stats = pstats.Stats(profile, stream=io.StringIO())
        print(f"| {name} | {min(cpu):.1f} | {stats.total_calls // args.requests:,} | {count} |")
        if args.profile:
            stats.stream = sys.stdout
            stats.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
