from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, role, member_state in logins:
            self.stdout.write(f"  {username:<14} {role:<14} {member_state}")
