from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, NotTheDemos, seed_demo


class Command(BaseCommand):
    help = (
        "Load the demo data set, or restore it: running it again changes nothing when nobody touched the demo, "
        "and otherwise puts back the demo accounts (password, role, second factor as the README says, lockouts "
        "lifted), this year's open cycle untouched (no assessment, review, publication or export; its one "
        "milestone due 60 days from today) and the 2019 and 2020 cycles as their story ended (what was recorded in "
        "them after they closed is removed). It changes only what it made (marked as the demo's) and stops if a "
        "cycle or an account of a demo name is not the demo's."
    )

    def handle(self, *args, **options):
        try:
            logins = seed_demo()
        except NotTheDemos as refused:
            raise CommandError(str(refused)) from refused
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
