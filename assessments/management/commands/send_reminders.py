from django.core.management.base import BaseCommand

from assessments import reminders


class Command(BaseCommand):
    help = "Send the reminders, overdue notices and admins' summaries due now, as beat does every hour (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"{reminders.send_reminders()} sent")
