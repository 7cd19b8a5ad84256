"""The delivery script of docs/api.md, run as written against a live portal: it fills and submits a whole assessment."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assessments.models import AssessmentVersion, NationalAssessment
from portal.models import Role
from tests import factories
from tests.api.helpers import ApiClient, token_for
from tests.api.test_delivery import values_for
from tests.assessments import helpers

pytestmark = pytest.mark.django_db(transaction=True)
API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def delivery_script():
    script = API_DOC.read_text().split("\n## A delivery script\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", script, re.DOTALL).group(1)


def test_the_documented_script_delivers_an_assessment(live_server, tmp_path):
    cycle = helpers.cycle_with_questionnaire(codes=["AT"])
    token = token_for(factories.user(Role.LEAD_REPORTER, "AT"))
    questionnaire = ApiClient(token).get(f"/api/v1/cycles/{cycle.pk}/questionnaire/").json()
    answers = {s["code"]: values_for(s) for s in questionnaire["sections"] if s["code"] != "attachments"}
    (tmp_path / "answers.json").write_text(json.dumps(answers))
    (tmp_path / "deliver.py").write_text(delivery_script())
    done = subprocess.run([sys.executable, str(tmp_path / "deliver.py")], capture_output=True, text=True, timeout=60,
                          env={"PORTAL_API": f"{live_server.url}/api/v1/", "PORTAL_TOKEN": token,
                               "ANSWERS_FILE": str(tmp_path / "answers.json")})
    assert done.returncode == 0, done.stdout + done.stderr
    version = AssessmentVersion.objects.get(assessment__cycle=cycle)
    assert done.stdout.strip() == f"Version 1 submitted, SHA-256 {version.sha256}"
    assert NationalAssessment.objects.get(cycle=cycle).status == "submitted"
