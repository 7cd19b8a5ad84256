"""Settings refuse to serve with anything insecure assumed: no silent DEBUG, no short or default secret key."""

import os
import subprocess
import sys

from tests.conftest import ROOT

SERVE = ["-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); "
               "django.setup(); print('started')"]  # what gunicorn and Celery do: settings outside manage.py


def run(env_overrides, *args, timeout=60):
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEMO_SECOND_FACTOR_CODE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def test_a_server_refuses_to_start_with_debug_off_and_no_secret_key():
    result = run({"ALLOWED_HOSTS": "portal.example.eu"}, *SERVE)
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_runserver_without_debug_refuses_to_start_without_a_secret_key():
    result = run({"ALLOWED_HOSTS": "portal.example.eu"}, "manage.py", "runserver", "--noreload", "127.0.0.1:0",
                 timeout=30)
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_a_short_or_default_secret_key_is_refused_with_debug_off():
    for key in ["short", "development-only-key-never-used-with-debug-off", "django-insecure-" + "x" * 50]:
        result = run({"SECRET_KEY": key, "ALLOWED_HOSTS": "portal.example.eu"}, *SERVE)
        assert result.returncode != 0 and "too short or a known default" in result.stderr, key


def test_manage_py_is_not_in_development_mode_unless_debug_is_set():
    """Commands that serve nothing run without a secret, and DEBUG stays off: check --deploy does not flag it."""
    result = run({"ALLOWED_HOSTS": "portal.example.eu"}, "manage.py", "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "security.W018" not in result.stdout + result.stderr  # W018: "You should not have DEBUG set to True"


def test_it_refuses_to_start_with_debug_off_and_no_allowed_hosts():
    result = run({"SECRET_KEY": "x" * 60}, *SERVE)
    assert result.returncode != 0 and "ALLOWED_HOSTS is not set" in result.stderr


def test_it_rejects_a_debug_value_it_cannot_read():
    result = run({"DEBUG": "maybe"}, "manage.py", "check")
    assert result.returncode != 0 and "DEBUG must be one of" in result.stderr


def test_the_demo_second_factor_code_is_refused_without_debug():
    result = run({"SECRET_KEY": "k3$9vQ!z" * 8, "ALLOWED_HOSTS": "portal.example.eu",
                  "DEMO_SECOND_FACTOR_CODE": "000000"}, "-c",
                 "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings'); "
                 "django.setup(); from django.conf import settings; print(settings.MFA_TOTP_INSECURE_BYPASS_CODE)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_check_deploy_reports_nothing_with_production_variables():
    production = {"DEBUG": "0", "SECRET_KEY": "k3$9vQ!z" * 8, "ALLOWED_HOSTS": "portal.example.eu"}
    result = run(production, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_rejects_an_attachment_scanner_it_cannot_use():
    result = run({"DEBUG": "1", "ATTACHMENT_SCANNER": "clamscan {path}"}, "manage.py", "check")
    assert result.returncode != 0
    assert "ATTACHMENT_SCANNER must be empty" in result.stderr


def test_a_notification_is_not_called_uncertain_while_a_run_may_still_be_sending_it():
    result = run({"DEBUG": "1", "NOTIFICATION_UNCERTAIN_AFTER_MINUTES": "5"}, "manage.py", "check")
    assert result.returncode != 0 and "must be longer than a task may run" in result.stderr


def test_it_rejects_a_minimum_level_of_assurance_eu_login_does_not_name():
    result = run({"DEBUG": "1", "EU_LOGIN_MINIMUM_ACR": "substantial"}, "manage.py", "check")
    assert result.returncode != 0 and "EU_LOGIN_MINIMUM_ACR must be one of EU_LOGIN_ACR_ORDER" in result.stderr
    result = run({"DEBUG": "1", "EU_LOGIN_MINIMUM_ACR": "https://ecas.ec.europa.eu/loa/high"}, "manage.py", "check")
    assert result.returncode == 0, result.stderr
