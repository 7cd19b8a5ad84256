from django.conf import settings
from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load the demo data set (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, role, member_state in logins:
            self.stdout.write(f"  {username:<14} {role:<14} {member_state}")
        code = settings.MFA_TOTP_INSECURE_BYPASS_CODE
        if code:
            self.stdout.write(f"Admin, reviewer and lead reporters sign in with a second factor: in this demo the code "
                              f"{code} works for them (DEBUG only).")
        else:
            self.stdout.write("Admin, reviewer and lead reporters add a second factor (an authenticator app or a "
                              "passkey) at their first sign-in.")
