from django.core.management.base import BaseCommand, CommandError

from reporting.backups import files_restore


class Command(BaseCommand):
    help = "Store the files a backup_files FOLDER holds into the configured storage (run verify_restore after)."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            restored = files_restore(source=folder)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{restored} files restored from {folder}."))
