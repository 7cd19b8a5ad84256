from django.core.management.base import BaseCommand, CommandError

from reporting.backups import BackupError, files_backup


class Command(BaseCommand):
    help = ("Copy every attachment and export out of the configured storage into FOLDER, each checked against its "
            "SHA-256: the files' half of a backup (the database's is pg_dump; see docs/operations.md).")

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            copied = files_backup(to=folder)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{copied} files backed up into {folder}."))
