from django.core.management.base import BaseCommand, CommandError

from reporting.backups import verify


class Command(BaseCommand):
    help = ("Check a restored copy: every version's snapshot, every attachment's and export's file against its "
            "SHA-256, and every export's key against its inputs. Exits 1 naming each problem.")

    def handle(self, *args, **options):
        counts, problems = verify()
        for problem in problems:
            self.stderr.write(problem)
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        if problems:
            raise CommandError(f"{len(problems)} problems in {summary}.")
        self.stdout.write(self.style.SUCCESS(f"Intact: {summary} verified."))
