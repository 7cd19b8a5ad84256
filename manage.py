#!/usr/bin/env python
import os
import sys


def main():
    # No development default here: DEBUG is on only when the environment says DEBUG=1 (the Makefile does for
    # `make run`, `make test` and `make up`). Without it, commands that serve nothing still run (with a throwaway
    # secret); serving needs a deployment's SECRET_KEY and ALLOWED_HOSTS (portal/settings.py).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
