import os
import subprocess
import sys

from tests.conftest import ROOT


def run_django(env_overrides, *args):
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_it_refuses_to_start_with_debug_off_and_no_secret_key():
    result = run_django({"DEBUG": "0", "ALLOWED_HOSTS": "portal.example.eu"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_with_debug_off_and_no_allowed_hosts():
    result = run_django({"DEBUG": "0", "SECRET_KEY": "x" * 60}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_it_rejects_a_debug_value_it_cannot_read():
    result = run_django({"DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_check_deploy_reports_nothing_with_production_variables():
    production = {
        "DEBUG": "0",
        "SECRET_KEY": "k3$9vQ!z" * 8,
        "ALLOWED_HOSTS": "portal.example.eu",
    }
    result = run_django(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_rejects_an_attachment_scanner_it_cannot_use():
    result = run_django({"DEBUG": "1", "ATTACHMENT_SCANNER": "clamscan {path}"}, "check")
    assert result.returncode != 0
    assert "ATTACHMENT_SCANNER must be empty" in result.stderr
