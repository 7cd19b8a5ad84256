"""Bring every catalogue in locale/ up to date with the code and templates, and compile them.

    manage.py translations            # extract the strings (makemessages), then compile (compilemessages)
    manage.py translations --extract  # extract only (the suite's translation check runs this on a copy)

One list of what is not the portal's own text, so that the Makefile, the suite and a translator extract alike.
"""

from django.conf import settings
from django.core.management import BaseCommand, call_command

NOT_OURS = [".venv", "venv", "bench", "tests", "staticfiles", "var", "static/vendor", "node_modules"]


class Command(BaseCommand):
    help = "Update the translation catalogues from the source (and compile them)."

    def add_arguments(self, parser):
        parser.add_argument("--extract", action="store_true", help="update the .po files only, do not compile")

    def handle(self, *args, extract=False, **options):
        root = settings.LOCALE_PATHS[0]
        locales = sorted(path.name for path in root.iterdir() if (path / "LC_MESSAGES" / "django.po").exists())
        if locales:
            call_command("makemessages", locale=locales, ignore_patterns=NOT_OURS, no_obsolete=True,
                         verbosity=options["verbosity"])
        if not extract:
            call_command("compilemessages", locale=locales, ignore_patterns=NOT_OURS, verbosity=options["verbosity"])
