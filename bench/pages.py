"""The reviewers' pages at 27 submitted member states, against an authenticated no-op behind the same middleware.

    .venv/bin/python bench/pages.py [--clients 16] [--seconds 10] [--workers N --threads N]

In a throwaway PostgreSQL database (`portal_bench_pages`; BENCH_DATABASE_URL to change it): one cycle, 27 member
states, each with a submitted version and every question answered (bench/review_build.py's synthetic cycle), its
coordinated review built. gunicorn serves it as in production (bench/harness.py). For each page in turn, `clients`
signed-in reviewers request it back to back for `seconds`; the no-op is the session ping (POST, 204), which passes
through every middleware and does nothing. Printed: requests per second of each, and its ratio to the no-op's, twice:
fresh (RENDERED_CACHE_SECONDS=0: every page rendered whole) and warm (what immutable inputs make kept, after the first
request of each client).
"""

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402 -- the path above first
    Client,
    Gunicorn,
    fresh_database,
    percentile,
    server_environment,
    setup_django,
    signed_in_cookies,
)

DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_pages")


def build_world():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from allauth.mfa.utils import encrypt
    from django.contrib.auth.models import Group

    from bench.review_build import fill_cycle
    from portal.models import Role, User
    from reporting import services

    cycle, _rows = fill_cycle(27)
    review, _created = services.review_request(cycle=cycle)
    services.review_build(review_id=review.pk)
    reviewers = User.objects.bulk_create([User(username=f"reviewer-{n}", password="!") for n in range(32)])
    group = Group.objects.get(name=Role.REVIEWER)
    for user in reviewers:
        user.groups.add(group)
    # Reviewers have a second factor (the sessions of bench/harness.py have used it).
    Authenticator.objects.bulk_create(Authenticator(user=user, type=Authenticator.Type.TOTP,
                                                    data={"secret": encrypt(generate_totp_secret())})
                                      for user in reviewers)
    codes = "&".join(f"member_states={pk}" for pk in cycle.coverages.values_list("member_state_id", flat=True))
    pages = {
        "coordinated review": ("GET", f"/reporting/reviews/{review.pk}/"),
        "timeliness dashboard": ("GET", f"/reporting/cycles/{cycle.pk}/timeliness/"),
        "comparison, 27 member states": ("GET", f"/reporting/cycles/{cycle.pk}/compare/?{codes}&section=scenarios"),
        "submissions list": ("GET", f"/assessments/cycles/{cycle.pk}/submissions/"),
    }
    return reviewers, pages


async def hammer(port, cookies, method, path, seconds):
    clients = [Client(port, *cookie) for cookie in cookies]
    latencies, failures = [], []

    async def loop(client, until):
        while time.monotonic() < until:
            status, _content, elapsed = await client.request(method, path)
            (latencies if status in (200, 204) else failures).append(elapsed if status in (200, 204) else status)

    for client in clients:  # warm: connections open, caches filled
        await client.request(method, path)
    started = time.monotonic()
    await asyncio.gather(*(loop(client, started + seconds) for client in clients))
    elapsed = time.monotonic() - started
    for client in clients:
        await client.close()
    return len(latencies) / elapsed, percentile(latencies, 95), failures


def measure(env, args, cookies, pages):
    """{page: figures} against a gunicorn serving with `env`: the no-op first, then each page."""
    figures = {}
    with Gunicorn(env, args.workers, args.threads) as server:
        noop_rps, noop_p95, failures = asyncio.run(hammer(server.port, cookies, "POST", "/account/ping/",
                                                          args.seconds))
        assert not failures, failures[:5]
        figures["no-op"] = {"rps": noop_rps, "p95_ms": noop_p95 * 1000, "ratio": 1.0}
        for name, (method, path) in pages.items():
            rps, p95, failures = asyncio.run(hammer(server.port, cookies, method, path, args.seconds))
            assert not failures, (name, failures[:5])
            figures[name] = {"rps": rps, "p95_ms": p95 * 1000, "ratio": rps / noop_rps}
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    fresh_database(DATABASE)
    env = server_environment(DATABASE)
    setup_django(env)
    reviewers, pages = build_world()
    cookies = [signed_in_cookies(user) for user in reviewers[:args.clients]]
    figures = {}
    for mode, environment in (("fresh", {**env, "RENDERED_CACHE_SECONDS": "0"}), ("warm", env)):
        figures[mode] = measure(environment, args, cookies, pages)
    print(f"{args.clients} clients, {args.seconds:g} s each; fresh: nothing kept (RENDERED_CACHE_SECONDS=0), "
          "warm: a done review's figures and the comparison's table kept")
    print("| page | fresh requests/s | fresh p95 (ms) | fresh ratio | warm requests/s | warm p95 (ms) | warm ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in figures["fresh"]:
        cells = [f"{figures[mode][name]['rps']:.1f} | {figures[mode][name]['p95_ms']:.0f} | "
                 f"{figures[mode][name]['ratio']:.2f}" for mode in ("fresh", "warm")]
        print(f"| {name} | {' | '.join(cells)} |")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
