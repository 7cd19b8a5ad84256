import datetime

import pytest
import time_machine
from django.urls import reverse

from portal.models import BRUSSELS, Extension
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_next_effective_deadline_in_brussels_and_in_the_users_zone(
    client, reporter_at, admin_user
):
    cycle = factories.cycle(title="2019 national risk assessments")
    milestone = factories.milestone(cycle, code="NRA-SUBMIT", title="Send the assessment",
                                    due=datetime.date(2019, 7, 15), tracks_submission=True)
    reporter_at.time_zone = "America/New_York"
    reporter_at.save()
    client.force_login(reporter_at)
    with time_machine.travel(datetime.datetime(2019, 7, 13, 23, 59, 59, tzinfo=BRUSSELS), tick=False):
        page = client.get(reverse("authority_home")).content.decode()
        assert "Send the assessment" in page
        assert "Monday 15 July 2019, 23:59" in page and "15 July, 17:59" in page
        assert "2\xa0days left" in page
        assert "not started" in page
        Extension.objects.create(milestone=milestone, member_state=reporter_at.member_state,
                                 due_date=datetime.date(2019, 7, 31), reason="Government formation",
                                 granted_by=admin_user)
        page = client.get(reverse("authority_home")).content.decode()
        assert "Wednesday 31 July 2019, 23:59" in page
        assert "Extended from 15 July 2019: Government formation" in page
