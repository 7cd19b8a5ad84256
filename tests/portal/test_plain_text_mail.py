"""The text part and subject of every email the portal writes carry plain text: "O'Brien" and "<" as typed, never HTML
entities (allauth's own emails turn escaping off in their templates)."""

import pytest
from django.core import mail

from portal import services

pytestmark = pytest.mark.django_db(transaction=True)  # the welcome email is sent once its account is committed

NAME = ("Seán", "O'Brien <Dept. of Comms & Networks>")


def test_a_welcome_email_says_the_names_as_typed_in_text_and_escapes_them_in_html(lead_at):
    services.reporter_add(authority=lead_at.authority, by=lead_at, email="sean@example.eu", first_name=NAME[0],
                          last_name=NAME[1])
    message = mail.outbox[-1]
    assert "Dear Seán O'Brien <Dept. of Comms & Networks>," in message.body
    assert "&#x27;" not in message.body and "&lt;" not in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "O&#x27;Brien &lt;Dept. of Comms &amp; Networks&gt;" in html  # the HTML part stays escaped
