"""Time the coordinated review's build against a hand-written SQL floor, at 27, 1,000 or 10,000 member states.

    .venv/bin/python bench/review_build.py --member-states 27 1000 10000

It works in a throwaway PostgreSQL database (`portal_bench`, dropped and made
again; set BENCH_DATABASE_URL to use another), migrates it, and fills one cycle
with synthetic submitted versions: every scenario, measure, actor, threat and
asset answered, and three suppliers per member state. Beyond the EU's 28, the
synthetic member states need codes longer than two letters, so the benchmark
widens those columns in its own database only.

For each size it reports the build time (review_build: every input's rows checked
against the digest recorded at submission, every EU aggregate, completeness,
storing the results) against the floor (every answer row of the input versions
read into Python once, one query per answer table: the least any build that
looks at the data must do), their ratio, the peak of Python memory allocated
during the build (tracemalloc) and the size of the stored results.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")


def prepare_database():
    import psycopg2

    admin_url = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    name = BENCH_URL.rsplit("/", 1)[1]
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def setup_django():
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in (
            "ALTER TABLE portal_memberstate DROP CONSTRAINT member_state_iso_code_format",
            "ALTER TABLE portal_memberstate DROP CONSTRAINT member_state_eu_code_format",
            "ALTER TABLE portal_memberstate ALTER COLUMN iso_code TYPE varchar(8)",
            "ALTER TABLE portal_memberstate ALTER COLUMN eu_code TYPE varchar(8)",
            "ALTER TABLE reporting_reviewinput ALTER COLUMN member_state_code TYPE varchar(8)",
        ):
            cursor.execute(statement)


def fill_cycle(n):
    """A cycle with n member states, each with one submitted version and every answer row."""
    import datetime

    from django.contrib.auth.models import Group

    from assessments import models as m
    from assessments.services import questionnaire_for
    from assessments.snapshots import rows_digests, version_answers
    from portal.models import BRUSSELS, CycleCoverage, MemberState, Milestone, ReportingCycle, User

    rng = random.Random(n)
    have = MemberState.objects.filter(iso_code__startswith="X").count()  # from a smaller size run before
    extra = MemberState.objects.bulk_create([
        MemberState(iso_code=f"X{i:05}", eu_code=f"X{i:05}", joined=datetime.date(2000, 1, 1))
        for i in range(have, max(0, n - 28))], batch_size=5000)
    names = MemberState._parler_meta.root_model  # the names' table (django-parler): English only here
    names.objects.bulk_create([names(master=s, language_code="en", name=f"Synthetic {s.iso_code[1:]}") for s in extra],
                              batch_size=5000)
    states = list(MemberState.objects.order_by("pk")[:n])
    cycle = ReportingCycle.objects.create(title=f"Bench {n}", year=2019, starts_on=datetime.date(2019, 3, 26))
    CycleCoverage.objects.bulk_create(CycleCoverage(cycle=cycle, member_state=s, since=cycle.starts_at) for s in states)
    Milestone.objects.create(cycle=cycle, code="NRA-SUBMIT", title="Send", scope="member_state",
                             due_date=datetime.date(2019, 7, 15), tracks_submission=True)
    q = questionnaire_for(cycle)
    user = User.objects.create(username=f"bench-{n}")
    user.groups.add(Group.objects.get(name="lead reporter"))
    assessments = m.NationalAssessment.objects.bulk_create(
        [m.NationalAssessment(cycle=cycle, member_state=s, status="submitted", created_by=user) for s in states],
        batch_size=5000)
    submitted = datetime.datetime(2019, 7, 10, 12, tzinfo=BRUSSELS)
    # Each version's snapshot is built from its rows below, as submitting does, so that the build's checks pass.
    versions = m.AssessmentVersion.objects.bulk_create(
        [m.AssessmentVersion(assessment=a, number=1, snapshot={}, sha256="0" * 64, submitted_by=user,
                             submitted_at=submitted) for a in assessments], batch_size=5000)
    scenarios, measures = list(q.scenarios.all()), list(q.measures.all())
    actors, threats, assets = list(q.threat_actors.all()), list(q.threats.all()), list(q.asset_classes.all())
    suppliers = list(m.Supplier.objects.all())
    statuses = ["not_started", "planned", "in_preparation", "adopted", "applied"]
    rows = {k: [] for k in ("scenarios", "measures", "actors", "threats", "assets", "suppliers")}
    for a, v in zip(assessments, versions):
        for s in scenarios:
            lk, im = rng.randint(1, 5), rng.randint(1, 5)
            level = q.risk_level(lk, im)
            rows["scenarios"].append(m.ScenarioRating(assessment=a, version=v, scenario=s, likelihood=lk, impact=im,
                                                      level=level, trend="stable",
                                                      justification="x" if level in ("high", "critical") else ""))
        rows["measures"] += [m.MeasureStatus(assessment=a, version=v, measure=x, status=rng.choice(statuses))
                             for x in measures]
        rows["actors"] += [m.ThreatActorRating(assessment=a, version=v, actor=x, capability=rng.randint(1, 5),
                                               intent=rng.randint(1, 5)) for x in actors]
        rows["threats"] += [m.ThreatRelevance(assessment=a, version=v, threat=x, relevance=rng.randint(0, 3))
                            for x in threats]
        rows["assets"] += [m.AssetSensitivity(assessment=a, version=v, asset_class=x, sensitivity=rng.randint(1, 5))
                           for x in assets]
        for supplier, share in zip(rng.sample(suppliers, 3), (50, 30, 20)):
            rows["suppliers"].append(m.SupplierPresence(
                assessment=a, version=v, supplier=supplier, share_core=share, share_access=share,
                risk_profile=rng.choice(["low", "medium", "high"]), justification="x"))
    models = {"scenarios": m.ScenarioRating, "measures": m.MeasureStatus, "actors": m.ThreatActorRating,
              "threats": m.ThreatRelevance, "assets": m.AssetSensitivity, "suppliers": m.SupplierPresence}
    for key, objects in rows.items():
        models[key].objects.bulk_create(objects, batch_size=5000)
    m.ScopeAnswer.objects.bulk_create([m.ScopeAnswer(assessment=a, version=v) for a, v in zip(assessments, versions)],
                                      batch_size=5000)
    answers = version_answers(versions)
    for state, version in zip(states, versions):
        version.snapshot = {"member_state": state.eu_code, "version": 1, "answers": answers[version.pk],
                            "attachments": []}
        version.sha256 = m.AssessmentVersion.digest(version.snapshot)
    digests = rows_digests([v.pk for v in versions])
    for version in versions:
        version.rows_digest = digests[version.pk]
    m.AssessmentVersion.objects.bulk_update(versions, ["snapshot", "sha256", "rows_digest"], batch_size=2000)
    return cycle, sum(len(v) for v in rows.values())


def one_read(version_ids):
    """The floor: every answer row of these versions read into Python once, each table in one query."""
    from django.db import connection

    from assessments.snapshots import answer_tables

    rows = 0
    with connection.cursor() as cursor:
        for _name, model, columns in answer_tables():
            names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
            cursor.execute(f"SELECT version_id, {names} FROM {connection.ops.quote_name(model._meta.db_table)} "
                           "WHERE version_id = ANY(%s)", [list(version_ids)])
            rows += len(cursor.fetchall())
    return rows


def measure(n, repeats):
    from django.db import connection

    from reporting import services
    from reporting.models import CoordinatedReview, ReviewStatus

    started = time.perf_counter()
    cycle, answer_rows = fill_cycle(n)
    fill_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    t0 = time.perf_counter()
    review, _ = services.review_request(cycle=cycle)  # what a submission or a reviewer's request does first
    request = time.perf_counter() - t0
    version_ids = list(review.provenance.values_list("version_id", flat=True))
    builds, floors = [], []
    for _ in range(repeats):
        CoordinatedReview.objects.filter(pk=review.pk).update(status=ReviewStatus.QUEUED)
        t0 = time.perf_counter()
        services.review_build(review_id=review.pk)
        builds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        one_read(version_ids)
        floors.append(time.perf_counter() - t0)
    # Memory in a run of its own: tracemalloc slows Python down about twofold.
    CoordinatedReview.objects.filter(pk=review.pk).update(status=ReviewStatus.QUEUED)
    tracemalloc.start()
    services.review_build(review_id=review.pk)
    peaks = [tracemalloc.get_traced_memory()[1]]
    tracemalloc.stop()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DONE, review.error
    build, floor = statistics.median(builds), statistics.median(floors)
    return {"member_states": n, "answer_rows": answer_rows, "fill_s": round(fill_seconds, 1),
            "request_s": round(request, 3),
            "build_s": round(build, 3), "floor_s": round(floor, 4), "ratio": round(build / floor, 1),
            "peak_mib": round(max(peaks) / 2**20, 1),
            "results_kib": round(len(json.dumps(review.results)) / 1024, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--member-states", type=int, nargs="+", default=[27])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    prepare_database()
    setup_django()
    print("| member states | answer rows | request (s) | build (s) | SQL floor (s) | ratio | peak Python memory (MiB) "
          "| results (KiB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.member_states:
        r = measure(n, args.repeats)
        print(f"| {r['member_states']:,} | {r['answer_rows']:,} | {r['request_s']} | {r['build_s']} | {r['floor_s']} "
              f"| {r['ratio']} | {r['peak_mib']} | {r['results_kib']} |", flush=True)


if __name__ == "__main__":
    main()
