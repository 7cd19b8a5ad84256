"""The deadline rush: 270 reporters (10 per member state x 27) autosaving one section at once.

    .venv/bin/python bench/rush.py [--users-per-state 10] [--interval 5] [--seconds 60] [--workers N --threads N]

In a throwaway PostgreSQL database (`portal_bench_rush`; BENCH_DATABASE_URL to change it), one open cycle asks the
27 member states; each has 10 reporters signed in, all on the same section of their member state's draft (the
Toolbox measures), each typing in a field of their own (measure N's note), so that every save merges into a
section that nine colleagues are changing too. Every user's page autosaves every `interval` seconds, one save at a
time (the next waits for the answer), posting what static/js/autosave.js posts: the changed fields with the values
they started from and the section's revision. Alongside, 10 clients call an authenticated no-op (the session ping)
once a second: the floor a save is compared with.

Printed: saves offered and completed per second, save latency p50/p95/p99 against the no-op's p95, errors, the
longest any user went without a save getting through (starvation), and, read back from the database afterwards,
any value lost or overwritten (each user's last acknowledged text must be what the draft holds).
"""

import argparse
import asyncio
import json
import os
import random
import sys
import time
import urllib.parse
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

DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_rush")


def build_world(users_per_state):
    """The cycle, the reporters, their drafts; [(user, assessment, the field they type in)] and the section's page."""
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from assessments.models import Section
    from assessments.questionnaire.sections import SectionForms
    from assessments.services import assessment_start, questionnaire_for
    from portal import services
    from portal.models import Authority, MemberState, Milestone, Role, User

    start = datetime.date(2020, 2, 1)
    states = list(MemberState.objects.members_on(start))
    cycle = services.cycle_create(title="The rush", year=2020, starts_on=start, member_states=states, user=None)
    Milestone.objects.create(cycle=cycle, code="NRA-SUBMIT", title="Send", scope="member_state",
                             due_date=timezone.localdate() + datetime.timedelta(days=30), tracks_submission=True)
    questionnaire = questionnaire_for(cycle)
    reporter = Group.objects.get(name=Role.REPORTER)
    people = []
    for state in states:
        authority, _ = Authority.objects.get_or_create(member_state=state, name=f"Authority of {state.name}",
                                                       defaults={"kind": "cybersecurity"})
        users = User.objects.bulk_create([User(username=f"{state.eu_code.lower()}-rush-{n}", authority=authority,
                                               password="!") for n in range(users_per_state)])
        for user in users:
            user.groups.add(reporter)
        assessment = assessment_start(cycle=cycle, member_state=state, user=users[0])
        forms = SectionForms(Section.MEASURES, assessment, questionnaire)
        page = forms.as_post()  # the page as loaded: what its fields hold
        items = [(name.rsplit("-", 1)[0], value) for name, value in page.items() if name.endswith("-item")]
        for user, (row, item) in zip(users, items):
            people.append((user, assessment, row, item, page))
    return people


class Typist:
    """One reporter's page: it types into its own field and autosaves as static/js/autosave.js does."""

    def __init__(self, client, user, assessment, row, item, page):
        self.client, self.user, self.item, self.assessment_pk = client, user, item, assessment.pk
        self.path = f"/assessments/{assessment.pk}/sections/measures/"
        self.field, self.marker = f"{row}-note", f"{row}-item"
        self.base = page[self.field]
        self.revision = 0
        self.saves, self.latencies, self.errors, self.outcomes = 0, [], [], {}
        self.last_saved, self.saved_at = None, []

    def body(self, text):
        fields = {self.field: text, f"base:{self.field}": self.base, self.marker: self.item,
                  "_revision": str(self.revision)}
        return urllib.parse.urlencode(fields).encode()

    async def save(self, n):
        text = f"{self.user.username}: note {n} {random.random():.6f}"
        status, content, seconds = await self.client.request(
            "POST", self.path, self.body(text), {"Content-Type": "application/x-www-form-urlencoded",
                                                 "X-Autosave": "1", "X-Requested-With": "fetch"})
        self.latencies.append(seconds)
        try:
            answer = json.loads(content)
        except ValueError:
            self.errors.append(f"{status} {content[:120]!r}")
            return
        self.outcomes[answer["status"]] = self.outcomes.get(answer["status"], 0) + 1
        if status == 200 and answer["status"] == "saved":
            self.saves += 1
            self.revision, self.base, self.last_saved = answer["revision"], text, text
            self.saved_at.append(time.monotonic())
        else:
            self.errors.append(f"{status} {answer['status']}")


async def typist_loop(typist, interval, started, count):
    """`count` saves, the k-th due at a random offset + k x interval (sent late if the previous one is still out)."""
    offset = random.uniform(0, interval)
    for n in range(count):
        await asyncio.sleep(max(0.0, started + offset + n * interval - time.monotonic()))
        await typist.save(n + 1)


async def noop_loop(client, until, latencies):
    while time.monotonic() < until:
        due = time.monotonic() + 1
        status, _content, seconds = await client.request("POST", "/account/ping/")
        if status == 204:
            latencies.append(seconds)
        await asyncio.sleep(max(0.0, due - time.monotonic()))


async def rush(port, people, noop_cookies, interval, seconds):
    typists = [Typist(Client(port, *cookies), user, assessment, row, item, page)
               for (user, assessment, row, item, page), cookies in people]
    noops = [Client(port, *cookies) for cookies in noop_cookies]
    noop_latencies = []
    started = time.monotonic()
    until = started + seconds
    count = round(seconds / interval)
    await asyncio.gather(*(typist_loop(t, interval, started, count) for t in typists),
                         *(noop_loop(c, until, noop_latencies) for c in noops))
    elapsed = time.monotonic() - started
    for client in [t.client for t in typists] + noops:
        await client.close()
    return typists, noop_latencies, started, elapsed


def report(typists, noop_latencies, started, elapsed, interval, seconds):
    from assessments.models import MeasureStatus

    latencies = [s for t in typists for s in t.latencies]
    saves = sum(t.saves for t in typists)
    outcomes = {}
    for t in typists:
        for key, count in t.outcomes.items():
            outcomes[key] = outcomes.get(key, 0) + count
    errors = [e for t in typists for e in t.errors]
    longest = max(max((b - a for a, b in zip([started] + t.saved_at, t.saved_at + [started + elapsed]))
                      , default=elapsed) for t in typists)
    lost = 0
    for t in typists:
        held = MeasureStatus.objects.get(assessment_id=t.assessment_pk, version__isnull=True,
                                         measure__code=t.item).note if t.last_saved else None
        if t.last_saved is not None and held != t.last_saved:
            lost += 1
    offered = len(typists) * round(seconds / interval)
    noop_p95 = percentile(noop_latencies, 95)
    save_p95 = percentile(latencies, 95)
    print(f"users {len(typists)}, one save per {interval:g} s for {seconds} s: {offered / seconds:.1f} saves/s offered")
    print(f"completed {saves} of {offered} offered saves ({len(latencies)} sent) in {elapsed:.1f} s, "
          f"the last {max(0.0, elapsed - seconds):.1f} s after the window: {saves / seconds:.1f} saves/s over the "
          f"window; outcomes {outcomes}")
    print(f"save latency p50 {percentile(latencies, 50) * 1000:.0f} ms, p95 {save_p95 * 1000:.0f} ms, "
          f"p99 {percentile(latencies, 99) * 1000:.0f} ms; no-op p95 {noop_p95 * 1000:.0f} ms "
          f"(ratio {save_p95 / noop_p95:.2f})")
    print(f"errors {len(errors)}{' e.g. ' + errors[0] if errors else ''}; longest without a save {longest:.1f} s; "
          f"values lost or overwritten {lost}")
    return {"users": len(typists), "offered": offered, "completed": saves, "offered_per_s": offered / seconds,
            "completed_per_s": saves / seconds, "elapsed_s": elapsed,
            "p50_ms": percentile(latencies, 50) * 1000, "p95_ms": save_p95 * 1000,
            "p99_ms": percentile(latencies, 99) * 1000, "noop_p95_ms": noop_p95 * 1000, "errors": len(errors),
            "longest_gap_s": longest, "lost": lost, "outcomes": outcomes}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users-per-state", type=int, default=10)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    fresh_database(DATABASE)
    env = server_environment(DATABASE)
    setup_django(env)
    people = build_world(args.users_per_state)
    cookies = [signed_in_cookies(user) for user, *_rest in people]
    noop_cookies = [signed_in_cookies(user) for user, *_rest in people[:10]]
    with Gunicorn(env, args.workers, args.threads) as server:
        typists, noop_latencies, started, elapsed = asyncio.run(
            rush(server.port, list(zip(people, cookies)), noop_cookies, args.interval, args.seconds))
    figures = report(typists, noop_latencies, started, elapsed, args.interval, args.seconds)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
