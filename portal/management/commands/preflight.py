from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.health import broker_is_embedded, broker_problem, database_problem


class Command(BaseCommand):
    help = "Stop with a clear message when the database or the broker cannot be reached."

    def add_arguments(self, parser):
        parser.add_argument("--require-postgresql", action="store_true", help="Refuse the SQLite fallback.")
        parser.add_argument("--require-broker", action="store_true", help="Refuse in-process (eager) Celery.")
        parser.add_argument("--create-database", action="store_true",
                            help="Create the PostgreSQL database when the server answers but it does not exist.")

    def handle(self, *args, require_postgresql=False, require_broker=False, create_database=False, **options):
        db = settings.DATABASES["default"]
        where = f"{db.get('HOST') or 'local socket'}:{db.get('PORT') or 'default port'}"
        if require_postgresql and db["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("The test suite runs on PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME.")
        problem = database_problem()
        # The test runner creates its own database: a missing database still
        # proves that the server answers.
        if problem and "does not exist" not in problem:
            raise CommandError(
                f"PostgreSQL cannot be reached at {where} ({problem}).\n"
                "Start it, or point DATABASE_URL at a server that runs."
            )
        if problem and create_database:
            with connection._nodb_cursor() as cursor:  # the maintenance database, as the test runner does
                cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
            self.stdout.write(f"created database {db['NAME']}")
        if require_broker and broker_is_embedded():
            raise CommandError("The test suite needs Redis: set CELERY_BROKER_URL=redis://HOST:PORT/0.")
        problem = broker_problem()
        if problem:
            raise CommandError(
                f"Redis (the Celery broker) cannot be reached at {settings.CELERY_BROKER_URL} ({problem}).\n"
                "Start it, or point CELERY_BROKER_URL at a broker that runs."
            )
        self.stdout.write(f"database ok ({db['ENGINE'].rsplit('.', 1)[-1]} at {where}); "
                          f"broker {'in-process' if broker_is_embedded() else 'ok'}")
